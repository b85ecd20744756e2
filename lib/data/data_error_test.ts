import assert from "node:assert/strict";
import { isUserError } from "../errors.ts";
import { DataError } from "./data_error.ts";

Deno.test("DataError message starts with file:line and is user-facing", () => {
  const err = new DataError("r.csv", 'rating "x" is not a number', 7);
  assert.equal(err.message, 'r.csv:7: rating "x" is not a number');
  assert.equal(err.file, "r.csv");
  assert.equal(err.line, 7);
  assert.equal(err.name, "DataError");
  assert.ok(isUserError(err));
});

Deno.test("DataError without a line names only the file", () => {
  const err = new DataError("a.zip", "truncated");
  assert.equal(err.message, "a.zip: truncated");
  assert.equal(err.line, undefined);
});
