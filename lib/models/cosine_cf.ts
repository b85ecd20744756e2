/**
 * Memory-based collaborative filtering with cosine similarity and mean
 * centring, as the blog reproduced by `exp:fastai` wrote it over dense
 * users × items matrices (zeros for unrated cells):
 *
 * - similarity: `1 − pairwise_distances(M, metric='cosine')` of the
 *   similarity matrix M (rows = users, or columns = items), i.e. cosine of
 *   the zero-filled vectors, with scikit-learn's clip of the distance to
 *   [0, 2] and its diagonal forced to distance 0 (similarity 1, even for an
 *   all-zero vector);
 * - user-based prediction from a rating matrix R (user mean r̄_u over R's
 *   nonzero cells, Δ = R − r̄ on rated cells, 0 elsewhere):
 *   r̂[u, i] = r̄_u + Σ_v sim[u, v] Δ[v, i] / Σ_v |sim[u, v]|;
 * - item-based: r̂[u, i] = r̄_i + Σ_j Δ[u, j] sim[j, i] / Σ_j |sim[i, j]|.
 *
 * Only the requested (user, item) predictions are computed. User-based: the
 * nUsers × nUsers similarity matrix, built from sparse columns. Item-based:
 * the nItems × nItems matrix is never formed. Ratings are positive, so every
 * cosine is ≥ 0 and Σ_j |sim[i, j]| = x̂_i · Σ_j x̂_j (x̂ the unit columns),
 * and Σ_j Δ[u, j] sim[j, i] = (Σ_j Δ[u, j] x̂_j) · x̂_i: one length-nUsers
 * vector per predicted user, with the diagonal's exact 1 restored. The
 * results equal the dense formulas up to summation order (~1e-15 relative).
 *
 * A prediction whose mean is undefined (a user or item with no rating in R)
 * is NaN, as in the dense code.
 *
 * @module
 */

import type { RatingTriples } from "./embedding_mf/embedding_mf.ts";

/** Which neighbourhood: similar users, or similar items. */
export type CosineKind = "user" | "item";

/** Arguments of {@link cosineCfPredict}. */
export interface CosineCfInput {
  readonly kind: CosineKind;
  /** Ratings of the matrix the similarities are computed from (the blog: train). */
  readonly similarityFrom: RatingTriples;
  /** Ratings of the matrix R whose means and deviations are combined (train, or the blog's test). */
  readonly ratingsFrom: RatingTriples;
  readonly nUsers: number;
  readonly nItems: number;
  /** User of each prediction. */
  readonly users: Int32Array;
  /** Item of each prediction, same length as users. */
  readonly items: Int32Array;
}

/** Sparse matrix, compressed by `major` index, float64 values. */
interface Compressed {
  readonly ptr: Int32Array;
  readonly idx: Int32Array;
  readonly val: Float64Array;
}

/** Groups triples by `major` (rows for "user", columns for "item"); the last duplicate wins as in `M[u][i] = r`. */
function compress(
  data: RatingTriples,
  byUser: boolean,
  nMajor: number,
  nMinor: number,
  what: string,
): Compressed {
  const n = data.ratings.length;
  const major = byUser ? data.users : data.items;
  const minor = byUser ? data.items : data.users;
  const count = new Int32Array(nMajor + 1);
  for (let r = 0; r < n; r++) {
    const a = major[r], b = minor[r], x = data.ratings[r];
    if (!(a >= 0 && a < nMajor && b >= 0 && b < nMinor)) {
      throw new RangeError(
        `cosineCfPredict: ${what} row ${r} indexes outside the matrix`,
      );
    }
    if (!(x > 0) || !Number.isFinite(x)) {
      throw new RangeError(
        `cosineCfPredict: ${what} rating ${x} at row ${r} is not a positive number (0 marks an unrated cell)`,
      );
    }
    count[a + 1]++;
  }
  for (let a = 0; a < nMajor; a++) count[a + 1] += count[a];
  const ptr = count.slice();
  const fill = count.slice(0, nMajor);
  const idx = new Int32Array(n), val = new Float64Array(n);
  // Stable by row, then sort each segment by minor index, keeping the last duplicate.
  for (let r = 0; r < n; r++) {
    const p = fill[major[r]]++;
    idx[p] = minor[r];
    val[p] = data.ratings[r];
  }
  const outPtr = new Int32Array(nMajor + 1);
  let w = 0;
  for (let a = 0; a < nMajor; a++) {
    const lo = ptr[a], hi = ptr[a + 1];
    const order = Array.from({ length: hi - lo }, (_, t) => lo + t)
      .sort((x, y) => idx[x] - idx[y] || x - y);
    const segIdx = order.map((p) => idx[p]), segVal = order.map((p) => val[p]);
    for (let t = 0; t < segIdx.length; t++) {
      if (t + 1 < segIdx.length && segIdx[t + 1] === segIdx[t]) continue;
      idx[w] = segIdx[t];
      val[w] = segVal[t];
      w++;
    }
    outPtr[a + 1] = w;
  }
  return { ptr: outPtr, idx: idx.slice(0, w), val: val.slice(0, w) };
}

