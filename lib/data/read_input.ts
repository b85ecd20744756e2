/**
 * Reading an input file the way every loader must: only a regular file
 * (a FIFO, device, socket or directory is refused before it is opened, so
 * nothing blocks or reads forever), at most a stated size, in chunks that
 * are hashed and parsed in the same pass, and refused when the file changed
 * while it was read (its size or modification time before and after differ,
 * or more or fewer bytes came than it had) — so the checksum recorded is
 * always that of the bytes parsed, and those are the whole file.
 *
 * Errors are `DataError`s naming the path, one line, never quoting content.
 *
 * @module
 */

import { DataError } from "./data_error.ts";

/** Options for `readChunks` and `readStable`. */
export interface ReadOptions {
  /** Largest size accepted, in bytes; a larger file is refused before reading. */
  readonly maxBytes?: number;
  /** Exact size expected (e.g. from the registry); another size is refused before reading. */
  readonly expectedBytes?: number;
  /** Appended to a size error (e.g. how to get a good copy). */
  readonly hint?: string;
  /**
   * Called after each chunk with the bytes read so far and the file's size
   * (progress); the chunk has been handed on by then.
   */
  readonly onProgress?: (bytesRead: number, totalBytes: number) =>
    | void
    | Promise<void>;
  /** Chunk size in bytes (default 4 MiB). */
  readonly chunkBytes?: number;
}

/** What kind of thing `info` describes, for an error message. */
export function fileKind(info: Deno.FileInfo): string {
  if (info.isFile) return "a regular file";
  if (info.isDirectory) return "a directory";
  if (info.isFifo) return "a FIFO (named pipe)";
  if (info.isCharDevice) return "a character device";
  if (info.isBlockDevice) return "a block device";
  if (info.isSocket) return "a socket";
  return "not a regular file";
}

/**
 * The one-line `DataError` for an error raised while opening or reading
 * `path` (not found, permission denied, a directory); other errors are
 * returned unchanged.
 */
export function inputError(path: string, err: unknown): Error {
  const cause = { cause: err };
  if (err instanceof DataError) return err;
  if (err instanceof Deno.errors.NotFound) {
    return new DataError(path, "file not found", undefined, cause);
  }
  if (err instanceof Deno.errors.PermissionDenied) {
    return new DataError(
      path,
      "permission denied: the file cannot be read",
      undefined,
      cause,
    );
  }
  if (err instanceof Deno.errors.NotCapable) {
    return new DataError(
      path,
      "not readable with this command's --allow-read permission",
      undefined,
      cause,
    );
  }
  if (err instanceof Deno.errors.IsADirectory) {
    return new DataError(
      path,
      "is a directory, not a file",
      undefined,
      cause,
    );
  }
  if (err instanceof Deno.errors.NotADirectory) {
    return new DataError(
      path,
      "a folder on this path is a file",
      undefined,
      cause,
    );
  }
  return err as Error;
}

/**
 * Stats `path` (following links) and refuses anything but a regular file,
 * and sizes outside `options`.
 *
 * @throws {DataError} naming the path and what it is instead.
 */
export async function statInput(
  path: string,
  options: ReadOptions = {},
): Promise<Deno.FileInfo> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (err) {
    throw inputError(path, err);
  }
  if (!info.isFile) {
    throw new DataError(
      path,
      `is ${fileKind(info)}, not a regular file; give the path of a file`,
    );
  }
  checkSize(path, info.size, options);
  return info;
}

function checkSize(path: string, size: number, options: ReadOptions): void {
  const tail = options.hint ? `; ${options.hint}` : "";
  if (options.expectedBytes !== undefined && size !== options.expectedBytes) {
    throw new DataError(
      path,
      `size mismatch: ${size} bytes, expected ${options.expectedBytes}${tail}`,
    );
  }
  if (options.maxBytes !== undefined && size > options.maxBytes) {
    throw new DataError(
      path,
      `file is ${size} bytes, more than the limit of ${options.maxBytes}${tail}`,
    );
  }
}

/**
 * Streams the regular file `path` to `onChunk` (each chunk valid only during
 * the call), then checks that it did not change while read; returns the
 * number of bytes read.
 *
 * @throws {DataError} for a missing, unreadable or special file, a size
 *   outside `options`, or a file that changed while being read.
 */
export async function readChunks(
  path: string,
  onChunk: (chunk: Uint8Array) => void,
  options: ReadOptions = {},
): Promise<number> {
  const before = await statInput(path, options);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    throw inputError(path, err);
  }
  try {
    const opened = await file.stat();
    if (!opened.isFile || !sameFile(before, opened)) {
      throw changed(path, "was replaced between its check and its opening");
    }
    const buf = new Uint8Array(options.chunkBytes ?? 1 << 22);
    let total = 0;
    for (;;) {
      let n: number | null;
      try {
        n = await file.read(buf);
      } catch (err) {
        throw inputError(path, err);
      }
      if (n === null) break;
      total += n;
      if (total > before.size) {
        throw before.size === 0
          ? new DataError(
            path,
            "reports a size of 0 bytes but has content: not a regular file (e.g. under /proc); copy it to a file first",
          )
          : changed(
            path,
            `grew while being read (${before.size} bytes when opened)`,
          );
      }
      onChunk(buf.subarray(0, n));
      await options.onProgress?.(total, before.size);
    }
    const after = await file.stat();
    if (
      total !== before.size || after.size !== before.size ||
      after.mtime?.getTime() !== before.mtime?.getTime()
    ) {
      throw changed(
        path,
        `changed while being read (${before.size} bytes when opened, ${after.size} after, ${total} read)`,
      );
    }
    return total;
  } finally {
    file.close();
  }
}

/**
 * Reads the whole regular file `path` with the checks of `readChunks`.
 *
 * @throws {DataError} as `readChunks`.
 */
export async function readStable(
  path: string,
  options: ReadOptions = {},
): Promise<Uint8Array> {
  const size = (await statInput(path, options)).size;
  const out = new Uint8Array(size);
  let at = 0;
  await readChunks(path, (chunk) => {
    if (at + chunk.length > size) {
      throw changed(path, `grew while being read (${size} bytes when opened)`);
    }
    out.set(chunk, at);
    at += chunk.length;
  }, options);
  return out;
}

function sameFile(a: Deno.FileInfo, b: Deno.FileInfo): boolean {
  return a.ino === b.ino && a.dev === b.dev;
}

function changed(path: string, what: string): DataError {
  return new DataError(
    path,
    `${what}; nothing read from it was used: read it again once nothing writes to it`,
  );
}
