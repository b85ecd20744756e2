/**
 * Turns parsed rows with raw ids into the shared `Interactions` shape: dense
 * user and item indices in ascending order of raw id (as `np.unique` gives).
 *
 * @module
 */

import { denseIds } from "./dense_ids.ts";
import type { Interactions, ItemInfo } from "./interactions.ts";
import type { RawRatings } from "./ratings_parser.ts";

/**
 * Builds `Interactions` from `raw`, whose `users` and `items` arrays are
 * rewritten in place into dense indices (so `raw` must not be used after).
 *
 * @param itemInfo Metadata by raw item id (may include items nobody rated).
 */
export function interactionsFromRaw(
  raw: RawRatings,
  itemInfo: ReadonlyMap<number, ItemInfo> = new Map(),
): Interactions {
  const userIds = denseIds(raw.users, raw.maxUser);
  const itemIds = denseIds(raw.items, raw.maxItem);
  return {
    users: raw.users,
    items: raw.items,
    ratings: raw.ratings,
    timestamps: raw.timestamps,
    nUsers: userIds.raw.length,
    nItems: itemIds.raw.length,
    userIds,
    itemIds,
    itemInfo,
  };
}
