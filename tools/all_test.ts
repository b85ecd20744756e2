import assert from "node:assert/strict";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { main, runExperiments } from "./all.ts";

Deno.test("runExperiments runs every entry with the same args and keeps going after a failure", async () => {
  const calls: [string, readonly string[]][] = [];
  const outcomes = await runExperiments(
    EXPERIMENTS,
    ["--out", "x"],
    (e, args) => {
      calls.push([e.name, args]);
      if (e.name === EXPERIMENTS[0].name) throw new Error("boom");
      return Promise.resolve();
    },
  );
  assert.deepEqual(calls.map((c) => c[0]), EXPERIMENTS.map((e) => e.name));
  assert.ok(calls.every((c) => c[1].join(" ") === "--out x"));
  assert.match(outcomes[0].error ?? "", /boom/);
  assert.ok(outcomes.slice(1).every((o) => o.error === null));
});

Deno.test("exp:all main rejects an unknown --only name before running anything", async () => {
  await assert.rejects(
    () => main(["--only", "nope"]),
    /--only: no experiment "nope"/,
  );
});
