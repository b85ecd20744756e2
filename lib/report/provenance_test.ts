import assert from "node:assert/strict";
import type { DataSource } from "../data/load.ts";
import {
  dataFiles,
  datasetRecord,
  medianSeconds,
  stopwatch,
} from "./provenance.ts";

const zipSource: DataSource = {
  release: "ml-latest-small",
  path: "/home/me/movielens/ml-latest-small.zip",
  origin: "MOVIELENS_DIR",
  md5: "31a303aabbc519bd33d025e44d6c2570",
  sha256: "a".repeat(64),
  verified: true,
  files: [{
    name: "/home/me/movielens/ml-latest-small.zip:ml-latest-small/ratings.csv",
    sha256: "b".repeat(64),
    bytes: 10,
  }],
};

Deno.test("dataFiles lists the archive first and names files relative to the data folder", () => {
  assert.deepEqual(dataFiles(zipSource), [
    {
      name: "ml-latest-small.zip",
      sha256: "a".repeat(64),
      md5: "31a303aabbc519bd33d025e44d6c2570",
    },
    {
      name: "ml-latest-small.zip:ml-latest-small/ratings.csv",
      sha256: "b".repeat(64),
    },
  ]);
});

Deno.test("dataFiles does not repeat a ratings file that is itself the source", () => {
  const csv: DataSource = {
    ...zipSource,
    path: "/d/ratings.csv",
    files: [{
      name: "/d/ratings.csv",
      sha256: "c".repeat(64),
      md5: "d".repeat(32),
      bytes: 5,
    }],
  };
  assert.deepEqual(dataFiles(csv), [{
    name: "ratings.csv",
    sha256: "c".repeat(64),
    md5: "d".repeat(32),
  }]);
});

Deno.test("stopwatch records seconds per phase since the previous call", () => {
  let t = 1000;
  const timings: Record<string, number> = {};
  const clock = stopwatch(timings, () => t);
  t = 1250;
  clock("load");
  t = 3750.4;
  clock("fit");
  assert.deepEqual(timings, { load: 0.25, fit: 2.5 });
});

Deno.test("medianSeconds takes the median and rounds it to milliseconds", () => {
  assert.equal(medianSeconds([0.3, 0.1, 0.2]), 0.2);
  assert.equal(medianSeconds([0.1, 0.4, 0.2, 0.3]), 0.25);
  assert.equal(medianSeconds([1.23456]), 1.235);
});

Deno.test("datasetRecord names the release, the file and how it was found, the checksums and the counts", () => {
  const data = { nUsers: 3, nItems: 5, users: Int32Array.of(0, 1, 2, 2) };
  assert.deepEqual(datasetRecord(zipSource, data, "fallback"), {
    release: "ml-latest-small",
    source: "ml-latest-small.zip (found via MOVIELENS_DIR)",
    files: dataFiles(zipSource),
    counts: { users: 3, items: 5, ratings: 4 },
  });
  const own = datasetRecord(
    { ...zipSource, release: null },
    data,
    "mine.csv",
    "given with --ratings",
  );
  assert.equal(own.release, "mine.csv");
  assert.equal(own.source, "ml-latest-small.zip (given with --ratings)");
});
