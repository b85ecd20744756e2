/**
 * A byte-level, streaming parser for numeric ratings files: ML-100K `u.data`
 * (tab-separated), ML-1M/10M `ratings.dat` (`::`-separated), MovieLens
 * `ratings.csv` and a user's own `user,item,rating[,timestamp]` CSV. Bytes
 * are pushed in chunks of any size (a line may straddle two chunks), so a
 * 600 MB file is never held whole; no string is made per line.
 *
 * Every malformed line is a `DataError` naming the file, the 1-based line
 * number, the field and its text.
 *
 * @module
 */

import { DataError } from "./data_error.ts";

/** Field separator of a ratings file: tab, `::` or comma. */
export type Separator = "tab" | "dat" | "csv";

/** How to parse one ratings file. */
export interface RatingsParserOptions {
  /** Path or `archive.zip:member`, used in error messages. */
  readonly file: string;
  readonly separator: Separator;
  /**
   * `required`: the first line is a header and is skipped; `optional`: the
   * first line is skipped when it starts with a letter, `_` or `"`; `none`.
   */
  readonly header: "required" | "optional" | "none";
  /** Whether the fourth field (Unix seconds) must be present (default true). */
  readonly requireTimestamp?: boolean;
  /** Inclusive [min, max] of valid ratings. */
  readonly ratingRange: readonly [number, number];
  /** Size of the whole input in bytes, when known; sizes the arrays up front. */
  readonly expectedBytes?: number;
}

/**
 * Parsed rows with raw (file) ids; row r is one rating. Arrays have length
 * `n` (they may be views over a slightly larger buffer).
 */
export interface RawRatings {
  readonly n: number;
  /** Raw user id per row (non-negative). */
  readonly users: Int32Array;
  /** Raw item id per row (non-negative). */
  readonly items: Int32Array;
  /** Rating per row, in stars. */
  readonly ratings: Float32Array;
  /** Unix seconds per row; 0 where the row had no timestamp. */
  readonly timestamps: Float64Array;
  /** Largest raw user id (−1 when n = 0). */
  readonly maxUser: number;
  /** Largest raw item id (−1 when n = 0). */
  readonly maxItem: number;
  /** Whether every row had a timestamp. */
  readonly allTimestamps: boolean;
}

const FIELD_NAMES = ["user id", "item id", "rating", "timestamp"] as const;
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
const MAX_ID = 2147483647;
const MAX_DIGITS = 15;

/**
 * Push parser: call `push` with consecutive chunks, then `finish` once.
 *
 * @example
 * ```ts
 * import { RatingsParser } from "./ratings_parser.ts";
 * const p = new RatingsParser({
 *   file: "r.csv", separator: "csv", header: "required", ratingRange: [0.5, 5],
 * });
 * p.push(new TextEncoder().encode("userId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n"));
 * const raw = p.finish();
 * if (raw.n !== 1 || raw.items[0] !== 31 || raw.ratings[0] !== 2.5) throw new Error();
 * ```
 */
export class RatingsParser {
  readonly #file: string;
  readonly #sep: number;
  readonly #dat: boolean;
  readonly #header: "required" | "optional" | "none";
  readonly #requireTs: boolean;
  readonly #min: number;
  readonly #max: number;
  readonly #expectedBytes: number;

  #users = new Int32Array(0);
  #items = new Int32Array(0);
  #ratings = new Float32Array(0);
  #timestamps = new Float64Array(0);
  #n = 0;
  #maxUser = -1;
  #maxItem = -1;
  #allTs = true;
  #bytesSeen = 0;
  #sized = false;

  // Parse state carried between chunks.
  #started = false;
  #inHeader = false;
  #line = 1;
  #field = 0;
  #acc = 0;
  #nd = 0;
  #frac = -1;
  #neg = false;
  #colon = false;
  #crAtEnd = false;
  #rowU = 0;
  #rowI = 0;
  #rowR = 0;
  /** Start of the current line from earlier chunks, for error messages. */
  #carry: Uint8Array[] = [];
  #finished = false;

