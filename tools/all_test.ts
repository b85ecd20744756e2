import assert from "node:assert/strict";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { main, runExperiments } from "./all.ts";
import { join } from "node:path";
import { sampleResults } from "../lib/report/_fixtures.ts";
import { serializeResults } from "../lib/report/results.ts";
import { writeIndexPage } from "./report_index.ts";

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

Deno.test("writeIndexPage (called by exp:all) writes index.html from the results files in the folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "all-index-" });
  try {
    const r = sampleResults();
    r.experiment = EXPERIMENTS[0].name;
    await Deno.writeTextFile(
      join(dir, `${r.experiment}.json`),
      serializeResults(r),
    );
    const { path, experiments } = await writeIndexPage(dir);
    assert.equal(path, join(dir, "index.html"));
    assert.deepEqual(experiments, [r.experiment]);
    const html = await Deno.readTextFile(path);
    assert.match(html, /<h1>Reproduction scorecard<\/h1>/);
    assert.ok(html.includes(`${r.experiment}.json`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
