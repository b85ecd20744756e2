import assert from "node:assert/strict";
import { join } from "node:path";
import { zipSync } from "fflate";
import { digestBytes } from "./checksum.ts";
import { DataError } from "./data_error.ts";
import { loadMovieLens, loadRatingsCsv } from "./load.ts";
import { type MovieLensRelease, RELEASES } from "./registry.ts";

const enc = (s: string) => new TextEncoder().encode(s);

// An ML-1M-shaped archive: ratings.dat with "::", movies.dat in Latin-1.
const RATINGS_DAT =
  "1::1193::5::978300760\n1::661::3::978302109\n6040::1193::4::956703932\n" +
  "6040::2::1::956703954\n23::661::2::978302109\n";
const MOVIES_DAT = new Uint8Array([
  ...enc(
    "2::Jumanji (1995)::Adventure|Children's|Fantasy\n661::James and the Giant Peach (1996)::Animation\n",
  ),
  ...enc("1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n3::Caf"),
  0xe9,
  ...enc(" Society (1995)::Comedy\n"),
]);
const ZIP = zipSync({
  "ml-1m/ratings.dat": enc(RATINGS_DAT),
  "ml-1m/movies.dat": MOVIES_DAT,
  "ml-1m/README": enc("synthetic"),
});
const ZIP_DIGESTS = digestBytes(ZIP);

/** The ml-1m registry entry, re-pointed at the synthetic archive. */
function syntheticRelease(url: string | null = null): MovieLensRelease {
  return {
    ...RELEASES["ml-1m"],
    url,
    md5: ZIP_DIGESTS.md5!,
    sha256: ZIP_DIGESTS.sha256,
  };
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function checkSyntheticData(
  data: Awaited<ReturnType<typeof loadMovieLens>>["data"],
) {
  assert.equal(data.nUsers, 3);
  assert.equal(data.nItems, 3);
  assert.deepEqual([...data.userIds.raw], [1, 23, 6040]);
  assert.deepEqual([...data.itemIds.raw], [2, 661, 1193]);
  assert.deepEqual([...data.users], [0, 0, 2, 2, 1]);
  assert.deepEqual([...data.items], [2, 1, 2, 0, 1]);
  assert.deepEqual([...data.ratings], [5, 3, 4, 1, 2]);
  assert.equal(data.timestamps[2], 956703932);
  assert.equal(data.itemInfo.size, 4);
  assert.equal(data.itemInfo.get(3)?.title, "Café Society (1995)");
  assert.deepEqual(data.itemInfo.get(2)?.genres, [
    "Adventure",
    "Children's",
    "Fantasy",
  ]);
  assert.equal(data.itemInfo.get(1193)?.year, 1975);
}

Deno.test("loadMovieLens downloads a synthetic ML-1M zip from 127.0.0.1, verifies it, then reads the cache", async () => {
  await withTempDir(async (cacheDir) => {
    let hits = 0;
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => {
        hits++;
        return new Response(ZIP);
      },
    );
    try {
      const release = syntheticRelease(
        `http://127.0.0.1:${server.addr.port}/ml-1m.zip`,
      );
      const first = await loadMovieLens(release, { cacheDir, envDir: null });
      checkSyntheticData(first.data);
      assert.equal(first.source.origin, "download");
      assert.equal(first.source.release, "ml-1m");
      assert.equal(first.source.md5, ZIP_DIGESTS.md5);
      assert.equal(first.source.sha256, ZIP_DIGESTS.sha256);
      assert.equal(first.source.verified, true);
      assert.deepEqual(first.source.files.map((f) => f.name), [
        `${cacheDir}/ml-1m.zip:ml-1m/ratings.dat`,
        `${cacheDir}/ml-1m.zip:ml-1m/movies.dat`,
      ]);
      assert.equal(
        first.source.files[0].sha256,
        digestBytes(enc(RATINGS_DAT)).sha256,
      );
      const second = await loadMovieLens(release, { cacheDir, envDir: null });
      assert.equal(second.source.origin, "cache");
      checkSyntheticData(second.data);
      assert.equal(hits, 1);
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("loadMovieLens rejects a local zip whose MD5 differs from the registry entry", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(join(dir, "ml-1m.zip"), ZIP);
    const release = {
      ...syntheticRelease(),
      md5: "0123456789abcdef0123456789abcdef",
      sha256: null,
    };
    await assert.rejects(
      () => loadMovieLens(release, { dataDir: dir, envDir: null }),
      (e: unknown) =>
        e instanceof DataError && e.message.includes(join(dir, "ml-1m.zip")) &&
        e.message.includes("0123456789abcdef0123456789abcdef") &&
        e.message.includes(ZIP_DIGESTS.md5!),
    );
    const skipped = await loadMovieLens(release, {
      dataDir: dir,
      envDir: null,
      verify: false,
    });
    checkSyntheticData(skipped.data);
    assert.equal(skipped.source.verified, false);
  });
});

Deno.test("loadMovieLens reads an unpacked folder and verifies its files against the registry", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "ml-1m"));
    await Deno.writeFile(join(dir, "ml-1m/ratings.dat"), enc(RATINGS_DAT));
    await Deno.writeFile(join(dir, "ml-1m/movies.dat"), MOVIES_DAT);
    const plain = { ...syntheticRelease(), members: {} };
    const ok = await loadMovieLens(plain, { dataDir: dir, envDir: null });
    checkSyntheticData(ok.data);
    assert.equal(ok.source.path, join(dir, "ml-1m"));
    assert.equal(ok.source.md5, digestBytes(enc(RATINGS_DAT)).md5);
    assert.equal(ok.source.verified, false);
    const d = digestBytes(enc(RATINGS_DAT));
    const good = {
      ...plain,
      members: {
        "ratings.dat": { bytes: d.bytes, md5: d.md5!, sha256: d.sha256 },
      },
    };
    assert.equal(
      (await loadMovieLens(good, { dataDir: dir, envDir: null })).source
        .verified,
      true,
    );
    const bad = {
      ...plain,
      members: { "movies.dat": { bytes: 10, md5: "f".repeat(32) } },
    };
    await assert.rejects(
      () => loadMovieLens(bad, { dataDir: dir, envDir: null }),
      (e: unknown) =>
        e instanceof DataError &&
        e.message.includes(join(dir, "ml-1m/movies.dat")) &&
        e.message.includes("f".repeat(32)),
    );
  });
});

