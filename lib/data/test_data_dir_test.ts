import assert from "node:assert/strict";
import { join } from "node:path";
import { benchDataDir } from "./test_data_dir.ts";

Deno.test("benchDataDir finds a release in MOVIELENS_DIR, else in data/, and never downloads", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bench-data-" });
  try {
    const env = join(dir, "env"), cache = join(dir, "cache");
    await Deno.mkdir(join(env, "ml-100k"), { recursive: true });
    await Deno.writeFile(join(env, "ml-100k", "u.data"), new Uint8Array(0));
    await Deno.mkdir(cache);
    await Deno.writeFile(join(cache, "ml-latest-small.zip"), new Uint8Array(0));
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    assert.equal(
      await benchDataDir("ml-100k", "b", { envDir: env, cacheDir: cache }, log),
      join(env, "ml-100k"),
    );
    assert.equal(
      await benchDataDir(
        "ml-latest-small",
        "b",
        { envDir: null, cacheDir: cache },
        log,
      ),
      join(cache, "ml-latest-small.zip"),
    );
    assert.deepEqual(lines, []);
    assert.deepEqual([...Deno.readDirSync(cache)].map((e) => e.name), [
      "ml-latest-small.zip",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("benchDataDir without the release prints one line naming the bench and MOVIELENS_DIR, and returns null", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bench-data-" });
  try {
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    assert.equal(
      await benchDataDir(
        "ml-100k",
        "als_bench",
        { envDir: join(dir, "gone"), cacheDir: dir },
        log,
      ),
      null,
    );
    assert.equal(
      await benchDataDir(
        "ml-latest-small-2016",
        "svd_bench",
        { envDir: null, cacheDir: dir },
        log,
      ),
      null,
    );
    assert.deepEqual(lines, [
      `als_bench: skipped, no ml-100k in MOVIELENS_DIR=${
        join(dir, "gone")
      }; set MOVIELENS_DIR to a folder holding ml-100k.zip or ml-100k/`,
      `svd_bench: skipped, no ml-latest-small-2016 in ${dir} (MOVIELENS_DIR is unset); ` +
      "set MOVIELENS_DIR to a folder holding ml-latest-small-2016.zip or ml-latest-small-2016/",
    ]);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
