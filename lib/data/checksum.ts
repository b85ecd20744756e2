/**
 * MD5 and SHA-256 of files and byte streams (lower-case hex), computed in one
 * pass, plus the comparison that turns a mismatch into a `DataError`.
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { DataError } from "./data_error.ts";

/** Digests of some bytes, as lower-case hex, and how many bytes were hashed. */
export interface Digests {
  /** MD5, or undefined when it was not asked for. */
  readonly md5?: string;
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Incremental SHA-256 (and MD5 unless `md5` is false) over chunks pushed in
 * order. MD5 costs more than SHA-256 here, so callers skip it when no
 * published MD5 is to be compared.
 */
export class DigestStream {
  readonly #md5: Hash | undefined;
  readonly #sha256: Hash = createHash("sha256");
  #bytes = 0;

  constructor(md5 = true) {
    this.#md5 = md5 ? createHash("md5") : undefined;
  }

  /** Adds a chunk (not retained). */
  update(chunk: Uint8Array): void {
    this.#md5?.update(chunk);
    this.#sha256.update(chunk);
    this.#bytes += chunk.length;
  }

  /** Finishes the hashes; the stream cannot be used afterwards. */
  digest(): Digests {
    const sha256 = this.#sha256.digest("hex");
    return this.#md5
      ? { md5: this.#md5.digest("hex"), sha256, bytes: this.#bytes }
      : { sha256, bytes: this.#bytes };
  }
}

/** MD5 and SHA-256 of a byte array. */
export function digestBytes(bytes: Uint8Array): Digests {
  const d = new DigestStream();
  d.update(bytes);
  return d.digest();
}

/** MD5 and SHA-256 of a file, read in 4 MiB chunks. */
export async function digestFile(path: string): Promise<Digests> {
  const d = new DigestStream();
  using file = await Deno.open(path, { read: true });
  const buf = new Uint8Array(1 << 22);
  for (;;) {
    const n = await file.read(buf);
    if (n === null) break;
    d.update(buf.subarray(0, n));
  }
  return d.digest();
}

/** Checksums a file is expected to have; absent fields are not checked. */
export interface ExpectedDigests {
  readonly md5?: string | null;
  readonly sha256?: string | null;
  readonly bytes?: number;
}

/**
 * Throws a `DataError` naming `file` with the expected and actual values when
 * `actual` disagrees with any field given in `expected`.
 *
 * @param hint Appended to the message (e.g. how to get a good copy).
 */
export function assertDigests(
  file: string,
  actual: Digests,
  expected: ExpectedDigests,
  hint = "",
): void {
  const tail = hint ? `; ${hint}` : "";
  if (expected.md5 && actual.md5 === undefined) {
    throw new Error(
      `assertDigests(${file}): an MD5 is expected but was not computed`,
    );
  }
  if (expected.md5 && expected.md5.toLowerCase() !== actual.md5) {
    throw new DataError(
      file,
      `checksum mismatch: expected MD5 ${expected.md5.toLowerCase()}, got ${actual.md5}${tail}`,
    );
  }
  if (expected.sha256 && expected.sha256.toLowerCase() !== actual.sha256) {
    throw new DataError(
      file,
      `checksum mismatch: expected SHA-256 ${expected.sha256.toLowerCase()}, got ${actual.sha256}${tail}`,
    );
  }
  if (expected.bytes !== undefined && expected.bytes !== actual.bytes) {
    throw new DataError(
      file,
      `size mismatch: expected ${expected.bytes} bytes, got ${actual.bytes}${tail}`,
    );
  }
}
