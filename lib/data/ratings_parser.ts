/**
 * A byte-level, streaming parser for numeric ratings files: ML-100K `u.data`
 * (tab-separated), ML-1M/10M `ratings.dat` (`::`-separated), MovieLens
 * `ratings.csv` and a user's own `user,item,rating[,timestamp]` CSV. Bytes
 * are pushed in chunks of any size (a line may straddle two chunks), so a
 * 600 MB file is never held whole; no string is made per line.
 *
 * Every malformed line is a `DataError` naming the file, the 1-based line
 * number, the field and what is wrong with it. Error messages never quote the
 * file's text (a system file given by mistake must not be printed): only
 * values that parsed as numbers, column positions and the names this parser
 * itself knows are shown.
 *
 * A header line, when there is one, must name the columns in the order they
 * are read — user, item, rating[, timestamp] — using a known name for each
 * (`HEADER_ALIASES`, case-insensitive): a header `movieId,userId,...` is
 * refused rather than read transposed.
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
  /**
   * Most rating rows accepted (default `MAX_ROWS`); a longer file is a
   * `DataError` rather than an allocation that exhausts memory.
   */
  readonly maxRows?: number;
  /**
   * Keep each row's timestamp (default true). With false they are still
   * checked but not stored, and `RawRatings.timestamps` is empty: 8 bytes per
   * rating saved (200 MB at ML-25M) for callers that never read them.
   */
  readonly keepTimestamps?: boolean;
}

/**
 * Default row limit: 100 million ratings (2 GB of row arrays; the largest
 * MovieLens release, ml-32m, has 32 million).
 */
export const MAX_ROWS = 100_000_000;

/** Longest header line accepted, in bytes. */
export const MAX_HEADER_BYTES = 1024;

/**
 * Column names a header may use, lower-cased, by the column they name. The
 * columns must come in this order: user, item, rating, timestamp.
 */
export const HEADER_ALIASES: Readonly<Record<Column, readonly string[]>> = {
  user: ["userid", "user_id", "user"],
  item: ["movieid", "itemid", "item_id", "movie_id", "item", "movie"],
  rating: ["rating"],
  timestamp: ["timestamp"],
};

/** The four columns of a ratings file, in the order they are read. */
export type Column = "user" | "item" | "rating" | "timestamp";