/** Unit-normalised copy (each major vector divided by its Euclidean norm; zero vectors stay zero). */
function normalize(m: Compressed): Compressed {
  const val = new Float64Array(m.val.length);
  for (let a = 0; a + 1 < m.ptr.length; a++) {
    let q = 0;
    for (let p = m.ptr[a]; p < m.ptr[a + 1]; p++) q += m.val[p] * m.val[p];
    const nrm = Math.sqrt(q);
    for (let p = m.ptr[a]; p < m.ptr[a + 1]; p++) {
      val[p] = nrm > 0 ? m.val[p] / nrm : 0;
    }
  }
  return { ptr: m.ptr, idx: m.idx, val };
}

/** Means over each major vector (NaN when empty) and deviations Δ in the same layout. */
function centre(m: Compressed): { mean: Float64Array; delta: Compressed } {
  const nMajor = m.ptr.length - 1;
  const mean = new Float64Array(nMajor);
  const val = new Float64Array(m.val.length);
  for (let a = 0; a < nMajor; a++) {
    let s = 0;
    for (let p = m.ptr[a]; p < m.ptr[a + 1]; p++) s += m.val[p];
    mean[a] = s / (m.ptr[a + 1] - m.ptr[a]);
    for (let p = m.ptr[a]; p < m.ptr[a + 1]; p++) val[p] = m.val[p] - mean[a];
  }
  return { mean, delta: { ptr: m.ptr, idx: m.idx, val } };
}

/**
 * User–user cosine similarity of the rows of the nUsers × nItems matrix
 * `data`, as `1 − sklearn pairwise_distances(M, metric='cosine')`: row-major
 * nUsers × nUsers Float64Array, symmetric, diagonal exactly 1.
 */
export function userCosineSimilarity(
  data: RatingTriples,
  nUsers: number,
  nItems: number,
): Float64Array {
  const byItem = normalizeRowsThenGroup(data, nUsers, nItems);
  const gram = new Float64Array(nUsers * nUsers);
  for (let i = 0; i + 1 < byItem.ptr.length; i++) {
    const lo = byItem.ptr[i], hi = byItem.ptr[i + 1];
    for (let p = lo; p < hi; p++) {
      const u = byItem.idx[p], x = byItem.val[p], o = u * nUsers;
      for (let q = lo; q <= p; q++) {
        gram[o + byItem.idx[q]] += x * byItem.val[q];
      }
    }
  }
  for (let u = 0; u < nUsers; u++) {
    for (let v = 0; v < u; v++) {
      // Lower triangle holds the sums (users ascending within an item).
      const s = 1 - Math.min(Math.max(1 - gram[u * nUsers + v], 0), 2);
      gram[u * nUsers + v] = s;
      gram[v * nUsers + u] = s;
    }
    gram[u * nUsers + u] = 1;
  }
  return gram;
}

/** Entries grouped by item (users ascending) with values of the unit-normalised user rows. */
function normalizeRowsThenGroup(
  data: RatingTriples,
  nUsers: number,
  nItems: number,
): Compressed {
  const rows = normalize(compress(data, true, nUsers, nItems, "similarity"));
  const count = new Int32Array(nItems + 1);
  for (const i of rows.idx) count[i + 1]++;
  for (let i = 0; i < nItems; i++) count[i + 1] += count[i];
  const fill = count.slice(0, nItems);
  const idx = new Int32Array(rows.idx.length);
  const val = new Float64Array(rows.idx.length);
  for (let u = 0; u < nUsers; u++) {
    for (let p = rows.ptr[u]; p < rows.ptr[u + 1]; p++) {
      const q = fill[rows.idx[p]]++;
      idx[q] = u;
      val[q] = rows.val[p];
    }
  }
  return { ptr: count, idx, val };
}

/**
 * Mean-centred cosine-CF predictions r̂[users[j], items[j]] (formulas in the
 * module doc). Costs: "user" O(Σ_items nnz² + nUsers² + Σ_j nnz(item j));
 * "item" O(Σ_{predicted users} Σ_{their rated items} nnz(item) + Σ_j
 * nnz(item j)); memory O(nUsers² ) resp. O(nUsers · distinct predicted users).
 *
 * @returns Float64Array of predictions, length users.length; NaN where the
 * user's ("user") or item's ("item") mean in `ratingsFrom` is undefined.
 * @throws {RangeError} On a non-positive rating, an index out of range, or
 * users/items of different lengths.
 */
export function cosineCfPredict(input: CosineCfInput): Float64Array {
  const { kind, nUsers, nItems, users, items } = input;
  if (users.length !== items.length) {
    throw new RangeError(
      `cosineCfPredict: ${users.length} users but ${items.length} items`,
    );
  }
  for (let j = 0; j < users.length; j++) {
    if (
      !(users[j] >= 0 && users[j] < nUsers && items[j] >= 0 &&
        items[j] < nItems)
    ) {
      throw new RangeError(
        `cosineCfPredict: prediction ${j} (${users[j]}, ${
          items[j]
        }) lies outside ${nUsers} × ${nItems}`,
      );
    }
  }
  return kind === "user" ? predictUserBased(input) : predictItemBased(input);
}

