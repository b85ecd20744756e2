import assert from "node:assert/strict";
import {
  gramKernelBytes,
  gramKernels,
  gramLoop,
  productLoop,
} from "./_gram_simd.ts";
import { RandomState } from "../../rng.ts";

/** Whether this runtime has WebAssembly SIMD (else sparse_mf.ts uses the loops). */
const SIMD = WebAssembly.validate(gramKernelBytes(4));

for (const [rows, dim, stride] of [[7, 3, 4], [50, 8, 8], [200, 35, 36]]) {
  Deno.test({
    name:
      `gram and product kernels agree with the loops (${rows} rows, dim ${dim}, stride ${stride})`,
    ignore: !SIMD,
    fn() {
      const memory = new WebAssembly.Memory({ initial: 16 });
      const k = gramKernels(memory, stride)!;
      const rs = new RandomState(7);
      const X = 0, C = rows * stride * 4, G = C + stride * stride * 4;
      const x = new Float32Array(memory.buffer, X, rows * stride);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < dim; c++) x[r * stride + c] = rs.standardNormal();
      }
      const c32 = new Float32Array(memory.buffer, C, stride * stride);
      k.gram(X, rows, dim, C);
      const ref = new Float64Array(dim * dim);
      gramLoop(x, rows, dim, stride, ref);
      for (let a = 0; a < stride; a++) {
        for (let b = 0; b < stride; b++) {
          const want = a < dim && b < dim ? ref[a * dim + b] : 0;
          assert.ok(
            Math.abs(c32[a * stride + b] - want) <= 1e-5 * (1 + Math.abs(want)),
            `C[${a}, ${b}] ${c32[a * stride + b]} vs ${want}`,
          );
        }
      }
      const g = new Float32Array(memory.buffer, G, rows * stride);
      g.fill(0.5);
      k.product(X, rows, dim, C, G, 0.25);
      const gRef = new Float32Array(rows * stride).fill(0.5);
      productLoop(gRef, x, rows, dim, stride, ref, 0.25);
      for (let j = 0; j < g.length; j++) {
        assert.ok(
          Math.abs(g[j] - gRef[j]) <= 1e-4 * (1 + Math.abs(gRef[j])),
          `G[${j}] ${g[j]} vs ${gRef[j]}`,
        );
      }
    },
  });
}

Deno.test("gramKernelBytes rejects a stride that is not a multiple of 4", () => {
  assert.throws(() => gramKernelBytes(30), /multiple of 4/);
});
