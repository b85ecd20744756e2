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
