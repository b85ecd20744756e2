/**
 * The one in-memory shape every loader produces and every split, model and
 * metric consumes: parallel typed arrays of length `n` (one row per rating),
 * with dense 0-based user and item indices and maps back to the raw ids.
 *
 * @module
 */

/** Maps between raw integer ids (as in the file) and dense 0-based indices. */
export interface IdMap {
  /** `raw[index]` is the raw id of a dense index; length = number of distinct ids. */
  readonly raw: Int32Array;
  /** `toIndex.get(rawId)` is the dense index of a raw id. */
  readonly toIndex: ReadonlyMap<number, number>;
}

/** Title and genres of one item, keyed by the item's raw id. */
export interface ItemInfo {
  /** Title as the release spells it, year included. */
  readonly title: string;
  /** Genre names (empty when the release lists none). */
  readonly genres: readonly string[];
  /** Release year parsed from the title or release date, when known. */
  readonly year?: number;
}

/** Ratings as parallel typed arrays (row r is one user–item–rating event). */
export interface Interactions {
  /** Dense user index per row, in [0, nUsers). Length n. */
  readonly users: Int32Array;
  /** Dense item index per row, in [0, nItems). Length n. */
  readonly items: Int32Array;
  /** Rating value per row (stars, e.g. 0.5–5). Length n. */
  readonly ratings: Float32Array;
  /**
   * Unix time in seconds per row; all zeros when the source has none. Length
   * n, or 0 when the loader was asked not to keep them (`timestamps: false`).
   */
  readonly timestamps: Float64Array;
  /** Distinct users: dense user indices are 0 … nUsers − 1. */
  readonly nUsers: number;
  /** Distinct items: dense item indices are 0 … nItems − 1. */
  readonly nItems: number;
  /** Raw user id ↔ dense index. */
  readonly userIds: IdMap;
  /** Raw item id ↔ dense index. */
  readonly itemIds: IdMap;
  /** Item metadata by raw item id (may include items nobody rated). */
  readonly itemInfo: ReadonlyMap<number, ItemInfo>;
}