Deno.test("loadMovieLens errors: a zip without the ratings member, a truncated zip, a bad row", async () => {
  await withTempDir(async (dir) => {
    const release = { ...syntheticRelease(), md5: null, sha256: null };
    await Deno.writeFile(
      join(dir, "ml-1m.zip"),
      zipSync({ "ml-1m/README": enc("x") }),
    );
    await assert.rejects(
      () => loadMovieLens(release, { dataDir: dir, envDir: null }),
      /no member ml-1m\/ratings\.dat/,
    );
    await Deno.writeFile(
      join(dir, "ml-1m.zip"),
      ZIP.subarray(0, ZIP.length - 30),
    );
    await assert.rejects(
      () => loadMovieLens(release, { dataDir: dir, envDir: null }),
      (e: unknown) =>
        e instanceof DataError && e.message.includes(join(dir, "ml-1m.zip")) &&
        /truncated/.test(e.message),
    );
    await Deno.writeFile(
      join(dir, "ml-1m.zip"),
      zipSync({ "ml-1m/ratings.dat": enc("1::2::5::3\n1::2::6::3\n") }),
    );
    await assert.rejects(
      () =>
        loadMovieLens(release, { dataDir: dir, envDir: null, items: false }),
      (e: unknown) =>
        e instanceof DataError &&
        e.file === `${join(dir, "ml-1m.zip")}:ml-1m/ratings.dat` &&
        e.line === 2 &&
        /rating 6 is outside the valid range \[1, 5\]/.test(e.message),
    );
  });
});

Deno.test("loadMovieLens of a release that is nowhere, with downloads off, says where it looked", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(
      () =>
        loadMovieLens("ml-25m", {
          dataDir: dir,
          envDir: null,
          cacheDir: join(dir, "cache"),
          download: false,
        }),
      (e: unknown) =>
        e instanceof DataError && e.message.includes(dir) &&
        /ml-25m\.zip/.test(e.message),
    );
  });
});

Deno.test("loadRatingsCsv reads a user's CSV (header optional) with movies.csv titles", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "mine.csv");
    await Deno.writeFile(
      path,
      enc("user,item,rating\r\n10,356,4.5\r\n3,356,3\r\n3,1,5\r\n"),
    );
    const items = join(dir, "movies.csv");
    await Deno.writeFile(
      items,
      enc(
        'movieId,title,genres\n356,Forrest Gump (1994),Drama\n1,"Toy Story, The (1995)",Animation\n',
      ),
    );
    const { data, source } = await loadRatingsCsv(path, { itemsPath: items });
    assert.deepEqual([...data.userIds.raw], [3, 10]);
    assert.deepEqual([...data.users], [1, 0, 0]);
    assert.deepEqual([...data.items], [1, 1, 0]);
    assert.deepEqual([...data.ratings], [4.5, 3, 5]);
    assert.equal(data.itemInfo.get(1)?.title, "Toy Story, The (1995)");
    assert.equal(source.release, null);
    assert.equal(source.path, path);
    assert.equal(source.md5, digestBytes(await Deno.readFile(path)).md5);
    assert.equal(source.files.length, 2);
    const noHeader = join(dir, "plain.csv");
    await Deno.writeFile(noHeader, enc("1,2,3,100\n"));
    assert.equal((await loadRatingsCsv(noHeader)).data.timestamps[0], 100);
  });
});

Deno.test("loadRatingsCsv errors: missing file, empty file, bad rating, custom range", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(
      () => loadRatingsCsv(join(dir, "none.csv")),
      /none\.csv: file not found/,
    );
    await Deno.writeFile(join(dir, "empty.csv"), new Uint8Array(0));
    await assert.rejects(
      () => loadRatingsCsv(join(dir, "empty.csv")),
      /empty\.csv: empty file/,
    );
    await Deno.writeFile(join(dir, "bad.csv"), enc("1,2,3\n1,2,good\n"));
    await assert.rejects(
      () => loadRatingsCsv(join(dir, "bad.csv")),
      /bad\.csv:2: rating "good" is not a number/,
    );
    await Deno.writeFile(join(dir, "r.csv"), enc("1,2,3\n"));
    await assert.rejects(
      () => loadRatingsCsv(join(dir, "r.csv"), { ratingRange: [0.5, 2] }),
      /r\.csv:1: rating 3 is outside/,
    );
  });
});
