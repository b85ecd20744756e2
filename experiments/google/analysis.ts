/**
 * The computations of `exp:google` beyond fitting: the document's sparse
 * rating matrices, the mean prediction over observed entries, the
 * correlation of embedding norm with popularity, nearest-neighbour rows of a
 * movie (found by fuzzy title), the 2-D projection of the movie embeddings and the document's genre
 * draw. Tested in analysis_test.ts.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { dot } from "../../lib/linalg.ts";
import {
  itemNorms,
  nearestItems,
  type Similarity,
} from "../../lib/models/factor_model.ts";
import type { FactorModel } from "../../lib/models/factor_model.ts";
import { type Pca, pca } from "../../lib/pca.ts";
import { median, type MetricValue } from "../../lib/report/results.ts";
import { RandomState } from "../../lib/rng.ts";
import { type Csr, csrFromCoo } from "../../lib/sparse.ts";
import { takeTriples } from "../../lib/split.ts";
import { findTitle, UnknownTitleError } from "../../lib/title_search.ts";
import { UserError } from "../../lib/errors.ts";

/**
 * The document's `build_sparse_ratings`: the rows of `data` at `rows` as a
 * coalesced nUsers × nItems CSR matrix (entries in (user, item) order).
 */
export function sparseRatings(data: Interactions, rows: Int32Array): Csr {
  const t = takeTriples(data, rows);
  return csrFromCoo(t.users, t.items, t.ratings, data.nUsers, data.nItems);
}

/**
 * The movie `movie` names among `titles` (fuzzy title match, ties to the
 * most rated by `popularity`), as `{ id: index, title }`.
 *
 * @throws {UserError} (exit 2, as a `--movie` error) when no title is close.
 */
export function findMovie(
  movie: string,
  titles: readonly string[],
  popularity: Int32Array,
): { id: number; title: string } {
  try {
    return findTitle(
      movie,
      titles.map((title, i) => ({ id: i, title, ratings: popularity[i] })),
    );
  } catch (err) {
    if (!(err instanceof UnknownTitleError)) throw err;
    throw new UserError(`--movie: ${err.message}`, { exitCode: 2 });
  }
}

/** Mean of `xs`, summed in float64 in index order (NaN when empty). */
export function meanOf(xs: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < xs.length; j++) s += xs[j];
  return s / xs.length;
}