function predictUserBased(input: CosineCfInput): Float64Array {
  const { nUsers, nItems, users, items } = input;
  const sim = userCosineSimilarity(input.similarityFrom, nUsers, nItems);
  const absSum = new Float64Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    let s = 0;
    for (let v = 0; v < nUsers; v++) s += Math.abs(sim[u * nUsers + v]);
    absSum[u] = s;
  }
  const { mean, delta } = centre(
    compress(input.ratingsFrom, true, nUsers, nItems, "ratings"),
  );
  // Δ grouped by item: the users who rated item i in R and their deviations.
  const count = new Int32Array(nItems + 1);
  for (const i of delta.idx) count[i + 1]++;
  for (let i = 0; i < nItems; i++) count[i + 1] += count[i];
  const fill = count.slice(0, nItems);
  const colUser = new Int32Array(delta.idx.length);
  const colVal = new Float64Array(delta.idx.length);
  for (let u = 0; u < nUsers; u++) {
    for (let p = delta.ptr[u]; p < delta.ptr[u + 1]; p++) {
      const q = fill[delta.idx[p]]++;
      colUser[q] = u;
      colVal[q] = delta.val[p];
    }
  }
  const out = new Float64Array(users.length);
  for (let j = 0; j < users.length; j++) {
    const u = users[j], i = items[j], o = u * nUsers;
    let s = 0;
    for (let p = count[i]; p < count[i + 1]; p++) {
      s += sim[o + colUser[p]] * colVal[p];
    }
    out[j] = mean[u] + s / absSum[u];
  }
  return out;
}

function predictItemBased(input: CosineCfInput): Float64Array {
  const { nUsers, nItems, users, items } = input;
  // Unit item columns x̂_i over users, grouped by item.
  const cols = normalize(
    compress(input.similarityFrom, false, nItems, nUsers, "similarity"),
  );
  const total = new Float64Array(nUsers); // Σ_i x̂_i
  for (let p = 0; p < cols.idx.length; p++) total[cols.idx[p]] += cols.val[p];
  const selfDot = new Float64Array(nItems), absSum = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let d = 0, t = 0;
    for (let p = cols.ptr[i]; p < cols.ptr[i + 1]; p++) {
      d += cols.val[p] * cols.val[p];
      t += cols.val[p] * total[cols.idx[p]];
    }
    selfDot[i] = d;
    absSum[i] = t - d + 1; // off-diagonal cosines plus the diagonal's 1
  }
  const { mean, delta: byItem } = centre(
    compress(input.ratingsFrom, false, nItems, nUsers, "ratings"),
  );
  // Δ by user (rows): each predicted user's rated items and deviations; Δ[u, i] lookups.
  const rows = transposeCompressed(byItem, nUsers);
  const order = Array.from({ length: users.length }, (_, j) => j)
    .sort((a, b) => users[a] - users[b] || a - b);
  const out = new Float64Array(users.length);
  const w = new Float64Array(nUsers);
  let current = -1;
  for (const j of order) {
    const u = users[j], i = items[j];
    if (u !== current) {
      current = u;
      w.fill(0);
      for (let p = rows.ptr[u]; p < rows.ptr[u + 1]; p++) {
        const item = rows.idx[p], d = rows.val[p];
        for (let q = cols.ptr[item]; q < cols.ptr[item + 1]; q++) {
          w[cols.idx[q]] += d * cols.val[q];
        }
      }
    }
    let s = 0;
    for (let q = cols.ptr[i]; q < cols.ptr[i + 1]; q++) {
      s += w[cols.idx[q]] * cols.val[q];
    }
    const dui = lookup(rows, u, i);
    out[j] = mean[i] + (s - dui * selfDot[i] + dui) / absSum[i];
  }
  return out;
}

/** The same entries compressed by the other index (minor indices ascending). */
function transposeCompressed(m: Compressed, nMinor: number): Compressed {
  const count = new Int32Array(nMinor + 1);
  for (const b of m.idx) count[b + 1]++;
  for (let b = 0; b < nMinor; b++) count[b + 1] += count[b];
  const fill = count.slice(0, nMinor);
  const idx = new Int32Array(m.idx.length),
    val = new Float64Array(m.idx.length);
  for (let a = 0; a + 1 < m.ptr.length; a++) {
    for (let p = m.ptr[a]; p < m.ptr[a + 1]; p++) {
      const q = fill[m.idx[p]]++;
      idx[q] = a;
      val[q] = m.val[p];
    }
  }
  return { ptr: count, idx, val };
}

/** Value at (major a, minor b), 0 when not stored (binary search; minors ascending). */
function lookup(m: Compressed, a: number, b: number): number {
  let lo = m.ptr[a], hi = m.ptr[a + 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m.idx[mid] < b) lo = mid + 1;
    else hi = mid;
  }
  return lo < m.ptr[a + 1] && m.idx[lo] === b ? m.val[lo] : 0;
}
