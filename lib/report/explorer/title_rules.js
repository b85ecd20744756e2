// @ts-check
/**
 * The fuzzy title-matching rules of `lib/title_search.ts` as a plain
 * JavaScript module with no imports, so the browser explorer
 * (`explorer.js`) applies exactly the CLI's rules; the fuzzball functions
 * are passed in (Deno: `npm:fuzzball`, browser: its ES module build, the same
 * version). `title_rules_test.ts` checks both give the same match.
 *
 * Rules: case and accents folded; the "(year)" suffix ignored unless the
 * query has one; best fuzzball WRatio wins, ties to more ratings, then the
 * lower id; refused below `minScore` (70) or when the best title shares too
 * few words with the query (token-set ratio below 60).
 *
 * @module
 */

/** Least token-set ratio (0–100) between the query and the chosen title. */
export const MIN_SHARED_WORDS = 60;

/** Default least WRatio (0–100) of a match. */
export const MIN_SCORE = 70;

/** A trailing "(1994)" or "(1994-1995)". */
export const YEAR_SUFFIX = /\s*\(\d{4}(?:[-–]\d{4})?\)\s*$/;

/**
 * Accents folded and case lowered: "Amélie" → "amelie".
 * @param {string} s
 * @returns {string}
 */
export function fold(s) {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * Strips a trailing "(1994)" (or "(1994-1995)") from a title.
 * @param {string} title
 * @returns {string}
 */
export function stripYear(title) {
  return title.replace(YEAR_SUFFIX, "");
}

/**
 * @typedef {{ WRatio: (a: string, b: string) => number,
 *   token_set_ratio: (a: string, b: string) => number }} FuzzFunctions
 * @typedef {{ id: number, title: string, ratings: number }} TitleEntry
 * @typedef {{ id: number, title: string, score: number }} TitleMatch
 * @typedef {{ match: TitleMatch | undefined, closest: TitleMatch | undefined,
 *   query: string, minScore: number }} TitleLookup
 */

/**
 * The title best matching `query` under the rules above. `match` is
 * undefined when refused; `closest` is the best candidate either way
 * (undefined only when there are no entries).
 *
 * @param {FuzzFunctions} fuzz fuzzball's `WRatio` and `token_set_ratio`
 * @param {string} query
 * @param {readonly TitleEntry[]} entries
 * @param {number} [minScore]
 * @returns {TitleLookup}
 */
export function lookupTitle(fuzz, query, entries, minScore = MIN_SCORE) {
  const q = fold(query.trim());
  const useYear = YEAR_SUFFIX.test(q);
  /** @type {TitleMatch | undefined} */
  let best;
  let bestRatings = -1;
  let bestText = "";
  for (const e of entries) {
    const text = fold(useYear ? e.title : stripYear(e.title));
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
  const ok = best !== undefined && best.score >= minScore &&
    fuzz.token_set_ratio(q, bestText) >= MIN_SHARED_WORDS;
  return {
    match: ok ? best : undefined,
    closest: best,
    query: query.trim(),
    minScore,
  };
}
