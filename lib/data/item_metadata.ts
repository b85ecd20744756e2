/**
 * Item metadata parsers: MovieLens `movies.csv` (quoted CSV, UTF-8),
 * ML-1M/10M `movies.dat` (`::`-separated, Latin-1 for ML-1M) and ML-100K
 * `u.item` (pipe-separated, Latin-1, 19 genre flags named by `u.genre`).
 * Each returns title, genres and year by raw item id.
 *
 * @module
 */

import { DataError } from "./data_error.ts";
import type { ItemInfo } from "./interactions.ts";
import type { TextEncoding } from "./registry.ts";

/** The genre string MovieLens uses for an item without genres; parsed as []. */
export const NO_GENRES = "(no genres listed)";

/**
 * Decodes a metadata file: `utf-8` (a BOM is dropped; invalid UTF-8 is an
 * error naming `file` and the first bad line), `latin1` (as a release
 * declares it, e.g. ML-100K `u.item`: every byte is a character), or `auto`
 * (UTF-8 when the bytes are valid UTF-8, else Latin-1).
 *
 * @param file Named in the error (default `"input"`).
 * @throws {DataError} for `utf-8` text that is not valid UTF-8.
 */
export function decodeText(
  bytes: Uint8Array,
  encoding: TextEncoding,
  file = "input",
): string {
  if (encoding === "latin1") return new TextDecoder("latin1").decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    if (encoding === "auto") return new TextDecoder("latin1").decode(bytes);
    throw new DataError(
      file,
      "text is not valid UTF-8 (the encoding this file must have); " +
        "re-save it as UTF-8",
      firstBadUtf8Line(bytes),
    );
  }
}

/** The 1-based line holding the first invalid UTF-8 sequence (no LF is ever inside a character). */
function firstBadUtf8Line(bytes: Uint8Array): number | undefined {
  const strict = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    try {
      strict.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    line++;
    start = end + 1;
  }
  return undefined;
}

/**
 * The release year of a title: the four digits in a trailing "(1994)" (or
 * the first year of "(2006–2007)"), else the last four-digit group of
 * `releaseDate` (e.g. "01-Jan-1995"); undefined when neither has one.
 */
export function yearOf(
  title: string,
  releaseDate?: string,
): number | undefined {
  const m = /\((\d{4})(?:\s*[-–]\s*\d{0,4})?\)\s*$/.exec(title);
  if (m) return Number(m[1]);
  const d = releaseDate === undefined ? null : /(\d{4})\s*$/.exec(releaseDate);
  return d ? Number(d[1]) : undefined;
}

/** One CSV record and the 1-based line it starts on. */
interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/**
 * Splits CSV text into records: fields separated by commas, optionally
 * double-quoted (a quote inside is doubled, commas and newlines inside quotes
 * are kept), records ended by LF or CRLF. Blank lines are skipped.
 */
export function* csvRecords(text: string, file: string): Generator<CsvRecord> {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let blank = true;
    for (;;) {
      let value = "";
      if (text[i] === '"') {
        blank = false;
        i++;
        for (;;) {
          if (i >= n) {
            throw new DataError(file, "unterminated quoted field", startLine);
          }
          const q = text.indexOf('"', i);
          if (q < 0) {
            throw new DataError(file, "unterminated quoted field", startLine);
          }
          const piece = text.slice(i, q);
          for (
            let k = piece.indexOf("\n");
            k >= 0;
            k = piece.indexOf("\n", k + 1)
          ) line++;
          value += piece;
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        const c = text[i];
        if (i < n && c !== "," && c !== "\n" && c !== "\r") {
          throw new DataError(
            file,
            "unexpected character after a closing quote",
            line,
          );
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 44 || c === 10 || c === 13) break;
          j++;
        }
        value = text.slice(i, j);
        if (j > i) blank = false;
        i = j;
      }
      fields.push(value);
      if (i >= n) break;
      if (text[i] === ",") {
        blank = false;
        i++;
        continue;
      }
      if (text[i] === "\r") {
        if (text[i + 1] !== "\n") {
          throw new DataError(file, "stray carriage return", line);
        }
        i++;
      }
      i++; // the LF
      line++;
      break;
    }
    if (!blank) yield { fields, line: startLine };
  }
}

/** Parses a non-negative integer id field or throws a `DataError` at `file:line`. */
function parseId(text: string, file: string, line: number): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2147483647) {
    throw new DataError(
      file,
      /^\d+$/.test(text)
        ? `item id ${text} is too large (ids must be at most 2147483647)`
        : "item id is not a non-negative integer",
      line,
    );
  }
  return Number(text);
}

function setOnce(
  map: Map<number, ItemInfo>,
  id: number,
  info: ItemInfo,
  file: string,
  line: number,
) {
  if (map.has(id)) {
    throw new DataError(file, `item id ${id} appears twice`, line);
  }
  map.set(id, info);
}

