/**
 * Repeated (user, item) pairs in loaded ratings: found in O(n + users +
 * items), and either dropped but the last (a user's own CSV: a later rating
 * of the same movie replaces the earlier one, as a user re-rating a movie
 * on MovieLens does, and as `exp:als` built its matrix) or refused (a
 * MovieLens release, which has none as published). Never collapsed silently:
 * the count goes into the results' dataset record and the report.
 *
 * @module
 */

import { DataError } from "./data_error.ts";
import type { Interactions } from "./interactions.ts";

/** What a loader does with repeated (user, item) pairs. */
export type DuplicatePolicy = "keep-last" | "refuse";

/** One sentence per policy, for reports and `--help`. */
export const DUPLICATE_POLICY_TEXT: Readonly<Record<DuplicatePolicy, string>> =
  {
    "keep-last":
      "a repeated (user, item) pair keeps its last rating in file order; earlier ones are dropped and counted",
    refuse: "a repeated (user, item) pair is refused as an error",
  };

/** How many rows repeat an earlier (user, item) pair, and the first such pair. */
export interface DuplicateScan {
  /** Rows whose pair occurs again later in the file (what `keep-last` drops). */
  readonly count: number;
  /** Per row, 1 when it is the last occurrence of its pair (kept), else 0. Length n. */
  readonly keep: Uint8Array;
  /** Raw user and item ids of one repeated pair, when there is one. */
  readonly example?: { readonly user: number; readonly item: number };
}

/**
 * Scans dense ratings for repeated (user, item) pairs; the last occurrence
 * of each pair in row order is the one marked kept.
 */
export function scanDuplicates(data: Interactions): DuplicateScan {
  const { users, items, nUsers, nItems } = data;
  const n = users.length;
  // Rows grouped by user (stable), then walked last to first per user.
  const start = new Int32Array(nUsers + 1);
  for (let r = 0; r < n; r++) start[users[r] + 1]++;
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  const next = start.slice(0, nUsers);
  const order = new Int32Array(n);
  for (let r = 0; r < n; r++) order[next[users[r]]++] = r;
  const stamp = new Int32Array(nItems).fill(-1);
  const keep = new Uint8Array(n);
  let count = 0;
  let example: { user: number; item: number } | undefined;
  for (let u = 0; u < nUsers; u++) {
    for (let p = start[u + 1] - 1; p >= start[u]; p--) {
      const r = order[p];
      const i = items[r];
      if (stamp[i] === u) {
        count++;
        example ??= { user: data.userIds.raw[u], item: data.itemIds.raw[i] };
      } else {
        stamp[i] = u;
        keep[r] = 1;
      }
    }
  }
  return example === undefined ? { count, keep } : { count, keep, example };
}

/**
 * Applies `policy` to `data`: returns it unchanged when no pair repeats;
 * with `keep-last`, a copy without the earlier rows of each repeated pair
 * (users and items keep their indices: the last row of every pair stays);
 * with `refuse`, throws.
 *
 * @param file Named in the error.
 * @throws {DataError} under `refuse` when a pair repeats, naming the file,
 *   the count and one pair.
 */
export function applyDuplicatePolicy(
  data: Interactions,
  policy: DuplicatePolicy,
  file: string,
): { data: Interactions; dropped: number } {
  const scan = scanDuplicates(data);
  if (scan.count === 0) return { data, dropped: 0 };
  if (policy === "refuse") {
    const e = scan.example!;
    throw new DataError(
      file,
      `${scan.count} rating rows repeat an earlier (user, item) pair (e.g. user ${e.user}, item ${e.item}); ` +
        "the release as published has none, so this copy was altered: get a fresh copy",
    );
  }
  const n = data.users.length - scan.count;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const ratings = new Float32Array(n);
  // Timestamps not kept by the loader (length 0) stay absent.
  const hasTimestamps = data.timestamps.length > 0;
  const timestamps = new Float64Array(hasTimestamps ? n : 0);
  let o = 0;
  for (let r = 0; r < data.users.length; r++) {
    if (scan.keep[r] === 0) continue;
    users[o] = data.users[r];
    items[o] = data.items[r];
    ratings[o] = data.ratings[r];
    if (hasTimestamps) timestamps[o] = data.timestamps[r];
    o++;
  }
  return {
    data: { ...data, users, items, ratings, timestamps },
    dropped: scan.count,
  };
}
