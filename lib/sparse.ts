/**
 * Compressed sparse row matrices built from coordinate (COO) triples.
 *
 * @module
 */

/** A CSR matrix: row r holds columns `indices[indptr[r]..indptr[r+1])` with `data` values. */
export interface Csr {
  /** Number of rows. */
  readonly nRows: number;
  /** Number of columns. */
  readonly nCols: number;
  /** Row pointers, length nRows + 1. */
  readonly indptr: Int32Array;
  /** Column index per stored entry, sorted ascending within each row. Length nnz. */
  readonly indices: Int32Array;
  /** Value per stored entry. Length nnz. */
  readonly data: Float32Array;
}

/** How `csrFromCoo` combines several triples at the same (row, col). */
export type Duplicates = "sum" | "last";

/**
 * Builds a coalesced CSR matrix (shape nRows × nCols) from COO triples of
 * length n: columns sorted within each row; duplicate coordinates summed
 * (scipy's behaviour) or, with `"last"`, the later triple wins.
 *
 * When the triples are already in row-major order without repeats (rows
 * non-decreasing, columns strictly increasing within a row, as MovieLens
 * files list user then movie) and `values` is a Float32Array, the result's
 * `indices` and `data` are `cols` and `values` themselves, not copies (at
 * ML-25M size that spares 200 MB and a sort): modify neither afterwards.
 *
 * @example
 * ```ts
 * import { csrFromCoo } from "./sparse.ts";
 * const m = csrFromCoo(Int32Array.of(1, 0), Int32Array.of(0, 2), [5, 3], 2, 3);
 * console.assert(m.indptr.join() === "0,1,2" && m.indices.join() === "2,0");
 * ```
 */
export function csrFromCoo(
  rows: Int32Array,
  cols: Int32Array,
  values: ArrayLike<number>,
  nRows: number,
  nCols: number,
  duplicates: Duplicates = "sum",
): Csr {
  const n = rows.length;
  if (cols.length !== n || values.length !== n) {
    throw new RangeError(
      `csrFromCoo: rows (${n}), cols (${cols.length}) and values (${values.length}) differ in length`,
    );
  }
  const counts = new Int32Array(nRows + 1);
  for (let e = 0; e < n; e++) {
    const r = rows[e], c = cols[e];
    if (r < 0 || r >= nRows || c < 0 || c >= nCols) {
      throw new RangeError(
        `csrFromCoo: entry ${e} at (${r}, ${c}) lies outside ${nRows} × ${nCols}`,
      );
    }
    counts[r + 1]++;
  }
  for (let r = 0; r < nRows; r++) counts[r + 1] += counts[r];
  if (values instanceof Float32Array && isRowMajor(rows, cols)) {
    return { nRows, nCols, indptr: counts, indices: cols, data: values };
  }
  // Stable scatter by row keeps file order inside a row, so "last" is well defined.
  const next = counts.slice(0, nRows);
  const order = new Int32Array(n);
  for (let e = 0; e < n; e++) order[next[rows[e]]++] = e;

  const indptr = new Int32Array(nRows + 1);
  const indices = new Int32Array(n);
  const data = new Float32Array(n);
  let out = 0;
  let perm = new Int32Array(0);
  for (let r = 0; r < nRows; r++) {
    const start = counts[r], end = counts[r + 1], len = end - start;
    if (perm.length < len) perm = new Int32Array(len * 2);
    for (let j = 0; j < len; j++) perm[j] = order[start + j];
    const seg = perm.subarray(0, len);
    // Sort by column, ties by original position (stable).
    seg.sort((a, b) => cols[a] - cols[b] || a - b);
    for (let j = 0; j < len; j++) {
      const e = seg[j];
      const c = cols[e];
      if (out > indptr[r] && indices[out - 1] === c) {
        data[out - 1] = duplicates === "sum"
          ? data[out - 1] + values[e]
          : values[e];
      } else {
        indices[out] = c;
        data[out] = values[e];
        out++;
      }
    }
    indptr[r + 1] = out;
  }
  return {
    nRows,
    nCols,
    indptr,
    indices: out === n ? indices : indices.slice(0, out),
    data: out === n ? data : data.slice(0, out),
  };
}

/** Whether (rows[e], cols[e]) ascend strictly in row-major order. */
function isRowMajor(rows: Int32Array, cols: Int32Array): boolean {
  for (let e = 1; e < rows.length; e++) {
    const dr = rows[e] - rows[e - 1];
    if (dr < 0 || (dr === 0 && cols[e] <= cols[e - 1])) return false;
  }
  return true;
}

/** The transpose of a CSR matrix, itself in CSR form (shape nCols × nRows). */
export function transpose(m: Csr): Csr {
  const nnz = m.indptr[m.nRows];
  const counts = new Int32Array(m.nCols + 1);
  for (let e = 0; e < nnz; e++) counts[m.indices[e] + 1]++;
  for (let c = 0; c < m.nCols; c++) counts[c + 1] += counts[c];
  const next = counts.slice(0, m.nCols);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  for (let r = 0; r < m.nRows; r++) {
    for (let e = m.indptr[r]; e < m.indptr[r + 1]; e++) {
      const dst = next[m.indices[e]]++;
      indices[dst] = r;
      data[dst] = m.data[e];
    }
  }
  return { nRows: m.nCols, nCols: m.nRows, indptr: counts, indices, data };
}

/** Number of stored entries in row r. */
export function rowLength(m: Csr, r: number): number {
  return m.indptr[r + 1] - m.indptr[r];
}

/**
 * The COO row index of every stored entry of `m`, in storage order (length
 * nnz): entry e lies at (`rows[e]`, `m.indices[e]`) with value `m.data[e]`.
 * Together with `indices` and `data` this is the coalesced COO form
 * (torch's `coalesce()` order: by row, then column).
 */
export function cooRows(m: Csr): Int32Array {
  const rows = new Int32Array(m.indptr[m.nRows]);
  for (let r = 0; r < m.nRows; r++) {
    rows.fill(r, m.indptr[r], m.indptr[r + 1]);
  }
  return rows;
}
