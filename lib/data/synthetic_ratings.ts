/**
 * Writes a synthetic ratings CSV shaped like a MovieLens release (header
 * `userId,movieId,rating,timestamp`, rows grouped by ascending user and, within
 * a user, by ascending item id, as MovieLens' own `ratings.csv`; Unix-second
 * timestamps), for benchmarks and scale tests.
 *
 * - No (user, item) pair appears twice.
 * - Activity skew: every user rates at least `min(20, ⌊rows/users⌋)` items (as
 *   MovieLens keeps users with 20 ratings or more); the rest of the rows are
 *   shared out in proportion to log-normal weights (σ = 1.2, so the median user
 *   rates about half the mean), capped at `items` per user.
 * - Popularity skew: items are drawn with Zipf weights 1 / (rank + 50), which
 *   at ML-25M's shape gives the top item ≈ 0.3 % of all ratings and the least
 *   popular tens; ranks map to item ids in a seeded random order. A user whose
 *   draws keep hitting items they already rated (the heaviest raters) is
 *   completed with items taken uniformly from those not yet rated.
 * - Ratings: 3.5 + item effect + user effect + noise, rounded to halves in
 *   [0.5, 5] (or whole stars in [1, 5] when `halfStars` is false).
 *
 * Seeded: the same options give the same bytes.
 *
 * @module
 */

import { RandomState } from "../rng.ts";

/** Shape of the synthetic file. */
export interface SyntheticRatingsOptions {
  /** Number of rating rows, at most users × items. */
  readonly rows: number;
  /** Distinct users (ids 1..users); each gets at least one row when rows ≥ users. */
  readonly users: number;
  /** Item ids available (spread over 1..maxItemId); at most this many are rated. */
  readonly items: number;
  /** Largest item id (≥ items). */
  readonly maxItemId: number;
  /** Seed of the generator, an integer in [0, 2³²). */
  readonly seed: number;
  /** Half-star ratings 0.5–5 (default true) or whole stars 1–5. */
  readonly halfStars?: boolean;
  /** Line ending (default "\n"). */
  readonly eol?: "\n" | "\r\n";
}

/** A named release's shape: everything but the seed and line ending. */
export type SyntheticShape = Omit<SyntheticRatingsOptions, "seed" | "eol">;

/**
 * Shapes of the MovieLens releases (counts as lib/data/registry.ts states
 * them; ML-32M's rated-item count, 84,432, and the largest item ids are those
 * of the published files). User ids are 1..users without gaps.
 */
export const SYNTHETIC_SHAPES: Readonly<Record<string, SyntheticShape>> = {
  "ml-100k": {
    rows: 100_000,
    users: 943,
    items: 1_682,
    maxItemId: 1_682,
    halfStars: false,
  },
  "ml-1m": {
    rows: 1_000_209,
    users: 6_040,
    items: 3_706,
    maxItemId: 3_952,
    halfStars: false,
  },
  "ml-10m": {
    rows: 10_000_054,
    users: 69_878,
    items: 10_677,
    maxItemId: 65_133,
  },
  "ml-20m": {
    rows: 20_000_263,
    users: 138_493,
    items: 26_744,
    maxItemId: 131_262,
  },
  "ml-25m": {
    rows: 25_000_095,
    users: 162_541,
    items: 59_047,
    maxItemId: 209_171,
  },
  "ml-32m": {
    rows: 32_000_204,
    users: 200_948,
    items: 84_432,
    maxItemId: 292_757,
  },
};

/** The ML-25M shape: 25,000,095 ratings by 162,541 users of 59,047 of ids up to 209,171. */
export const ML_25M_SHAPE: SyntheticShape = SYNTHETIC_SHAPES["ml-25m"];

/**
 * The shape `shape` scaled down to `rows` ratings: users and items shrink by
 * the square root of the ratio (so the density grows as the file shrinks, as
 * between real releases), at least 1 user and 1 item, and `rows` is clipped to
 * users × items. Used by the scale benchmarks (1M, 5M ratings of ML-25M's
 * shape).
 */
