import assert from "node:assert/strict";
import { interactionsFromRaw } from "./interactions_from_raw.ts";
import { idTables, indexByRawIds } from "./raw_ids.ts";
import { parseRatings } from "./ratings_parser.ts";

function sample() {
  return interactionsFromRaw(parseRatings(
    new TextEncoder().encode("30,7,1,100\n10,9,2,200\n30,9,3,300\n"),
    { file: "t.csv", separator: "csv", header: "none", ratingRange: [0, 10] },
  ));
}

Deno.test("indexByRawIds (raw): raw ids index tables of max id + 1 rows", () => {
  const r = indexByRawIds(sample(), true);
  assert.deepEqual([...r.users], [30, 10, 30]);
  assert.deepEqual([...r.items], [7, 9, 9]);
  assert.equal(r.nUsers, 31);
  assert.equal(r.nItems, 10);
  assert.equal(r.rawUser(30), 30);
  assert.equal(r.rawItem(9), 9);
  assert.deepEqual([...r.ratings], [1, 2, 3]);
});

Deno.test("indexByRawIds (dense): dense indices unchanged, raw ids through the id maps", () => {
  const r = indexByRawIds(sample(), false);
  assert.deepEqual([...r.users], [1, 0, 1]);
  assert.equal(r.nUsers, 2);
  assert.equal(r.rawUser(1), 30);
  assert.equal(r.rawItem(0), 7);
});

Deno.test("indexByRawIds: tables over 2^40 cells are refused naming --ids", () => {
  const d = interactionsFromRaw(parseRatings(
    new TextEncoder().encode("2000000,2000000,1,0\n"),
    { file: "t.csv", separator: "csv", header: "none", ratingRange: [0, 10] },
  ));
  assert.throws(() => indexByRawIds(d, true), /--ids raw: .*use --ids dense/);
});

Deno.test("idTables: raw ids per table row and titles by raw item id (null when unknown)", () => {
  const d = sample();
  const t = idTables(
    indexByRawIds(d, false),
    new Map([[9, { title: "Nine (1999)", genres: [] }]]),
  );
  assert.deepEqual([...t.userIds], [10, 30]);
  assert.deepEqual([...t.itemIds], [7, 9]);
  assert.deepEqual(t.itemTitles, [null, "Nine (1999)"]);
});
