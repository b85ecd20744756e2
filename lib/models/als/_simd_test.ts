import assert from "node:assert/strict";
import { RandomState } from "../../rng.ts";
import {
  type AlsRows,
  finishGram,
  gramUpperRows,
  paddedFactors,
  scalarKernels,
} from "./_kernel.ts";
import { simdKernels, WasmArena } from "./_simd.ts";
import { ALS_SIMD_WASM } from "./als_simd_wasm.ts";
import {
  compileWat,
  renderWasmModule,
  WASM_SOURCES,
} from "../../wasm/build.ts";

/**
 * A random CG problem whose arrays live in one WasmArena: nRows rows over
 * nOther columns with ~30% filled (row 1 empty), weights that include
 * negative confidences, float32 factors (rows ks apart, zero padding) of
 * mixed sign and magnitude.
 */
function problem(seed: number, nRows: number, nOther: number, k: number) {
  const ks = paddedFactors(k);
  const rs = new RandomState(seed);
  const coo: [number, number, number][] = [];
  for (let u = 0; u < nRows; u++) {
    for (let i = 0; i < nOther; i++) {
      if (u !== 1 && rs.randomSample() < 0.3) {
        coo.push([u, i, (rs.randomSample() - 0.2) * 7]);
      }
    }
  }
  const nnz = coo.length;
  const arena = new WasmArena(
    WasmArena.bytesFor([
      4 * (nRows + 1),
      4 * nnz,
      4 * nnz,
      4 * nOther * ks,
      4 * nRows * ks,
      4 * nRows * ks,
      8 * k * k,
      4 * ks * ks,
      4 * 3 * ks,
      4 * 3 * ks,
      8 * 20 * k * k,
    ]),
  );
  const rows: AlsRows = {
    nRows,
    indptr: arena.i32(nRows + 1),
    indices: arena.i32(nnz),
    conf: arena.f32(nnz),
  };
  coo.forEach(([u, i, c], e) => {
    rows.indptr[u + 1] = e + 1;
    rows.indices[e] = i;
    rows.conf[e] = c;
  });
  for (let u = 0; u < nRows; u++) {
    rows.indptr[u + 1] = Math.max(rows.indptr[u + 1], rows.indptr[u]);
  }
  const y = arena.f32(nOther * ks);
  const xScalar = arena.f32(nRows * ks), xSimd = arena.f32(nRows * ks);
  for (let r = 0; r < nOther; r++) {
    for (let j = 0; j < k; j++) y[r * ks + j] = rs.standardNormal() * 0.3;
  }
  for (let r = 0; r < nRows; r++) {
    for (let j = 0; j < k; j++) {
      xScalar[r * ks + j] = xSimd[r * ks + j] = (rs.randomSample() - 0.5) *
        0.02;
    }
  }
  const g = arena.f64(k * k), g32 = arena.f32(ks * ks);
  gramUpperRows(y, nOther, k, ks, 0, k, g);
  finishGram(g, k, 0.1, g32, ks);
  return { arena, rows, y, xScalar, xSimd, g, g32, k, ks };
}

Deno.test("simdKernels: gramUpperRows is bit-identical to scalarKernels for k = 1…9 and 50, any row split", () => {
  for (const k of [1, 2, 3, 4, 5, 6, 7, 8, 9, 50]) {
    const { arena, y, ks } = problem(k, 5, 13, k);
    const simd = simdKernels(arena.memory);
    // Gram of 13, 12 and 11 rows (the 4-row, pair and single paths), split rows.
    for (const n of [13, 12, 11, 1]) {
      const gs = arena.f64(k * k), gr = arena.f64(k * k);
      gs.fill(7);
      gr.fill(7);
      const mid = k >> 1;
      simd.gramUpperRows(y, n, k, ks, 0, mid, gs);
      simd.gramUpperRows(y, n, k, ks, mid, k, gs);
      scalarKernels.gramUpperRows(y, n, k, ks, 0, k, gr);
      assert.deepEqual(gs, gr, `gramUpperRows k=${k} n=${n}`);
      assert.ok(gr.some((v) => v !== 7 && v !== 0));
    }
  }
});

Deno.test("cgSolveRows: SIMD kernels give bit-identical float32 factors to the scalar ones (k = 1…9, 50, 64; 1–5 CG steps)", () => {
  for (const k of [1, 2, 3, 4, 5, 6, 7, 8, 9, 50, 64]) {
    for (const steps of [1, 3, 5]) {
      const { arena, rows, y, xScalar, xSimd, g32, ks } = problem(
        100 + k + steps,
        11,
        40,
        k,
      );
      const before = Float32Array.from(xScalar);
      const s1 = arena.f32(3 * ks), s2 = arena.f32(3 * ks);
      // Row 1 has no entries; rows split unevenly as threads would take them.
      scalarKernels.cgSolveRows(rows, xScalar, y, g32, ks, steps, 0, 11, s1);
      const simd = simdKernels(arena.memory);
      for (const [a, b] of [[0, 2], [2, 3], [3, 11]]) {
        simd.cgSolveRows(rows, xSimd, y, g32, ks, steps, a, b, s2);
      }
      assert.notDeepEqual(xScalar, before);
      assert.deepEqual(xSimd, xScalar, `k=${k} steps=${steps}`);
      // The padding columns stay zero.
      for (let r = 0; r < 11; r++) {
        for (let j = k; j < ks; j++) assert.equal(xSimd[r * ks + j], 0);
      }
    }
  }
});

