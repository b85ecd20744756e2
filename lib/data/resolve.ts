/**
 * Finds a release on disk, or downloads it. Resolution order:
 * 1. the directory named by the caller (the `--data-dir` flag),
 * 2. the directory in the `MOVIELENS_DIR` environment variable,
 * 3. the cache directory (default `data/` at the repository root),
 * 4. a download from GroupLens into the cache directory.
 *
 * A directory the user named (1 or 2) is final: when it lacks the release the
 * error names it and what was looked for there, rather than falling through
 * to the cache or a download the user did not ask for.
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
 * The names `findInDir` accepts for `release` in a directory, in the order it
 * tries them: the archive, each unpacked folder's ratings file, the ratings
 * file itself.
 */
export function candidateNames(release: MovieLensRelease): string[] {
  return [
    release.archive,
    ...release.localFolders.map((f) => `${f}/${release.ratingsFile}`),
    release.ratingsFile,
  ];
}

/**
 * For a release GroupLens no longer serves (`url` null): what to look for and
 * how to check a copy, from what the registry knows (the archive's original
 * name, the release's description and its files' checksums); "" otherwise.
 * `into` names the directory the copy should go to, when the user already
 * named one.
 */
export function obtainHint(release: MovieLensRelease, into?: string): string {
  if (release.url !== null) return "";
  const ratings = release.members[release.ratingsFile];
  const check = ratings === undefined
    ? ""
    : `; its ${release.ratingsFile} has MD5 ${ratings.md5}${
      ratings.sha256 ? ` and SHA-256 ${ratings.sha256}` : ""
    } (every file is checked against the registry when read)`;
  const folder = release.localFolders[0];
  const asPublished = `${release.folder}.zip`;
  const where = into ??
    "a directory named with --data-dir or the MOVIELENS_DIR environment variable";
  const put = asPublished === release.archive
    ? `put ${release.archive} or its unpacked ${folder}/ folder in ${where}`
    : `save it in ${where} as ${release.archive}, or unpacked with its ${release.folder}/ folder renamed ${folder}/`;
  return `find an archived copy of the ${asPublished} of that time (${release.description})${check}; ${put}`;
}

/** The sentence for a missing release: the local-copy hint, or where to find a withdrawn one. */
function supplyHint(release: MovieLensRelease): string {
  return release.url === null ? obtainHint(release) : localCopyHint(release);
}

/**
 * The error for a directory the user named (`what`: `--data-dir` or
 * `MOVIELENS_DIR`) that exists but holds no copy of `release`.
 */
function notInNamedDir(
  release: MovieLensRelease,
  dir: string,
  what: "--data-dir" | typeof DATA_DIR_ENV,
  canDownload: boolean,
  envSet: boolean,
): DataError {
  const names = candidateNames(release);
  const looked = `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
  let next: string;
  if (!canDownload) {
    next = release.url === null
      ? `${release.unavailable ?? "it cannot be downloaded"}; ${
        obtainHint(release, dir)
      }`
      : "downloads are off here";
  } else if (what === "--data-dir") {
    next = envSet
      ? `without --data-dir and with ${DATA_DIR_ENV} unset it would be read from data/ or downloaded there from GroupLens`
      : "without --data-dir it would be read from data/ or downloaded there from GroupLens";
  } else {
    next =
      `with ${DATA_DIR_ENV} unset it would be read from data/ or downloaded there from GroupLens`;
  }
  return new DataError(
    dir,
    `${what} names a directory without ${release.name}: looked there for ${looked}; ${next}`,
  );
}

/**
 * Finds `release` by the resolution order above, downloading it as a last
 * resort.
 *
 * @throws {DataError} when a named directory does not exist or does not hold
 *   the release (naming it and the files looked for), or when the release is
 *   nowhere and cannot be downloaded; the message lists every place searched
 *   and how to supply a local copy.
 */
export async function locateRelease(
  release: MovieLensRelease,
  options: LocateOptions = {},
): Promise<LocatedRelease> {
  const canDownload = options.download !== false &&
    (release.url !== null || options.url !== undefined);
  const envDir = options.envDir !== undefined
    ? options.envDir
    : readEnv(DATA_DIR_ENV);
  if (options.dataDir !== undefined) {
    const hit = await findInDir(release, options.dataDir, "--data-dir");
    if (hit) return { ...hit, origin: "--data-dir" };
    throw notInNamedDir(
      release,
      options.dataDir,
      "--data-dir",
      canDownload,
      Boolean(envDir),
    );
  }
  if (envDir) {
    const hit = await findInDir(release, envDir, DATA_DIR_ENV);
    if (hit) return { ...hit, origin: "MOVIELENS_DIR" };
    throw notInNamedDir(release, envDir, DATA_DIR_ENV, canDownload, true);
  }
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  if ((await statOrNull(cacheDir))?.isDirectory) {
    const hit = await findInDir(release, cacheDir, "the cache directory");
    if (hit) return { ...hit, origin: "cache" };
  }
  const where = `looked in ${cacheDir} (cache) for ${
    candidateNames(release).join(", ")
  }`;
  if (options.download === false) {
    throw new DataError(
      release.name,
      `release not found; ${where}; ${supplyHint(release)}`,
    );
  }
  if (!canDownload) {
    throw new DataError(
      release.name,
      `release not found (${where}) and ${
        release.unavailable ?? "it cannot be downloaded"
      }; ${supplyHint(release)}`,
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
