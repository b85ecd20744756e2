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
import { applyDuplicatePolicy, type DuplicatePolicy } from "./duplicates.ts";
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
import {
  readChunks,
  type ReadOptions,
  readStable,
  statInput,
} from "./read_input.ts";
import { type LocateOptions, locateRelease } from "./resolve.ts";
import { inflateEntry, listZip, readEntry, type ZipEntry } from "./zip.ts";

/** Options for `loadMovieLens` (see `LocateOptions` for where data is looked for). */
export interface LoadOptions extends LocateOptions {
  /** Verify checksums of what is read against the registry (default true). */
  readonly verify?: boolean;
  /** Read item titles and genres too (default true). */
  readonly items?: boolean;
  /**
   * Keep each rating's timestamp (default true); with false,
   * `data.timestamps` is empty (see `RatingsParserOptions.keepTimestamps`).
   */
  readonly timestamps?: boolean;
  /**
   * Called as the ratings file is read (bytes so far, its size; for an
   * archive, bytes inflated from the ratings member and its size).
   */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
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
  /**
   * What was done with repeated (user, item) pairs, for a user's own file
   * (`keep-last`, with the number of earlier rows dropped); absent for a
   * release, where any repeat is refused.
   */
  readonly duplicates?: {
    readonly policy: DuplicatePolicy;
    readonly dropped: number;
  };
}

/** Ratings plus a record of where they came from. */
export interface LoadedData {
  /** The ratings, with dense user and item indices. */
  readonly data: Interactions;
  /** Where they were read from, with checksums. */
  readonly source: DataSource;
}

/**
 * Largest item-metadata member inflated from an archive (256 MiB; ml-32m's
 * movies.csv is about 4 MB): a forged size is refused before allocating.
 */
const MAX_METADATA_BYTES = 1 << 28;

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
  const keepTimestamps = options.timestamps ?? true;
  const loaded = located.kind === "zip"
    ? await loadZip(entry, located.path, verify, items, keepTimestamps, options)
    : await loadFolder(
      entry,
      located.path,
      verify,
      items,
      keepTimestamps,
      options,
    );
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
  /** Most rating rows accepted (default `MAX_ROWS` of `ratings_parser.ts`). */
  readonly maxRows?: number;
  /** Keep each rating's timestamp (default true); with false, `data.timestamps` is empty. */
  readonly timestamps?: boolean;
  /** Called after each chunk of the ratings file is read (bytes read, file size). */
  readonly onProgress?: (
    bytesRead: number,
    totalBytes: number,
  ) => void | Promise<void>;
}

