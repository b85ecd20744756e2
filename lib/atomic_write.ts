/**
 * Write-then-rename, so a reader never sees a half-written file and a good
 * file is never replaced by a broken one.
 *
 * @module
 */

import { dirname } from "node:path";

/** Mode of the finished file: temporary files are created 0600, results are for reading (0644). */
const FILE_MODE = 0o644;

/**
 * Creates a temporary file beside `path`, lets `fill` write it, and renames
 * it over `path`; on any error removes it and leaves `path` untouched.
 */
async function replaceVia(
  path: string,
  fill: (tmpPath: string) => Promise<void>,
): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = await Deno.makeTempFile({
    dir,
    prefix: ".tmp-",
    suffix: ".part",
  });
  try {
    await fill(tmp);
    await Deno.chmod(tmp, FILE_MODE);
    await Deno.rename(tmp, path);
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
}

/**
 * Writes `content` to `path` atomically: to a temporary file in the same
 * directory first, then renamed over `path`. On any error the temporary file
 * is removed and `path` is left as it was.
 */
export function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
): Promise<void> {
  return replaceVia(
    path,
    (tmp) =>
      typeof content === "string"
        ? Deno.writeTextFile(tmp, content)
        : Deno.writeFile(tmp, content),
  );
}

/**
 * Streams `source` into `path` atomically (see `writeFileAtomic`); `check`
 * runs on the finished temporary file before the rename and may throw to
 * reject it, in which case nothing is left behind.
 */
export function streamToFileAtomic(
  path: string,
  source: ReadableStream<Uint8Array>,
  check?: (tmpPath: string) => Promise<void>,
): Promise<void> {
  return replaceVia(path, async (tmp) => {
    const file = await Deno.open(tmp, { write: true, truncate: true });
    await source.pipeTo(file.writable);
    if (check) await check(tmp);
  });
}
