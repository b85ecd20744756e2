/**
 * The data layer's entry points: `loadMovieLens` finds (or downloads) a
 * release, verifies its checksums and parses it into `Interactions`;
 * `loadRatingsCsv` does the same for a user's own `user,item,rating[,timestamp]`
 * file. Both return, beside the data, the checksums of exactly what was read,
 * for the experiment's results file.
 *
 * @example
 * ```ts ignore
 * import { loadMovieLens } from "./load.ts";
 * const { data, source } = await loadMovieLens("ml-100k", { dataDir: Deno.env.get("MOVIELENS_DIR") });
 * console.log(data.nUsers, data.nItems, source.sha256);
 * ```
 *
 * @module
 */

import { join } from "node:path";
import {
  assertDigests,
  digestBytes,
  type Digests,
  DigestStream,
} from "./checksum.ts";
import { DataError } from "./data_error.ts";
import { localCopyHint } from "./download.ts";
import type { Interactions, ItemInfo } from "./interactions.ts";
import { interactionsFromRaw } from "./interactions_from_raw.ts";
import {
  decodeText,
  parseMoviesCsv,
  parseMoviesDat,
  parseUGenre,
  parseUItem,
} from "./item_metadata.ts";
import {
  RatingsParser,
  type RatingsParserOptions,
  type RawRatings,
} from "./ratings_parser.ts";
import {
  getRelease,
  type MovieLensRelease,
  type ReleaseName,
} from "./registry.ts";
import { type LocateOptions, locateRelease } from "./resolve.ts";
import { inflateEntry, listZip, readEntry, type ZipEntry } from "./zip.ts";

/** Options for `loadMovieLens` (see `LocateOptions` for where data is looked for). */
export interface LoadOptions extends LocateOptions {
  /** Verify checksums of what is read against the registry (default true). */
  readonly verify?: boolean;
  /** Read item titles and genres too (default true). */
  readonly items?: boolean;
}

/** One file that was read, with its checksums. */
export interface SourceFile {
  /** Path of the file, or `archive.zip:member` for an archive member. */
  readonly name: string;
  /** SHA-256 of the file (lowercase hex). */
  readonly sha256: string;
  /** MD5, when it was computed (for verification or as the source's own checksum). */
  readonly md5?: string;
  /** Size in bytes. */
  readonly bytes: number;
}

/**
 * What was read. `md5`/`sha256` are those of the archive when a zip was
 * read, else of the ratings file; `files` lists every file (or archive
 * member) parsed.
 */
export interface DataSource {
  /** Release name, or null for a user's own CSV. */
  readonly release: ReleaseName | null;
  /** The archive, folder or CSV file that was read. */
  readonly path: string;
  /** How it was found: `--data-dir`, `MOVIELENS_DIR`, `cache`, `download` or `file`. */
  readonly origin: string;
  /** MD5 of the archive or ratings file (lowercase hex). */
  readonly md5: string;
  /** SHA-256 of the archive or ratings file (lowercase hex). */
  readonly sha256: string;
  /** Whether checksums were compared with published or manifest values. */
  readonly verified: boolean;
  /** Every file (or archive member) parsed. */
  readonly files: readonly SourceFile[];
}

/** Ratings plus a record of where they came from. */
export interface LoadedData {
  /** The ratings, with dense user and item indices. */
  readonly data: Interactions;
  /** Where they were read from, with checksums. */
  readonly source: DataSource;
}

const CHUNK = 1 << 22;

/**
 * Loads a MovieLens release by name (or a registry entry, which tests
 * override), from `--data-dir`, `MOVIELENS_DIR`, the cache or a download.
 *
 * @throws {DataError} for a missing release, a checksum mismatch, a corrupt
 *   archive or a malformed file (naming the file and line).
 *
 * @example
 * ```ts
 * import { loadMovieLens } from "./load.ts";
 * async function main() {
 *   const { data, source } = await loadMovieLens("ml-100k", { dataDir: "data" });
 *   console.log(data.nUsers, data.nItems, source.sha256);
 * }
 * ```
 */
export async function loadMovieLens(
  release: ReleaseName | MovieLensRelease,
  options: LoadOptions = {},
): Promise<LoadedData> {
  const entry = typeof release === "string" ? getRelease(release) : release;
  const located = await locateRelease(entry, options);
  const verify = options.verify ?? true;
  const items = options.items ?? true;
  const loaded = located.kind === "zip"
    ? await loadZip(entry, located.path, verify, items)
    : await loadFolder(entry, located.path, verify, items);
  return {
    data: loaded.data,
    source: { ...loaded.source, origin: located.origin },
  };
}

