import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleResults } from "./_fixtures.ts";
import { serializeResults } from "./results.ts";
import { pidAlive } from "../atomic_write.ts";
import {
  committedPath,
  settleFileSets,
  writeFileSet,
  writeReport,
} from "./write.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const names = (dir: string) =>
  [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test("writeReport writes the HTML and the serialised results side by side", async () => {
  await withDir(async (root) => {
    const dir = join(root, "reports");
    const paths = await writeReport(dir, "als", "<p>v1</p>", sampleResults());
    assert.deepEqual(paths, {
      html: join(dir, "als.html"),
      json: join(dir, "als.json"),
    });
    assert.equal(await Deno.readTextFile(paths.html), "<p>v1</p>");
    assert.equal(
      await Deno.readTextFile(paths.json),
      serializeResults(sampleResults()),
    );
    await writeReport(dir, "als", "<p>v2</p>", sampleResults());
    assert.equal(await Deno.readTextFile(paths.html), "<p>v2</p>");
    assert.deepEqual(names(dir), ["als.html", "als.json"]);
  });
});

Deno.test("writeReport with invalid results writes nothing", async () => {
  await withDir(async (dir) => {
    await writeReport(dir, "als", "<p>good</p>", sampleResults());
    const bad = sampleResults();
    bad.seeds = [-1];
    await assert.rejects(
      writeReport(dir, "als", "<p>new</p>", bad),
      /results: seeds\[0\]/,
    );
    assert.equal(await Deno.readTextFile(join(dir, "als.html")), "<p>good</p>");
    assert.deepEqual(names(dir), ["als.html", "als.json"]);
  });
});

Deno.test("writeReport with a folder where a report file goes refuses before writing anything and leaves no temp files", async () => {
  await withDir(async (dir) => {
    const good = sampleResults();
    good.title = "good";
    await Deno.writeTextFile(join(dir, "als.json"), serializeResults(good));
    // als.html is a non-empty directory, so renaming the new HTML over it fails
    await Deno.mkdir(join(dir, "als.html"));
    await Deno.writeTextFile(join(dir, "als.html", "keep"), "x");
    await assert.rejects(
      writeReport(dir, "als", "<p>new</p>", sampleResults()),
    );
    assert.equal(
      await Deno.readTextFile(join(dir, "als.json")),
      serializeResults(good),
    );
    assert.deepEqual(names(dir), ["als.html", "als.json"]);

    // with no previous JSON, the new one is removed again
    await Deno.remove(join(dir, "als.json"));
    await assert.rejects(
      writeReport(dir, "als", "<p>new</p>", sampleResults()),
    );
    assert.deepEqual(names(dir), ["als.html"]);
  });
});

Deno.test("writeReport rejects a name that is not a plain file name", async () => {
  await withDir(async (dir) => {
    for (const name of ["../als", "a/b", "", ".hidden"]) {
      await assert.rejects(
        writeReport(dir, name, "", sampleResults()),
        /plain file name/,
      );
    }
    assert.deepEqual(names(dir), []);
  });
});

Deno.test("writeReport with models writes them with the report, and a blocked model path leaves the whole set as it was", async () => {
  await withDir(async (dir) => {
    const model = join(dir, "als", "model.onnx");
    await writeReport(dir, "als", "<p>v1</p>", sampleResults(), [
      { path: model, content: Uint8Array.of(1, 2, 3) },
    ]);
    assert.deepEqual(await Deno.readFile(model), Uint8Array.of(1, 2, 3));
    assert.equal((await Deno.stat(model)).mode! & 0o777, 0o644);
    const v2 = sampleResults();
    v2.title = "v2";
    // A second model path that cannot be replaced (a non-empty directory):
    // the report and the first model stay as they were.
    const blocked = join(dir, "als", "other.onnx");
    await Deno.mkdir(blocked);
    await Deno.writeTextFile(join(blocked, "keep"), "x");
    await assert.rejects(
      writeReport(dir, "als", "<p>v2</p>", v2, [
        { path: model, content: Uint8Array.of(9) },
        { path: blocked, content: Uint8Array.of(9) },
      ]),
    );
    assert.equal(await Deno.readTextFile(join(dir, "als.html")), "<p>v1</p>");
    assert.equal(
      await Deno.readTextFile(join(dir, "als.json")),
      serializeResults(sampleResults()),
    );
    assert.deepEqual(await Deno.readFile(model), Uint8Array.of(1, 2, 3));
    assert.deepEqual(names(dir), ["als", "als.html", "als.json"]);
    assert.deepEqual(names(join(dir, "als")), ["model.onnx", "other.onnx"]);
  });
});

Deno.test("writeFileSet refuses a path given twice before writing anything", async () => {
  await withDir(async (dir) => {
    const p = join(dir, "a.txt");
    await assert.rejects(
      writeFileSet([{ path: p, content: "1" }, { path: p, content: "2" }]),
      /a.txt given twice/,
    );
    assert.deepEqual(names(dir), []);
  });
});

/** A set of three files in `dir` (JSON, HTML, model), each holding `tag`. */
function setOf(dir: string, tag: string) {
  return [
    { path: join(dir, "als.json"), content: `{"v":"${tag}"}` },
    { path: join(dir, "als.html"), content: `<p>${tag}</p>` },
    {
      path: join(dir, "als", "model.onnx"),
      content: new TextEncoder().encode(tag),
    },
  ];
}

/** What a reader sees of the set: each file's content through `committedPath`. */
function visible(dir: string): string[] {
  return setOf(dir, "").map((f) => {
    try {
      return Deno.readTextFileSync(committedPath(f.path));
    } catch {
      return "(missing)";
    }
  });
}

const WRITER = new URL("./write.ts", import.meta.url).href;

/** Runs a writer of the "new" set in a subprocess that dies (exit 99, as kill -9) at `fault`. */
async function killedWriter(
  dir: string,
  fault: string,
): Promise<{ exit: number; pid: number }> {
  const code = `import { writeFileSet } from ${JSON.stringify(WRITER)};
const dir = ${JSON.stringify(dir)};
const enc = new TextEncoder();
await writeFileSet([
  { path: dir + "/als.json", content: '{"v":"new"}' },
  { path: dir + "/als.html", content: "<p>new</p>" },
  { path: dir + "/als/model.onnx", content: enc.encode("new") },
], "als");`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", code],
    env: { CF_TEST_FAULT: fault },
    stdout: "null",
    stderr: "null",
  }).spawn();
  const { code: exit } = await child.status;
  return { exit, pid: child.pid };
}

