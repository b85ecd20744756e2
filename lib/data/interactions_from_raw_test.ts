import assert from "node:assert/strict";
import { interactionsFromRaw } from "./interactions_from_raw.ts";
import { parseRatings } from "./ratings_parser.ts";

Deno.test("interactionsFromRaw gives dense indices sorted by raw id and keeps ratings and times", () => {
  const raw = parseRatings(
    new TextEncoder().encode("30,7,1,100\n10,9,2,200\n30,9,3,300\n"),
    {
      file: "t.csv",
      separator: "csv",
      header: "none",
      ratingRange: [0, 10],
    },
  );
  const info = new Map([[7, {
    title: "Seven (1995)",
    genres: ["Crime"],
    year: 1995,
  }]]);
  const d = interactionsFromRaw(raw, info);
  assert.equal(d.nUsers, 2);
  assert.equal(d.nItems, 2);
  assert.deepEqual([...d.users], [1, 0, 1]);
  assert.deepEqual([...d.items], [0, 1, 1]);
  assert.deepEqual([...d.userIds.raw], [10, 30]);
  assert.equal(d.itemIds.toIndex.get(9), 1);
  assert.deepEqual([...d.ratings], [1, 2, 3]);
  assert.deepEqual([...d.timestamps], [100, 200, 300]);
  assert.equal(d.itemInfo.get(7)?.title, "Seven (1995)");
});
