import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleResults } from "./_fixtures.ts";
import { serializeResults } from "./results.ts";
import { writeFileSet, writeReport } from "./write.ts";

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

Deno.test("writeReport failing on the second rename restores the first file and leaves no temp files", async () => {
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

Deno.test("writeReport with models writes them with the report, and a failure on the last file puts the report back", async () => {
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
