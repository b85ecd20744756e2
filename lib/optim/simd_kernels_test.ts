import assert from "node:assert/strict";
import { kernelBytes, kernelModule, WasmArena } from "./simd_kernels.ts";

Deno.test("kernelBytes is a valid WebAssembly module exporting adam, dots and scatter", () => {
  assert.ok(WebAssembly.validate(kernelBytes()));
  const exports = WebAssembly.Module.exports(kernelModule()!).map((e) =>
    e.name
  );
  assert.deepEqual(exports, ["adam", "dots", "scatter"]);
});

Deno.test("WasmArena dots and scatter equal float32 reference loops on 8-wide rows", () => {
  const d = 8;
  const arena = new WasmArena([3 * d, 2 * d], 64);
  const [U, V] = arena.slots;
  U.values.forEach((_, j) => U.values[j] = Math.fround(Math.sin(j)));
  V.values.forEach((_, j) => V.values[j] = Math.fround(Math.cos(j)));
  const pairs = new Int32Array(arena.memory.buffer, arena.scratch, 4);
  pairs.set([2 * d * 4, 1 * d * 4, 0, 1 * d * 4]); // (user 2, item 1), (user 0, item 1)
  const outAt = arena.scratch + 16, dsAt = arena.scratch + 32;
  arena.kernels.dots(
    U.offsets[0],
    V.offsets[0],
    arena.scratch,
    2,
    d * 4,
    outAt,
  );
  const out = new Float32Array(arena.memory.buffer, outAt, 2);
  const f = Math.fround;
  const dot = (u: number, i: number) => {
    const lanes = [0, 0, 0, 0];
    for (let k = 0; k < d; k++) {
      lanes[k % 4] = f(
        lanes[k % 4] + f(U.values[u * d + k] * V.values[i * d + k]),
      );
    }
    return f(f(lanes[0] + lanes[1]) + f(lanes[2] + lanes[3]));
  };
  assert.deepEqual([...out], [dot(2, 1), dot(0, 1)]);
  new Float32Array(arena.memory.buffer, dsAt, 2).set([0.5, -2]);
  arena.kernels.scatter(
    U.offsets[0],
    V.offsets[0],
    U.offsets[1],
    V.offsets[1],
    arena.scratch,
    dsAt,
    2,
    d * 4,
  );
  const gu = new Float32Array(3 * d), gv = new Float32Array(2 * d);
  for (const [u, i, ds] of [[2, 1, 0.5], [0, 1, -2]]) {
    for (let k = 0; k < d; k++) {
      gu[u * d + k] = f(gu[u * d + k] + f(ds * V.values[i * d + k]));
      gv[i * d + k] = f(gv[i * d + k] + f(ds * U.values[u * d + k]));
    }
  }
  assert.deepEqual([...U.grad], [...gu]);
  assert.deepEqual([...V.grad], [...gv]);
});

Deno.test("WasmArena aligns every array on 16 bytes and keeps the scratch area after the tables", () => {
  const arena = new WasmArena([5, 3], 100);
  for (const s of arena.slots) {
    for (const o of s.offsets) assert.equal(o % 16, 0);
    assert.equal(s.paddedBytes % 16, 0);
  }
  const last = arena.slots.at(-1)!;
  assert.ok(arena.scratch >= last.offsets[3] + last.paddedBytes);
  assert.equal(arena.scratchBytes, 112);
});