const COLUMNS: readonly Column[] = ["user", "item", "rating", "timestamp"];

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
  /**
   * Unix seconds per row; 0 where the row had no timestamp. Empty (length 0)
   * when parsed with `keepTimestamps: false`.
   */
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
  readonly #maxRows: number;
  readonly #keepTs: boolean;
  #headerBytes: Uint8Array[] = [];
  #headerLength = 0;

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
    this.#maxRows = options.maxRows ?? MAX_ROWS;
    this.#keepTs = options.keepTimestamps ?? true;
    this.#grow(Math.max(1, Math.min(1 << 16, this.#maxRows)));
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
      const from = i;
      while (i < len && chunk[i] !== 10) i++;
      this.#headerLength += i - from;
      if (this.#headerLength > MAX_HEADER_BYTES) {
        throw new DataError(
          this.#file,
          `header line is longer than ${MAX_HEADER_BYTES} bytes; is this a ratings file?`,
          1,
        );
      }
      this.#headerBytes.push(chunk.slice(from, i));
      if (i === len) {
        this.#bytesSeen += len;
        return;
      }
      this.#checkHeader();
      this.#inHeader = false;
      this.#line++;
      i++;
      lineStart = i;
      this.#carry = [];
    }

    const sep = this.#sep, dat = this.#dat, min = this.#min, max = this.#max;
    const requireTs = this.#requireTs, keepTs = this.#keepTs;
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
        // Stop at once on an overlong number: a line's unparsed start is kept
        // across chunks for the error message, so it must stay short.
        if (++nd > MAX_DIGITS) break;
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
          if (n >= this.#maxRows) {
            throw new DataError(
              this.#file,
              `more than ${this.#maxRows} rating rows; the limit is ${this.#maxRows} ` +
                `(about ${Math.ceil(this.#maxRows * 20 / 1e9)} GB of memory)`,
              line,
            );
          }
          this.#n = n;
          this.#grow(
            Math.min(Math.ceil(cap * 1.25) + 1024, this.#maxRows),
          );
          users = this.#users;
          items = this.#items;
          ratings = this.#ratings;
          timestamps = this.#timestamps;
          cap = users.length;
        }
        users[n] = rowU;
        items[n] = rowI;
        ratings[n] = rowR;
        if (keepTs) timestamps[n] = ts;
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
      const estimate = Math.min(
        Math.ceil((this.#expectedBytes / this.#bytesSeen) * n * 1.02) + 1024,
        this.#maxRows,
      );
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
      timestamps: this.#keepTs ? fit(this.#timestamps, n) : new Float64Array(0),
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
    if (!this.#keepTs) return;
    const timestamps = new Float64Array(capacity);
    timestamps.set(this.#timestamps.subarray(0, n));
    this.#timestamps = timestamps;
  }

  /**
   * Checks the header line just read: valid UTF-8, and naming the columns in
   * the order they are read (see `HEADER_ALIASES`).
   */
  #checkHeader(): void {
    const bytes = concat(this.#headerBytes);
    this.#headerBytes = [];
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new DataError(this.#file, "header line is not valid UTF-8", 1);
    }
    const problem = headerProblem(
      text.replace(/\r$/, ""),
      this.#dat ? "::" : this.#sep === 9 ? "\t" : ",",
      this.#requireTs,
    );
    if (problem !== null) throw new DataError(this.#file, problem, 1);
  }

  /** Rebuilds the offending line and throws a `DataError` saying what is wrong with it. */
  #fail(chunk: Uint8Array, lineStart: number, at: number): never {
    let end = at;
    while (end < chunk.length && chunk[end] !== 10) end++;
    const head = lineStart === 0 ? this.#carry : [];
    const bytes = concat([...head, chunk.subarray(lineStart, end)]);
    throw new DataError(this.#file, this.#explain(bytes), this.#line);
  }

  /** What is wrong with one line, without quoting it (see the module comment). */
  #explain(line: Uint8Array): string {
    let bytes = line;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 13) {
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    const sepLen = this.#dat ? 2 : 1;
    const isSep = (k: number) =>
      this.#dat
        ? bytes[k] === 58 && bytes[k + 1] === 58
        : bytes[k] === this.#sep;
    const sepName = this.#dat ? '"::"' : this.#sep === 9 ? "tabs" : "commas";
    // Fields as [start, end) byte ranges; columns in messages are 1-based bytes.
    const fields: [number, number][] = [];
    let s = 0;
    for (let k = 0; k <= bytes.length; k++) {
      if (k === bytes.length) fields.push([s, k]);
      else if (isSep(k)) {
        fields.push([s, k]);
        k += sepLen - 1;
        s = k + 1;
      }
    }
    const cr = bytes.indexOf(13);
    if (cr >= 0) {
      return `stray carriage return at column ${
        cr + 1
      } (CR not followed by LF)`;
    }
    const minFields = this.#requireTs ? 4 : 3;
    const expected = `expected ${
      this.#requireTs ? "4" : "3 or 4"
    } fields (user, item, rating${
      this.#requireTs ? ", timestamp" : "[, timestamp]"
    }) separated by ${sepName}`;
    if (fields.length > 4) {
      return `too many fields (${fields.length}); ${expected}`;
    }
    for (let k = 0; k < fields.length; k++) {
      const [a, b] = fields[k];
      const name = FIELD_NAMES[k];
      const f = bytes.subarray(a, b);
      if (f.length === 0) return `${name} is empty (column ${a + 1})`;
      const bad = k === 2
        ? badNumberAt(f)
        : f.findIndex((c) => c < 48 || c > 57);
      if (bad >= 0) {
        const c = f[bad];
        const what = c === 45
          ? "a minus sign"
          : c === 46
          ? "a decimal point"
          : c === 32 || c === 9
          ? "a space"
          : c >= 128
          ? "a non-ASCII byte"
          : "a character other than a digit";
        return k === 2
          ? `${name} is not a number: ${what} at column ${a + bad + 1}`
          : `${name} is not a non-negative integer: ${what} at column ${
            a + bad + 1
          }`;
      }
      const digits = f.reduce((m, c) => m + (c >= 48 && c <= 57 ? 1 : 0), 0);
      if (digits > MAX_DIGITS) {
        return `${name} has more than ${MAX_DIGITS} digits (column ${a + 1})`;
      }
      // From here the field is a well-formed number, which may be shown.
      const value = String.fromCharCode(...f);
      if (k < 2 && Number(value) > MAX_ID) {
        return `${name} ${value} is too large (ids must be at most ${MAX_ID})`;
      }
      if (k === 2) {
        const r = Number(value);
        if (!(r >= this.#min && r <= this.#max)) {
          return `${name} ${value} is outside the valid range [${this.#min}, ${this.#max}]`;
        }
      }
    }
    if (fields.length < minFields) {
      return `missing field ${FIELD_NAMES[fields.length]}; ${expected}`;
    }
    return `malformed line; ${expected}`;
  }
}

/**
 * Why a header line (decoded, without its line end) does not name the
 * columns user, item, rating[, timestamp] in that order; null when it does.
 * Only names from `HEADER_ALIASES` are ever quoted.
 */
export function headerProblem(
  header: string,
  separator: string,
  requireTimestamp: boolean,
): string | null {
  const names = header.split(separator).map((n) =>
    n.trim().replace(/^"(.*)"$/, "$1").trim().toLowerCase()
  );
  const wanted = requireTimestamp
    ? "user,item,rating,timestamp"
    : "user,item,rating[,timestamp]";
  const order = `a header must name the columns ${wanted} in that order ` +
    `(e.g. userId,movieId,rating,timestamp)`;
  const min = requireTimestamp ? 4 : 3;
  for (let k = 0; k < names.length; k++) {
    const column = COLUMNS.find((c) => HEADER_ALIASES[c].includes(names[k]));
    if (column === undefined) {
      return `header column ${k + 1} is not a known column name; ${order}`;
    }
    if (k >= COLUMNS.length || column !== COLUMNS[k]) {
      const where = k < COLUMNS.length
        ? `where the ${COLUMNS[k]} column belongs`
        : "past the last column";
      return `header column ${k + 1} is "${names[k]}", the ${column} column, ` +
        `${where}; ${order} ` +
        `(columns are never reordered by name: reorder the file or its header)`;
    }
  }
  if (names.length < min) {
    return `header has ${names.length} columns; ${order}`;
  }
  return null;
}

/** Index of the first byte that keeps `f` from being a decimal number (-1 if none). */
function badNumberAt(f: Uint8Array): number {
  let dot = false;
  for (let k = 0; k < f.length; k++) {
    const c = f[k];
    if (c >= 48 && c <= 57) continue;
    if (c === 45 && k === 0) continue;
    if (c === 46 && !dot) {
      dot = true;
      continue;
    }
    return k;
  }
  const digits = f.reduce((m, c) => m + (c >= 48 && c <= 57 ? 1 : 0), 0);
  return digits === 0 ? 0 : -1;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
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
