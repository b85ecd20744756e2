import assert from "node:assert/strict";
import { digestFile } from "./checksum.ts";
import { parseRatings } from "./ratings_parser.ts";
import { writeSyntheticRatingsCsv } from "./synthetic_ratings.ts";

Deno.test("writeSyntheticRatingsCsv writes a parseable ML-shaped CSV, the same for the same seed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const shape = {
      rows: 5003,
      users: 100,
      items: 40,
      maxItemId: 1000,
      seed: 3,
    };
    const bytes = await writeSyntheticRatingsCsv(`${dir}/a.csv`, shape);
    await writeSyntheticRatingsCsv(`${dir}/b.csv`, shape);
    await writeSyntheticRatingsCsv(`${dir}/c.csv`, {
      ...shape,
      seed: 4,
      eol: "\r\n",
    });
    const a = await Deno.readFile(`${dir}/a.csv`);
    assert.equal(a.length, bytes);
    assert.equal(
      (await digestFile(`${dir}/a.csv`)).sha256,
      (await digestFile(`${dir}/b.csv`)).sha256,
    );
    assert.notEqual(
      (await digestFile(`${dir}/a.csv`)).sha256,
      (await digestFile(`${dir}/c.csv`)).sha256,
    );
    const raw = parseRatings(a, {
      file: "a.csv",
      separator: "csv",
      header: "required",
      ratingRange: [0.5, 5],
    });
    assert.equal(raw.n, 5003);
    assert.equal(new Set(raw.users).size, 100);
    assert.equal(raw.users[0], 1);
    assert.equal(raw.users[raw.n - 1], 100);
    assert.ok(raw.maxItem <= 1000);
    assert.ok(raw.ratings.every((r) => r * 2 === Math.round(r * 2)));
    const crlf = await Deno.readFile(`${dir}/c.csv`);
    assert.equal(
      parseRatings(crlf, {
        file: "c.csv",
        separator: "csv",
        header: "required",
        ratingRange: [0.5, 5],
      }).n,
      5003,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
