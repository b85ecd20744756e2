import assert from "node:assert/strict";
import {
  F32,
  F32_STORE,
  funcBody,
  get,
  I32,
  I32_ADD,
  I32_MUL,
  i32c,
  leb,
  loop,
  memoryModule,
  set,
  sleb,
} from "./asm.ts";

Deno.test("leb encodes unsigned LEB128 (spec examples)", () => {
  assert.deepEqual(leb(0), [0]);
  assert.deepEqual(leb(127), [0x7f]);
  assert.deepEqual(leb(128), [0x80, 0x01]);
  assert.deepEqual(leb(624485), [0xe5, 0x8e, 0x26]);
});

Deno.test("sleb encodes signed LEB128 including the sign bit boundary", () => {
  assert.deepEqual(sleb(0), [0]);
  assert.deepEqual(sleb(63), [0x3f]);
  assert.deepEqual(sleb(64), [0xc0, 0x00]);
  assert.deepEqual(sleb(-1), [0x7f]);
  assert.deepEqual(sleb(-64), [0x40]);
  assert.deepEqual(sleb(-65), [0xbf, 0x7f]);
  assert.deepEqual(sleb(-123456), [0xc0, 0xbb, 0x78]);
});

Deno.test("memoryModule with loop and funcBody runs a counted store loop", () => {
  // fill(ptr, n, x): for (i = 0; i < 4n; i += 4) f32[ptr + i] = x
  const I = 3;
  const body = funcBody(
    [[1, I32]],
    loop(I, [...get(1), ...i32c(4), ...I32_MUL], 4, [
      ...get(0),
      ...get(I),
      ...I32_ADD,
      ...get(2),
      ...F32_STORE,
    ]),
  );
  // marker(ptr): i32[ptr] = 300, through a set/get round trip of a local
  const bytes = memoryModule([
    { name: "fill", params: [I32, I32, F32], body },
    {
      name: "marker",
      params: [I32],
      body: funcBody([[1, I32]], [
        ...i32c(300),
        ...set(1),
        ...get(0),
        ...get(1),
        0x36,
        2,
        0,
      ]),
    },
  ]);
  assert.ok(WebAssembly.validate(bytes));
  const memory = new WebAssembly.Memory({ initial: 1 });
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { memory },
  }).exports as {
    fill(ptr: number, n: number, x: number): void;
    marker(ptr: number): void;
  };
  exports.fill(16, 5, 2.5);
  const f = new Float32Array(memory.buffer);
  assert.deepEqual(
    [...f.subarray(3, 10)],
    [0, 0, 0, 0, 0, 0, 0].map((_, k) => k >= 1 && k <= 5 ? 2.5 : 0),
  );
  exports.marker(64);
  assert.equal(new Int32Array(memory.buffer)[16], 300);
});