  constructor(options: RatingsParserOptions) {
    this.#file = options.file;
    this.#sep = options.separator === "tab"
      ? 9
      : options.separator === "dat"
      ? 58
      : 44;
    this.#dat = options.separator === "dat";
    this.#header = options.header;
    this.#requireTs = options.requireTimestamp ?? true;
    [this.#min, this.#max] = options.ratingRange;
    this.#expectedBytes = options.expectedBytes ?? 0;
    this.#grow(1 << 16);
  }

  /** Parses the next chunk (not retained after the call). */
  push(chunk: Uint8Array): void {
    if (this.#finished) throw new Error("RatingsParser.push after finish");
    let i = 0;
    const len = chunk.length;
    if (len === 0) return;
    if (this.#crAtEnd) {
      if (chunk[0] !== 10) {
        throw new DataError(
          this.#file,
          "stray carriage return (CR not followed by LF)",
          this.#line,
        );
      }
      this.#crAtEnd = false;
    }
    if (!this.#started) {
      this.#started = true;
      if (
        len >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf
      ) i = 3;
      const c = chunk[i];
      const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ||
        c === 95 || c === 34;
      if (this.#header === "required") {
        if (c >= 48 && c <= 57) {
          throw new DataError(
            this.#file,
            "expected a header line (userId,movieId,rating,timestamp) but the file starts with data",
            1,
          );
        }
        this.#inHeader = true;
      } else if (this.#header === "optional" && letter) {
        this.#inHeader = true;
      }
    }
    let lineStart = i;
    if (this.#inHeader) {
      while (i < len && chunk[i] !== 10) i++;
      if (i === len) {
        this.#bytesSeen += len;
        return;
      }
      this.#inHeader = false;
      this.#line++;
      i++;
      lineStart = i;
      this.#carry = [];
    }

    const sep = this.#sep, dat = this.#dat, min = this.#min, max = this.#max;
    const requireTs = this.#requireTs;
    let users = this.#users,
      items = this.#items,
      ratings = this.#ratings,
      timestamps = this.#timestamps;
    let cap = users.length;
    let n = this.#n,
      line = this.#line,
      field = this.#field,
      acc = this.#acc,
      nd = this.#nd;
    let frac = this.#frac, neg = this.#neg, colon = this.#colon;
    let rowU = this.#rowU, rowI = this.#rowI, rowR = this.#rowR;
    let maxUser = this.#maxUser, maxItem = this.#maxItem, allTs = this.#allTs;

    for (; i < len; i++) {
      const c = chunk[i];
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        if (colon) break;
        acc = acc * 10 + d;
        nd++;
        if (frac >= 0) frac++;
        continue;
      }
      if (c === sep) {
        if (dat && !colon) {
          if (i + 1 < len && chunk[i + 1] !== 58) break;
          colon = true;
          continue;
        }
        colon = false;
        if (nd === 0 || nd > MAX_DIGITS) break;
        if (field === 0) {
          if (frac >= 0 || neg || acc > MAX_ID) break;
          rowU = acc;
        } else if (field === 1) {
          if (frac >= 0 || neg || acc > MAX_ID) break;
          rowI = acc;
        } else if (field === 2) {
          rowR = frac > 0 ? acc / POW10[frac] : acc;
          if (neg) rowR = -rowR;
        } else break;
        field++;
        acc = 0;
        nd = 0;
        frac = -1;
        neg = false;
        continue;
      }
      if (c === 10 || c === 13) {
        if (c === 13) {
          if (i + 1 < len) {
            if (chunk[i + 1] !== 10) break;
            continue;
          }
          this.#crAtEnd = true;
        }
        if (colon) break;
        if (field === 0 && nd === 0 && !neg && frac < 0) {
          // Blank line.
          if (c === 10) {
            line++;
            lineStart = i + 1;
          }
          continue;
        }
        if (nd === 0 || nd > MAX_DIGITS || field < 2) break;
        let ts = 0;
        if (field === 2) {
          if (requireTs) break;
          rowR = frac > 0 ? acc / POW10[frac] : acc;
          if (neg) rowR = -rowR;
          allTs = false;
        } else {
          if (frac >= 0 || neg) break;
          ts = acc;
        }
        if (!(rowR >= min && rowR <= max)) break;
        if (n === cap) {
          this.#n = n;
          this.#grow(Math.ceil(cap * 1.25) + 1024);
          users = this.#users;
          items = this.#items;
          ratings = this.#ratings;
          timestamps = this.#timestamps;
          cap = users.length;
        }
        users[n] = rowU;
        items[n] = rowI;
        ratings[n] = rowR;
        timestamps[n] = ts;
        n++;
        if (rowU > maxUser) maxUser = rowU;
        if (rowI > maxItem) maxItem = rowI;
        field = 0;
        acc = 0;
        nd = 0;
        frac = -1;
        neg = false;
        if (c === 10) {
          line++;
          lineStart = i + 1;
        } else {
          // A CR at the very end of the chunk ends this row; its LF arrives next.
          lineStart = len;
        }
        continue;
      }
      if (c === 46) {
        if (frac >= 0 || colon) break;
        frac = 0;
        continue;
      }
      if (c === 45) {
        if (nd > 0 || neg || frac >= 0 || colon) break;
        neg = true;
        continue;
      }
      break;
    }

    this.#n = n;
    this.#line = line;
    this.#field = field;
    this.#acc = acc;
    this.#nd = nd;
    this.#frac = frac;
    this.#neg = neg;
    this.#colon = colon;
    this.#rowU = rowU;
    this.#rowI = rowI;
    this.#rowR = rowR;
    this.#maxUser = maxUser;
    this.#maxItem = maxItem;
    this.#allTs = allTs;
    if (i < len) this.#fail(chunk, lineStart, i);
    if (this.#crAtEnd && lineStart === len) {
      // The row ended at a trailing CR; the LF that follows must not count as a blank line.
      this.#carry = [];
    } else if (lineStart === 0 && this.#carry.length > 0) {
      this.#carry.push(chunk.slice());
    } else {
      this.#carry = lineStart < len ? [chunk.slice(lineStart)] : [];
    }
    this.#bytesSeen += len;
    if (!this.#sized && this.#expectedBytes > 0 && n > 0) {
      this.#sized = true;
      const estimate =
        Math.ceil((this.#expectedBytes / this.#bytesSeen) * n * 1.02) + 1024;
      if (estimate > cap) this.#grow(estimate);
    }
  }

  /**
   * Ends the input (a last line without a newline is parsed) and returns the
   * rows, in arrays of exactly `n` elements.
   *
   * @throws {DataError} when the file has no rating rows or ends mid-line badly.
   */
  finish(): RawRatings {
    if (!this.#finished) {
      if (
        this.#inHeader || this.#field > 0 || this.#nd > 0 || this.#neg ||
        this.#frac >= 0
      ) {
        // Terminate the last line as if it ended with a newline.
        const wasHeader = this.#inHeader;
        this.#crAtEnd = false;
        this.push(new Uint8Array([10]));
        if (wasHeader) this.#line--;
      }
      this.#finished = true;
    }
    const n = this.#n;
    if (n === 0) {
      throw new DataError(
        this.#file,
        this.#bytesSeen === 0
          ? "empty file: no ratings"
          : "no rating rows (only a header or blank lines)",
      );
    }
    return {
      n,
      users: fit(this.#users, n),
      items: fit(this.#items, n),
      ratings: fit(this.#ratings, n),
      timestamps: fit(this.#timestamps, n),
      maxUser: this.#maxUser,
      maxItem: this.#maxItem,
      allTimestamps: this.#allTs,
    };
  }

  #grow(capacity: number): void {
    const n = this.#n;
    const users = new Int32Array(capacity);
    users.set(this.#users.subarray(0, n));
    this.#users = users;
    const items = new Int32Array(capacity);
    items.set(this.#items.subarray(0, n));
    this.#items = items;
    const ratings = new Float32Array(capacity);
    ratings.set(this.#ratings.subarray(0, n));
    this.#ratings = ratings;
    const timestamps = new Float64Array(capacity);
    timestamps.set(this.#timestamps.subarray(0, n));
    this.#timestamps = timestamps;
  }

  /** Rebuilds the offending line's text and throws a precise `DataError`. */
  #fail(chunk: Uint8Array, lineStart: number, at: number): never {
    let end = at;
    while (end < chunk.length && chunk[end] !== 10) end++;
    const head = lineStart === 0 ? this.#carry : [];
    const parts = [...head, chunk.subarray(lineStart, end)];
    const total = parts.reduce((s, p) => s + p.length, 0);
    const bytes = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      bytes.set(p, o);
      o += p.length;
    }
    const text = new TextDecoder().decode(bytes);
    throw new DataError(this.#file, this.#explain(text), this.#line);
  }

  #explain(rawText: string): string {
    const text = rawText.replace(/\r$/, "");
    const sepText = this.#dat ? "::" : this.#sep === 9 ? "\t" : ",";
    const shown = JSON.stringify(
      text.length > 120 ? text.slice(0, 120) + "…" : text,
    );
    if (/\r/.test(text)) return `stray carriage return in line ${shown}`;
    const fields = text.split(sepText);
    const minFields = this.#requireTs ? 4 : 3;
    if (fields.length < minFields) {
      return `missing field ${FIELD_NAMES[fields.length]} in line ${shown} ` +
        `(expected ${this.#requireTs ? "4" : "3 or 4"} fields separated by ${
          JSON.stringify(sepText)
        })`;
    }
    if (fields.length > 4) {
      return `too many fields (${fields.length}, expected at most 4) in line ${shown}`;
    }
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k];
      const name = FIELD_NAMES[k];
      if (k === 2) {
        if (!/^-?(\d+\.?\d*|\.\d+)$/.test(f)) {
          return `${name} ${JSON.stringify(f)} is not a number`;
        }
        if (f.replace(/[-.]/g, "").length > MAX_DIGITS) {
          return `${name} ${JSON.stringify(f)} has too many digits`;
        }
        const r = Number(f);
        if (!(r >= this.#min && r <= this.#max)) {
          return `${name} ${f} is outside the valid range [${this.#min}, ${this.#max}]`;
        }
        continue;
      }
      if (!/^\d+$/.test(f)) {
        return `${name} ${JSON.stringify(f)} is not a non-negative integer`;
      }
      if (f.length > MAX_DIGITS || (k < 2 && Number(f) > MAX_ID)) {
        return `${name} ${f} is too large${
          k < 2 ? ` (ids must be at most ${MAX_ID})` : ""
        }`;
      }
    }
    return `malformed line ${shown}`;
  }
}

/** Parses a whole ratings file held in memory (see `RatingsParser`). */
export function parseRatings(
  bytes: Uint8Array,
  options: RatingsParserOptions,
): RawRatings {
  const p = new RatingsParser({
    ...options,
    expectedBytes: options.expectedBytes ?? bytes.length,
  });
  p.push(bytes);
  return p.finish();
}

/**
 * Trims an array to n elements: a view when the slack is at most a quarter of
 * the capacity (the untouched tail costs address space, not resident memory,
 * while copying 25 M rows would need a second set of arrays at the peak),
 * else a copy.
 */
function fit<T extends Int32Array | Float32Array | Float64Array>(
  a: T,
  n: number,
): T {
  if (a.length === n) return a;
  return (a.length - n <= a.length / 4 ? a.subarray(0, n) : a.slice(0, n)) as T;
}
