/**
 * Matrix-factorisation models as plain weights, and everything that reads
 * them: scoring user–item pairs, recommending a user's top k items with the
 * seen ones masked, finding an item's nearest neighbours (dot product or
 * cosine), and item factor norms. Every fitter (ALS, embedding MF, sparse MF)
 * returns or snapshots a {@link FactorModel}; the ONNX exporter writes one.
 *
 * Arithmetic: dot products accumulate in float64 over the factor index in
 * ascending order; top-k lists are best first with ties broken by the lower
 * item index (the order ONNX TopK gives).
 *
 * @module
 */

import type { FloatVector } from "../metrics.ts";
import type { Csr } from "../sparse.ts";

/** Plain weights of a matrix-factorisation model. */
export interface FactorModel {
  /** Number of users (rows of `userFactors`), an integer ≥ 1. */
  readonly nUsers: number;
  /** Number of items (rows of `itemFactors`), an integer ≥ 1. */
  readonly nItems: number;
  /** Latent dimension. */
  readonly factors: number;
  /** Row-major nUsers × factors. */
  readonly userFactors: Float32Array;
  /** Row-major nItems × factors. */
  readonly itemFactors: Float32Array;
  /** Per-user bias, length nUsers. */
  readonly userBias?: Float32Array;
  /** Per-item bias, length nItems. */
  readonly itemBias?: Float32Array;
  /** Added to every score. */
  readonly globalBias?: number;
  /** When set, scores pass through lo + (hi − lo)·sigmoid(x), as Keras/fast.ai bias models do. */
  readonly outputRange?: readonly [number, number];
}

/**
 * Throws a RangeError naming the first inconsistency between sizes and
 * arrays of `m` (and of `seen`, the users × items matrix of seen items).
 *
 * @example
 * ```ts
 * import { validateFactorModel } from "./factor_model.ts";
 * const m = { nUsers: 1, nItems: 2, factors: 1, userFactors: Float32Array.of(1), itemFactors: Float32Array.of(2, 3) };
 * validateFactorModel(m); // passes
 * ```
 */
export function validateFactorModel(m: FactorModel, seen?: Csr): void {
  const fail = (msg: string) => {
    throw new RangeError(`FactorModel: ${msg}`);
  };
  for (const k of ["nUsers", "nItems", "factors"] as const) {
    if (!Number.isInteger(m[k]) || m[k] < 1) {
      fail(`${k} = ${m[k]} must be a positive integer`);
    }
  }
  const arrays = [
    ["userFactors", m.userFactors, m.nUsers * m.factors],
    ["itemFactors", m.itemFactors, m.nItems * m.factors],
    ["userBias", m.userBias, m.nUsers],
    ["itemBias", m.itemBias, m.nItems],
  ] as const;
  for (const [name, a, n] of arrays) {
    if (a === undefined) continue;
    if (a.length !== n) fail(`${name} has length ${a.length}, expected ${n}`);
    for (let j = 0; j < a.length; j++) {
      if (!Number.isFinite(a[j])) fail(`${name}[${j}] = ${a[j]} is not finite`);
    }
  }
  if (m.globalBias !== undefined && !Number.isFinite(m.globalBias)) {
    fail(`globalBias = ${m.globalBias} is not finite`);
  }
  if (m.outputRange !== undefined) {
    const [lo, hi] = m.outputRange;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
      fail(`outputRange [${lo}, ${hi}] must be finite with min < max`);
    }
  }
  if (seen !== undefined) {
    if (seen.nRows !== m.nUsers || seen.nCols !== m.nItems) {
      fail(
        `seen matrix is ${seen.nRows} × ${seen.nCols}, the model is ${m.nUsers} users × ${m.nItems} items`,
      );
    }
    const nnz = seen.indptr[seen.nRows];
    for (let e = 0; e < nnz; e++) {
      if (seen.indices[e] < 0 || seen.indices[e] >= m.nItems) {
        fail(`seen.indices[${e}] = ${seen.indices[e]} is not an item index`);
      }
    }
  }
}