Deno.test("cgSolveRows: float32 CG is not float64 CG (the scalar twin rounds every step)", () => {
  // Guards the Math.fround mirroring: the same steps without rounding give
  // different bits, so the bit-identity test above can fail.
  const { rows, y, xScalar, g, k, ks } = problem(7, 6, 30, 8);
  const x64 = Float64Array.from(xScalar);
  scalarKernels.cgSolveRows(
    rows,
    xScalar,
    y,
    Float32Array.from(g),
    ks,
    3,
    0,
    6,
    new Float32Array(3 * ks),
  );
  const u = 0, xo = u * ks;
  // One plain float64 CG on row 0 for comparison.
  const e0 = rows.indptr[u], e1 = rows.indptr[u + 1];
  const av = (v: Float64Array) => {
    const out = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      for (let j = 0; j < k; j++) out[a] += g[a * k + j] * v[j];
    }
    for (let e = e0; e < e1; e++) {
      const yo = rows.indices[e] * ks;
      let d = 0;
      for (let j = 0; j < k; j++) d += y[yo + j] * v[j];
      const w = Math.abs(rows.conf[e]) - 1;
      for (let j = 0; j < k; j++) out[j] += w * d * y[yo + j];
    }
    return out;
  };
  const b = new Float64Array(k);
  for (let e = e0; e < e1; e++) {
    const c = rows.conf[e];
    if (c > 0) {
      for (let j = 0; j < k; j++) b[j] += c * y[rows.indices[e] * ks + j];
    }
  }
  const x = x64.slice(xo, xo + k);
  const ax = av(x);
  const r = b.map((bj, j) => bj - ax[j]);
  const p = r.slice();
  let rs = r.reduce((s, v) => s + v * v, 0);
  for (let it = 0; it < 3; it++) {
    const ap = av(p);
    const alpha = rs / p.reduce((s, v, j) => s + v * ap[j], 0);
    for (let j = 0; j < k; j++) {
      x[j] += alpha * p[j];
      r[j] -= alpha * ap[j];
    }
    const rn = r.reduce((s, v) => s + v * v, 0);
    for (let j = 0; j < k; j++) p[j] = r[j] + (rn / rs) * p[j];
    rs = rn;
  }
  let maxDiff = 0, same = true;
  for (let j = 0; j < k; j++) {
    const d = Math.abs(x[j] - xScalar[xo + j]);
    maxDiff = Math.max(maxDiff, d);
    if (Math.fround(x[j]) !== xScalar[xo + j]) same = false;
  }
  // Close (the same algorithm) but not bit-equal after rounding to float32.
  assert.ok(maxDiff < 1e-4, `float32 vs float64 CG differ by ${maxDiff}`);
  assert.ok(
    !same,
    "float32 CG equals float64 CG rounded: fround mirroring untested",
  );
});

Deno.test("WasmArena: 16-byte aligned, zeroed views on one shared memory; overflow throws", () => {
  const arena = new WasmArena(WasmArena.bytesFor([12, 8 * 3]));
  const a = arena.i32(3), b = arena.f64(3);
  assert.equal(a.buffer, arena.memory.buffer);
  assert.equal(b.buffer, arena.memory.buffer);
  assert.ok(arena.memory.buffer instanceof SharedArrayBuffer);
  assert.equal(b.byteOffset % 16, 0);
  assert.ok(b.byteOffset >= a.byteOffset + 12);
  assert.deepEqual([...b], [0, 0, 0]);
  assert.throws(() => arena.f64(65536 / 8), /out of reserved memory/);
  assert.throws(() => new WasmArena(2 ** 33), /4 GiB/);
});

Deno.test("ALS_SIMD_WASM: is what wat2wasm makes of als_simd.wat", async () => {
  const wasm = await compileWat(WASM_SOURCES.als);
  const text = renderWasmModule(WASM_SOURCES.als, wasm);
  const generated = await Deno.readTextFile(
    new URL("./als_simd_wasm.ts", import.meta.url),
  );
  // Compare the base64 payloads (the generated file is also deno-fmt'ed).
  const payload = (s: string) => s.replace(/[^"]*"([^"]*)"[^"]*/g, "$1");
  assert.equal(payload(generated), payload(text));
  assert.equal(atob(ALS_SIMD_WASM).length, wasm.length);
});
