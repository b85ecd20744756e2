import assert from "node:assert/strict";
import { DataError } from "./data_error.ts";
import { applyDuplicatePolicy, scanDuplicates } from "./duplicates.ts";
import { interactionsFromRaw } from "./interactions_from_raw.ts";
import { parseRatings } from "./ratings_parser.ts";

const data = (text: string) =>
  interactionsFromRaw(
    parseRatings(new TextEncoder().encode(text), {
      file: "r.csv",
      separator: "csv",
      header: "none",
      requireTimestamp: false,
      ratingRange: [0, 10],
    }),
  );

Deno.test("scanDuplicates counts rows repeating a later (user, item) pair and keeps the last", () => {
  const d = data("5,1,1\n5,2,2\n6,1,3\n5,1,4\n5,1,5\n");
  const scan = scanDuplicates(d);
  assert.equal(scan.count, 2);
  assert.deepEqual([...scan.keep], [0, 1, 1, 0, 1]);
  assert.deepEqual(scan.example, { user: 5, item: 1 });
  assert.equal(scanDuplicates(data("1,1,1\n1,2,1\n2,1,1\n")).count, 0);
});

Deno.test("applyDuplicatePolicy: keep-last drops earlier rows in file order; refuse throws naming the file", () => {
  const d = data("5,1,1\n5,2,2\n6,1,3\n5,1,4\n");
  const kept = applyDuplicatePolicy(d, "keep-last", "r.csv");
  assert.equal(kept.dropped, 1);
  assert.deepEqual([...kept.data.ratings], [2, 3, 4]);
  assert.equal(kept.data.nUsers, 2);
  assert.throws(
    () => applyDuplicatePolicy(d, "refuse", "r.csv"),
    (e: unknown) =>
      e instanceof DataError && e.file === "r.csv" &&
      /1 rating rows repeat .* user 5, item 1/.test(e.message),
  );
  const clean = data("1,1,1\n");
  assert.equal(applyDuplicatePolicy(clean, "refuse", "r.csv").data, clean);
});
