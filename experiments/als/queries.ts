/**
 * The document's questions asked of the exported ONNX model — the movies
 * most similar to a title, one user's recommendations — with the TypeScript
 * answers beside them for the parity figures.
 *
 * @module
 */

import { maxAbsDiff } from "../../lib/metrics.ts";
import { recommend, similarItems } from "../../lib/models/factor_model.ts";
import type { FactorModelSession } from "../../lib/onnx/infer.ts";
import type { Csr } from "../../lib/sparse.ts";

/** A ranked list: dense item indices and their scores, best first. */
export interface RankedList {
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

/** How far the ONNX answers lie from the TypeScript ones. */
export interface Parity {
  /** Largest |ONNX − TypeScript| similarity; null when no title was looked up. */
  readonly similar: number | null;
  /** Largest |ONNX − TypeScript| recommendation score. */
  readonly recommend: number;
  /** Both ranked lists hold the same items in the same order. */
  readonly sameLists: boolean;
}

/** The ONNX model's answers and their parity. */
export interface Answers {
  /** The `k + 1` movies most similar to the title (itself first); null without a title. */
  readonly similar: RankedList | null;
  /** The user's top `k`, rated movies masked. */
  readonly recs: RankedList;
  readonly parity: Parity;
}

/** What the questions are about. */
export interface Questions {
  /** Dense index of the looked-up movie, or null. */
  readonly titleIndex: number | null;
  /** Dense index of the user. */
  readonly userIndex: number;
  readonly k: number;
}

/**
 * Asks `session` (the model exported from `factors`-wide `userFactors`
 * and `itemFactors`, with `seen` as its masked ratings) the questions, and
 * computes the same answers in TypeScript.
 */
export async function askModel(
  session: FactorModelSession,
  model: {
    readonly factors: number;
    readonly userFactors: Float32Array;
    readonly itemFactors: Float32Array;
    readonly seen: Csr;
  },
  q: Questions,
): Promise<Answers> {
  const { factors, userFactors, itemFactors, seen } = model;
  const t = q.titleIndex;
  const similar = t === null ? null : await session.similar(t, q.k + 1);
  const similarTs = t === null
    ? null
    : similarItems(itemFactors, factors, t, q.k + 1);
  const recs = await session.recommend(Int32Array.of(q.userIndex), q.k);
  const u = q.userIndex;
  const seenOfUser = seen.indices.subarray(seen.indptr[u], seen.indptr[u + 1]);
  const recsTs = recommend(
    userFactors,
    itemFactors,
    factors,
    u,
    q.k,
    seenOfUser,
  );
  return {
    similar,
    recs,
    parity: {
      similar: similar && similarTs
        ? maxAbsDiff(similar.scores, similarTs.scores)
        : null,
      recommend: maxAbsDiff(recs.scores, recsTs.scores),
      sameLists: sameInts(recs.items, recsTs.items) &&
        (similar === null || similarTs === null ||
          sameInts(similar.items, similarTs.items)),
    },
  };
}

function sameInts(a: Int32Array, b: Int32Array): boolean {
  return a.length === b.length && a.every((v, j) => v === b[j]);
}
