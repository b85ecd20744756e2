/**
 * The document's own call, re-run: it passed the items × users matrix to
 * `fit()`, which since implicit 0.5 expects users × items, so its "items"
 * were users and `similar_items(314)` listed users like the user with index
 * 314. Fitted here the same way to show what that call computes.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import {
  type AlsConfig,
  type AlsThreads,
  fitAls,
} from "../../lib/models/als/als.ts";
import { similarItems } from "../../lib/models/factor_model.ts";
import { csrFromCoo } from "../../lib/sparse.ts";
import { PUBLISHED } from "./document.ts";

/** The document's call re-run, and what it shares with the document's printed list. */
export interface DocumentCall {
  /** `similar_items(314)` of the items × users fit: the query's index first, then 9 more user indices (10 in all). */
  readonly similar: { items: Int32Array; scores: Float32Array };
  /** Of the document's 9 neighbours (the query excluded), how many our first 9 neighbours share. */
  readonly overlap: number;
}

/**
 * Fits ALS (`als`, without the loss, on `team`) on the items × users matrix
 * of `data` as the document did (implicit ≥ 0.5 reads it as users × items)
 * and asks `similar_items(314)`, which then lists user indices.
 */
export async function documentCall(
  data: Interactions,
  als: AlsConfig,
  team: AlsThreads,
): Promise<DocumentCall> {
  const transposed = csrFromCoo(
    data.items,
    data.users,
    data.ratings,
    data.nItems,
    data.nUsers,
    "last",
  );
  const model = await fitAls(transposed, { ...als, computeLoss: false, team });
  return neighboursOfDocumentQuery(model.itemFactors, als.factors);
}

/**
 * `similar_items(314)` on `itemFactors` (row-major, `factors` wide) and its
 * overlap with the document's printed neighbours.
 */
export function neighboursOfDocumentQuery(
  itemFactors: Float32Array,
  factors: number,
): DocumentCall {
  const query = PUBLISHED.title_index;
  // One more than printed, so that 9 neighbours remain even if the query is not first.
  const similar = similarItems(itemFactors, factors, query, 11);
  const published = new Set<number>(
    PUBLISHED.similarIds.filter((u) => u !== query),
  );
  const ours = [...similar.items].filter((u) => u !== query).slice(
    0,
    published.size,
  );
  return {
    similar: {
      items: similar.items.subarray(0, 10),
      scores: similar.scores.subarray(0, 10),
    },
    overlap: ours.filter((u) => published.has(u)).length,
  };
}