function genresOf(text: string): string[] {
  return text === "" || text === NO_GENRES ? [] : text.split("|");
}

/**
 * Parses MovieLens `movies.csv` (`movieId,title,genres`, header required,
 * genres `|`-separated).
 *
 * @throws {DataError} naming `file` and line for a missing header, a row
 *   without three fields, a non-integer id or a repeated id.
 */
export function parseMoviesCsv(
  text: string,
  file: string,
): Map<number, ItemInfo> {
  const out = new Map<number, ItemInfo>();
  let first = true;
  for (const { fields, line } of csvRecords(text, file)) {
    if (first) {
      first = false;
      if (fields[0] !== "movieId" || fields[1] !== "title") {
        throw new DataError(
          file,
          "expected the header movieId,title,genres (is this a movies.csv file?)",
          line,
        );
      }
      continue;
    }
    if (fields.length !== 3) {
      throw new DataError(
        file,
        `expected 3 fields (movieId,title,genres), got ${fields.length}`,
        line,
      );
    }
    const id = parseId(fields[0], file, line);
    const title = fields[1].trim();
    const year = yearOf(title);
    const info: ItemInfo = year === undefined
      ? { title, genres: genresOf(fields[2]) }
      : { title, genres: genresOf(fields[2]), year };
    setOnce(out, id, info, file, line);
  }
  if (first) throw new DataError(file, "empty file: no movies");
  return out;
}

/**
 * Parses ML-1M/10M `movies.dat` (`MovieID::Title::Genres`, no header).
 *
 * @throws {DataError} naming `file` and line for a malformed row.
 */
export function parseMoviesDat(
  text: string,
  file: string,
): Map<number, ItemInfo> {
  const out = new Map<number, ItemInfo>();
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const row = lines[k].replace(/\r$/, "");
    if (row === "") continue;
    const a = row.indexOf("::");
    const b = row.lastIndexOf("::");
    if (a < 0 || b === a) {
      throw new DataError(
        file,
        "expected MovieID::Title::Genres",
        k + 1,
      );
    }
    const id = parseId(row.slice(0, a), file, k + 1);
    const title = row.slice(a + 2, b).trim();
    const year = yearOf(title);
    const genres = genresOf(row.slice(b + 2));
    setOnce(
      out,
      id,
      year === undefined ? { title, genres } : { title, genres, year },
      file,
      k + 1,
    );
  }
  if (out.size === 0) throw new DataError(file, "empty file: no movies");
  return out;
}

/**
 * Parses ML-100K `u.genre` (`name|index` per line) into genre names by index.
 *
 * @throws {DataError} for a malformed line or a gap in the indices.
 */
export function parseUGenre(text: string, file: string): string[] {
  const names: string[] = [];
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const row = lines[k].replace(/\r$/, "");
    if (row.trim() === "") continue;
    const m = /^(.*)\|(\d+)$/.exec(row);
    if (!m) {
      throw new DataError(
        file,
        "expected name|index",
        k + 1,
      );
    }
    names[Number(m[2])] = m[1];
  }
  for (let g = 0; g < names.length; g++) {
    if (names[g] === undefined) {
      throw new DataError(file, `genre index ${g} is missing`);
    }
  }
  if (names.length === 0) throw new DataError(file, "empty file: no genres");
  return names;
}

/**
 * Parses ML-100K `u.item`: `id|title|release date|video release date|IMDb
 * URL|` then one 0/1 flag per genre of `genreNames` (19 in ML-100K). The
 * text must already be decoded as Latin-1.
 *
 * @throws {DataError} naming `file` and line for a wrong field count, a
 *   non-integer id or a flag other than 0/1.
 */
export function parseUItem(
  text: string,
  genreNames: readonly string[],
  file: string,
): Map<number, ItemInfo> {
  const out = new Map<number, ItemInfo>();
  const expected = 5 + genreNames.length;
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const row = lines[k].replace(/\r$/, "");
    if (row === "") continue;
    const f = row.split("|");
    if (f.length !== expected) {
      throw new DataError(
        file,
        `expected ${expected} |-separated fields, got ${f.length}`,
        k + 1,
      );
    }
    const id = parseId(f[0], file, k + 1);
    const title = f[1].trim();
    const genres: string[] = [];
    for (let g = 0; g < genreNames.length; g++) {
      const flag = f[5 + g];
      if (flag === "1") genres.push(genreNames[g]);
      else if (flag !== "0") {
        throw new DataError(
          file,
          `genre flag for ${genreNames[g]} is not 0 or 1`,
          k + 1,
        );
      }
    }
    const year = yearOf(title, f[2]);
    setOnce(
      out,
      id,
      year === undefined ? { title, genres } : { title, genres, year },
      file,
      k + 1,
    );
  }
  if (out.size === 0) throw new DataError(file, "empty file: no movies");
  return out;
}
