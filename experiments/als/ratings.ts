/**
 * The ratings in the shapes `exp:als` needs them: a users × items matrix,
 * the title-search entries, one user's rows in the document's order.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { type Csr, csrFromCoo } from "../../lib/sparse.ts";

/** The users × items matrix of `d` (the last of repeated pairs kept). */
export function toCsr(d: Interactions): Csr {
  return csrFromCoo(d.users, d.items, d.ratings, d.nUsers, d.nItems, "last");
}

/** Dense user indices 0 … n − 1. */
export function allUsers(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, u) => u);
}

/**
 * The movies a title query may match: rated ones only (an unrated movie has
 * no factors), each with its raw id, title and rating count from
 * `popularity` (per dense item).
 */
export function titleEntries(
  data: Interactions,
  popularity: Float32Array,
): { id: number; title: string; ratings: number }[] {
  const rated = new Map<number, number>();
  data.itemIds.raw.forEach((id, j) => rated.set(id, popularity[j]));
  return [...data.itemInfo].filter(([id]) => rated.has(id)).map((
    [id, info],
  ) => ({
    id,
    title: info.title,
    ratings: rated.get(id)!,
  }));
}

/** Rows of dense user `user`, best rating first (ties in file order), as the document sorts them. */
export function rowsOfUser(data: Interactions, user: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r < data.users.length; r++) {
    if (data.users[r] === user) rows.push(r);
  }
  return rows.sort((a, b) => data.ratings[b] - data.ratings[a] || a - b);
}
