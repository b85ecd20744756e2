/**
 * Finds a release on disk, or downloads it. Resolution order:
 * 1. the directory named by the caller (the `--data-dir` flag),
 * 2. the directory in the `MOVIELENS_DIR` environment variable,
 * 3. the cache directory (default `data/` at the repository root),
 * 4. a download from GroupLens into the cache directory.
 *
 * In a directory, the official archive (`ml-latest-small.zip`), the unpacked
 * folder (`ml-100k/u.data`, `ml-latest-small/ratings.csv`, ...) or the
 * folder itself (holding `u.data` / `ratings.csv` / `ratings.dat`) is found.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataError } from "./data_error.ts";
import { downloadArchive, localCopyHint } from "./download.ts";
import type { MovieLensRelease } from "./registry.ts";

/** The environment variable naming a directory of MovieLens data. */
export const DATA_DIR_ENV = "MOVIELENS_DIR";

/** The default cache directory: `data/` at the repository root. */
export const DEFAULT_CACHE_DIR: string = fileURLToPath(
  new URL("../../data/", import.meta.url),
);

/** Where a release was found: an archive or an unpacked folder, and which rule found it. */
export interface LocatedRelease {
  readonly kind: "zip" | "folder";
  /** The archive file, or the folder holding the release's files. */
  readonly path: string;
  /** `--data-dir`, `MOVIELENS_DIR`, `cache` or `download`. */
  readonly origin: "--data-dir" | "MOVIELENS_DIR" | "cache" | "download";
}

/** Options for `locateRelease`. */
export interface LocateOptions {
  /** Directory (or archive file) named by the user, e.g. from `--data-dir`. */
  readonly dataDir?: string;
  /** Cache directory (default `DEFAULT_CACHE_DIR`). */
  readonly cacheDir?: string;
  /** Whether a download may be attempted when nothing is found (default true). */
  readonly download?: boolean;
  /** Download URL instead of the release's (tests). */
  readonly url?: string;
  /** Value of `MOVIELENS_DIR` instead of reading the environment (tests); null = unset. */
  readonly envDir?: string | null;
}

/**
 * Looks for `release` in `dir`; null when it is not there.
 *
 * @throws {DataError} naming `what` when `dir` does not exist.
 */
export async function findInDir(
  release: MovieLensRelease,
  dir: string,
  what: string,
): Promise<{ kind: "zip" | "folder"; path: string } | null> {
  const info = await statOrNull(dir);
  if (info === null) {
    throw new DataError(dir, `${what} names a directory that does not exist`);
  }
  if (info.isFile) {
    if (dir.endsWith(".zip")) return { kind: "zip", path: dir };
    throw new DataError(dir, `${what} must name a directory or a .zip archive`);
  }
  const zip = join(dir, release.archive);
  if ((await statOrNull(zip))?.isFile) return { kind: "zip", path: zip };
  for (const folder of release.localFolders) {
    const path = join(dir, folder);
    if ((await statOrNull(join(path, release.ratingsFile)))?.isFile) {
      return { kind: "folder", path };
    }
  }
  if ((await statOrNull(join(dir, release.ratingsFile)))?.isFile) {
    return { kind: "folder", path: dir };
  }
  return null;
}

/**
 * Finds `release` by the resolution order above, downloading it as a last
 * resort.
 *
 * @throws {DataError} when a named directory does not exist, or when the
 *   release is nowhere and cannot be downloaded; the message lists every
 *   place searched and how to point the loader at a local copy.
 */
export async function locateRelease(
  release: MovieLensRelease,
  options: LocateOptions = {},
): Promise<LocatedRelease> {
  const searched: string[] = [];
  if (options.dataDir !== undefined) {
    const hit = await findInDir(release, options.dataDir, "--data-dir");
    if (hit) return { ...hit, origin: "--data-dir" };
    searched.push(`${options.dataDir} (--data-dir)`);
  }
  const envDir = options.envDir !== undefined
    ? options.envDir
    : readEnv(DATA_DIR_ENV);
  if (envDir) {
    const hit = await findInDir(release, envDir, DATA_DIR_ENV);
    if (hit) return { ...hit, origin: "MOVIELENS_DIR" };
    searched.push(`${envDir} (${DATA_DIR_ENV})`);
  }
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  if ((await statOrNull(cacheDir))?.isDirectory) {
    const hit = await findInDir(release, cacheDir, "the cache directory");
    if (hit) return { ...hit, origin: "cache" };
  }
  searched.push(`${cacheDir} (cache)`);
  const where = `looked in ${searched.join(", ")}`;
  if (options.download === false) {
    throw new DataError(
      release.name,
      `release not found; ${where}; ${localCopyHint(release)}`,
    );
  }
  if (release.url === null && options.url === undefined) {
    throw new DataError(
      release.name,
      `release not found (${where}) and ${
        release.unavailable ?? "it cannot be downloaded"
      }; ` +
        localCopyHint(release),
    );
  }
  const { path } = await downloadArchive(release, cacheDir, {
    url: options.url,
  });
  return { kind: "zip", path, origin: "download" };
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (err) {
    if (
      err instanceof Deno.errors.NotFound ||
      err instanceof Deno.errors.NotADirectory
    ) return null;
    throw err;
  }
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: treat as unset
  }
}
