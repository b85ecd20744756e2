/**
 * Nearest items to a query item in an embedding table, by dot product or by
 * cosine similarity (Google's recommendation exercise compares the two: a
 * dot product favours items with long embeddings, which training tends to
 * give popular items).
 *
 * @module
 */

/** How two embeddings are compared. */
export type Similarity = "dot" | "cosine";

/** Items best first, with their scores; the query itself is included. */
export interface Neighbors {
  /** Item indices, length k. */
  readonly items: Int32Array;
  /** Similarity of each to the query, length k, non-increasing. */
  readonly scores: Float64Array;
}

/**
 * The k items of `factors` (row-major nItems × dim) most similar to item
 * `query`, ties broken by lower index. Cosine of a zero row is 0.
 *
 * @throws {RangeError} when the shape, query or k is out of range.
 */
export function nearestItems(
  factors: Float32Array | Float64Array,
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
  const norms = itemNorms(factors, nItems, dim);
  const scores = new Float64Array(nItems);
  const q = query * dim;
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += factors[q + c] * factors[i * dim + c];
    if (similarity === "cosine") {
      const n = norms[query] * norms[i];
      s = n > 0 ? s / n : 0;
    }
    scores[i] = s;
  }
  const order = Array.from({ length: nItems }, (_, i) => i)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, k);
  return {
    items: Int32Array.from(order),
    scores: Float64Array.from(order, (i) => scores[i]),
  };
}

/** Euclidean norm of each row of `factors` (nItems × dim), length nItems. */
export function itemNorms(
  factors: Float32Array | Float64Array,
  nItems: number,
  dim: number,
): Float64Array {
  const out = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += factors[i * dim + c] ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}
