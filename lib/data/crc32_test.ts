import assert from "node:assert/strict";
import { crc32 } from "./crc32.ts";

Deno.test("crc32 of '123456789' is the check value 0xCBF43926", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

Deno.test("crc32 continued over chunks equals crc32 of the whole", () => {
  const bytes = new Uint8Array(1001).map((_, i) => (i * 131 + 7) & 255);
  let c = 0;
  for (const cut of [[0, 3], [3, 500], [500, 1001]]) {
    c = crc32(bytes.subarray(cut[0], cut[1]), c);
  }
  assert.equal(c, crc32(bytes));
});
