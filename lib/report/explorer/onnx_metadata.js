// @ts-check
/**
 * Reads `ModelProto.metadata_props` (field 14: repeated
 * StringStringEntryProto {key = 1, value = 2}) from ONNX model bytes with a
 * minimal protobuf wire-format walk, skipping every other field (the graph
 * and its weights included) by its length. Plain JavaScript with no imports,
 * for the browser explorer; `onnx_metadata_test.ts` checks it against
 * `lib/onnx/metadata.ts`'s `readMetadata`.
 *
 * @module
 */

const METADATA_PROPS = 14;

/**
 * A varint at `pos`: [value, next position]. Values above 2^53 lose
 * precision (only lengths and tags are read, far below that).
 * @param {Uint8Array} b
 * @param {number} pos
 * @returns {[number, number]}
 */
function varint(b, pos) {
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

/**
 * Calls `visit(field, start, end)` for each length-delimited field of the
 * message in b[from, to); skips varint, fixed32 and fixed64 fields.
 * @param {Uint8Array} b
 * @param {number} from
 * @param {number} to
 * @param {(field: number, start: number, end: number) => void} visit
 */
function walk(b, from, to, visit) {
  let pos = from;
  while (pos < to) {
    const [tag, p] = varint(b, pos);
    pos = p;
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) pos = varint(b, pos)[1];
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, start] = varint(b, pos);
      const end = start + len;
      if (end > to) throw new RangeError("field runs past the message");
      visit(field, start, end);
      pos = end;
    } else throw new RangeError(`unsupported wire type ${wire}`);
  }
  if (pos !== to) throw new RangeError("message ends inside a field");
}

/** Metadata key of the integrity digest (lib/onnx/digest.ts). */
export const DIGEST_KEY = "cf.weights_sha256";

/**
 * The recorded integrity digest and the bytes it covers: every byte of the
 * file except the one top-level `metadata_props` entry whose key is
 * {@link DIGEST_KEY} (lib/onnx/digest.ts). Hash `body` with SHA-256 and
 * compare with `recorded`.
 *
 * @param {Uint8Array} bytes the `.onnx` file
 * @returns {{ recorded: string | null, body: Uint8Array }}
 * @throws {RangeError} when the bytes are not a protobuf message, or hold
 *   the digest twice
 */
export function digestParts(bytes) {
  const utf8 = new TextDecoder("utf-8");
  /** @type {string | null} */
  let recorded = null;
  /** @type {[number, number] | null} */
  let cut = null;
  let pos = 0;
  while (pos < bytes.length) {
    const tagStart = pos;
    const [tag, p] = varint(bytes, pos);
    pos = p;
    const wire = tag & 7;
    if (wire === 0) pos = varint(bytes, pos)[1];
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, start] = varint(bytes, pos);
      const end = start + len;
      if (end > bytes.length) {
        throw new RangeError("field runs past the message");
      }
      if (Math.floor(tag / 8) === METADATA_PROPS) {
        let key = "";
        let value = "";
        walk(bytes, start, end, (f, s, e) => {
          if (f === 1) key = utf8.decode(bytes.subarray(s, e));
          else if (f === 2) value = utf8.decode(bytes.subarray(s, e));
        });
        if (key === DIGEST_KEY) {
          if (cut !== null) {
            throw new RangeError(`${DIGEST_KEY} recorded twice`);
          }
          recorded = value;
          cut = [tagStart, end];
        }
      }
      pos = end;
    } else throw new RangeError(`unsupported wire type ${wire}`);
  }
  if (pos !== bytes.length) throw new RangeError("message ends inside a field");
  if (cut === null) return { recorded, body: bytes };
  const body = new Uint8Array(bytes.length - (cut[1] - cut[0]));
  body.set(bytes.subarray(0, cut[0]), 0);
  body.set(bytes.subarray(cut[1]), cut[0]);
  return { recorded, body };
}

/**
 * The model's metadata as a key → value record (later duplicates win, as
 * in `readMetadata`; entries without a key are dropped).
 *
 * @param {Uint8Array} bytes the `.onnx` file
 * @returns {Record<string, string>}
 * @throws {RangeError} when the bytes are not a protobuf message
 */
export function readOnnxMetadata(bytes) {
  const utf8 = new TextDecoder("utf-8");
  /** @type {Record<string, string>} */
  const out = {};
  walk(bytes, 0, bytes.length, (field, start, end) => {
    if (field !== METADATA_PROPS) return;
    let key = "";
    let value = "";
    walk(bytes, start, end, (f, s, e) => {
      if (f === 1) key = utf8.decode(bytes.subarray(s, e));
      else if (f === 2) value = utf8.decode(bytes.subarray(s, e));
    });
    if (key) out[key] = value;
  });
  return out;
}
