import assert from "node:assert/strict";
import { isUserError, UserError } from "./errors.ts";

Deno.test("UserError carries userFacing, its subclass name, exit code and cause", () => {
  class MissingDataError extends UserError {}
  const cause = new Error("ENOENT");
  const err = new MissingDataError("data/ml-100k: not found", {
    cause,
    exitCode: 3,
  });
  assert.equal(err.name, "MissingDataError");
  assert.equal(err.message, "data/ml-100k: not found");
  assert.equal(err.userFacing, true);
  assert.equal(err.exitCode, 3);
  assert.equal(err.cause, cause);
  assert.equal(new UserError("x").exitCode, 1);
  assert.equal("cause" in new UserError("x"), false);
});

Deno.test("isUserError accepts UserError and userFacing errors only", () => {
  assert.equal(isUserError(new UserError("x")), true);
  assert.equal(
    isUserError(Object.assign(new Error("x"), { userFacing: true })),
    true,
  );
  assert.equal(
    isUserError(Object.assign(new Error("x"), { userFacing: "yes" })),
    false,
  );
  assert.equal(isUserError(new TypeError("x")), false);
  assert.equal(
    isUserError({ userFacing: true, message: "not an Error" }),
    false,
  );
});