Deno.test("writeFileSet killed at any step leaves the old set or the new one, never a mix; the next write completes it and removes the debris", async () => {
  const old = ['{"v":"old"}', "<p>old</p>", "old"];
  const fresh = ['{"v":"new"}', "<p>new</p>", "new"];
  const faults = [
    ["staged", old],
    ["journaled", old],
    ["committed", fresh],
    ["installed-1", fresh],
    ["installed-2", fresh],
    ["installed-3", fresh],
  ] as const;
  for (const [fault, expected] of faults) {
    await withDir(async (dir) => {
      await writeFileSet(setOf(dir, "old"), "als");
      const killed = await killedWriter(dir, fault);
      assert.equal(killed.exit, 99, `fault ${fault}`);
      // What a reader sees right after the kill, before any other write:
      assert.deepEqual(visible(dir), [...expected], `after a kill at ${fault}`);
      // The next writer's settling completes a committed set and cleans staging.
      await settleFileSets(dir);
      for (const d of [dir, join(dir, "als")]) {
        for (const name of names(d)) {
          if (name.startsWith(".staging-")) {
            // Left by a dead process: removed by the next write below.
            continue;
          }
          assert.ok(!name.startsWith("."), `${fault}: left ${name} in ${d}`);
        }
      }
      assert.deepEqual(visible(dir), [...expected], `settled after ${fault}`);
      await writeFileSet(setOf(dir, "third"), "als");
      assert.deepEqual(visible(dir), [
        '{"v":"third"}',
        "<p>third</p>",
        "third",
      ]);
      // The killed writer's staging is removed, unless its pid was already
      // taken by another process (pids wrap at pid_max; under a loaded
      // parallel run within milliseconds): a live pid's files are never
      // touched, by design.
      const reused = pidAlive(killed.pid) === true;
      assert.deepEqual(
        names(dir).filter((n) =>
          !(reused && n.startsWith(`.staging-als-${killed.pid}-`))
        ),
        ["als", "als.html", "als.json"],
      );
      assert.deepEqual(names(join(dir, "als")), ["model.onnx"]);
    });
  }
});

Deno.test("writeFileSet removes stale temporaries of dead runs (and old ones without a pid) but never a live run's", async () => {
  await withDir(async (dir) => {
    // A pid no process can have (above the largest pid_max Linux allows,
    // 2^22): known dead. An ended child's pid would do only until reused,
    // which under a loaded parallel test run can be within milliseconds.
    const deadPid = 2 ** 22 + 1;
    await Deno.mkdir(join(dir, "als"));
    const stale = [
      `.tmp-${deadPid}-abc.part`,
      `.tmp-${deadPid}-abc.bak`,
      `.staging-als-${deadPid}-xyz`,
      ".tmp-legacy1.part", // a name without a pid, older than a minute
    ];
    const live = [
      `.tmp-${Deno.pid}-live.part`,
      `.staging-als-${Deno.pid}-live`,
    ];
    const young = ".tmp-legacy2.part"; // no pid, but written just now
    for (const n of [...stale, ...live, young]) {
      if (n.startsWith(".staging")) await Deno.mkdir(join(dir, n));
      else await Deno.writeTextFile(join(dir, "als", n), "x");
    }
    const minuteAgo = new Date(Date.now() - 5 * 60_000);
    await Deno.utime(
      join(dir, "als", ".tmp-legacy1.part"),
      minuteAgo,
      minuteAgo,
    );
    await writeFileSet(setOf(dir, "v1"), "als");
    const left = [...names(dir), ...names(join(dir, "als"))];
    for (const n of stale) assert.ok(!left.includes(n), `${n} not removed`);
    for (const n of [...live, young]) {
      assert.ok(left.includes(n), `${n} removed`);
    }
  });
});
