/**
 * Where tests find the real MovieLens files: `MOVIELENS_DIR`, else
 * `../shared/data/movielens` beside the repository.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** True under CI: env `CI` set to anything but "", "0" or "false". */
export function inCi(): boolean {
  const v = Deno.env.get("CI");
  return v !== undefined && !["", "0", "false"].includes(v.toLowerCase());
}

/**
 * The MovieLens directory for real-data tests, or null when it is missing and
 * the tests should be ignored. Under CI (env `CI` set) the path is returned
 * even when missing, so the tests run and fail: CI must never pass without
 * the real-data checks. Outside CI a missing directory prints how to set it.
 */
export function movieLensTestDir(): string | null {
  const dir = Deno.env.get("MOVIELENS_DIR") ??
    join(REPO_ROOT, "../shared/data/movielens");
  let present = false;
  try {
    present = Deno.statSync(dir).isDirectory;
  } catch {
    present = false;
  }
  if (present || inCi()) return dir;
  console.warn(
    `real-data tests ignored: no MovieLens data at ${dir}; set MOVIELENS_DIR to a folder holding ` +
      "ml-latest-small.zip, ml-100k/ and ml-latest-small-2016/",
  );
  return null;
}
