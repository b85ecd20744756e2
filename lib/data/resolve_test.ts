import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError } from "./data_error.ts";
import { RELEASES } from "./registry.ts";
import { findInDir, locateRelease } from "./resolve.ts";

const ML100K = RELEASES["ml-100k"];
const SMALL = RELEASES["ml-latest-small"];

/** A temp dir with `files` (relative paths) created empty; removed after `fn`. */
async function withTree(
  files: string[],
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    for (const f of files) {
      await Deno.mkdir(join(dir, f, ".."), { recursive: true });
      await Deno.writeFile(join(dir, f), new Uint8Array(0));
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("findInDir finds the official zip, the unpacked folder, or the folder itself", async () => {
  await withTree([
    "a/ml-latest-small.zip",
    "b/ml-100k/u.data",
    "c/u.data",
    "d/other.txt",
  ], async (dir) => {
    assert.deepEqual(await findInDir(SMALL, join(dir, "a"), "x"), {
      kind: "zip",
      path: join(dir, "a/ml-latest-small.zip"),
    });
    assert.deepEqual(await findInDir(ML100K, join(dir, "b"), "x"), {
      kind: "folder",
      path: join(dir, "b/ml-100k"),
    });
    assert.deepEqual(await findInDir(ML100K, join(dir, "c"), "x"), {
      kind: "folder",
      path: join(dir, "c"),
    });
    assert.equal(await findInDir(ML100K, join(dir, "d"), "x"), null);
    assert.deepEqual(
      await findInDir(SMALL, join(dir, "a/ml-latest-small.zip"), "x"),
      {
        kind: "zip",
        path: join(dir, "a/ml-latest-small.zip"),
      },
    );
  });
});

Deno.test("findInDir finds the 2016 latest-small only under its own folder name", async () => {
  await withTree([
    "ml-latest-small.zip",
    "ml-latest-small/ratings.csv",
    "ml-latest-small-2016/ratings.csv",
  ], async (dir) => {
    const hit = await findInDir(RELEASES["ml-latest-small-2016"], dir, "x");
    assert.deepEqual(hit, {
      kind: "folder",
      path: join(dir, "ml-latest-small-2016"),
    });
  });
});

Deno.test("locateRelease prefers --data-dir, then MOVIELENS_DIR, then the cache", async () => {
  await withTree([
    "opt/ml-100k/u.data",
    "env/ml-100k/u.data",
    "cache/ml-100k.zip",
    "empty/x",
  ], async (dir) => {
    const opt = join(dir, "opt"),
      env = join(dir, "env"),
      cacheDir = join(dir, "cache"),
      empty = join(dir, "empty");
    assert.equal(
      (await locateRelease(ML100K, { dataDir: opt, envDir: env, cacheDir }))
        .origin,
      "--data-dir",
    );
    assert.equal(
      (await locateRelease(ML100K, { envDir: env, cacheDir })).origin,
      "MOVIELENS_DIR",
    );
    assert.equal(
      (await locateRelease(ML100K, { dataDir: empty, envDir: env, cacheDir }))
        .origin,
      "MOVIELENS_DIR",
    );
    const cached = await locateRelease(ML100K, {
      dataDir: empty,
      envDir: null,
      cacheDir,
    });
    assert.deepEqual(cached, {
      kind: "zip",
      path: join(cacheDir, "ml-100k.zip"),
      origin: "cache",
    });
  });
});

Deno.test("locateRelease errors name a missing --data-dir and list every place searched", async () => {
  await withTree(["empty/x"], async (dir) => {
    await assert.rejects(
      () =>
        locateRelease(ML100K, {
          dataDir: join(dir, "nope"),
          envDir: null,
          cacheDir: dir,
        }),
      (e: unknown) =>
        e instanceof DataError && e.message.includes(join(dir, "nope")) &&
        /--data-dir/.test(e.message),
    );
    await assert.rejects(
      () => locateRelease(ML100K, { envDir: join(dir, "gone"), cacheDir: dir }),
      /MOVIELENS_DIR names a directory that does not exist/,
    );
    await assert.rejects(
      () =>
        locateRelease(ML100K, {
          dataDir: join(dir, "empty"),
          envDir: null,
          cacheDir: join(dir, "c"),
          download: false,
        }),
      (e: unknown) =>
        e instanceof DataError && e.message.includes(join(dir, "empty")) &&
        e.message.includes(join(dir, "c")) &&
        /ml-100k\.zip/.test(e.message),
    );
    await assert.rejects(
      () =>
        locateRelease(RELEASES["ml-latest-small-2016"], {
          envDir: null,
          cacheDir: join(dir, "c"),
        }),
      (e: unknown) =>
        e instanceof DataError && /no longer serves/.test(e.message) &&
        /--data-dir/.test(e.message),
    );
  });
});