export function scaledShape(
  shape: SyntheticShape,
  rows: number,
): SyntheticShape {
  if (rows >= shape.rows) return shape;
  const f = Math.sqrt(rows / shape.rows);
  const users = Math.max(1, Math.round(shape.users * f));
  const items = Math.max(1, Math.round(shape.items * f));
  return {
    ...shape,
    rows: Math.min(rows, users * items),
    users,
    items,
    maxItemId: Math.max(items, Math.round(shape.maxItemId * f)),
  };
}

/** Offset of the Zipf popularity weights 1 / (rank + ZIPF_OFFSET). */
const ZIPF_OFFSET = 50;
/** σ of the log-normal activity weights. */
const ACTIVITY_SIGMA = 1.2;
/** Ratings every user gets (MovieLens keeps users with at least 20). */
const MIN_PER_USER = 20;

/**
 * Ratings per user (length `users`, sum `rows`, each in [min, items]) from
 * log-normal weights drawn from `rng`.
 */
export function userActivity(
  rows: number,
  users: number,
  items: number,
  rng: RandomState,
): Int32Array {
  const counts = new Int32Array(users);
  if (users === 0) return counts;
  const min = Math.min(MIN_PER_USER, Math.floor(rows / users), items);
  const w = new Float64Array(users);
  let total = 0;
  for (let u = 0; u < users; u++) {
    w[u] = Math.exp(ACTIVITY_SIGMA * rng.standardNormal());
    total += w[u];
  }
  const extra = rows - min * users;
  let given = 0;
  for (let u = 0; u < users; u++) {
    counts[u] = Math.min(items, min + Math.floor((extra * w[u]) / total));
    given += counts[u];
  }
  // Hand out what flooring and the cap left over, one per user and pass,
  // heaviest users first (a deterministic order).
  const order = Int32Array.from({ length: users }, (_, u) => u)
    .sort((a, b) => w[b] - w[a] || a - b);
  while (given < rows) {
    for (let j = 0; j < users && given < rows; j++) {
      const u = order[j];
      if (counts[u] < items) {
        counts[u]++;
        given++;
      }
    }
  }
  return counts;
}

/**
 * Writes the file to `path` in 8 MiB blocks and returns its size in bytes.
 * Throws a RangeError when the shape is impossible (rows > users × items,
 * maxItemId < items, …).
 *
 * @example
 * ```ts
 * import { writeSyntheticRatingsCsv } from "./synthetic_ratings.ts";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await writeSyntheticRatingsCsv(path, { rows: 10, users: 3, items: 5, maxItemId: 9, seed: 1 });
 * await Deno.remove(path);
 * ```
 */
