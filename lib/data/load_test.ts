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
    archiveBytes: ZIP.length,
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
      members: {
        "movies.dat": { bytes: MOVIES_DAT.length, md5: "f".repeat(32) },
      },
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
    const release = {
      ...syntheticRelease(),
      md5: null,
      sha256: null,
      archiveBytes: undefined,
    };
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
      /bad\.csv:2: rating is not a number: a character other than a digit at column 5$/,
    );
    await Deno.writeFile(join(dir, "r.csv"), enc("1,2,3\n"));
    await assert.rejects(
      () => loadRatingsCsv(join(dir, "r.csv"), { ratingRange: [0.5, 2] }),
      /r\.csv:1: rating 3 is outside/,
    );
  });
});

Deno.test("loadRatingsCsv refuses a header naming the columns in another order instead of loading it transposed", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "swapped.csv");
    await Deno.writeFile(
      path,
      enc("movieId,userId,rating,timestamp\n31,1,2.5,9\n32,1,3,9\n"),
    );
    await assert.rejects(
      () => loadRatingsCsv(path),
      (e: unknown) =>
        e instanceof DataError && e.line === 1 &&
        /column 1 is "movieid", the item column/.test(e.message),
    );
  });
});

Deno.test("loadRatingsCsv refuses a directory, a FIFO and a device up front, in one line naming the path", async () => {
  await withTempDir(async (dir) => {
    const fifo = join(dir, "pipe.csv");
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert.ok(made.success, "mkfifo");
    const cases: [string, RegExp][] = [
      [dir, /is a directory, not a regular file/],
      [fifo, /is a FIFO \(named pipe\), not a regular file/],
      ["/dev/zero", /is a character device, not a regular file/],
    ];
    for (const [path, re] of cases) {
      // A FIFO opened for reading would block forever: the check comes first.
      await assert.rejects(() => loadRatingsCsv(path), (e: unknown) => {
        assert.ok(e instanceof DataError, String(e));
        assert.equal(e.file, path);
        assert.match(e.message, re);
        assert.ok(!e.message.includes("\n"));
        return true;
      });
    }
    await assert.rejects(
      () => loadRatingsCsv(join(dir, "x.csv"), { itemsPath: dir }),
      /file not found|is a directory/,
    );
  });
});

Deno.test("loadRatingsCsv refuses a file truncated or grown while it is read; the SHA-256 recorded is of the bytes parsed", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "big.csv");
    // ~ 9 MB: three 4 MiB chunks.
    const rows: string[] = [];
    for (let r = 0; r < 700_000; r++) rows.push(`${r % 1000},${r},3.5,${r}`);
    const text = enc(rows.join("\n") + "\n");
    for (
      const change of [
        () => Deno.truncate(path, 5_000_000),
        () => Deno.truncate(path, text.length - 100),
        async () => {
          const f = await Deno.open(path, { append: true });
          await f.write(enc("1,1,1,1\n"));
          f.close();
        },
      ]
    ) {
      await Deno.writeFile(path, text);
      let changed = false;
      await assert.rejects(
        () =>
          loadRatingsCsv(path, {
            onProgress: async () => {
              if (!changed) {
                changed = true;
                await change();
              }
            },
          }),
        (e: unknown) =>
          e instanceof DataError && e.file === path &&
          /changed while being read|grew while being read/.test(e.message),
      );
    }
    await Deno.writeFile(path, text);
    const ok = await loadRatingsCsv(path);
    assert.equal(ok.source.sha256, digestBytes(text).sha256);
    assert.equal(ok.data.users.length, 700_000);
  });
});

Deno.test("loadRatingsCsv keeps the last of repeated (user, item) rows and reports how many were dropped", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "dups.csv");
    await Deno.writeFile(
      path,
      enc("user,item,rating\n1,10,1\n2,10,2\n1,10,5\n1,11,3\n1,10,4\n"),
    );
    const { data, source } = await loadRatingsCsv(path);
    assert.deepEqual(source.duplicates, { policy: "keep-last", dropped: 2 });
    assert.equal(data.users.length, 3);
    // File order kept; user 1 / item 10 keeps its last rating, 4.
    assert.deepEqual([...data.ratings], [2, 3, 4]);
    assert.deepEqual([...data.userIds.raw], [1, 2]);
    const clean = join(dir, "clean.csv");
    await Deno.writeFile(clean, enc("1,10,1\n"));
    assert.deepEqual((await loadRatingsCsv(clean)).source.duplicates, {
      policy: "keep-last",
      dropped: 0,
    });
  });
});

