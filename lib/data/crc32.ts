/**
 * CRC-32 (the ZIP / PNG polynomial 0xEDB88320), incremental, used to check
 * that an archive member inflated to exactly what was stored.
 *
 * @module
 */

const TABLES: Uint32Array = (() => {
  // Slicing-by-4: table k maps a byte that is k positions further back.
  const t = new Uint32Array(4 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    for (let k = 1; k < 4; k++) {
      const prev = t[(k - 1) * 256 + i];
      t[k * 256 + i] = (t[prev & 0xff] ^ (prev >>> 8)) >>> 0;
    }
  }
  return t;
})();

/**
 * Continues a CRC-32 over `bytes`: start with `crc32(bytes)` and feed the
 * previous result as `crc` for the next chunk.
 *
 * @returns The CRC as an unsigned 32-bit integer.
 * @example
 * ```ts
 * import { crc32 } from "./crc32.ts";
 * const abc = new TextEncoder().encode("123456789");
 * if (crc32(abc) !== 0xcbf43926) throw new Error("bad crc");
 * ```
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const t = TABLES;
  let c = ~crc;
  const n = bytes.length;
  let i = 0;
  const end4 = n - (n & 3);
  for (; i < end4; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) |
      (bytes[i + 3] << 24);
    c = t[768 + (c & 0xff)] ^ t[512 + ((c >>> 8) & 0xff)] ^
      t[256 + ((c >>> 16) & 0xff)] ^ t[c >>> 24];
  }
  for (; i < n; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
