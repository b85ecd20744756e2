import assert from "node:assert/strict";
import {
  findTitle,
  MAX_QUERY_CHARS,
  QueryTooLongError,
  stripYear,
  UnknownTitleError,
} from "./title_search.ts";

const titles = [
  { id: 4, title: "Forrest (2001)", ratings: 2 },
  { id: 356, title: "Forrest Gump (1994)", ratings: 329 },
  { id: 2, title: "Jumanji (1995)", ratings: 110 },
  {
    id: 4973,
    title: "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
    ratings: 120,
  },
];

Deno.test("findTitle picks Forrest Gump (1994) for 'forrest gump', not Forrest (2001)", () => {
  assert.equal(findTitle("forrest gump", titles).id, 356);
});

Deno.test("findTitle is case- and accent-tolerant for a partial title", () => {
  assert.equal(findTitle("JUMANJI", titles).id, 2);
  assert.equal(findTitle("Amelie", titles).id, 4973);
});

Deno.test("findTitle breaks score ties by number of ratings", () => {
  const twins = [
    { id: 10, title: "Hamlet (1990)", ratings: 5 },
    { id: 11, title: "Hamlet (1996)", ratings: 50 },
  ];
  assert.equal(findTitle("hamlet", twins).id, 11);
  assert.equal(findTitle("hamlet (1990)", twins).id, 10);
});

Deno.test("findTitle throws UnknownTitleError naming the query and the closest title", () => {
  assert.throws(
    () => findTitle("zzqx vwkj", titles),
    (e: unknown) =>
      e instanceof UnknownTitleError && /"zzqx vwkj"/.test(e.message) &&
      /closest: "/.test(e.message),
  );
  assert.throws(() => findTitle("anything", []), UnknownTitleError);
});

Deno.test("stripYear removes only a trailing year", () => {
  assert.equal(stripYear("1984 (1984)"), "1984");
  assert.equal(stripYear("Fantasia 2000 (1999)"), "Fantasia 2000");
  assert.equal(stripYear("Untitled"), "Untitled");
});

Deno.test("findTitle refuses a one-letter title that WRatio alone would accept", () => {
  const withShort = [...titles, { id: 9, title: "Z (1969)", ratings: 5 }, {
    id: 10,
    title: "M (1931)",
    ratings: 5,
  }];
  assert.throws(() => findTitle("zzzzqqq", withShort), UnknownTitleError);
  assert.throws(() => findTitle("asdfmqwe", withShort), UnknownTitleError);
  assert.equal(findTitle("z", withShort).id, 9);
});

Deno.test("UnknownTitleError says in one sentence which figure fell short: the score, or the shared words", () => {
  const withZ = [...titles, { id: 9, title: "Z (1969)", ratings: 5 }];
  const message = (query: string) => {
    try {
      findTitle(query, withZ);
    } catch (e) {
      assert.ok(e instanceof UnknownTitleError);
      return e.message;
    }
    assert.fail(`findTitle accepted ${query}`);
  };
  assert.equal(
    message("asdfmqwe"),
    'no movie title matches "asdfmqwe" (closest: "Amélie (Fabuleux destin d\'Amélie Poulain, Le) (2001)", ' +
      "which scores 34 of 100; 70 are needed)",
  );
  assert.equal(
    message("zzzzqqq"),
    'no movie title matches "zzzzqqq" (closest: "Z (1969)", which scores 90 of 100 ' +
      "but shares too few words with it: 25 of 100, 60 are needed)",
  );
  assert.equal(
    new UnknownTitleError("x", undefined, 70).message,
    'no movie title matches "x" (there are no titles to search)',
  );
});

Deno.test("findTitle refuses a query over MAX_QUERY_CHARS before any matching, without echoing it", () => {
  const entries = Array.from({ length: 5000 }, (_, i) => ({
    id: i,
    title: `Some long movie title number ${i} (1999)`,
    ratings: 1,
  }));
  const query = "abcdefghij".repeat(1000);
  const t0 = performance.now();
  assert.throws(() => findTitle(query, entries), (e: unknown) => {
    assert.ok(e instanceof QueryTooLongError);
    assert.equal(e.exitCode, 2);
    assert.equal(
      e.message,
      `title query is 10000 characters long; at most ${MAX_QUERY_CHARS} are searched`,
    );
    return true;
  });
  assert.ok(performance.now() - t0 < 100);
  // At the bound it is still searched.
  assert.throws(
    () => findTitle("z".repeat(MAX_QUERY_CHARS), entries.slice(0, 3)),
    UnknownTitleError,
  );
});
