/**
 * The helpers of `exp:google` on hand-built data: sparse matrices, means,
 * correlation, scores, neighbours, the genre draw and the movie search.
 */

import assert from "node:assert/strict";
import type { Interactions, ItemInfo } from "../../lib/data/interactions.ts";
import { UserError } from "../../lib/errors.ts";
import type { FactorModel } from "../../lib/models/factor_model.ts";
import { RandomState } from "../../lib/rng.ts";
import {
  embeddingFindings,
  findMovie,
  meanOf,
  meanPrediction,
  neighbourRows,
  pairScores,
  pearson,
  sampleGenres,
  sparseRatings,
} from "./analysis.ts";

/** 2 users × 3 items; raw ids = index + 1; the second movie has no genres. */
function tinyData(): Interactions {
  const info = new Map<number, ItemInfo>([
    [1, { title: "Alpha (1990)", genres: ["Comedy", "Drama", "War"] }],
    [2, { title: "Beta (1991)", genres: [] }],
    [3, { title: "Gamma (1992)", genres: ["Action", "Horror"] }],
  ]);
  return {
    users: Int32Array.from([1, 0, 1, 0]),
    items: Int32Array.from([2, 1, 0, 0]),
    ratings: Float32Array.from([5, 4, 3, 2]),
    timestamps: new Float64Array(4),
    nUsers: 2,
    nItems: 3,
    userIds: {
      raw: Int32Array.from([1, 2]),
      toIndex: new Map([[1, 0], [2, 1]]),
    },
    itemIds: {
      raw: Int32Array.from([1, 2, 3]),
      toIndex: new Map([[1, 0], [2, 1], [3, 2]]),
    },
    itemInfo: info,
  };
}

/** 2 users, 3 items, 2 factors: U = [[1, 0], [0, 2]], V = [[1, 1], [2, 0], [0, 3]]. */
const MODEL: FactorModel = {
  nUsers: 2,
  nItems: 3,
  factors: 2,
  userFactors: Float32Array.from([1, 0, 0, 2]),
  itemFactors: Float32Array.from([1, 1, 2, 0, 0, 3]),
};

Deno.test("sparseRatings takes the rows given and stores them coalesced in (user, item) order", () => {
  const m = sparseRatings(tinyData(), Int32Array.from([0, 1, 3]));
  assert.equal(m.nRows, 2);
  assert.equal(m.nCols, 3);
  assert.deepEqual([...m.indptr], [0, 2, 3]);
  assert.deepEqual([...m.indices], [0, 1, 2]);
  assert.deepEqual([...m.data], [2, 4, 5]);
});

Deno.test("meanOf and pearson match hand-computed values", () => {
  assert.equal(meanOf(Float32Array.from([1, 2, 6])), 3);
  assert.ok(Number.isNaN(meanOf([])));
  const a = Float64Array.from([1, 2, 3, 4]);
  assert.equal(pearson(a, Float64Array.from([3, 5, 7, 9])), 1);
  assert.equal(pearson(a, Float64Array.from([4, 3, 2, 1])), -1);
  // centred a = (−1.5, −.5, .5, 1.5), b = (1, −1, −1, 1): Σab = 0
  assert.equal(pearson(a, Float64Array.from([1, 0, 0, 1])), 0);
  assert.throws(() => pearson(a, new Float64Array(3)), /lengths differ/);
});

Deno.test("pairScores and meanPrediction take ⟨U_u, V_i⟩ of the pairs / stored entries", () => {
  const s = pairScores(
    MODEL,
    Int32Array.from([0, 1, 1]),
    Int32Array.from([0, 2, 1]),
  );
  assert.deepEqual([...s], [1, 6, 0]);
  // entries (0, 0) → 1, (0, 1) → 2, (1, 2) → 6: mean 3
  const m = sparseRatings(tinyData(), Int32Array.from([0, 1, 3]));
  assert.equal(meanPrediction(m, MODEL), 3);
});

Deno.test("neighbourRows lists the query's nearest items with titles, scores and rating counts", () => {
  const titles = ["a", "b", "c"], pop = Int32Array.from([10, 20, 30]);
  const dot = neighbourRows(MODEL, 0, 3, "dot", titles, pop);
  // ⟨V0, ·⟩ = 2, 2, 3: item 2 first, then 0 and 1 tied (lower index first)
  assert.deepEqual(dot.map((r) => r.item), [2, 0, 1]);
  assert.deepEqual(dot.map((r) => r.score), [3, 2, 2]);
  assert.deepEqual(dot.map((r) => r.title), ["c", "a", "b"]);
  assert.deepEqual(dot.map((r) => r.ratings), [30, 10, 20]);
  const cos = neighbourRows(MODEL, 0, 2, "cosine", titles, pop);
  assert.deepEqual(cos.map((r) => r.item), [0, 1]); // itself first; ties by index
  assert.ok(Math.abs(cos[1].score - Math.SQRT1_2) < 1e-12);
});

Deno.test("embeddingFindings gives neighbour medians without the query, norm correlations and the 2-D PCA share", () => {
  const titles = ["a", "b", "c"], pop = Int32Array.from([10, 20, 30]);
  const f = embeddingFindings(MODEL, MODEL, 0, 3, titles, pop);
  assert.deepEqual(Object.keys(f.neighbours), [
    "adam_dot",
    "adam_cosine",
    "reg_dot",
    "reg_cosine",
  ]);
  // dot neighbours besides the query: items 2 and 1 → ratings 30, 20
  assert.equal(f.metrics.adam_dot_neighbours_median_ratings, 25);
  assert.equal(f.metrics.reg_cosine_neighbours_median_ratings, 25);
  assert.deepEqual([...f.adamNorms], [Math.SQRT2, 2, 3]);
  const corr = f.metrics.reg_norm_log_popularity_corr as number;
  assert.ok(corr > 0.9 && corr < 1, `corr ${corr}`);
  assert.ok(
    Math.abs((f.metrics.reg_pca_variance_ratio_2d as number) - 1) < 1e-9,
  );
  assert.equal(f.projection.scores.length, 3 * 2);
});

Deno.test("sampleGenres draws one active genre per movie from RandomState(seed), 'Other' without a draw", () => {
  const rs = new RandomState(3);
  const draws = [rs.randint(0, 3), rs.randint(0, 2), rs.randint(0, 2)];
  // Had 'Other' taken a draw, Gamma's genre would come from the third draw.
  assert.notEqual(draws[1], draws[2]);
  assert.deepEqual(sampleGenres(tinyData(), 3), [
    ["Comedy", "Drama", "War"][draws[0]],
    "Other",
    ["Action", "Horror"][draws[1]],
  ]);
});

Deno.test("findMovie matches a title loosely and rejects a far one as a --movie usage error", () => {
  const titles = ["Aladdin (1992)", "Toy Story (1995)"];
  const pop = Int32Array.from([5, 9]);
  const m = findMovie("toy story", titles, pop);
  assert.deepEqual([m.id, m.title], [1, "Toy Story (1995)"]);
  assert.throws(
    () => findMovie("qqqqzzzz", titles, pop),
    (err: unknown) =>
      err instanceof UserError && err.exitCode === 2 &&
      /^--movie: no movie title matches "qqqqzzzz"/.test(err.message),
  );
});
