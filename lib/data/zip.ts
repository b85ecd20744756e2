/**
 * Reads members of a ZIP archive held in memory: the central directory is
 * parsed here, DEFLATE data is inflated by fflate, chunk by chunk, so a large
 * member can be consumed without ever holding all of it. Member names that
 * could escape a folder (`..` segments, absolute paths) are rejected, and a
 * truncated or corrupt archive is a `DataError` naming the archive.
 *
 * @module
 */

import { Inflate } from "fflate";
import { crc32 } from "./crc32.ts";
import { DataError } from "./data_error.ts";

/** One member of an archive, as listed in its central directory. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated (folders end with `/`). */
  readonly name: string;
  /** 0 = stored, 8 = DEFLATE. */
  readonly method: number;
  /** Compressed size in bytes. */
  readonly compressedSize: number;
  /** Uncompressed size in bytes. */
  readonly size: number;
  /** CRC-32 of the uncompressed bytes. */
  readonly crc32: number;
  /** Offset of the member's local header from the start of the archive. */
  readonly localOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
const CHUNK = 1 << 20;
/**
 * Compressed bytes pushed to the inflater at a time: DEFLATE expands at most
 * about 1032:1, so one push yields at most ~66 MB before the size bound below
 * is checked again.
 */
const INFLATE_PUSH = 1 << 16;

/**
 * Lists every member of the archive `bytes` (read from `archive`, used in
 * error messages).
 *
 * @throws {DataError} when the archive is truncated or not a ZIP, uses ZIP64
 *   or encryption, or a member name contains a `..` segment or is absolute.
 */
