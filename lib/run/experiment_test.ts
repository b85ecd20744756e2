import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineFlags } from "../cli.ts";
import { paragraph } from "../report/html.ts";
import { readResults, summarize } from "../report/results.ts";
import {
  intFlag,
  OUTPUT_FLAGS,
  repeatsFlag,
  seedFlag,
} from "./common_flags.ts";
import { defineExperiment } from "./experiment.ts";
import { configHash } from "./pinning.ts";

const FLAGS = defineFlags({
  dim: intFlag(4, 1, 64, "dimension"),
  seed: seedFlag(0, "first seed"),
  repeats: repeatsFlag(2, "seeds"),
  ...OUTPUT_FLAGS,
});

/** A tiny experiment whose metric is `offset + dim`, per seed. */
function tiny(
  reportsDir: string,
  state: { offset: number; runs?: number },
  title: string | ((flags: { dim: number }) => string) = "A tiny experiment",
) {
  return defineExperiment({
    name: "tiny",
    task: "exp:tiny",
    title,
    document: {
      title: "Tiny",
      authors: ["T. Author"],
      year: 2024,
      url: null,
      published: { score: 4 },
    },
    description: "A test experiment.",
    flags: FLAGS,
    tolerances: { default: 1e-9 },
    reportsDir,
    run: ({ flags, seeds, clock }) => {
      state.runs = (state.runs ?? 0) + 1;
      clock("fit");
      const values = seeds.map((s) => state.offset + flags.dim + s * 0);
      return Promise.resolve({
        dataset: {
          release: "none",
          source: "memory",
          files: [],
          counts: { users: 1, items: 1, ratings: 1 },
        },
        config: { dim: flags.dim },
        metrics: { score: summarize(values) },
        comparisons: [],
        sections: () => [{ heading: "Body", blocks: [paragraph("text")] }],
        files: [{ name: "model.bin", content: new Uint8Array([1, 2, 3]) }],
        summary: `score ${values[0]}`,
      });
    },
  });
}

async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const log = console.log, err = console.error;
  console.log = () => {};
  console.error = () => {};
  try {
    return await f();
  } finally {
    console.log = log;
    console.error = err;
  }
}

