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
    const cached = await locateRelease(ML100K, { envDir: null, cacheDir });
    assert.deepEqual(cached, {
      kind: "zip",
      path: join(cacheDir, "ml-100k.zip"),
      origin: "cache",
    });
    // A named directory is final: no falling through to MOVIELENS_DIR or the cache.
    await assert.rejects(
      () => locateRelease(ML100K, { dataDir: empty, envDir: env, cacheDir }),
      (e: unknown) => e instanceof DataError && e.file === empty,
    );
  });
});

Deno.test("locateRelease: a --data-dir or MOVIELENS_DIR without the release is an error naming it and what was looked for, never a download", async () => {
  await withTree(["named/other.txt", "cache/x"], async (dir) => {
    const named = join(dir, "named"), cacheDir = join(dir, "cache");
    // Were a download attempted, it would fail on this refused port instead.
    const url = "http://127.0.0.1:9/ml-100k.zip";
    const oneLine = (e: unknown) =>
      e instanceof DataError && e.file === named && !e.message.includes("\n");
    await assert.rejects(
      () =>
        locateRelease(ML100K, { dataDir: named, envDir: null, cacheDir, url }),
      (e: unknown) =>
        oneLine(e) &&
        (e as Error).message ===
          `${named}: --data-dir names a directory without ml-100k: looked there for ` +
            "ml-100k.zip, ml-100k/u.data or u.data; without --data-dir it would be " +
            "read from data/ or downloaded there from GroupLens",
    );
    await assert.rejects(
      () =>
        locateRelease(ML100K, {
          dataDir: named,
          envDir: cacheDir,
          cacheDir,
          url,
        }),
      (e: unknown) =>
        oneLine(e) &&
        /without --data-dir and with MOVIELENS_DIR unset it would be read from data\//
          .test((e as Error).message),
    );
    await assert.rejects(
      () => locateRelease(ML100K, { envDir: named, cacheDir, url }),
      (e: unknown) =>
        oneLine(e) &&
        /^[^:]+: MOVIELENS_DIR names a directory without ml-100k: looked there for ml-100k\.zip, ml-100k\/u\.data or u\.data; with MOVIELENS_DIR unset it would be read from data\/ or downloaded there/
          .test((e as Error).message),
    );
    await assert.rejects(
      () =>
        locateRelease(ML100K, {
          dataDir: named,
          envDir: null,
          cacheDir,
          download: false,
        }),
      (e: unknown) =>
        oneLine(e) && /downloads are off here$/.test((e as Error).message),
    );
    assert.deepEqual([...Deno.readDirSync(cacheDir)].map((e) => e.name), ["x"]);
  });
});

Deno.test("locateRelease of the withdrawn 2016 latest-small says what to find and how to check it, from the registry", async () => {
  const release = RELEASES["ml-latest-small-2016"];
  const ratings = release.members["ratings.csv"];
  await withTree(["named/ml-latest-small.zip"], async (dir) => {
    const named = join(dir, "named");
    for (
      const options of [
        { dataDir: named, envDir: null, cacheDir: dir },
        { envDir: null, cacheDir: join(dir, "c") },
      ]
    ) {
      await assert.rejects(
        () => locateRelease(release, options),
        (e: unknown) => {
          const m = (e as Error).message;
          assert.ok(e instanceof DataError, m);
          assert.ok(!m.includes("\n"), m);
          assert.match(m, /no longer serves the 2016 ml-latest-small/);
          assert.match(
            m,
            /find an archived copy of the ml-latest-small\.zip of that time/,
          );
          assert.ok(m.includes(`MD5 ${ratings.md5}`), m);
          assert.ok(m.includes(`SHA-256 ${ratings.sha256}`), m);
          assert.match(
            m,
            /as ml-latest-small-2016\.zip, or unpacked with its ml-latest-small\/ folder renamed ml-latest-small-2016\//,
          );
          assert.doesNotMatch(
            m,
            /https?:\/\/(?!files\.grouplens\.org\/datasets\/movielens\/ml-latest-small\.zip)/,
          );
          if (options.dataDir) {
            assert.ok(m.includes(`save it in ${named} as`), m);
          }
          return true;
        },
      );
    }
  });
});

Deno.test("locateRelease errors name a missing --data-dir and list the places searched", async () => {
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