/** Options for `loadRatingsCsv`. */
export interface CsvLoadOptions {
  /** Inclusive [min, max] of valid ratings (default [0, 10]). */
  readonly ratingRange?: readonly [number, number];
  /** A `movies.csv`-format file with titles and genres (optional). */
  readonly itemsPath?: string;
}

/**
 * Loads a user's ratings CSV: `user,item,rating[,timestamp]` per line,
 * integer ids, an optional header line, LF or CRLF.
 *
 * @throws {DataError} naming the file and line for any malformed row, a
 *   rating outside `ratingRange`, or an empty or missing file.
 *
 * @example
 * ```ts
 * import { loadRatingsCsv } from "./load.ts";
 * async function main() {
 *   const { data } = await loadRatingsCsv("my_ratings.csv");
 *   console.log(data.users.length, "ratings");
 * }
 * ```
 */
export async function loadRatingsCsv(
  path: string,
  options: CsvLoadOptions = {},
): Promise<LoadedData> {
  const { raw, digests } = await parseFile(path, {
    file: path,
    separator: "csv",
    header: "optional",
    requireTimestamp: false,
    ratingRange: options.ratingRange ?? [0, 10],
  }, true);
  const files: SourceFile[] = [fileRecord(path, digests)];
  let itemInfo: ReadonlyMap<number, ItemInfo> = new Map();
  if (options.itemsPath !== undefined) {
    const bytes = await readWhole(options.itemsPath);
    files.push(fileRecord(options.itemsPath, digestBytes(bytes)));
    itemInfo = parseMoviesCsv(decodeText(bytes, "utf-8"), options.itemsPath);
  }
  return {
    data: interactionsFromRaw(raw, itemInfo),
    source: {
      release: null,
      path,
      origin: "file",
      md5: digests.md5!,
      sha256: digests.sha256,
      verified: false,
      files,
    },
  };
}

function parserOptions(
  release: MovieLensRelease,
  file: string,
  expectedBytes: number,
): RatingsParserOptions {
  return {
    file,
    separator: release.format,
    header: release.format === "csv" ? "required" : "none",
    requireTimestamp: true,
    ratingRange: release.ratingRange,
    expectedBytes,
  };
}

async function loadFolder(
  release: MovieLensRelease,
  dir: string,
  verify: boolean,
  withItems: boolean,
): Promise<{ data: Interactions; source: Omit<DataSource, "origin"> }> {
  const hint = `this is not the ${release.name} release as published; ${
    localCopyHint(release)
  }`;
  const check = (name: string, path: string, d: Digests) => {
    const expected = release.members[name];
    if (verify && expected) assertDigests(path, d, expected, hint);
  };
  const ratingsPath = join(dir, release.ratingsFile);
  const size = (await Deno.stat(ratingsPath)).size;
  const { raw, digests } = await parseFile(
    ratingsPath,
    parserOptions(release, ratingsPath, size),
    true,
  );
  check(release.ratingsFile, ratingsPath, digests);
  const files: SourceFile[] = [fileRecord(ratingsPath, digests)];

  let itemInfo: ReadonlyMap<number, ItemInfo> = new Map();
  if (withItems) {
    const read = async (name: string) => {
      const path = join(dir, name);
      const bytes = await readWhole(path);
      const d = digestBytes(bytes);
      check(name, path, d);
      files.push(fileRecord(path, d));
      return { bytes, path };
    };
    const items = await read(release.itemsFile);
    const genres = release.genresFile
      ? await read(release.genresFile)
      : undefined;
    itemInfo = parseItems(release, items.bytes, items.path, genres);
  }
  return {
    data: interactionsFromRaw(raw, itemInfo),
    source: {
      release: release.name,
      path: dir,
      md5: digests.md5!,
      sha256: digests.sha256,
      verified: verify && release.members[release.ratingsFile] !== undefined,
      files,
    },
  };
}

