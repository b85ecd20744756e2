import assert from "node:assert/strict";
import { RandomState } from "../../rng.ts";
import {
  type AlsRows,
  cgSolveRows,
  finishGram,
  gramUpperRows,
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
 * negative confidences, factors of mixed sign and magnitude.
 */
function problem(seed: number, nRows: number, nOther: number, k: number) {
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
      8 * nnz,
      8 * nnz,
      8 * nOther * k,
      8 * nRows * k,
      8 * nRows * k,
      8 * k * k,
      8 * 6 * k,
      8 * 6 * k,
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
  const y = arena.f64(nOther * k);
  for (let i = 0; i < y.length; i++) y[i] = rs.standardNormal() * 0.3;
  const xScalar = arena.f64(nRows * k), xSimd = arena.f64(nRows * k);
  for (let i = 0; i < xScalar.length; i++) {
    xScalar[i] = xSimd[i] = (rs.randomSample() - 0.5) * 0.02;
  }
  const g = arena.f64(k * k);
  gramUpperRows(y, nOther, k, 0, k, g);
  finishGram(g, k, 0.1);
  return { arena, rows, y, xScalar, xSimd, g, k };
}

Deno.test("simdKernels: each kernel is bit-identical to scalarKernels for k = 1…9 and 50", () => {
  for (const k of [1, 2, 3, 4, 5, 6, 7, 8, 9, 50]) {
    const { arena, rows, y, g } = problem(k, 5, 13, k);
    const simd = simdKernels(arena.memory);
    // Gram of 13, 12 and 11 rows (the 4-row, pair and single paths), split rows.
    for (const n of [13, 12, 11, 1]) {
      const gs = arena.f64(k * k), gr = arena.f64(k * k);
      gs.fill(7);
      gr.fill(7);
      const mid = k >> 1;
      simd.gramUpperRows(y, n, k, 0, mid, gs);
      simd.gramUpperRows(y, n, k, mid, k, gs);
      scalarKernels.gramUpperRows(y, n, k, 0, k, gr);
      assert.deepEqual(gs, gr, `gramUpperRows k=${k} n=${n}`);
    }
    const v = arena.f64(2 * k), a = arena.f64(2 * k), b = arena.f64(2 * k);
    for (let j = 0; j < 2 * k; j++) v[j] = Math.sin(j + 1) * (j % 3 - 1);
    simd.symv1(g, v, k, a, 1, k);
    scalarKernels.symv1(g, v, k, b, 1, k);
    assert.deepEqual(a, b, `symv1 k=${k}`);
    simd.symv2(g, v, 0, k, a, 0, k, k);
    scalarKernels.symv2(g, v, 0, k, b, 0, k, k);
    assert.deepEqual(a, b, `symv2 k=${k}`);
    assert.ok(rows.indptr[rows.nRows] >= 7);
    // Entry counts 0 to 7: the 4-entry, pair and single paths.
    for (const [e0, e1] of [[0, 0], [0, 1], [0, 2], [1, 4], [0, 7]]) {
      a.fill(0.5);
      b.fill(0.5);
      const args = [rows.indices, e0, e1] as const;
      simd.residualPart(...args, rows.conf, y, v, 1, a, 0, k);
      scalarKernels.residualPart(
        ...args,
        rows.conf,
        y,
        v,
        1,
        b,
        0,
        k,
      );
      assert.deepEqual(a, b, `residualPart k=${k} [${e0}, ${e1})`);
      simd.productPart(...args, rows.conf, y, v, 0, a, k, k);
      scalarKernels.productPart(...args, rows.conf, y, v, 0, b, k, k);
      assert.deepEqual(a, b, `productPart k=${k} [${e0}, ${e1})`);
    }
  }
});

Deno.test("cgSolveRows: SIMD kernels give bit-identical factors to the scalar ones", () => {
  for (const k of [3, 8, 50]) {
    const { arena, rows, y, xScalar, xSimd, g } = problem(100 + k, 11, 40, k);
    const before = Float64Array.from(xScalar);
    cgSolveRows(rows, xScalar, y, g, k, 3, 0, rows.nRows, arena.f64(6 * k));
    cgSolveRows(
      rows,
      xSimd,
      y,
      g,
      k,
      3,
      0,
      rows.nRows,
      arena.f64(6 * k),
      simdKernels(arena.memory),
    );
    assert.notDeepEqual(xScalar, before);
    assert.deepEqual(xSimd, xScalar);
  }
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