export async function writeSyntheticRatingsCsv(
  path: string,
  options: SyntheticRatingsOptions,
  onUsers?: (done: number) => void,
): Promise<number> {
  const { rows, users, items, maxItemId, seed } = options;
  const halfStars = options.halfStars ?? true;
  if (
    !(Number.isInteger(rows) && Number.isInteger(users) &&
      Number.isInteger(items) && Number.isInteger(maxItemId)) ||
    !(items >= 1 && maxItemId >= items && users >= 1 && rows >= 0) ||
    rows > users * items
  ) {
    throw new RangeError(
      `writeSyntheticRatingsCsv: bad shape ${JSON.stringify(options)}`,
    );
  }
  const eol = new TextEncoder().encode(options.eol ?? "\n");
  const rng = new RandomState(seed);

  // Item ids spread evenly over 1..maxItemId; popularity ranks map to them in
  // a seeded random order.
  const itemIds = new Int32Array(items);
  for (let k = 0; k < items; k++) {
    itemIds[k] = 1 +
      Math.floor((k * (maxItemId - 1)) / Math.max(1, items - 1));
  }
  const rankToItem = rng.permutation(items);
  // Cumulative Zipf weights over ranks, normalised to end at 1.
  const cdf = new Float64Array(items);
  let acc = 0;
  for (let r = 0; r < items; r++) {
    acc += 1 / (r + ZIPF_OFFSET);
    cdf[r] = acc;
  }
  for (let r = 0; r < items; r++) cdf[r] /= acc;
  cdf[items - 1] = 1;
  // Item effects on the rating: popular items rate a little higher.
  const itemEffect = new Float64Array(items);
  for (let r = 0; r < items; r++) {
    itemEffect[rankToItem[r]] = 0.5 * rng.standardNormal() +
      0.3 * (1 - r / Math.max(1, items - 1));
  }
  // A fixed random order of all items, for completing heavy users.
  const fillOrder = rng.permutation(items);
  const counts = userActivity(rows, users, items, rng);

  const BLOCK = 1 << 23;
  const buf = new Uint8Array(BLOCK + 256);
  let at = 0;
  let written = 0;
  using file = await Deno.open(path, {
    write: true,
    create: true,
    truncate: true,
  });
  const flush = async () => {
    let off = 0;
    while (off < at) off += await file.write(buf.subarray(off, at));
    written += at;
    at = 0;
  };
  const header = new TextEncoder().encode("userId,movieId,rating,timestamp");
  buf.set(header, 0);
  at = header.length;
  buf.set(eol, at);
  at += eol.length;

  const writeInt = (x: number) => {
    let digits = 1;
    for (let p = 10; p <= x; p *= 10) digits++;
    for (let k = digits - 1; k >= 0; k--) {
      buf[at + k] = 48 + (x % 10);
      x = Math.floor(x / 10);
    }
    at += digits;
  };

  // stamp[i] === u + 1 when user u already rated item index i.
  const stamp = new Int32Array(items);
  const chosen = new Int32Array(items);
  const T0 = 789_652_009, SPAN = 900_000_000;
  for (let u = 0; u < users; u++) {
    const count = counts[u];
    const mark = u + 1;
    let n = 0;
    const maxDraws = 4 * count + 64;
    for (let d = 0; d < maxDraws && n < count; d++) {
      const x = rng.randomSample();
      let lo = 0, hi = items - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] <= x) lo = mid + 1;
        else hi = mid;
      }
      const item = rankToItem[lo];
      if (stamp[item] !== mark) {
        stamp[item] = mark;
        chosen[n++] = item;
      }
    }
    if (n < count) {
      // Draws kept repeating: complete from the not-yet-rated items, uniformly.
      let j = rng.interval(items - 1);
      while (n < count) {
        const item = fillOrder[j];
        if (stamp[item] !== mark) {
          stamp[item] = mark;
          chosen[n++] = item;
        }
        j = j + 1 === items ? 0 : j + 1;
      }
    }
    const mine = chosen.subarray(0, count).sort();
    const userEffect = 0.4 * rng.standardNormal();
    const start = T0 + Math.floor(rng.randomSample() * SPAN);
    const span = Math.min(T0 + SPAN - start, 1 + rng.interval(63_072_000));
    for (let j = 0; j < count; j++) {
      const item = mine[j];
      const score = 3.5 + itemEffect[item] + userEffect +
        0.9 * rng.standardNormal();
      writeInt(u + 1);
      buf[at++] = 44;
      writeInt(itemIds[item]);
      buf[at++] = 44;
      if (halfStars) {
        const halves = Math.min(10, Math.max(1, Math.round(score * 2)));
        buf[at++] = 48 + (halves >> 1);
        buf[at++] = 46;
        buf[at++] = halves & 1 ? 53 : 48;
      } else {
        buf[at++] = 48 + Math.min(5, Math.max(1, Math.round(score)));
      }
      buf[at++] = 44;
      writeInt(start + Math.floor(rng.randomSample() * span));
      buf.set(eol, at);
      at += eol.length;
      if (at >= BLOCK) await flush();
    }
    if (onUsers !== undefined && (u + 1) % 4096 === 0) onUsers(u + 1);
  }
  await flush();
  onUsers?.(users);
  return written;
}
