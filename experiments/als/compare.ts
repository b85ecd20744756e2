/**
 * Published vs reproduced for `exp:als`: one rule per kind of row (counts,
 * the user's ratings, the title lookup, the document's own call), tested
 * alone in compare_test.ts.
 *
 * @module
 */

import {
  type Comparison,
  comparison,
  exactComparison,
  type MetricValue,
} from "../../lib/report/results.ts";
import {
  DOCUMENT_DATASET,
  DOCUMENT_QUERY,
  DOCUMENT_USER,
  PUBLISHED,
  UNSEEDED_CAUSE,
} from "./document.ts";

/** What a run's comparison rows depend on besides its metrics. */
export interface CompareContext {
  /** The data came from --ratings. */
  readonly ownData: boolean;
  /** The document's release (ml-latest-small, 2018). */
  readonly isDocumentData: boolean;
  /** Release name or CSV file name. */
  readonly datasetName: string;
  /** Raw user id shown. */
  readonly user: number;
  /** The title query (default the document's). */
  readonly query: string;
  /** The title it matched; null without titles. */
  readonly match: { id: number; title: string; score: number } | null;
}

/**
 * Published-vs-reproduced rows for the metrics present. Each status follows
 * from the comparison itself: equal values are "reproduced"; a difference is
 * "explained" when the run differs from the document's (another data set,
 * user or query; a random start the document did not fix) and
 * "not-reproduced" when it does not.
 */
export function compareWithDocument(
  metrics: Readonly<Record<string, MetricValue>>,
  run: CompareContext,
): Comparison[] {
  return [
    ...countRows(metrics, run),
    ...titleRows(metrics, run),
    ...documentCallRows(metrics, run),
  ];
}

/** Why another data set explains a difference. */
function otherDataNote(run: CompareContext): string {
  return run.ownData
    ? `a user's own data (${run.datasetName}), not the document's ${DOCUMENT_DATASET}`
    : `run on ${run.datasetName}, not the document's ${DOCUMENT_DATASET}`;
}

/** users, items, ratings and the chosen user's rating count. */
function countRows(
  metrics: Readonly<Record<string, MetricValue>>,
  run: CompareContext,
): Comparison[] {
  const otherData = run.isDocumentData ? null : otherDataNote(run);
  const sameData =
    `the document's ${DOCUMENT_DATASET} with verified checksums, yet another count`;
  return [
    exactComparison("users", metrics, PUBLISHED.users, otherData, sameData),
    exactComparison("items", metrics, PUBLISHED.items, otherData, sameData),
    exactComparison("ratings", metrics, PUBLISHED.ratings, otherData, sameData),
    exactComparison(
      "user_ratings",
      metrics,
      PUBLISHED.user_ratings,
      run.isDocumentData && run.user === DOCUMENT_USER
        ? null
        : `user ${run.user} on ${run.datasetName}; the document used user ${DOCUMENT_USER} on ${DOCUMENT_DATASET}`,
      `the document's user ${DOCUMENT_USER} on its ${DOCUMENT_DATASET}, yet another number of ratings`,
    ),
  ];
}

/** The title lookup and the matched movie's dense index; none without titles. */
function titleRows(
  metrics: Readonly<Record<string, MetricValue>>,
  run: CompareContext,
): Comparison[] {
  const match = run.match;
  if (match === null) return [];
  const sameQuery = run.isDocumentData && run.query === DOCUMENT_QUERY;
  const found =
    `"${run.query}" → ${match.title} (movie id ${match.id}, WRatio ${match.score})`;
  const otherQuery = [
    run.query === DOCUMENT_QUERY
      ? ""
      : `another query than the document's "${DOCUMENT_QUERY}"`,
    run.isDocumentData ? "" : otherDataNote(run),
  ].filter((x) => x !== "").join("; ");
  const m = "title_match_movie_id";
  return [
    match.title === PUBLISHED.title_match
      ? comparison(m, metrics, PUBLISHED.title_match, "reproduced", found)
      : comparison(
        m,
        metrics,
        PUBLISHED.title_match,
        sameQuery ? "not-reproduced" : "explained",
        sameQuery
          ? `${found}: the document's query on its data matched another title`
          : `${found}: ${otherQuery}`,
      ),
    exactComparison(
      "title_index",
      metrics,
      PUBLISHED.title_index,
      run.isDocumentData && match.title === PUBLISHED.title_match
        ? null
        : "another title or data set than the document's",
      "the document's movie in its data set, yet another dense index",
      "dense index of the movie in sorted-id order, as np.unique gives",
    ),
  ];
}

/** The document's call re-run, when the run made it (MovieLens data only). */
function documentCallRows(
  metrics: Readonly<Record<string, MetricValue>>,
  run: CompareContext,
): Comparison[] {
  if (!Object.hasOwn(metrics, "document_call_neighbour_overlap")) return [];
  const cause = run.isDocumentData
    ? UNSEEDED_CAUSE
    : `${otherDataNote(run)}; besides, ${UNSEEDED_CAUSE}`;
  return [
    exactComparison(
      "document_call_neighbour_overlap",
      metrics,
      PUBLISHED.similarIds.length - 1,
      "of the 9 neighbours the document's similar_items(314) printed after the query itself, how many " +
        "ours shares when re-run the document's way (items × users); these ids are users, not movies. " +
        `They differ because ${cause}`,
      "",
    ),
    exactComparison(
      "document_call_second_score",
      metrics,
      PUBLISHED.similarScores[1],
      "cosine of the first neighbour after the query in the document's call; same cause as the overlap",
      "",
    ),
  ];
}