/**
 * σ(x) = 1 / (1 + e^(−x)).
 *
 * @example
 * ```ts
 * import { sigmoid } from "./factor_model.ts";
 * console.assert(sigmoid(0) === 0.5);
 * ```
 */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Predictions ŷ of a {@link FactorModel} for pairs (users[j], items[j]):
 * global bias + user bias + item bias + dot, through the output range if the
 * model has one. Computed in float64, returned as float32 (length N).
 *
 * @throws {RangeError} when the lengths differ or a pair lies outside the model.
 * @example
 * ```ts
 * import { predictPairs } from "./factor_model.ts";
 * const m = { nUsers: 1, nItems: 2, factors: 1, userFactors: Float32Array.of(2), itemFactors: Float32Array.of(1, 3), globalBias: 1 };
 * const y = predictPairs(m, Int32Array.of(0, 0), Int32Array.of(0, 1));
 * console.assert(y[0] === 3 && y[1] === 7);
 * ```
 */
export function predictPairs(
  model: FactorModel,
  users: Int32Array,
  items: Int32Array,
): Float32Array {
  if (users.length !== items.length) {
    throw new RangeError(
      `predictPairs: ${users.length} users but ${items.length} items`,
    );
  }
  const d = model.factors;
  const U = model.userFactors, V = model.itemFactors;
  const bu = model.userBias, bi = model.itemBias;
  const g = model.globalBias ?? 0;
  const range = model.outputRange;
  const out = new Float32Array(users.length);
  for (let j = 0; j < users.length; j++) {
    const u = users[j], i = items[j];
    if (!(u >= 0 && u < model.nUsers && i >= 0 && i < model.nItems)) {
      throw new RangeError(
        `predictPairs: pair ${j} (user ${u}, item ${i}) lies outside ${model.nUsers} × ${model.nItems}`,
      );
    }
    let s = g + (bu ? bu[u] : 0) + (bi ? bi[i] : 0);
    const ou = u * d, oi = i * d;
    for (let k = 0; k < d; k++) s += U[ou + k] * V[oi + k];
    out[j] = range ? range[0] + (range[1] - range[0]) * sigmoid(s) : s;
  }
  return out;
}

/**
 * Dot product of row `row` of `a` with every row of `b` (both row-major with
 * `dim` columns), accumulated in float64: length b.length / dim.
 *
 * @example
 * ```ts
 * import { rowDots } from "./factor_model.ts";
 * const s = rowDots(Float32Array.of(1, 2), 0, Float32Array.of(1, 0, 0, 1, 1, 1), 2);
 * console.assert(s.join() === "1,2,3");
 * ```
 */
export function rowDots(
  a: FloatVector,
  row: number,
  b: FloatVector,
  dim: number,
): Float64Array {
  const n = b.length / dim;
  const out = new Float64Array(n);
  const ao = row * dim;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const bo = i * dim;
    for (let c = 0; c < dim; c++) s += a[ao + c] * b[bo + c];
    out[i] = s;
  }
  return out;
}

/**
 * Euclidean norm of each row of `factors` (nItems × dim, row-major),
 * accumulated in float64: length nItems.
 *
 * @example
 * ```ts
 * import { itemNorms } from "./factor_model.ts";
 * console.assert(itemNorms(Float32Array.of(3, 4, 0, 0), 2, 2).join() === "5,0");
 * ```
 */
