import assert from "node:assert/strict";
import { pca, symmetricEigen } from "./pca.ts";

/** numpy 2.4: np.cov(X.T), np.linalg.eigh, sorted descending, sign as pca.ts fixes it. */
const X = Float64Array.of(
  4.873,
  -0.612,
  -0.106,
  -3.219,
  0.865,
  -0.46,
  5.234,
  -0.761,
  0.064,
  -0.748,
  1.462,
  -0.412,
  -0.967,
  -0.384,
  0.227,
  -3.3,
  -0.172,
  -0.176,
);
const NUMPY = {
  variance: [14.959809094996263, 0.5489251194479601],
  ratio: [0.9633121303006693, 0.03534712393942457],
  components: [
    0.9895631389691404,
    -0.1405907503757225,
    0.03160751338420695,
    0.14396919277207532,
    0.9552468799793107,
    -0.25841104818167004,
  ],
  scores: [
    4.609795759576322,
    -0.0011328582075321792,
    -3.616590759004913,
    0.3362455866665875,
    4.99334935182548,
    -0.1354216429246141,
    -1.253795759944032,
    1.249872119041314,
    -1.190782361132182,
    -0.7101675344056653,
    -3.5419762313206746,
    -0.73939567017009,
  ],
};

function close(actual: ArrayLike<number>, expected: number[], tol: number) {
  assert.equal(actual.length, expected.length);
  for (let j = 0; j < expected.length; j++) {
    assert.ok(
      Math.abs(actual[j] - expected[j]) <= tol,
      `[${j}] ${actual[j]} vs ${expected[j]}`,
    );
  }
}

Deno.test("pca matches numpy's covariance eigenvectors, variances and scores", () => {
  const p = pca(X, 6, 3, 2);
  close(p.explainedVariance, NUMPY.variance, 1e-10);
  close(p.explainedVarianceRatio, NUMPY.ratio, 1e-12);
  close(p.components, NUMPY.components, 1e-10);
  close(p.scores, NUMPY.scores, 1e-10);
});

Deno.test("symmetricEigen reconstructs the matrix from its eigenpairs", () => {
  const m = Float64Array.of(4, 1, 2, 1, 3, 0.5, 2, 0.5, 5);
  const { values, vectors } = symmetricEigen(m, 3);
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      let s = 0;
      for (let j = 0; j < 3; j++) {
        s += vectors[a * 3 + j] * values[j] * vectors[b * 3 + j];
      }
      assert.ok(Math.abs(s - m[a * 3 + b]) < 1e-12, `(${a}, ${b})`);
    }
  }
});

Deno.test("pca rejects a shape that does not match the data, and k out of range", () => {
  assert.throws(() => pca(X, 5, 3, 2), /length 18, expected 5 × 3/);
  assert.throws(() => pca(X, 6, 3, 4), /k = 4/);
  assert.throws(() => pca(Float64Array.of(1, 2), 1, 2, 1), /rows ≥ 2/);
});