Deno.test("loadRatingsCsv and loadMovieLens with timestamps: false keep every other array and no timestamps", async () => {
  await withTempDir(async (dir) => {
    // A repeated pair too, so the keep-last copy runs without timestamps.
    const path = join(dir, "r.csv");
    await Deno.writeFile(path, enc("1,10,1,5\n2,10,2,6\n1,10,5,7\n1,11,3,8\n"));
    const full = await loadRatingsCsv(path);
    const lean = await loadRatingsCsv(path, { timestamps: false });
    assert.deepEqual([...full.data.timestamps], [6, 7, 8]);
    assert.equal(lean.data.timestamps.length, 0);
    assert.deepEqual(lean.data.users, full.data.users);
    assert.deepEqual(lean.data.items, full.data.items);
    assert.deepEqual(lean.data.ratings, full.data.ratings);
    assert.equal(lean.source.sha256, full.source.sha256);
    assert.deepEqual(lean.source.duplicates, full.source.duplicates);

    await Deno.mkdir(join(dir, "ml-1m"));
    await Deno.writeFile(join(dir, "ml-1m/ratings.dat"), enc(RATINGS_DAT));
    await Deno.writeFile(join(dir, "ml-1m/movies.dat"), MOVIES_DAT);
    const plain = { ...syntheticRelease(), members: {} };
    const at = { dataDir: dir, envDir: null };
    const ml = await loadMovieLens(plain, at);
    const mlLean = await loadMovieLens(plain, { ...at, timestamps: false });
    assert.ok(ml.data.timestamps.length > 0);
    assert.equal(mlLean.data.timestamps.length, 0);
    assert.deepEqual(mlLean.data.users, ml.data.users);
    assert.deepEqual(mlLean.data.ratings, ml.data.ratings);
  });
});

Deno.test("loadMovieLens refuses repeated (user, item) rows in an unverified release copy", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "ml-1m"));
    await Deno.writeFile(
      join(dir, "ml-1m/ratings.dat"),
      enc(RATINGS_DAT + "1::661::4::978302200\n"),
    );
    await assert.rejects(
      () =>
        loadMovieLens({ ...syntheticRelease(), members: {} }, {
          dataDir: dir,
          envDir: null,
          items: false,
        }),
      (e: unknown) =>
        e instanceof DataError &&
        /1 rating rows repeat an earlier \(user, item\) pair \(e\.g\. user 1, item 661\)/
          .test(e.message),
    );
  });
});

Deno.test("loadMovieLens refuses a file named like the official archive whose size differs, before reading it", async () => {
  await withTempDir(async (dir) => {
    // A 64 MB sparse file: the registry knows ml-latest-small.zip is 978,202 bytes.
    const path = join(dir, "ml-latest-small.zip");
    const f = await Deno.create(path);
    await f.truncate(64 << 20);
    f.close();
    const t0 = performance.now();
    await assert.rejects(
      () => loadMovieLens("ml-latest-small", { dataDir: dir, envDir: null }),
      (e: unknown) =>
        e instanceof DataError && e.file === path &&
        /size mismatch: 67108864 bytes, expected 978202/.test(e.message),
    );
    assert.ok(performance.now() - t0 < 1000);
  });
});

Deno.test("loadMovieLens refuses a loose release file of the wrong size before parsing it", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "ml-100k"));
    // Well-formed rows, but not the published u.data (1,979,173 bytes).
    await Deno.writeFile(join(dir, "ml-100k/u.data"), enc("1\t2\t3\t4\n"));
    await assert.rejects(
      () => loadMovieLens("ml-100k", { dataDir: dir, envDir: null }),
      /u\.data: size mismatch: 8 bytes, expected 1979173/,
    );
  });
});

Deno.test("loadMovieLens refuses an archive member declaring another size than the registry's, before inflating", async () => {
  await withTempDir(async (dir) => {
    const ratings = enc("userId,movieId,rating,timestamp\n1,2,3,4\n");
    const zip = zipSync({ "ml-latest-small/ratings.csv": ratings });
    await Deno.writeFile(join(dir, "ml-latest-small-2016.zip"), zip);
    await assert.rejects(
      () =>
        loadMovieLens("ml-latest-small-2016", {
          dataDir: dir,
          envDir: null,
          items: false,
        }),
      /ratings\.csv: size mismatch: the archive declares 40 bytes, expected 2438266/,
    );
  });
});

Deno.test("loadRatingsCsv checks movies.csv is UTF-8, naming file and line", async () => {
  await withTempDir(async (dir) => {
    const ratings = join(dir, "r.csv");
    const movies = join(dir, "m.csv");
    await Deno.writeFile(ratings, enc("1,1,3\n"));
    await Deno.writeFile(
      movies,
      new Uint8Array([
        ...enc("movieId,title,genres\n1,Ok (1990),Drama\n2,Caf"),
        0xe9,
        ...enc(" (1995),Comedy\n"),
      ]),
    );
    await assert.rejects(
      () => loadRatingsCsv(ratings, { itemsPath: movies }),
      (e: unknown) =>
        e instanceof DataError && e.file === movies && e.line === 3 &&
        /not valid UTF-8/.test(e.message),
    );
  });
});