/**
 * Loads a user's ratings CSV: `user,item,rating[,timestamp]` per line,
 * integer ids, an optional header line (naming those columns in that order),
 * LF or CRLF. A repeated (user, item) pair keeps its last rating: the
 * earlier rows are dropped and counted in `source.duplicates`.
 *
 * @throws {DataError} naming the file and line for any malformed row, a
 *   rating outside `ratingRange`, a header naming other columns, an empty,
 *   missing or special file (FIFO, device, directory), or a file that changed
 *   while it was read.
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
  const { raw, digests } = await parseFile(
    path,
    {
      file: path,
      separator: "csv",
      header: "optional",
      requireTimestamp: false,
      ratingRange: options.ratingRange ?? [0, 10],
      maxRows: options.maxRows,
      keepTimestamps: options.timestamps ?? true,
    },
    true,
    { onProgress: options.onProgress },
  );
  const files: SourceFile[] = [fileRecord(path, digests)];
  let itemInfo: ReadonlyMap<number, ItemInfo> = new Map();
  if (options.itemsPath !== undefined) {
    const bytes = await readStable(options.itemsPath);
    files.push(fileRecord(options.itemsPath, digestBytes(bytes)));
    itemInfo = parseMoviesCsv(
      decodeText(bytes, "utf-8", options.itemsPath),
      options.itemsPath,
    );
  }
  const { data, dropped } = applyDuplicatePolicy(
    interactionsFromRaw(raw, itemInfo),
    "keep-last",
    path,
  );
  return {
    data,
    source: {
      release: null,
      path,
      origin: "file",
      md5: digests.md5!,
      sha256: digests.sha256,
      verified: false,
      files,
      duplicates: { policy: "keep-last", dropped },
    },
  };
}

function parserOptions(
  release: MovieLensRelease,
  file: string,
  keepTimestamps: boolean,
  expectedBytes?: number,
): RatingsParserOptions {
  return {
    keepTimestamps,
    file,
    separator: release.format,
    header: release.format === "csv" ? "required" : "none",
    requireTimestamp: true,
    ratingRange: release.ratingRange,
    ...(expectedBytes === undefined ? {} : { expectedBytes }),
  };
}

async function loadFolder(
  release: MovieLensRelease,
  dir: string,
  verify: boolean,
  withItems: boolean,
  keepTimestamps: boolean,
  { onProgress }: Pick<LoadOptions, "onProgress">,
): Promise<{ data: Interactions; source: Omit<DataSource, "origin"> }> {
  const hint = `this is not the ${release.name} release as published; ${
    localCopyHint(release)
  }`;
  const check = (name: string, path: string, d: Digests) => {
    const expected = release.members[name];
    if (verify && expected) assertDigests(path, d, expected, hint);
  };
  // Known sizes are checked before a byte is read.
  const sizeOf = (name: string): ReadOptions =>
    verify && release.members[name]
      ? { expectedBytes: release.members[name].bytes, hint }
      : {};
  const ratingsPath = join(dir, release.ratingsFile);
  const { raw, digests } = await parseFile(
    ratingsPath,
    parserOptions(release, ratingsPath, keepTimestamps),
    true,
    { ...sizeOf(release.ratingsFile), onProgress },
  );
  check(release.ratingsFile, ratingsPath, digests);
  const ratingsVerified = verify &&
    release.members[release.ratingsFile] !== undefined;
  const files: SourceFile[] = [fileRecord(ratingsPath, digests)];

  let itemInfo: ReadonlyMap<number, ItemInfo> = new Map();
  if (withItems) {
    const read = async (name: string) => {
      const path = join(dir, name);
      const bytes = await readStable(path, sizeOf(name));
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
    data: releaseData(raw, itemInfo, ratingsVerified, ratingsPath),
    source: {
      release: release.name,
      path: dir,
      md5: digests.md5!,
      sha256: digests.sha256,
      verified: ratingsVerified,
      files,
    },
  };
}

async function loadZip(
  release: MovieLensRelease,
  zipPath: string,
  verify: boolean,
  withItems: boolean,
  keepTimestamps: boolean,
  { onProgress }: Pick<LoadOptions, "onProgress">,
): Promise<{ data: Interactions; source: Omit<DataSource, "origin"> }> {
  const hint = `delete it and download it again, or ${localCopyHint(release)}`;
  // A file named like the archive but of another size is refused unread.
  const bytes = await readStable(
    zipPath,
    verify && release.archiveBytes !== undefined
      ? { expectedBytes: release.archiveBytes, hint }
      : {},
  );
  const archiveDigests = digestBytes(bytes);
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
  // Members are checked one by one only when the archive itself could not be;
  // their sizes, from the central directory, before any inflating.
  const memberCheck = (name: string) =>
    verify && !archiveVerified ? release.members[name] : undefined;
  const sizeCheck = (name: string, entry: ZipEntry) => {
    const expected = verify ? release.members[name] : undefined;
    if (expected !== undefined && entry.size !== expected.bytes) {
      throw new DataError(
        `${zipPath}:${entry.name}`,
        `size mismatch: the archive declares ${entry.size} bytes, expected ${expected.bytes}; ${hint}`,
      );
    }
  };
  const files: SourceFile[] = [];

  const ratingsEntry = find(release.ratingsFile);
  sizeCheck(release.ratingsFile, ratingsEntry);
  const ratingsName = `${zipPath}:${ratingsEntry.name}`;
  const parser = new RatingsParser(
    parserOptions(release, ratingsName, keepTimestamps, ratingsEntry.size),
  );
  const ratingsDigest = new DigestStream(
    memberCheck(release.ratingsFile) !== undefined,
  );
  let inflated = 0;
  inflateEntry(bytes, zipPath, ratingsEntry, (chunk) => {
    ratingsDigest.update(chunk);
    parser.push(chunk);
    inflated += chunk.length;
    onProgress?.(inflated, ratingsEntry.size);
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
      sizeCheck(name, e);
      const path = `${zipPath}:${e.name}`;
      const data = readEntry(bytes, zipPath, e, {
        verifyCrc: !archiveVerified,
        maxBytes: MAX_METADATA_BYTES,
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
  const verified = archiveVerified ||
    (verify && release.members[release.ratingsFile] !== undefined);
  return {
    data: releaseData(raw, itemInfo, verified, ratingsName),
    source: {
      release: release.name,
      path: zipPath,
      md5: archiveDigests.md5!,
      sha256: archiveDigests.sha256,
      verified,
      files,
    },
  };
}

/**
 * A release's ratings as `Interactions`. A repeated (user, item) pair is
 * refused; the scan is skipped when the ratings' checksum matched the
 * published one (the release as published has no repeats).
 */
function releaseData(
  raw: RawRatings,
  itemInfo: ReadonlyMap<number, ItemInfo>,
  verified: boolean,
  file: string,
): Interactions {
  const data = interactionsFromRaw(raw, itemInfo);
  return verified ? data : applyDuplicatePolicy(data, "refuse", file).data;
}

function parseItems(
  release: MovieLensRelease,
  bytes: Uint8Array,
  path: string,
  genres: { bytes: Uint8Array; path: string } | undefined,
): Map<number, ItemInfo> {
  const text = decodeText(bytes, release.itemsEncoding, path);
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
        decodeText(genres.bytes, release.itemsEncoding, genres.path),
        genres.path,
      );
      return parseUItem(text, names, path);
    }
  }
}

/**
 * Streams a file through a `RatingsParser` and its digests in one pass (so
 * the checksum is of exactly the bytes parsed), refusing a special file, a
 * size other than `read.expectedBytes`, or a file that changed while read.
 */
async function parseFile(
  path: string,
  options: RatingsParserOptions,
  md5: boolean,
  read: ReadOptions = {},
): Promise<{ raw: RawRatings; digests: Digests }> {
  const size = (await statInput(path, read)).size;
  const parser = new RatingsParser({
    ...options,
    expectedBytes: options.expectedBytes ?? size,
  });
  const digest = new DigestStream(md5);
  await readChunks(path, (chunk) => {
    digest.update(chunk);
    parser.push(chunk);
  }, read);
  return { raw: parser.finish(), digests: digest.digest() };
}

function fileRecord(name: string, d: Digests): SourceFile {
  return d.md5 === undefined
    ? { name, sha256: d.sha256, bytes: d.bytes }
    : { name, sha256: d.sha256, md5: d.md5, bytes: d.bytes };
}