/** Pearson correlation of two equally long vectors (NaN when one is constant). */
export function pearson(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) {
    throw new RangeError(
      `pearson: lengths differ (${a.length} vs ${b.length})`,
    );
  }
  const ma = meanOf(a), mb = meanOf(b);
  let sab = 0, saa = 0, sbb = 0;
  for (let j = 0; j < a.length; j++) {
    sab += (a[j] - ma) * (b[j] - mb);
    saa += (a[j] - ma) ** 2;
    sbb += (b[j] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * ⟨U_u, V_i⟩ for each pair (users[e], items[e]), summed in float64 over
 * the factors in order: the TypeScript scores the ONNX model's are checked
 * against. Length = users.length.
 */
export function pairScores(
  model: FactorModel,
  users: Int32Array,
  items: Int32Array,
): Float64Array {
  const d = model.factors;
  return Float64Array.from(
    users,
    (u, e) => dot(d, model.userFactors, u * d, model.itemFactors, items[e] * d),
  );
}

/**
 * Mean of ⟨U_u, V_i⟩ over the stored entries of `m` (every product added to
 * one float64 sum, entries in CSR order), in rating units.
 */
export function meanPrediction(m: Csr, model: FactorModel): number {
  const d = model.factors;
  let s = 0;
  for (let r = 0; r < m.nRows; r++) {
    for (let e = m.indptr[r]; e < m.indptr[r + 1]; e++) {
      const c = m.indices[e];
      for (let k = 0; k < d; k++) {
        s += model.userFactors[r * d + k] * model.itemFactors[c * d + k];
      }
    }
  }
  return s / m.indptr[m.nRows];
}

/** One movie of a neighbour list. */
export interface NeighbourRow {
  readonly item: number;
  readonly title: string;
  /** Dot product or cosine with the query movie. */
  readonly score: number;
  /** Its number of ratings in the whole data set. */
  readonly ratings: number;
}

/** The `k` movies nearest `query` (itself included) by `similarity` of `model`'s item factors. */
export function neighbourRows(
  model: FactorModel,
  query: number,
  k: number,
  similarity: Similarity,
  titles: readonly string[],
  popularity: Int32Array,
): NeighbourRow[] {
  const nn = nearestItems(
    model.itemFactors,
    model.nItems,
    model.factors,
    query,
    k,
    similarity,
  );
  return [...nn.items].map((i, r) => ({
    item: i,
    title: titles[i],
    score: nn.scores[r],
    ratings: popularity[i],
  }));
}

/**
 * One genre per movie, in movie order, like the document's `mark_genres`:
 * `np.random.choice(active)` (= `active[randint(0, len(active))]`) from
 * `RandomState(seed)`, no draw and 'Other' for a movie without genres.
 */
export function sampleGenres(data: Interactions, seed: number): string[] {
  const rs = new RandomState(seed);
  return Array.from({ length: data.nItems }, (_, i) => {
    const g = data.itemInfo.get(data.itemIds.raw[i])?.genres ?? [];
    return g.length === 0 ? "Other" : g[rs.randint(0, g.length)];
  });
}

/** What the exercise shows with the movie embeddings of the two configurations. */
export interface EmbeddingFindings {
  /** Neighbour lists by "adam_dot", "adam_cosine", "reg_dot", "reg_cosine". */
  readonly neighbours: Readonly<Record<string, NeighbourRow[]>>;
  /** Item embedding norms, length nItems. */
  readonly adamNorms: Float64Array;
  readonly regNorms: Float64Array;
  /** The regularised model's item embeddings on their first two principal components. */
  readonly projection: Pca;
  /**
   * `<model>_<similarity>_neighbours_median_ratings` (the query excluded),
   * `<model>_norm_log_popularity_corr` (Pearson with log10(1 + ratings)) and
   * `reg_pca_variance_ratio_2d`.
   */
  readonly metrics: Record<string, MetricValue>;
}

/**
 * Neighbours of movie `query` (k, itself included) by dot product and
 * cosine in both models, the norm–popularity correlations and the PCA of
 * the regularised model's item embeddings. `popularity` counts each
 * movie's ratings; `titles` names them.
 */
export function embeddingFindings(
  adam: FactorModel,
  reg: FactorModel,
  query: number,
  k: number,
  titles: readonly string[],
  popularity: Int32Array,
): EmbeddingFindings {
  const neighbours: Record<string, NeighbourRow[]> = {};
  const metrics: Record<string, MetricValue> = {};
  for (const [name, model] of [["adam", adam], ["reg", reg]] as const) {
    for (const sim of ["dot", "cosine"] as const) {
      const rows = neighbourRows(model, query, k, sim, titles, popularity);
      neighbours[`${name}_${sim}`] = rows;
      metrics[`${name}_${sim}_neighbours_median_ratings`] = median(
        rows.filter((r) => r.item !== query).map((r) => r.ratings),
      );
    }
  }
  const logPop = Float64Array.from(popularity, (c) => Math.log10(c + 1));
  const norms = (m: FactorModel) =>
    itemNorms(m.itemFactors, m.nItems, m.factors);
  const adamNorms = norms(adam), regNorms = norms(reg);
  metrics.adam_norm_log_popularity_corr = pearson(adamNorms, logPop);
  metrics.reg_norm_log_popularity_corr = pearson(regNorms, logPop);
  const projection = pca(reg.itemFactors, reg.nItems, reg.factors, 2);
  metrics.reg_pca_variance_ratio_2d = projection.explainedVarianceRatio[0] +
    projection.explainedVarianceRatio[1];
  return { neighbours, adamNorms, regNorms, projection, metrics };
}