Deno.test("defineExperiment: a default rerun leaves the pinned JSON byte for byte; a changed number is refused unless --pin", async () => {
  const dir = await Deno.makeTempDir({ prefix: "experiment-test-" });
  try {
    const state = { offset: 0 };
    const exp = tiny(dir, state);
    const pinned = join(dir, "tiny.json");
    const first = await quietly(() => exp.main([]));
    assert.equal(first.seeds.length, 2);
    assert.equal(
      (await readResults(pinned)).metrics.score.valueOf() !== null,
      true,
    );
    const bytes = await Deno.readTextFile(pinned);
    assert.ok((await Deno.stat(join(dir, "tiny", "model.bin"))).isFile);
    const run = JSON.parse(
      await Deno.readTextFile(join(dir, "tiny", "run.json")),
    );
    assert.equal(run.pinned, "written");
    assert.equal(typeof run.timings_s.fit, "number");
    await quietly(() => exp.main([]));
    assert.equal(
      await Deno.readTextFile(pinned),
      bytes,
      "a rerun rewrote the pinned file",
    );

    state.offset = 1;
    await assert.rejects(
      () => quietly(() => exp.main([])),
      /differ from the pinned .*tiny\.json \(metric score: pinned 4, fresh 5\).*rerun with --pin/,
    );
    assert.equal(await Deno.readTextFile(pinned), bytes);
    const diverged = join(dir, "runs", "tiny-default", "tiny.json");
    assert.equal((await readResults(diverged)).experiment, "tiny");

    await quietly(() => exp.main(["--pin"]));
    assert.notEqual(await Deno.readTextFile(pinned), bytes);
    // --pin writes even when the numbers agree: it records this run's provenance.
    await quietly(() => exp.main(["--pin"]));
    assert.equal(
      JSON.parse(await Deno.readTextFile(join(dir, "tiny", "run.json"))).pinned,
      "written",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defineExperiment: another configuration writes to runs/<name>-<hash>/ and never the pinned file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "experiment-test-" });
  try {
    const exp = tiny(dir, { offset: 0 });
    const r = await quietly(() => exp.main(["--dim", "8"]));
    assert.equal(r.command, "deno task exp:tiny --dim 8");
    const own = join(dir, "runs", `tiny-${configHash([["dim", 8]])}`);
    assert.ok((await Deno.stat(join(own, "tiny.json"))).isFile);
    assert.ok((await Deno.stat(join(own, "tiny.html"))).isFile);
    await assert.rejects(
      () => Deno.stat(join(dir, "tiny.json")),
      Deno.errors.NotFound,
    );
    await assert.rejects(
      () => quietly(() => exp.main(["--dim", "8", "--pin"])),
      /--pin: only the document's configuration/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defineExperiment: a title given as a function of the flags names the run's flags", async () => {
  const dir = await Deno.makeTempDir({ prefix: "experiment-test-" });
  try {
    const exp = tiny(dir, { offset: 0 }, (f) => `tiny of width ${f.dim}`);
    assert.equal((await quietly(() => exp.main([]))).title, "tiny of width 4");
    const r = await quietly(() => exp.main(["--dim", "8"]));
    assert.equal(r.title, "tiny of width 8");
    const html = await Deno.readTextFile(
      join(dir, "runs", `tiny-${configHash([["dim", 8]])}`, "tiny.html"),
    );
    assert.match(html, /tiny of width 8/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A folder the process cannot create files in: a read-only one (`/sys` for root, who ignores modes). */
async function readOnlyFolder(root: string): Promise<string | null> {
  if (Deno.uid() !== 0) {
    const dir = join(root, "read-only");
    await Deno.mkdir(dir, { mode: 0o555 });
    await Deno.chmod(dir, 0o555);
    return dir;
  }
  try {
    Deno.makeTempFileSync({ dir: "/sys" });
    return null;
  } catch {
    return "/sys";
  }
}

Deno.test("defineExperiment: an output through a symbolic link out of the reports folder is refused before the run", async () => {
  const root = await Deno.makeTempDir({ prefix: "experiment-test-" });
  try {
    const reports = join(root, "reports"), outside = join(root, "outside");
    await Deno.mkdir(reports);
    await Deno.mkdir(outside);
    await Deno.symlink(outside, join(reports, "link"));
    await Deno.symlink(join(outside, "new"), join(reports, "dangling"));
    const state = { offset: 0, runs: 0 };
    const exp = tiny(reports, state);
    for (
      const out of [
        join(reports, "link"),
        join(reports, "link", "deeper"),
        join(reports, "dangling"),
      ]
    ) {
      await assert.rejects(
        () => quietly(() => exp.main(["--dim", "8", "--out", out])),
        (err: Error & { exitCode?: number }) => {
          assert.match(err.message, /^--out .*: its real path .* leaves/);
          assert.equal(err.exitCode, 2);
          return true;
        },
      );
    }
    // A link named like the model folder inside an output folder leads out too.
    await Deno.mkdir(join(reports, "mine"));
    await Deno.symlink(outside, join(reports, "mine", "tiny"));
    await assert.rejects(
      () => quietly(() => exp.main(["--out", join(reports, "mine")])),
      /tiny there leads to .*outside/,
    );
    assert.equal(state.runs, 0, "the run must not start");
    assert.deepEqual([...Deno.readDirSync(outside)], []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("defineExperiment: --out naming a file, a path under a file or a read-only folder is refused before the run, in one line", async () => {
  const root = await Deno.makeTempDir({ prefix: "experiment-test-" });
  try {
    const state = { offset: 0, runs: 0 };
    const exp = tiny(root, state);
    const file = join(root, "a-file");
    await Deno.writeTextFile(file, "x");
    const cases: [string, RegExp][] = [
      [file, /^--out .*a-file: is a file, not a folder$/],
      [join(file, "sub"), /^--out .*: .*a-file is a file, not a folder$/],
    ];
    const ro = await readOnlyFolder(root);
    if (ro !== null) {
      cases.push([join(ro, "out"), /^--out .*: cannot write in .*/]);
      if (ro !== "/sys") cases.push([ro, /^--out .*: cannot write in .*/]);
    }
    await Deno.mkdir(join(root, "blocked", "tiny.json"), { recursive: true });
    cases.push([
      join(root, "blocked"),
      /tiny\.json there is a folder, where the run writes a file/,
    ]);
    for (const [out, message] of cases) {
      await assert.rejects(
        () => quietly(() => exp.main(["--dim", "8", "--out", out])),
        (err: Error) => {
          assert.match(err.message, message);
          assert.ok(!err.message.includes("\n"), err.message);
          return true;
        },
      );
    }
    assert.equal(state.runs, 0, "the run must not start");
  } finally {
    if (Deno.uid() !== 0) {
      await Deno.chmod(join(root, "read-only"), 0o755).catch(() => {});
    }
    await Deno.remove(root, { recursive: true });
  }
});

const EXPERIMENT_MODULE = new URL("./experiment.ts", import.meta.url).href;
const COMMON_FLAGS_MODULE = new URL("./common_flags.ts", import.meta.url).href;
const CLI_MODULE = new URL("../cli.ts", import.meta.url).href;

/** A tiny experiment script for `deno run`: prints "RUN STARTED" when its run begins. */
function tinyScript(reportsDir: string): string {
  return `import { defineExperiment } from ${JSON.stringify(EXPERIMENT_MODULE)};
import { OUTPUT_FLAGS } from ${JSON.stringify(COMMON_FLAGS_MODULE)};
import { defineFlags } from ${JSON.stringify(CLI_MODULE)};
const exp = defineExperiment({
  name: "tiny", task: "exp:tiny", title: "t",
  document: { id: "t.txt", title: "T", published: {} },
  description: "d", flags: defineFlags({ ...OUTPUT_FLAGS }),
  tolerances: { default: 0 }, reportsDir: ${JSON.stringify(reportsDir)},
  run: () => { console.log("RUN STARTED"); throw new Error("must not run"); },
});
await exp.cli();
`;
}

Deno.test("defineExperiment under the tasks' permissions: --out reports/<link to outside> is refused at once with one line and exit 2", async () => {
  const root = await Deno.makeTempDir({ prefix: "experiment-perm-" });
  try {
    const outside = await Deno.makeTempDir({ prefix: "experiment-outside-" });
    await Deno.mkdir(join(root, "reports"));
    await Deno.mkdir(join(root, "data"));
    await Deno.symlink(outside, join(root, "reports", "link"));
    await Deno.writeTextFile(
      join(root, "main.ts"),
      tinyScript(join(root, "reports")),
    );
    for (const out of ["reports/link", "reports/link/sub", "/tmp"]) {
      const t0 = performance.now();
      const { code, stdout, stderr } = await new Deno.Command(
        Deno.execPath(),
        {
          args: [
            "run",
            "--no-check",
            "--config",
            fileURLToPath(new URL("../../deno.json", import.meta.url)),
            "--allow-read",
            "--allow-write=data,reports",
            "--allow-env",
            "main.ts",
            "--out",
            out,
          ],
          cwd: root,
          stdout: "piped",
          stderr: "piped",
        },
      ).output();
      const ms = performance.now() - t0;
      const err = new TextDecoder().decode(stderr).trim();
      assert.equal(code, 2, err);
      assert.equal(new TextDecoder().decode(stdout), "", "no work, no output");
      assert.equal(err.split("\n").length <= 2, true, err);
      assert.match(err, new RegExp(`^error: --out ${out}: `));
      assert.ok(ms < 10_000, `took ${ms} ms`);
    }
    assert.deepEqual([...Deno.readDirSync(outside)], []);
    await Deno.remove(outside, { recursive: true });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
