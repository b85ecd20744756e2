import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { DataError } from "./data_error.ts";
import { interactionsFromRaw } from "./interactions_from_raw.ts";
import { parseRatings } from "./ratings_parser.ts";
import { assertUsable } from "./usable.ts";

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

const dataError = (re: RegExp) => (e: unknown) =>
  e instanceof DataError && e.file === "r.csv" && re.test(e.message);

Deno.test("assertUsable refuses one row, one user, one item, naming the file", () => {
  const o = { name: "r.csv" };
  assert.throws(
    () => assertUsable(data("1,1,4\n"), o),
    dataError(/only 1 rating row/),
  );
  assert.throws(
    () => assertUsable(data("7,1,4\n7,2,3\n7,3,5\n"), o),
    dataError(/only 1 user \(id 7\)/),
  );
  assert.throws(
    () => assertUsable(data("1,9,4\n2,9,3\n"), o),
    dataError(/only 1 item \(id 9\)/),
  );
  assertUsable(data("1,1,4\n2,2,3\n"), o);
});

Deno.test("assertUsable refuses all-zero ratings used as confidences, accepts equal positive ones", () => {
  const zeros = data("1,1,0\n1,2,0\n2,1,0\n");
  assertUsable(zeros, { name: "r.csv" });
  assert.throws(
    () => assertUsable(zeros, { name: "r.csv", positiveRatings: true }),
    dataError(/no positive rating/),
  );
  assertUsable(data("1,1,3\n1,2,3\n2,1,3\n"), {
    name: "r.csv",
    positiveRatings: true,
  });
});

Deno.test("assertUsable refuses a list length above the items, naming the flag (exit 2)", () => {
  assert.throws(
    () =>
      assertUsable(data("1,1,3\n1,2,3\n2,1,3\n"), {
        name: "r.csv",
        k: { value: 10, flag: "--k" },
      }),
    (e: unknown) =>
      e instanceof UserError && e.exitCode === 2 &&
      /^--k 10 is larger than the 2 items of r\.csv; give --k 2 or less$/.test(
        e.message,
      ),
  );
});
