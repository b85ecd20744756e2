/**
 * Writes a synthetic ratings CSV shaped like a MovieLens release (header
 * `userId,movieId,rating,timestamp`, rows grouped by ascending user, ratings
 * 0.5–5 in halves, Unix-second timestamps), for benchmarks and scale tests.
 * Seeded: the same options give the same bytes.
 *
 * @module
 */

import { RandomState } from "../rng.ts";

/** Shape of the synthetic file. */
export interface SyntheticRatingsOptions {
  /** Number of rating rows. */
  readonly rows: number;
  /** Distinct users (ids 1..users); rows are spread evenly over them. */
  readonly users: number;
  /** Distinct item ids available (spread over 1..maxItemId, popularity-skewed). */
  readonly items: number;
  /** Largest item id (≥ items). */
  readonly maxItemId: number;
  /** Seed of the generator. */
  readonly seed: number;
  /** Line ending (default "\n"). */
  readonly eol?: "\n" | "\r\n";
}

/** The ML-25M shape: 25,000,095 ratings by 162,541 users of 59,047 of ids up to 209,171. */
export const ML_25M_SHAPE: Omit<SyntheticRatingsOptions, "seed"> = {
  rows: 25_000_095,
  users: 162_541,
  items: 59_047,
  maxItemId: 209_171,
};

/**
 * Writes the file to `path` in 8 MiB blocks and returns its size in bytes.
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
): Promise<number> {
  const { rows, users, items, maxItemId, seed } = options;
  if (!(items >= 1 && maxItemId >= items && users >= 1 && rows >= 0)) {
    throw new RangeError(
      `writeSyntheticRatingsCsv: bad shape ${JSON.stringify(options)}`,
    );
  }
  const eol = new TextEncoder().encode(options.eol ?? "\n");
  const rng = new RandomState(seed);
  // Item ids spread evenly over 1..maxItemId.
  const itemIds = new Int32Array(items);
  for (let k = 0; k < items; k++) {
    itemIds[k] = 1 + Math.floor((k * (maxItemId - 1)) / Math.max(1, items - 1));
  }

  const BLOCK = 1 << 23;
  const buf = new Uint8Array(BLOCK + 64);
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
  const base = Math.floor(rows / users);
  const extra = rows - base * users;
  for (let u = 1; u <= users; u++) {
    const count = base + (u <= extra ? 1 : 0);
    for (let j = 0; j < count; j++) {
      const x = rng.nextUint32() / 4294967296;
      const item = itemIds[Math.floor(x * x * items)];
      const halves = 1 + (rng.nextUint32() % 10);
      const ts = 789_652_009 + (rng.nextUint32() % 785_000_000);
      writeInt(u);
      buf[at++] = 44;
      writeInt(item);
      buf[at++] = 44;
      buf[at++] = 48 + (halves >> 1);
      buf[at++] = 46;
      buf[at++] = halves & 1 ? 53 : 48;
      buf[at++] = 44;
      writeInt(ts);
      buf.set(eol, at);
      at += eol.length;
      if (at >= BLOCK) await flush();
    }
  }
  await flush();
  return written;
}