async function loadZip(
  release: MovieLensRelease,
  zipPath: string,
  verify: boolean,
  withItems: boolean,
): Promise<{ data: Interactions; source: Omit<DataSource, "origin"> }> {
  const bytes = await readWhole(zipPath);
  const archiveDigests = digestBytes(bytes);
  const hint = `delete it and download it again, or ${localCopyHint(release)}`;
  const archiveVerified = verify &&
    (release.md5 !== null || release.sha256 !== null);
  if (archiveVerified) {
    assertDigests(zipPath, archiveDigests, {
      md5: release.md5,
      sha256: release.sha256,
    }, hint);
  }
  const entries = listZip(bytes, zipPath);
  const find = (name: string): ZipEntry => {
    const wanted = `${release.folder}/${name}`;
    const hit = entries.find((e) => e.name === wanted) ??
      entries.find((e) => e.name === name || e.name.endsWith(`/${name}`));
    if (!hit) {
      throw new DataError(
        zipPath,
        `archive has no member ${wanted}; is this ${release.archive}?`,
      );
    }
    return hit;
  };
  // Members are checked one by one only when the archive itself could not be.
  const memberCheck = (name: string) =>
    verify && !archiveVerified ? release.members[name] : undefined;
  const files: SourceFile[] = [];

  const ratingsEntry = find(release.ratingsFile);
  const ratingsName = `${zipPath}:${ratingsEntry.name}`;
  const parser = new RatingsParser(
    parserOptions(release, ratingsName, ratingsEntry.size),
  );
  const ratingsDigest = new DigestStream(
    memberCheck(release.ratingsFile) !== undefined,
  );
  inflateEntry(bytes, zipPath, ratingsEntry, (chunk) => {
    ratingsDigest.update(chunk);
    parser.push(chunk);
  }, { verifyCrc: !archiveVerified });
  const raw = parser.finish();
  const rd = ratingsDigest.digest();
  const expectedRatings = memberCheck(release.ratingsFile);
  if (expectedRatings) assertDigests(ratingsName, rd, expectedRatings, hint);
  files.push(fileRecord(ratingsName, rd));

  let itemInfo: ReadonlyMap<number, ItemInfo> = new Map();
  if (withItems) {
    const read = (name: string) => {
      const e = find(name);
      const path = `${zipPath}:${e.name}`;
      const data = readEntry(bytes, zipPath, e, {
        verifyCrc: !archiveVerified,
      });
      const expected = memberCheck(name);
      const d = digestBytes(data);
      if (expected) assertDigests(path, d, expected, hint);
      files.push(fileRecord(path, d));
      return { bytes: data, path };
    };
    const items = read(release.itemsFile);
    const genres = release.genresFile ? read(release.genresFile) : undefined;
    itemInfo = parseItems(release, items.bytes, items.path, genres);
  }
  return {
    data: interactionsFromRaw(raw, itemInfo),
    source: {
      release: release.name,
      path: zipPath,
      md5: archiveDigests.md5!,
      sha256: archiveDigests.sha256,
      verified: archiveVerified ||
        (verify && release.members[release.ratingsFile] !== undefined),
      files,
    },
  };
}

function parseItems(
  release: MovieLensRelease,
  bytes: Uint8Array,
  path: string,
  genres: { bytes: Uint8Array; path: string } | undefined,
): Map<number, ItemInfo> {
  const text = decodeText(bytes, release.itemsEncoding);
  switch (release.itemsFormat) {
    case "movies.csv":
      return parseMoviesCsv(text, path);
    case "movies.dat":
      return parseMoviesDat(text, path);
    case "u.item": {
      if (!genres) {
        throw new Error(
          `registry entry ${release.name}: u.item needs a genresFile`,
        );
      }
      const names = parseUGenre(
        decodeText(genres.bytes, release.itemsEncoding),
        genres.path,
      );
      return parseUItem(text, names, path);
    }
  }
}

/** Streams a file through a `RatingsParser` (and its digests) in 4 MiB chunks. */
async function parseFile(
  path: string,
  options: RatingsParserOptions,
  md5: boolean,
): Promise<{ raw: RawRatings; digests: Digests }> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    throw notFound(path, err);
  }
  try {
    const size = (await file.stat()).size;
    const parser = new RatingsParser({
      ...options,
      expectedBytes: options.expectedBytes ?? size,
    });
    const digest = new DigestStream(md5);
    const buf = new Uint8Array(CHUNK);
    for (;;) {
      const n = await file.read(buf);
      if (n === null) break;
      const chunk = buf.subarray(0, n);
      digest.update(chunk);
      parser.push(chunk);
    }
    return { raw: parser.finish(), digests: digest.digest() };
  } finally {
    file.close();
  }
}

async function readWhole(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (err) {
    throw notFound(path, err);
  }
}

function notFound(path: string, err: unknown): Error {
  if (err instanceof Deno.errors.NotFound) {
    return new DataError(path, "file not found", undefined, { cause: err });
  }
  return err as Error;
}

function fileRecord(name: string, d: Digests): SourceFile {
  return d.md5 === undefined
    ? { name, sha256: d.sha256, bytes: d.bytes }
    : { name, sha256: d.sha256, md5: d.md5, bytes: d.bytes };
}