export function itemNorms(
  factors: FloatVector,
  nItems: number,
  dim: number,
): Float64Array {
  const out = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let c = 0; c < dim; c++) {
      const v = factors[i * dim + c];
      s += v * v;
    }
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** Heap top-k over the items not in sorted `exclude`; k ≥ 0 unchecked. */
function heapTopK(
  scores: FloatVector,
  k: number,
  exclude: Int32Array,
  who: string,
): Int32Array {
  // heap[0..size) is a binary heap whose root is the worst kept item.
  const heap = new Int32Array(k);
  let size = 0;
  // a ranks after b (is worse): lower score, or equal score and higher index.
  const worse = (a: number, b: number) =>
    scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const siftDown = (p: number) => {
    for (;;) {
      const l = 2 * p + 1, r = l + 1;
      let w = p;
      if (l < size && worse(heap[l], heap[w])) w = l;
      if (r < size && worse(heap[r], heap[w])) w = r;
      if (w === p) return;
      const t = heap[p];
      heap[p] = heap[w];
      heap[w] = t;
      p = w;
    }
  };
  let x = 0;
  for (let i = 0; i < scores.length; i++) {
    while (x < exclude.length && exclude[x] < i) x++;
    if (x < exclude.length && exclude[x] === i) continue;
    const s = scores[i];
    if (s !== s) throw new RangeError(`${who}: scores[${i}] is NaN`);
    if (k === 0) continue;
    if (size < k) {
      let c = size++;
      heap[c] = i;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c], heap[p])) break;
        const t = heap[p];
        heap[p] = heap[c];
        heap[c] = t;
        c = p;
      }
    } else if (worse(heap[0], i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const out = new Int32Array(k).fill(-1);
  // Pop worst-first into the tail of the kept range.
  for (let j = size - 1; j >= 0; j--) {
    out[j] = heap[0];
    heap[0] = heap[--size];
    siftDown(0);
  }
  return out;
}

/**
 * The k items with the highest scores, best first, ties broken by the lower
 * item index, skipping the excluded items (e.g. the user's training items).
 *
 * @param scores One score per item, length nItems; NaN is rejected.
 * @param k Number of items wanted (positive integer).
 * @param exclude Item indices to skip, sorted ascending (duplicates allowed).
 * @returns Int32Array of length k; when fewer than k items remain, the tail
 * is −1 (the padding `rankingMetricsAtK` expects).
 * @example
 * ```ts
 * import { topKExcluding } from "./factor_model.ts";
 * const top = topKExcluding(Float32Array.of(0.5, 0.9, 0.9, 0.1), 3, Int32Array.of(1));
 * console.assert(top.join() === "2,0,3");
 * ```
 */
export function topKExcluding(
  scores: FloatVector,
  k: number,
  exclude: Int32Array,
): Int32Array {
  if (!Number.isInteger(k) || k <= 0) {
    throw new RangeError(`topKExcluding: k ${k} must be a positive integer`);
  }
  for (let j = 1; j < exclude.length; j++) {
    if (exclude[j] < exclude[j - 1]) {
      throw new RangeError(
        `topKExcluding: exclude must be sorted ascending (exclude[${j - 1}] = ${
          exclude[j - 1]
        } > exclude[${j}] = ${exclude[j]})`,
      );
    }
  }
  return heapTopK(scores, k, exclude, "topKExcluding");
}

/** Top-k result: item indices and their scores, best first, ties by lower index. */
export interface TopK {
  /** Item indices, length min(k, items available). */
  readonly items: Int32Array;
  /** Score of each listed item (float32 of the float64 score). */
  readonly scores: Float32Array;
}

/** Checks k for {@link recommend} / {@link similarItems}. */
function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`topK: k must be an integer ≥ 0, got ${k}`);
  }
}

/** The first min(k, available) entries of `scores`' top list, scores as float32. */
function topKList(
  scores: Float64Array,
  k: number,
  exclude: Int32Array,
): TopK {
  let excluded = 0;
  for (let j = 0; j < exclude.length; j++) {
    if (j === 0 || exclude[j] !== exclude[j - 1]) excluded++;
  }
  const n = Math.min(k, scores.length - excluded);
  const items = heapTopK(scores, n, exclude, "topK");
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) out[r] = scores[items[r]];
  return { items, scores: out };
}

/**
 * Top `k` items for `user` by score x_uᵀy_i (float64 dot of the float32
 * factors, reported as float32), skipping items in `exclude` (e.g. the user's
 * training items; indices outside [0, nItems) are ignored), best first, ties
 * broken by the lower item index. Fewer than k when fewer items remain.
 *
 * @param userFactors nUsers × factors. @param itemFactors nItems × factors.
 * @throws {RangeError} when `user` or `k` is out of range.
 * @example
 * ```ts
 * import { recommend } from "./factor_model.ts";
 * const r = recommend(Float32Array.of(1), Float32Array.of(0.2, 0.9, 0.5), 1, 0, 2, [1]);
 * console.assert(r.items.join() === "2,0");
 * ```
 */
