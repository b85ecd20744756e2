/**
 * The integrity digest every exported model carries: a metadata entry
 * `cf.weights_sha256` holding the SHA-256 (lowercase hex) of every other
 * byte of the file — the graph with its weights (initializers), its nodes
 * and the rest of the metadata (ids, titles, seen items) — so a changed
 * weight, node or title is found before the model answers anything.
 *
 * Sealing: the model is encoded without the entry, hashed, and the entry is
 * appended as one more top-level `metadata_props` field (protobuf allows
 * fields in any order). Checking: the top-level fields are walked, the one
 * entry with the digest key is cut out, the remaining bytes (in file order)
 * are hashed and compared. A walk that does not end exactly at the end of
 * the file (a changed length byte) is itself a failure.
 *
 * @module
 */

import { createHash } from "node:crypto";

/** Metadata key of the digest entry. */
export const DIGEST_KEY = "cf.weights_sha256";

/** `ModelProto.metadata_props` field number. */
const METADATA_PROPS = 14;

/** SHA-256 of `bytes`, lowercase hex (64 digits). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function varint(b: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= b.length) throw new RangeError("truncated varint");
    const byte = b[pos++];
    v += (byte & 0x7f) * scale;
    if (byte < 0x80) return [v, pos];
    scale *= 128;
  }
  throw new RangeError("varint longer than 10 bytes");
}

function encodeVarint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** Length-delimited fields of b[from, to): [field, tagStart, dataStart, end]; throws on a malformed walk. */
function fields(
  b: Uint8Array,
  from: number,
  to: number,
): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  let pos = from;
  while (pos < to) {
    const tagStart = pos;
    const [tag, p] = varint(b, pos);
    pos = p;
    const wire = tag & 7;
    if (wire === 0) pos = varint(b, pos)[1];
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, start] = varint(b, pos);
      const end = start + len;
      if (end > to) throw new RangeError("a field runs past the message");
      out.push([Math.floor(tag / 8), tagStart, start, end]);
      pos = end;
    } else throw new RangeError(`unsupported wire type ${wire}`);
  }
  if (pos !== to) throw new RangeError("the message ends inside a field");
  return out;
}

/** The digest a file records and the one its bytes give. */
export interface DigestCheck {
  /** The recorded `cf.weights_sha256`, or null when the file has none. */
  readonly recorded: string | null;
  /** SHA-256 of the file without the digest entry. */
  readonly actual: string;
}

/**
 * Reads the recorded digest and computes the actual one.
 *
 * @throws {RangeError} when the bytes are not a protobuf message, or record
 *   the digest more than once.
 */
export function modelDigest(bytes: Uint8Array): DigestCheck {
  const utf8 = new TextDecoder("utf-8");
  let recorded: string | null = null;
  let cut: [number, number] | null = null;
  for (const [field, tagStart, start, end] of fields(bytes, 0, bytes.length)) {
    if (field !== METADATA_PROPS) continue;
    let key = "", value = "";
    for (const [f, , s, e] of fields(bytes, start, end)) {
      if (f === 1) key = utf8.decode(bytes.subarray(s, e));
      else if (f === 2) value = utf8.decode(bytes.subarray(s, e));
    }
    if (key !== DIGEST_KEY) continue;
    if (cut !== null) {
      throw new RangeError(`'${DIGEST_KEY}' is recorded more than once`);
    }
    recorded = value;
    cut = [tagStart, end];
  }
  const h = createHash("sha256");
  if (cut === null) h.update(bytes);
  else h.update(bytes.subarray(0, cut[0])).update(bytes.subarray(cut[1]));
  return { recorded, actual: h.digest("hex") };
}

/**
 * `bytes` (an encoded model without a digest entry) with the digest entry
 * appended.
 *
 * @example
 * ```ts
 * import { modelDigest, sealModel } from "./digest.ts";
 * const sealed = sealModel(new Uint8Array(0));
 * const d = modelDigest(sealed);
 * console.assert(d.recorded === d.actual);
 * ```
 */
export function sealModel(bytes: Uint8Array): Uint8Array {
  const enc = new TextEncoder();
  const key = enc.encode(DIGEST_KEY);
  const value = enc.encode(sha256Hex(bytes));
  const inner = [
    0x0a,
    ...encodeVarint(key.length),
    ...key,
    0x12,
    ...encodeVarint(value.length),
    ...value,
  ];
  const entry = [(METADATA_PROPS << 3) | 2, ...encodeVarint(inner.length)];
  const out = new Uint8Array(bytes.length + entry.length + inner.length);
  out.set(bytes, 0);
  out.set(entry, bytes.length);
  out.set(inner, bytes.length + entry.length);
  return out;
}
