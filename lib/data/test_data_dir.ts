/**
 * Where tests and benchmarks find the real MovieLens files: the folder named
 * by the `MOVIELENS_DIR` environment variable (tests), or the experiments' own
 * resolution without `--data-dir` and without downloading (benchmarks:
 * `MOVIELENS_DIR`, then `data/`).
 *
 * @module
 */

import { DataError } from "./data_error.ts";
import { getRelease, type ReleaseName } from "./registry.ts";
import {
  DATA_DIR_ENV,
  DEFAULT_CACHE_DIR,
  type LocateOptions,
  locateRelease,
} from "./resolve.ts";

/** What the real-data tests need in `MOVIELENS_DIR`. */
const TEST_RELEASES =
  "ml-latest-small.zip (2018), ml-100k/ and ml-latest-small-2016/";

/** True under CI: env `CI` set to anything but "", "0" or "false". */
export function inCi(): boolean {
  const v = Deno.env.get("CI");
  return v !== undefined && !["", "0", "false"].includes(v.toLowerCase());
}

/**
 * The MovieLens directory for real-data tests (`MOVIELENS_DIR`), or null when
 * it is unset or missing and the tests should be ignored; outside CI that
 * prints how to set it. Under CI (env `CI` set) a set but missing directory
 * is returned anyway, so the tests run and fail, and an unset variable
 * throws: CI must never pass without the real-data checks.
 *
 * @throws {Error} under CI when `MOVIELENS_DIR` is unset.
 */
export function movieLensTestDir(): string | null {
  const dir = Deno.env.get(DATA_DIR_ENV);
  if (!dir) {
    const how =
      `set ${DATA_DIR_ENV} to a folder holding ${TEST_RELEASES} to run them`;
    if (inCi()) {
      throw new Error(
        `${DATA_DIR_ENV} is not set under CI: the real-data tests cannot run; ${how}`,
      );
    }
    console.warn(`real-data tests ignored: ${DATA_DIR_ENV} is not set; ${how}`);
    return null;
  }
  let present = false;
  try {
    present = Deno.statSync(dir).isDirectory;
  } catch {
    present = false;
  }
  if (present || inCi()) return dir;
  console.warn(
    `real-data tests ignored: ${DATA_DIR_ENV}=${dir} does not exist; set it to a folder holding ${TEST_RELEASES}`,
  );
  return null;
}

/**
 * Where a benchmark finds `release`, as an experiment run without
 * `--data-dir` would (`MOVIELENS_DIR`, then `data/`), but never downloading:
 * the archive or folder to pass as `dataDir`, or null after one line on
 * stderr (via `log`) saying the bench `bench` is skipped and what to set.
 *
 * @param options `envDir` / `cacheDir` instead of the environment and
 *   `data/` (tests).
 */
export async function benchDataDir(
  release: ReleaseName,
  bench: string,
  options: Pick<LocateOptions, "envDir" | "cacheDir"> = {},
  log: (line: string) => void = console.error,
): Promise<string | null> {
  const entry = getRelease(release);
  try {
    return (await locateRelease(entry, { ...options, download: false })).path;
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    const envDir = options.envDir !== undefined
      ? options.envDir
      : Deno.env.get(DATA_DIR_ENV);
    const where = envDir
      ? `${DATA_DIR_ENV}=${envDir}`
      : `${options.cacheDir ?? DEFAULT_CACHE_DIR} (${DATA_DIR_ENV} is unset)`;
    log(
      `${bench}: skipped, no ${release} in ${where}; set ${DATA_DIR_ENV} to a folder holding ${entry.archive} or ${
        entry.localFolders[0]
      }/`,
    );
    return null;
  }
}
