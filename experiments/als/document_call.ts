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
import { implicitInitialFactors } from "../../lib/models/als/init.ts";
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

/** The document's call re-run once per model seed. */
export interface DocumentCalls {
  /** The first seed's call (the one the report lists). */
  readonly first: DocumentCall;
  /** Per seed, in seed order: the cosine of the first neighbour after the query, rounded to the document's 7 decimals. */
  readonly secondScores: number[];
  /** Per seed: the overlap with the document's neighbours. */
  readonly overlaps: number[];
  /** The fewest of 9 neighbours (query excluded) two of our seeds share; 9 with one seed. */
  readonly minOverlapBetweenSeeds: number;
}

/**
 * Fits ALS (`als`, without the loss, on `team`) on the items × users matrix
 * of `data` as the document did (implicit ≥ 0.5 reads it as users × items),
 * from implicit 0.7's initial factors for each of `seeds`, and asks
 * `similar_items(314)` of each fit, which then lists user indices.
 */
export async function documentCall(
  data: Interactions,
  als: AlsConfig,
  team: AlsThreads,
  seeds: readonly number[],
): Promise<DocumentCalls> {
  const transposed = csrFromCoo(
    data.items,
    data.users,
    data.ratings,
    data.nItems,
    data.nUsers,
    "last",
  );
  const calls: DocumentCall[] = [];
  for (const seed of seeds) {
    const model = await fitAls(transposed, {
      ...als,
      seed,
      initialFactors: implicitInitialFactors(
        data.nItems,
        data.nUsers,
        als.factors,
        seed,
      ),
      computeLoss: false,
      team,
    });
    calls.push(neighboursOfDocumentQuery(model.itemFactors, als.factors));
  }
  return summarizeCalls(calls);
}

/** The first call, the per-call figures and the smallest overlap between two calls. */
export function summarizeCalls(calls: readonly DocumentCall[]): DocumentCalls {
  if (calls.length === 0) throw new RangeError("documentCall: no seeds");
  const query = PUBLISHED.title_index;
  const lists = calls.map((c) =>
    [...c.similar.items].filter((u) => u !== query).slice(0, 9)
  );
  let min = 9;
  for (let a = 0; a < lists.length; a++) {
    const set = new Set(lists[a]);
    for (let b = a + 1; b < lists.length; b++) {
      min = Math.min(min, lists[b].filter((u) => set.has(u)).length);
    }
  }
  return {
    first: calls[0],
    secondScores: calls.map((c) => Math.round(c.similar.scores[1] * 1e7) / 1e7),
    overlaps: calls.map((c) => c.overlap),
    minOverlapBetweenSeeds: min,
  };
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
