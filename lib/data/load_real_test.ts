/**
 * Tests on the real MovieLens files in the folder named by `MOVIELENS_DIR`.
 * When it is unset or missing they fail under CI (env `CI` set) and are
 * ignored elsewhere.
 * Reference values were computed once with numpy from the same files.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError } from "./data_error.ts";
import { loadMovieLens, type LoadOptions } from "./load.ts";
import { movieLensTestDir } from "./test_data_dir.ts";

const FOUND = movieLensTestDir();
const ignore = FOUND === null;
const DATA_DIR = FOUND ?? "";
/** As if MOVIELENS_DIR named DATA_DIR; never downloads. */
const OPTIONS: LoadOptions = {
  envDir: DATA_DIR,
  cacheDir: join(DATA_DIR, "no-cache-here"),
  download: false,
};

/** Sum of a typed array in float64. */
function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

Deno.test({
  name:
    "real data: ml-latest-small (2018) zip loads 610 users, 9,724 items, 100,836 ratings",
  ignore,
  async fn() {
    const { data, source } = await loadMovieLens("ml-latest-small", OPTIONS);
    assert.equal(data.nUsers, 610);
    assert.equal(data.nItems, 9724);
    assert.equal(data.ratings.length, 100836);
    assert.equal(data.itemInfo.size, 9742);
    // First row of ratings.csv: 1,1,4.0,964982703.
    assert.equal(data.userIds.raw[data.users[0]], 1);
    assert.equal(data.itemIds.raw[data.items[0]], 1);
    assert.equal(data.ratings[0], 4);
    assert.equal(data.timestamps[0], 964982703);
    assert.equal(sum(data.ratings), 353083);
    assert.equal(sum(data.timestamps), 121602779665887);
    const u95 = data.userIds.toIndex.get(95)!;
    assert.equal(data.users.filter((u) => u === u95).length, 168);
    assert.equal(data.itemIds.raw[data.nItems - 1], 193609);
    const fg = data.itemInfo.get(356);
    assert.equal(fg?.title, "Forrest Gump (1994)");
    assert.equal(fg?.year, 1994);
    assert.equal(source.md5, "31a303aabbc519bd33d025e44d6c2570");
    assert.equal(
      source.sha256,
      "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436",
    );
    assert.equal(source.origin, "MOVIELENS_DIR");
    assert.ok(source.verified);
  },
});

Deno.test({
  name:
    "real data: ml-100k folder loads 943 users, 1,682 items, 100,000 ratings with Latin-1 titles",
  ignore,
  async fn() {
    const { data, source } = await loadMovieLens("ml-100k", OPTIONS);
    assert.equal(data.nUsers, 943);
    assert.equal(data.nItems, 1682);
    assert.equal(data.ratings.length, 100000);
    assert.equal(data.itemInfo.size, 1682);
    // First line of u.data: 196<TAB>242<TAB>3<TAB>881250949.
    assert.equal(data.userIds.raw[data.users[0]], 196);
    assert.equal(data.itemIds.raw[data.items[0]], 242);
    assert.equal(data.ratings[0], 3);
    assert.equal(data.timestamps[0], 881250949);
    assert.equal(sum(data.ratings), 352986);
    assert.equal(sum(data.timestamps), 88352885148862);
    assert.equal(data.itemInfo.get(543)?.title, "Misérables, Les (1995)");
    assert.deepEqual(data.itemInfo.get(69), {
      title: "Forrest Gump (1994)",
      genres: ["Comedy", "Romance", "War"],
      year: 1994,
    });
    assert.equal(source.md5, "6e47046882bad158b0efbb84cd5cb987");
    assert.ok(source.verified);
    assert.deepEqual(source.files.map((f) => f.name.split("/").pop()), [
      "u.data",
      "u.item",
      "u.genre",
    ]);
  },
});

Deno.test({
  name:
    "real data: ml-latest-small-2016 folder loads 671 users, 9,066 items, 100,004 ratings",
  ignore,
  async fn() {
    const { data, source } = await loadMovieLens(
      "ml-latest-small-2016",
      OPTIONS,
    );
    assert.equal(data.nUsers, 671);
    assert.equal(data.nItems, 9066);
    assert.equal(data.ratings.length, 100004);
    assert.equal(data.itemInfo.size, 9125);
    // First data row: 1,31,2.5,1260759144.
    assert.equal(data.userIds.raw[data.users[0]], 1);
    assert.equal(data.itemIds.raw[data.items[0]], 31);
    assert.equal(data.ratings[0], 2.5);
    assert.equal(data.timestamps[0], 1260759144);
    assert.equal(sum(data.ratings), 354375);
    assert.equal(sum(data.timestamps), 112968427250272);
    assert.equal(data.itemInfo.get(356)?.title, "Forrest Gump (1994)");
    assert.equal(source.md5, "8864480f98416ccecaf17aa5263bbea1");
    assert.ok(source.verified);
  },
});

Deno.test({
  name:
    "real data: a changed copy of ml-100k fails verification naming the file",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.mkdir(join(dir, "ml-100k"));
      for (const f of ["u.item", "u.genre"]) {
        await Deno.copyFile(
          join(DATA_DIR, "ml-100k", f),
          join(dir, "ml-100k", f),
        );
      }
      const uData = await Deno.readFile(join(DATA_DIR, "ml-100k", "u.data"));
      // Drop the last line (keeping its predecessor's newline).
      const cut = uData.lastIndexOf(10, uData.length - 2) + 1;
      await Deno.writeFile(
        join(dir, "ml-100k", "u.data"),
        uData.subarray(0, cut),
      );
      await assert.rejects(
        () =>
          loadMovieLens("ml-100k", {
            dataDir: dir,
            envDir: null,
            download: false,
          }),
        (e: unknown) =>
          e instanceof DataError && e.file === join(dir, "ml-100k", "u.data") &&
          // The size is known, so the cut copy is refused before it is read.
          /size mismatch: \d+ bytes, expected 1979173/.test(e.message),
      );
      // Same size, one digit changed: the MD5 catches it.
      const flipped = uData.slice();
      flipped[0] = flipped[0] === 0x31 ? 0x32 : 0x31;
      const sameSize = join(dir, "same");
      await Deno.mkdir(join(sameSize, "ml-100k"), { recursive: true });
      await Deno.writeFile(join(sameSize, "ml-100k", "u.data"), flipped);
      await assert.rejects(
        () =>
          loadMovieLens("ml-100k", {
            dataDir: sameSize,
            envDir: null,
            download: false,
            items: false,
          }),
        (e: unknown) =>
          e instanceof DataError &&
          e.file === join(sameSize, "ml-100k", "u.data") &&
          e.message.includes("6e47046882bad158b0efbb84cd5cb987"),
      );
      const unverified = await loadMovieLens("ml-100k", {
        dataDir: dir,
        envDir: null,
        download: false,
        verify: false,
      });
      assert.equal(unverified.data.ratings.length, 99999);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
