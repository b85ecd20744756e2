import assert from "node:assert/strict";
import { kernelBytes, kernelModule, WasmArena } from "./simd_kernels.ts";

Deno.test("kernelBytes is a valid WebAssembly module exporting adam, dots, scatter and adamEpsHat", () => {
  assert.ok(WebAssembly.validate(kernelBytes()));
  const exports = WebAssembly.Module.exports(kernelModule()!).map((e) =>
    e.name
  );
  assert.deepEqual(exports, ["adam", "dots", "scatter", "adamEpsHat"]);
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

Deno.test("adamEpsHat gives the bits of adam with sqrtBc2 = decay = 1 and zeroes the gradient", () => {
  const n = 4099;
  const twin = new WasmArena([n, n]);
  const [a, b] = twin.slots;
  // Values of mixed sign and magnitude, including zeros, subnormals and ±1.
  const special = [0, -0, 1, -1, 1e-40, -1e-42, 3e30, -7e-20];
  for (const s of [a, b]) {
    for (let j = 0; j < n; j++) {
      const x = (k: number) =>
        j % 17 === k ? special[(j >> 4) % special.length] : Math.sin(j * k) *
          10 ** ((j * k) % 9 - 4);
      s.values[j] = x(1);
      s.grad[j] = x(2);
      s.m[j] = x(3);
      s.v[j] = Math.abs(x(4));
    }
  }
  const f = Math.fround;
  const scalars = [f(2e-6), f(0.9), f(1 - f(0.9)), f(0.999), f(1 - f(0.999))];
  for (let step = 1; step <= 3; step++) {
    const lr = f(1e-3 * step), eps = f(1e-7);
    twin.kernels.adam(
      a.offsets[0],
      a.offsets[1],
      a.offsets[2],
      a.offsets[3],
      a.paddedBytes,
      scalars[0],
      scalars[1],
      scalars[2],
      scalars[3],
      scalars[4],
      lr,
      1,
      eps,
      1,
    );
    twin.kernels.adamEpsHat(
      b.offsets[0],
      b.offsets[1],
      b.offsets[2],
      b.offsets[3],
      b.paddedBytes,
      scalars[0],
      scalars[1],
      scalars[2],
      scalars[3],
      scalars[4],
      lr,
      eps,
    );
    const bits = (x: Float32Array) => new Uint32Array(x.slice().buffer);
    assert.deepEqual(bits(b.values), bits(a.values), `values, step ${step}`);
    assert.deepEqual(bits(b.m), bits(a.m), `m, step ${step}`);
    assert.deepEqual(bits(b.v), bits(a.v), `v, step ${step}`);
    assert.ok(b.grad.every((g) => Object.is(g, 0)), "gradient zeroed");
    // the next step: fresh gradients in both
    for (let j = 0; j < n; j++) {
      a.grad[j] = b.grad[j] = f(Math.cos(j * step) * 1e-2);
    }
  }
});
