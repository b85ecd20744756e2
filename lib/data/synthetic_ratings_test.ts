import assert from "node:assert/strict";
import { digestFile } from "./checksum.ts";
import { parseRatings } from "./ratings_parser.ts";
import { RandomState } from "../rng.ts";
import {
  scaledShape,
  SYNTHETIC_SHAPES,
  userActivity,
  writeSyntheticRatingsCsv,
} from "./synthetic_ratings.ts";

const parse = (bytes: Uint8Array, halves = true) =>
  parseRatings(bytes, {
    file: "x.csv",
    separator: "csv",
    header: "required",
    ratingRange: halves ? [0.5, 5] : [1, 5],
  });

Deno.test("writeSyntheticRatingsCsv writes a parseable ML-shaped CSV, the same bytes for the same options", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const shape = { rows: 3003, users: 100, items: 40, maxItemId: 1000 };
    const bytes = await writeSyntheticRatingsCsv(`${dir}/a.csv`, {
      ...shape,
      seed: 3,
    });
    await writeSyntheticRatingsCsv(`${dir}/b.csv`, { ...shape, seed: 3 });
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
    const raw = parse(a);
    assert.equal(raw.n, 3003);
    assert.equal(new Set(raw.users).size, 100);
    assert.equal(raw.users[0], 1);
    assert.equal(raw.users[raw.n - 1], 100);
    assert.ok(raw.maxItem <= 1000);
    assert.ok(raw.ratings.every((r) => r * 2 === Math.round(r * 2)));
    assert.equal(parse(await Deno.readFile(`${dir}/c.csv`)).n, 3003);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeSyntheticRatingsCsv never repeats a (user, item) pair, sorts items within a user, even when users rate almost every item", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // 95 % dense: the heaviest users must be completed past the Zipf draws.
    for (
      const shape of [
        { rows: 3800, users: 100, items: 40, maxItemId: 40, seed: 1 },
        { rows: 60_000, users: 600, items: 2000, maxItemId: 5000, seed: 9 },
      ]
    ) {
      await writeSyntheticRatingsCsv(`${dir}/d.csv`, shape);
      const raw = parse(await Deno.readFile(`${dir}/d.csv`));
      assert.equal(raw.n, shape.rows);
      const pairs = new Set<number>();
      for (let r = 0; r < raw.n; r++) {
        pairs.add(raw.users[r] * 1e6 + raw.items[r]);
        if (r > 0 && raw.users[r] === raw.users[r - 1]) {
          assert.ok(raw.items[r] > raw.items[r - 1], `row ${r} not sorted`);
        }
      }
      assert.equal(pairs.size, shape.rows);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeSyntheticRatingsCsv skews popularity and activity like MovieLens (ml-100k shape)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSyntheticRatingsCsv(`${dir}/m.csv`, {
      ...SYNTHETIC_SHAPES["ml-100k"],
      seed: 0,
    });
    const raw = parse(await Deno.readFile(`${dir}/m.csv`), false);
    assert.equal(raw.n, 100_000);
    assert.ok(raw.ratings.every((r) => Number.isInteger(r)));
    const perItem = new Map<number, number>(),
      perUser = new Map<number, number>();
    for (let r = 0; r < raw.n; r++) {
      perItem.set(raw.items[r], (perItem.get(raw.items[r]) ?? 0) + 1);
      perUser.set(raw.users[r], (perUser.get(raw.users[r]) ?? 0) + 1);
    }
    const items = [...perItem.values()].sort((a, b) => b - a);
    const users = [...perUser.values()].sort((a, b) => a - b);
    // Real ml-100k: top item 583 ratings, users 20…737 with median 65.
    assert.ok(items[0] > 300 && items[0] <= 943, `top item ${items[0]}`);
    assert.ok(items.at(-1)! < 40, `least rated item ${items.at(-1)}`);
    assert.equal(users[0], 20);
    const median = users[users.length >> 1];
    const mean = 100_000 / 943;
    assert.ok(median < 0.8 * mean, `median ${median}, mean ${mean}`);
    assert.ok(users.at(-1)! > 4 * mean, `max ${users.at(-1)}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeSyntheticRatingsCsv rejects impossible shapes", async () => {
  await assert.rejects(
    writeSyntheticRatingsCsv("/nonexistent/x.csv", {
      rows: 11,
      users: 2,
      items: 5,
      maxItemId: 5,
      seed: 0,
    }),
    RangeError,
  );
});

Deno.test("userActivity sums to rows and keeps every user in [min, items]", () => {
  const c = userActivity(10_000, 300, 200, new RandomState(2));
  assert.equal(c.reduce((a, b) => a + b, 0), 10_000);
  assert.ok(c.every((x) => x >= 20 && x <= 200));
});

Deno.test("scaledShape shrinks users and items by the square root and keeps big shapes", () => {
  const s = scaledShape(SYNTHETIC_SHAPES["ml-25m"], 1_000_000);
  assert.equal(s.rows, 1_000_000);
  assert.equal(s.users, Math.round(162_541 * Math.sqrt(0.04)));
  assert.equal(s.items, Math.round(59_047 * Math.sqrt(0.04)));
  assert.equal(
    scaledShape(SYNTHETIC_SHAPES["ml-1m"], 5e6),
    SYNTHETIC_SHAPES["ml-1m"],
  );
});