export function recommend(
  userFactors: Float32Array,
  itemFactors: Float32Array,
  factors: number,
  user: number,
  k: number,
  exclude: Iterable<number> = [],
): TopK {
  const nUsers = userFactors.length / factors;
  if (!Number.isInteger(user) || user < 0 || user >= nUsers) {
    throw new RangeError(`recommend: user ${user} is not in [0, ${nUsers})`);
  }
  const nItems = itemFactors.length / factors;
  const scores = rowDots(userFactors, user, itemFactors, factors);
  checkK(k);
  const skip: number[] = [];
  for (const i of exclude) {
    if (Number.isInteger(i) && i >= 0 && i < nItems) skip.push(i);
  }
  return topKList(scores, k, Int32Array.from(skip).sort());
}

/** How two embeddings are compared. */
export type Similarity = "dot" | "cosine";

/**
 * Similarity of item `query` to every item of `factors` (nItems × dim):
 * float64 dot products, divided for "cosine" by the product of the two norms
 * (0 when that product is 0).
 */
function similarities(
  factors: FloatVector,
  nItems: number,
  dim: number,
  query: number,
  similarity: Similarity,
): Float64Array {
  const scores = rowDots(factors, query, factors, dim);
  if (similarity === "cosine") {
    const norms = itemNorms(factors, nItems, dim);
    for (let i = 0; i < nItems; i++) {
      const n = norms[query] * norms[i];
      scores[i] = n > 0 ? scores[i] / n : 0;
    }
  }
  return scores;
}

/**
 * The `k` items most similar to `item` by cosine of their factors, best first
 * (the item itself included, as implicit's `similar_items` does), ties by the
 * lower index; an all-zero row has similarity 0. Scores reported as float32.
 *
 * @param itemFactors nItems × factors, row-major.
 * @throws {RangeError} when `item` or `k` is out of range.
 * @example
 * ```ts
 * import { similarItems } from "./factor_model.ts";
 * const s = similarItems(Float32Array.of(1, 0, 2, 0, 0, 1), 2, 0, 2);
 * console.assert(s.items.join() === "0,1" && s.scores[1] === 1);
 * ```
 */
export function similarItems(
  itemFactors: Float32Array,
  factors: number,
  item: number,
  k: number,
): TopK {
  const nItems = itemFactors.length / factors;
  if (!Number.isInteger(item) || item < 0 || item >= nItems) {
    throw new RangeError(`similarItems: item ${item} is not in [0, ${nItems})`);
  }
  const scores = similarities(itemFactors, nItems, factors, item, "cosine");
  checkK(k);
  return topKList(scores, k, new Int32Array(0));
}

/** Items best first, with their scores; the query itself is included. */
export interface Neighbors {
  /** Item indices, length k. */
  readonly items: Int32Array;
  /** Similarity of each to the query, length k, non-increasing. */
  readonly scores: Float64Array;
}

/**
 * The k items of `factors` (row-major nItems × dim) most similar to item
 * `query` by dot product or cosine (a dot product favours items with long
 * embeddings, which training tends to give popular items), ties broken by
 * lower index; scores in float64. Cosine of a zero row is 0.
 *
 * @throws {RangeError} when the shape, query or k is out of range.
 * @example
 * ```ts
 * import { nearestItems } from "./factor_model.ts";
 * const n = nearestItems(Float32Array.of(1, 0, 3, 0, 0, 1), 3, 2, 0, 2, "dot");
 * console.assert(n.items.join() === "1,0" && n.scores[0] === 3);
 * ```
 */
export function nearestItems(
  factors: FloatVector,
  nItems: number,
  dim: number,
  query: number,
  k: number,
  similarity: Similarity,
): Neighbors {
  if (factors.length !== nItems * dim) {
    throw new RangeError(
      `nearestItems: factors has length ${factors.length}, expected ${nItems} × ${dim}`,
    );
  }
  if (!Number.isInteger(query) || query < 0 || query >= nItems) {
    throw new RangeError(`nearestItems: query ${query} outside [0, ${nItems})`);
  }
  if (!Number.isInteger(k) || k < 1 || k > nItems) {
    throw new RangeError(`nearestItems: k = ${k} must be in [1, ${nItems}]`);
  }
  const scores = similarities(factors, nItems, dim, query, similarity);
  const items = heapTopK(scores, k, new Int32Array(0), "nearestItems");
  return { items, scores: Float64Array.from(items, (i) => scores[i]) };
}
