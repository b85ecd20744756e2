import assert from "node:assert/strict";
import { summarize } from "../../lib/report/results.ts";
import {
  type CompareContext,
  compareWithDocument,
  holdoutRows,
  unseededCause,
} from "./compare.ts";
import { UNSEEDED_CAUSE } from "./document.ts";

/** The document's own counts and title lookup. */
const BASE = {
  users: 610,
  items: 9724,
  ratings: 100836,
  user_ratings: 168,
  title_match_movie_id: 356,
  title_index: 314,
};

/** A run of the document's configuration. */
const DOC: CompareContext = {
  ownData: false,
  isDocumentData: true,
  datasetName: "ml-latest-small",
  user: 95,
  query: "forrest gump",
  match: { id: 356, title: "Forrest Gump (1994)", score: 100 },
  publishedTitleId: 356,
  alsSettings: true,
  holdoutIsReference: true,
};

function statuses(m: Record<string, number>, run: CompareContext) {
  return Object.fromEntries(
    compareWithDocument(m, run).map((c) => [c.metric, c.status]),
  );
}

Deno.test("compareWithDocument counts and title: exact rule; equal reproduced, same run not-reproduced, other data not comparable", () => {
  assert.deepEqual(statuses(BASE, DOC), {
    users: "reproduced",
    items: "reproduced",
    ratings: "reproduced",
    user_ratings: "reproduced",
    title_match_movie_id: "reproduced",
    title_index: "reproduced",
  });
  for (const row of compareWithDocument(BASE, DOC)) {
    assert.equal(row.rule.rule, "tolerance");
    assert.equal(row.status, row.rule.status);
  }
  const off = { ...BASE, items: 9723, user_ratings: 167, title_index: 313 };
  assert.deepEqual(statuses(off, DOC), {
    users: "reproduced",
    items: "not-reproduced",
    ratings: "reproduced",
    user_ratings: "not-reproduced",
    title_match_movie_id: "reproduced",
    title_index: "not-reproduced",
  });
  // Another release: every row is another quantity, equal or not.
  const other = { ...DOC, isDocumentData: false, datasetName: "ml-100k" };
  const rows = compareWithDocument({ ...off, users: 610 }, other);
  assert.deepEqual(
    rows.map((c) => c.status),
    Array(6).fill("not-comparable"),
  );
  assert.match(rows[1].note, /run on ml-100k, not the document's/);
});

Deno.test("compareWithDocument count rows: notes name the count's cause for each status", () => {
  const off = { ...BASE, users: 609, user_ratings: 12 };
  const same = compareWithDocument(off, DOC);
  const counted =
    "counted on the document's ml-latest-small (verified checksums)";
  assert.deepEqual(same.slice(0, 4).map((c) => [c.status, c.note]), [
    ["not-reproduced", `differs from the document's value; ${counted}`],
    ["reproduced", counted],
    ["reproduced", counted],
    [
      "not-reproduced",
      "differs from the document's value; ratings of the document's user 95 on its ml-latest-small",
    ],
  ]);
  const own = compareWithDocument(off, {
    ...DOC,
    ownData: true,
    isDocumentData: false,
    datasetName: "mine.csv",
    user: 1,
    match: null,
  });
  assert.deepEqual(own.map((c) => [c.metric, c.status]), [
    ["users", "not-comparable"],
    ["items", "not-comparable"],
    ["ratings", "not-comparable"],
    ["user_ratings", "not-comparable"],
  ]);
  assert.equal(
    own[0].note,
    "a user's own data (mine.csv), not the document's ml-latest-small",
  );
  assert.equal(
    own[3].note,
    "user 1 on mine.csv; the document used user 95 on ml-latest-small",
  );
});

Deno.test("compareWithDocument title rows: matched id against the document's title's id; another query not comparable", () => {
  const found = compareWithDocument(BASE, DOC);
  assert.match(
    found[4].note,
    /^"forrest gump" → Forrest Gump \(1994\) \(movie id 356, WRatio 100\)/,
  );
  assert.equal(found[4].published, "Forrest Gump (1994)");
  assert.equal(found[4].difference, null);
  const heat = compareWithDocument({
    ...BASE,
    title_match_movie_id: 6,
    title_index: 5,
  }, {
    ...DOC,
    query: "heat",
    match: { id: 6, title: "Heat (1995)", score: 100 },
  });
  assert.deepEqual(heat.slice(4).map((c) => c.status), [
    "not-comparable",
    "not-comparable",
  ]);
  assert.equal(
    heat[4].note,
    '"heat" → Heat (1995) (movie id 6, WRatio 100): another query than the document\'s "forrest gump"',
  );
  // The document's query on its data matching another title: not reproduced.
  const wrong = compareWithDocument({ ...BASE, title_match_movie_id: 357 }, {
    ...DOC,
    match: { id: 357, title: "Forrest (2001)", score: 90 },
  });
  assert.equal(wrong[4].status, "not-reproduced");
  assert.match(wrong[4].note, /matched another title/);
  // No such title in the data: not comparable.
  const none = compareWithDocument(BASE, { ...DOC, publishedTitleId: null });
  assert.equal(none[4].status, "not-comparable");
  assert.equal(
    compareWithDocument(BASE, { ...DOC, match: null }).length,
    4,
    "no title rows without a match",
  );
});

Deno.test("unseededCause: demonstrated only when two seeded re-runs share at most the document's overlap", () => {
  assert.equal(unseededCause(8, 6, 10).demonstrated, true);
  assert.equal(unseededCause(8, 8, 10).demonstrated, true);
  const not = unseededCause(5, 7, 10);
  assert.equal(not.demonstrated, false);
  assert.match(not.evidence, /not shown by this run/);
  assert.equal(unseededCause(8, 9, 1).demonstrated, false);
});

const CALL = (overlap: number, minBetween: number, scores: number[]) => ({
  ...BASE,
  document_call_neighbour_overlap: overlap,
  document_call_min_overlap_between_seeds: minBetween,
  document_call_second_score: summarize(scores),
});

Deno.test("compareWithDocument document-call rows: overlap exact with the unseeded cause; the cosine by the prediction interval", () => {
  const scores = [0.56, 0.6, 0.58, 0.62, 0.59];
  const shown = compareWithDocument(CALL(8, 6, scores), DOC).slice(6);
  assert.deepEqual(shown.map((c) => [c.published, c.status, c.rule.rule]), [
    [9, "explained", "tolerance"],
    [0.5931347, "reproduced", "prediction-interval"],
  ]);
  assert.ok(shown[0].note.includes(UNSEEDED_CAUSE.slice(1)));
  assert.match(shown[0].note, /share as few as 6 of 9/);
  // Our seeds agree with each other more than with the document: hypothesis.
  const unshown = compareWithDocument(CALL(5, 8, scores), DOC).slice(6);
  assert.equal(unshown[0].status, "hypothesis");
  // All 9 shared: reproduced, whatever the seeds.
  assert.equal(
    compareWithDocument(CALL(9, 9, scores), DOC)[6].status,
    "reproduced",
  );
  // A printed cosine outside our interval: the float32 cause is not shown.
  const far = compareWithDocument(
    CALL(8, 6, [0.4, 0.41, 0.42, 0.4, 0.41]),
    DOC,
  );
  assert.equal(far[7].status, "hypothesis");
  // Another release or other ALS settings: not comparable.
  const other = compareWithDocument(CALL(2, 6, scores), {
    ...DOC,
    isDocumentData: false,
    datasetName: "ml-1m",
  }).slice(6);
  assert.deepEqual(other.map((c) => c.status), [
    "not-comparable",
    "not-comparable",
  ]);
  assert.match(other[0].note, /run on ml-1m/);
  const settings = compareWithDocument(CALL(8, 6, scores), {
    ...DOC,
    alsSettings: "run with other settings (--factors 8)",
  }).slice(6);
  assert.equal(settings[0].status, "not-comparable");
  assert.equal(settings[1].note, "run with other settings (--factors 8)");
  assert.equal(compareWithDocument(BASE, DOC).length, 6);
});

/** Holdout metrics around implicit's re-run. */
function holdout(precision: number[], map = 0.189, pop = 0.1862) {
  const jitter = (m: number) => [m - 0.002, m, m + 0.002, m - 0.001, m + 0.001];
  return {
    ...BASE,
    als_precision_at_10: summarize(precision),
    als_map_at_10: summarize(jitter(map)),
    als_ndcg_at_10: summarize(jitter(0.312)),
    als_auc_at_10: summarize(jitter(0.5836)),
    popularity_precision_at_10: summarize(Array(5).fill(pop)),
    popularity_map_at_10: summarize(Array(5).fill(0.1057)),
  };
}

Deno.test("holdoutRows: random_state 0 by the prediction interval, precision's mean ± std by Welch, popularity exact to 3 decimals", () => {
  const rows = holdoutRows(
    holdout([0.307, 0.311, 0.314, 0.309, 0.312]),
    DOC,
  );
  assert.deepEqual(rows.map((r) => [r.metric, r.published, r.status]), [
    ["als_precision_at_10", 0.311, "reproduced"],
    ["als_map_at_10", 0.189, "reproduced"],
    ["als_ndcg_at_10", 0.311, "reproduced"],
    ["als_auc_at_10", 0.583, "reproduced"],
    ["popularity_precision_at_10", 0.186, "reproduced"],
    ["popularity_map_at_10", 0.106, "reproduced"],
  ]);
  assert.equal(rows[0].rule.rule, "prediction-interval");
  assert.equal(rows[0].reference?.rule.rule, "welch");
  assert.equal(rows[0].reference?.n, 20);
  assert.equal(rows[0].reference?.rule.status, "reproduced");
  assert.equal(rows[1].reference, undefined);
  assert.match(rows[1].note, /20-seed mean 0\.1883 has no spread given/);
  assert.equal(rows[4].rule.rule, "tolerance");
  // Far from implicit: the interval and Welch both say so.
  const far = holdoutRows(
    holdout([0.327, 0.331, 0.334, 0.329, 0.332], 0.2, 0.1867),
    DOC,
  );
  assert.equal(far[0].status, "not-reproduced");
  assert.equal(far[0].reference?.rule.status, "not-reproduced");
  assert.equal(far[1].status, "not-reproduced");
  assert.equal(far[4].status, "not-reproduced");
  // Not the reference's holdout, or not the document's data: no rows.
  assert.deepEqual(
    holdoutRows(holdout([0.31, 0.311]), { ...DOC, holdoutIsReference: false }),
    [],
  );
  assert.deepEqual(
    holdoutRows(holdout([0.31, 0.311]), { ...DOC, isDocumentData: false }),
    [],
  );
  assert.equal(compareWithDocument(holdout([0.31, 0.311]), DOC).length, 12);
});
