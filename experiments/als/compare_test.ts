import assert from "node:assert/strict";
import { type CompareContext, compareWithDocument } from "./compare.ts";
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
};

function statuses(m: Record<string, number>, run: CompareContext) {
  return Object.fromEntries(
    compareWithDocument(m, run).map((c) => [c.metric, c.status]),
  );
}

Deno.test("compareWithDocument takes each status from the values: equal reproduced, same run not-reproduced, other run explained", () => {
  assert.deepEqual(statuses(BASE, DOC), {
    users: "reproduced",
    items: "reproduced",
    ratings: "reproduced",
    user_ratings: "reproduced",
    title_match_movie_id: "reproduced",
    title_index: "reproduced",
  });
  // The document's data, user and query, yet other values: not reproduced.
  const off = { ...BASE, items: 9723, user_ratings: 167, title_index: 313 };
  assert.deepEqual(statuses(off, DOC), {
    users: "reproduced",
    items: "not-reproduced",
    ratings: "reproduced",
    user_ratings: "not-reproduced",
    title_match_movie_id: "reproduced",
    title_index: "not-reproduced",
  });
  assert.equal(
    statuses(off, {
      ...DOC,
      match: { id: 357, title: "Forrest (2001)", score: 90 },
    }).title_match_movie_id,
    "not-reproduced",
  );
  // Another release: the differing rows are explained, equal ones still reproduced.
  const other = { ...DOC, isDocumentData: false, datasetName: "ml-100k" };
  const rows = compareWithDocument({ ...off, users: 610 }, other);
  assert.deepEqual(rows.map((c) => c.status), [
    "reproduced",
    "explained",
    "reproduced",
    "explained",
    "reproduced",
    "explained",
  ]);
  assert.match(rows[1].note, /run on ml-100k, not the document's/);
});

Deno.test("compareWithDocument count rows: notes name the count's cause for each status", () => {
  const off = { ...BASE, users: 609, user_ratings: 12 };
  const same = compareWithDocument(off, DOC);
  assert.deepEqual(same.slice(0, 4).map((c) => [c.status, c.note]), [
    [
      "not-reproduced",
      "the document's ml-latest-small with verified checksums, yet another count",
    ],
    ["reproduced", ""],
    ["reproduced", ""],
    [
      "not-reproduced",
      "the document's user 95 on its ml-latest-small, yet another number of ratings",
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
    ["users", "explained"],
    ["items", "reproduced"],
    ["ratings", "reproduced"],
    ["user_ratings", "explained"],
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

Deno.test("compareWithDocument title rows: a match's note names query, title, id and score; none without a match", () => {
  const found = compareWithDocument(BASE, DOC);
  assert.equal(
    found[4].note,
    '"forrest gump" → Forrest Gump (1994) (movie id 356, WRatio 100)',
  );
  assert.equal(found[4].published, "Forrest Gump (1994)");
  assert.equal(found[4].difference, null);
  assert.equal(
    found[5].note,
    "dense index of the movie in sorted-id order, as np.unique gives",
  );
  // Another query on the document's data: explained, naming the query.
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
    "explained",
    "explained",
  ]);
  assert.equal(
    heat[4].note,
    '"heat" → Heat (1995) (movie id 6, WRatio 100): another query than the document\'s "forrest gump"',
  );
  assert.equal(heat[5].note, "another title or data set than the document's");
  // The document's query on its data matching another title: not reproduced.
  const wrong = compareWithDocument({ ...BASE, title_match_movie_id: 357 }, {
    ...DOC,
    match: { id: 357, title: "Forrest (2001)", score: 90 },
  });
  assert.match(
    wrong[4].note,
    /: the document's query on its data matched another title$/,
  );
  assert.equal(
    compareWithDocument(BASE, { ...DOC, match: null }).length,
    4,
    "no title rows without a match",
  );
});

Deno.test("compareWithDocument document-call rows: explained by the unseeded start unless equal, and only when the metric is there", () => {
  const call = compareWithDocument({
    ...BASE,
    document_call_neighbour_overlap: 7,
    document_call_second_score: 0.5931347,
  }, DOC);
  assert.deepEqual(call.slice(6).map((c) => [c.published, c.status]), [
    [9, "explained"],
    [0.5931347, "reproduced"],
  ]);
  assert.match(call[6].note, /without random_state/);
  assert.ok(call[6].note.endsWith(`They differ because ${UNSEEDED_CAUSE}`));
  assert.equal(call[7].note, "");
  // On another release the other data comes first.
  const other = compareWithDocument({
    ...BASE,
    document_call_neighbour_overlap: 2,
    document_call_second_score: 0.5,
  }, { ...DOC, isDocumentData: false, datasetName: "ml-1m" });
  assert.ok(
    other[6].note.endsWith(
      `They differ because run on ml-1m, not the document's ml-latest-small; besides, ${UNSEEDED_CAUSE}`,
    ),
  );
  assert.equal(
    other[7].note,
    "cosine of the first neighbour after the query in the document's call; same cause as the overlap",
  );
  assert.equal(compareWithDocument(BASE, DOC).length, 6);
});
