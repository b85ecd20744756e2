/**
 * Rating rows indexed by raw ids, as Spotlight's `Interactions` does: its
 * tables are `max id + 1` long and ids index them directly (row 0 unused on
 * MovieLens), where this project's loaders give dense 0-based indices.
 *
 * @module
 */

import { UserError } from "../errors.ts";
import type { Interactions, ItemInfo } from "./interactions.ts";

/** Rows with table indices, the table sizes and the way back to raw ids. */
export interface IndexedRows {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
  readonly nUsers: number;
  readonly nItems: number;
  /** The raw user id of table row `j`. */
  readonly rawUser: (j: number) => number;
  /** The raw item id of table row `j`. */
  readonly rawItem: (j: number) => number;
}

/**
 * `data`'s rows with raw ids as table indices when `raw` (tables of
 * `max id + 1` rows), else its dense indices unchanged.
 *
 * @throws {UserError} (exit 2, naming `--ids`) when raw tables would exceed
 *   2^40 cells.
 */
export function indexByRawIds(data: Interactions, raw: boolean): IndexedRows {
  const users = raw
    ? Int32Array.from(data.users, (u) => data.userIds.raw[u])
    : data.users;
  const items = raw
    ? Int32Array.from(data.items, (i) => data.itemIds.raw[i])
    : data.items;
  const nUsers = raw ? maxOf(data.userIds.raw) + 1 : data.nUsers;
  const nItems = raw ? maxOf(data.itemIds.raw) + 1 : data.nItems;
  if (raw && nUsers * nItems > 2 ** 40) {
    throw new UserError(
      `--ids raw: ids up to ${nUsers - 1} × ${
        nItems - 1
      } are too large; use --ids dense`,
      { exitCode: 2 },
    );
  }
  return {
    users,
    items,
    ratings: data.ratings,
    nUsers,
    nItems,
    rawUser: (j) => raw ? j : data.userIds.raw[j],
    rawItem: (j) => raw ? j : data.itemIds.raw[j],
  };
}

/**
 * The id tables an exported model carries for `rows`: raw user and item id
 * of every table row, and each item's title from `itemInfo` (null where
 * unknown).
 */
export function idTables(
  rows: IndexedRows,
  itemInfo: ReadonlyMap<number, ItemInfo>,
): { userIds: Int32Array; itemIds: Int32Array; itemTitles: (string | null)[] } {
  const itemIds = Int32Array.from(
    { length: rows.nItems },
    (_, j) => rows.rawItem(j),
  );
  return {
    userIds: Int32Array.from(
      { length: rows.nUsers },
      (_, j) => rows.rawUser(j),
    ),
    itemIds,
    itemTitles: Array.from(itemIds, (id) => itemInfo.get(id)?.title ?? null),
  };
}

/** The largest value (a loop: spreading a long array into Math.max overflows the stack). */
function maxOf(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let j = 0; j < values.length; j++) if (values[j] > m) m = values[j];
  return m;
}