export function listZip(bytes: Uint8Array, archive: string): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEocd(bytes, view);
  if (eocd < 0) {
    throw new DataError(
      archive,
      "not a ZIP archive, or truncated (no end-of-central-directory record); download it again",
    );
  }
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    throw new DataError(archive, "ZIP64 archives are not supported");
  }
  if (cdOffset + cdSize > eocd) {
    throw new DataError(
      archive,
      "corrupt or truncated ZIP archive (central directory out of bounds)",
    );
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CEN_SIG) {
      throw new DataError(
        archive,
        `corrupt ZIP archive (bad central directory entry ${k + 1})`,
      );
    }
    const flags = view.getUint16(p + 8, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const rawName = bytes.subarray(p + 46, p + 46 + nameLen);
    const name = new TextDecoder(flags & 0x800 ? "utf-8" : "latin1").decode(
      rawName,
    );
    checkEntryName(archive, name);
    if (flags & 1) {
      throw new DataError(archive, `member "${name}" is encrypted`);
    }
    entries.push({
      name,
      method: view.getUint16(p + 10, true),
      crc32: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Throws a `DataError` naming `archive` and `name` when the member name is
 * absolute (`/x`, `\x`, `C:x`) or has a `..` path segment.
 */
export function checkEntryName(archive: string, name: string): void {
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) {
    throw new DataError(archive, `refusing member "${name}": absolute path`);
  }
  if (name.split(/[/\\]/).includes("..")) {
    throw new DataError(
      archive,
      `refusing member "${name}": path contains ".."`,
    );
  }
}

/** Options for `inflateEntry`. */
export interface InflateEntryOptions {
  /** Check the member's CRC-32 (default true; skip when the archive's checksum was verified). */
  readonly verifyCrc?: boolean;
  /**
   * Largest uncompressed size accepted (default: no limit beyond the
   * declared size); a member declaring more is refused before inflating.
   */
  readonly maxBytes?: number;
}

/**
 * Decompresses one member, handing its bytes to `onChunk` in order (each
 * chunk is only valid during the call). Inflation stops as soon as the
 * output would pass the size the archive declares (a ZIP bomb costs at most
 * that many bytes and one push's worth of memory), and a declared size above
 * `options.maxBytes` is refused before inflating.
 *
 * @throws {DataError} naming `archive` and the member when its data is
 *   truncated, fails to inflate, is larger than declared or allowed, or has
 *   the wrong size or CRC-32.
 */
export function inflateEntry(
  bytes: Uint8Array,
  archive: string,
  entry: ZipEntry,
  onChunk: (chunk: Uint8Array) => void,
  options: InflateEntryOptions = {},
): void {
  const where = `${archive}:${entry.name}`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = entry.localOffset;
  if (p + 30 > bytes.length || view.getUint32(p, true) !== LOC_SIG) {
    throw new DataError(where, "corrupt ZIP archive (bad local header)");
  }
  const start = p + 30 + view.getUint16(p + 26, true) +
    view.getUint16(p + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) {
    throw new DataError(where, "truncated ZIP archive (member data cut short)");
  }
  if (options.maxBytes !== undefined && entry.size > options.maxBytes) {
    throw new DataError(
      where,
      `member declares ${entry.size} bytes, more than the ${options.maxBytes} accepted`,
    );
  }
  const verify = options.verifyCrc ?? true;
  let crc = 0;
  let size = 0;
  const take = (chunk: Uint8Array) => {
    if (size + chunk.length > entry.size) {
      throw new DataError(
        where,
        `corrupt ZIP member: inflates to more than the ${entry.size} bytes its archive declares`,
      );
    }
    if (verify) crc = crc32(chunk, crc);
    size += chunk.length;
    onChunk(chunk);
  };
  if (entry.method === 0) {
    for (let q = start; q < end; q += CHUNK) {
      take(bytes.subarray(q, Math.min(end, q + CHUNK)));
    }
  } else if (entry.method === 8) {
    let done = false;
    const inflater = new Inflate((chunk, final) => {
      take(chunk);
      if (final) done = true;
    });
    try {
      if (start === end) inflater.push(new Uint8Array(0), true);
      for (let q = start; q < end; q += INFLATE_PUSH) {
        const last = q + INFLATE_PUSH >= end;
        inflater.push(bytes.subarray(q, last ? end : q + INFLATE_PUSH), last);
      }
    } catch (err) {
      if (err instanceof DataError) throw err;
      throw new DataError(
        where,
        `corrupt ZIP member (${(err as Error).message})`,
        undefined,
        {
          cause: err,
        },
      );
    }
    if (!done) {
      throw new DataError(
        where,
        "corrupt ZIP member (DEFLATE stream does not end)",
      );
    }
  } else {
    throw new DataError(
      where,
      `unsupported ZIP compression method ${entry.method}`,
    );
  }
  if (size !== entry.size) {
    throw new DataError(
      where,
      `corrupt ZIP member: inflated to ${size} bytes, expected ${entry.size}`,
    );
  }
  if (verify && crc !== entry.crc32) {
    throw new DataError(
      where,
      `corrupt ZIP member: CRC-32 ${hex8(crc)} does not match the stored ${
        hex8(entry.crc32)
      }`,
    );
  }
}

/** Decompresses one member into a single byte array (for small members). */
export function readEntry(
  bytes: Uint8Array,
  archive: string,
  entry: ZipEntry,
  options: InflateEntryOptions = {},
): Uint8Array {
  if (options.maxBytes !== undefined && entry.size > options.maxBytes) {
    throw new DataError(
      `${archive}:${entry.name}`,
      `member declares ${entry.size} bytes, more than the ${options.maxBytes} accepted`,
    );
  }
  const out = new Uint8Array(entry.size);
  let at = 0;
  inflateEntry(bytes, archive, entry, (chunk) => {
    if (at + chunk.length > out.length) {
      throw new DataError(
        `${archive}:${entry.name}`,
        `corrupt ZIP member: larger than the stored size ${entry.size}`,
      );
    }
    out.set(chunk, at);
    at += chunk.length;
  }, options);
  return out;
}

function findEocd(bytes: Uint8Array, view: DataView): number {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let p = bytes.length - 22; p >= lowest; p--) {
    if (bytes[p] === 0x50 && view.getUint32(p, true) === EOCD_SIG) {
      const commentLen = view.getUint16(p + 20, true);
      if (p + 22 + commentLen === bytes.length) return p;
    }
  }
  return -1;
}

function hex8(x: number): string {
  return x.toString(16).padStart(8, "0");
}
