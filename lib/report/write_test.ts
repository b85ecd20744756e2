import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleResults } from "./_fixtures.ts";
import { serializeResults } from "./results.ts";
import { writeReport } from "./write.ts";

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
