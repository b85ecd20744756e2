/**
 * Fuzzy movie-title lookup, as the ALS document does with fuzzywuzzy's
 * `process.extractOne`, but without its trap: scored on the title without its
 * "(year)" suffix, so "forrest gump" finds "Forrest Gump (1994)" rather than
 * tying with "Forrest (2001)", accents folded ("amelie" finds "Amélie"), and
 * refusing to guess when nothing is close: WRatio alone scores 90 for any
 * query containing a one-letter title ("zzzzqqq" vs "Z (1969)"), so the best
 * match must also share words with the query (token-set ratio).
 *
 * @module
 */

import * as fuzz from "fuzzball";
import { UserError } from "./errors.ts";

/**
 * Longest query searched, in characters: fuzzy matching costs grow with the
 * query's length times every title's (10,000 characters took 42 s), and no
 * MovieLens title is longer than about 160. Flags taking a title set it as
 * their `maxLength`.
 */
export const MAX_QUERY_CHARS = 200;

/** A candidate title: the item's raw id and how many ratings it has (tie-break). */
export interface TitleEntry {
  readonly id: number;
  readonly title: string;
  readonly ratings: number;
}

/** The chosen title and its fuzzball WRatio score (0–100). */
export interface TitleMatch {
  readonly id: number;
  readonly title: string;
  readonly score: number;
}

/**
 * Raised when no title is close enough to the query: the best WRatio score is
 * below `minScore`, or the best-scoring title shares too few words with the
 * query (token-set ratio below `MIN_SHARED_WORDS`). The message is one plain
 * sentence naming the query, the closest title and the figure that fell short.
 */
export class UnknownTitleError extends UserError {
  /**
   * @param sharedWords the closest title's token-set ratio (0–100), when that
   *   is what fell short.
   */
  constructor(
    query: string,
    closest: TitleMatch | undefined,
    minScore: number,
    sharedWords?: number,
  ) {
    let why: string;
    if (closest === undefined) why = "there are no titles to search";
    else if (closest.score < minScore) {
      why =
        `closest: "${closest.title}", which scores ${closest.score} of 100; ${minScore} are needed`;
    } else {
      why =
        `closest: "${closest.title}", which scores ${closest.score} of 100 ` +
        `but shares too few words with it: ${sharedWords} of 100, ${MIN_SHARED_WORDS} are needed`;
    }
    super(`no movie title matches "${query}" (${why})`);
    this.name = "UnknownTitleError";
  }
}

/** A title query longer than `MAX_QUERY_CHARS` (exit 2; the query is not echoed). */
export class QueryTooLongError extends UserError {
  /** @param length the query's length in characters. */
  constructor(length: number) {
    super(
      `title query is ${length} characters long; at most ${MAX_QUERY_CHARS} are searched`,
      { exitCode: 2 },
    );
    this.name = "QueryTooLongError";
  }
}

/** Accents folded and case lowered: "Amélie" → "amelie". */
function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Least token-set ratio (0–100) between the query and the chosen title. */
const MIN_SHARED_WORDS = 60;

const YEAR_SUFFIX = /\s*\(\d{4}(?:[-–]\d{4})?\)\s*$/;

/** Strips a trailing "(1994)" (or "(1994-1995)") from a title. */
export function stripYear(title: string): string {
  return title.replace(YEAR_SUFFIX, "");
}

/**
 * Finds the title best matching `query` by fuzzball's WRatio (case-, accent-
 * and punctuation-insensitive). The year suffix is ignored unless the query
 * has one. Ties go to the title with more ratings, then the lower id.
 * Throws `UnknownTitleError` when the best score is below `minScore`
 * (default 70) or the best title shares too few words with the query
 * (token-set ratio below 60), and `QueryTooLongError` before any matching
 * when the query is longer than `MAX_QUERY_CHARS`.
 *
 * @example
 * ```ts
 * const m = findTitle("forrest gump", [
 *   { id: 1, title: "Forrest (2001)", ratings: 1 },
 *   { id: 356, title: "Forrest Gump (1994)", ratings: 329 },
 * ]);
 * if (m.id !== 356) throw new Error("wrong match");
 * ```
 */
export function findTitle(
  query: string,
  entries: readonly TitleEntry[],
  options: { minScore?: number } = {},
): TitleMatch {
  const minScore = options.minScore ?? 70;
  const length = [...query.trim()].length;
  if (length > MAX_QUERY_CHARS) throw new QueryTooLongError(length);
  const q = fold(query.trim());
  const useYear = YEAR_SUFFIX.test(q);
  const candidate = (e: TitleEntry) =>
    fold(useYear ? e.title : stripYear(e.title));
  let best: TitleMatch | undefined;
  let bestRatings = -1;
  let bestText = "";
  for (const e of entries) {
    const text = candidate(e);
    const score = fuzz.WRatio(q, text);
    if (
      best === undefined || score > best.score ||
      (score === best.score &&
        (e.ratings > bestRatings ||
          (e.ratings === bestRatings && e.id < best.id)))
    ) {
      best = { id: e.id, title: e.title, score };
      bestRatings = e.ratings;
      bestText = text;
    }
  }
  if (best === undefined || best.score < minScore) {
    throw new UnknownTitleError(query.trim(), best, minScore);
  }
  const shared = fuzz.token_set_ratio(q, bestText);
  if (shared < MIN_SHARED_WORDS) {
    throw new UnknownTitleError(query.trim(), best, minScore, shared);
  }
  return best;
}
