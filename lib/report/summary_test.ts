import assert from "node:assert/strict";
import { deterministicRule, predictionIntervalRule } from "./agreement.ts";
import { sampleResults } from "./_fixtures.ts";
import { referenceSummary } from "./results.ts";
import {
  citationText,
  comparisonTable,
  metricsTable,
  reportFacts,
} from "./summary.ts";
import { renderTable } from "./table.ts";

Deno.test("reportFacts describes document, dataset, seeds, commit and runtime", () => {
  const facts = new Map(reportFacts(sampleResults()));
  assert.equal(
    facts.get("Reproduces"),
    '"ALS recommendations" — A. Author (2020), https://example.org/als',
  );
  assert.equal(
    facts.get("Dataset"),
    "ml-100k: 943 users, 1682 items, 100000 ratings",
  );
  assert.equal(facts.get("Seeds"), "42, 43");
  assert.equal(facts.get("Commit"), "879c3e7d39272fead4ea4ce1052482d76f8d31c3");
  assert.equal(
    facts.get("Runtime"),
    "Deno 2.9.6, onnxruntime-web 1.30.0; linux x86_64; AMD EPYC (2 cores)",
  );
});

Deno.test("citationText: title in quotes, authors, year and url, each left out when unknown", () => {
  const doc = sampleResults().document;
  assert.equal(
    citationText(doc),
    '"ALS recommendations" — A. Author (2020), https://example.org/als',
  );
  assert.equal(
    citationText({
      ...doc,
      authors: ["Amit Kapoor", "Bargava Subramanian"],
      year: null,
      url: null,
    }),
    '"ALS recommendations" — Amit Kapoor, Bargava Subramanian',
  );
  assert.equal(
    citationText({ ...doc, year: 2017, url: null }),
    '"ALS recommendations" — A. Author (2017)',
  );
  assert.equal(
    citationText({ ...doc, year: null }),
    '"ALS recommendations" — A. Author, https://example.org/als',
  );
});

Deno.test("comparisonTable lists every comparison with its rule, reference re-run and status; n/a for a textual published value", () => {
  const r = sampleResults();
  r.comparisons[0].reference = referenceSummary(
    "lib 1.0, 10 seeds",
    { n: 10, mean: 0.276, std: 0.004 },
    [0.27, 0.28],
  );
  const t = comparisonTable(r.comparisons, 3, "Published vs reproduced");
  assert.equal(t.variant, "comparison");
  assert.deepEqual(t.header, [
    "metric",
    "published",
    "reproduced",
    "difference",
    "rule and interval",
    "reference re-run",
    "status",
    "note",
  ]);
  assert.deepEqual(t.precision, [null, 3, 3, 3, null, null, null, null]);
  assert.deepEqual(t.rows[1], [
    "rmse",
    "≈0.9 (read off a plot)",
    0.912,
    "n/a",
    "not comparable",
    "—",
    "not-comparable",
    "the document reads RMSE off a plot",
  ]);
  assert.equal(t.rows[0][3], 0.275 - 0.276);
  assert.equal(t.rows[0][4], r.comparisons[0].rule.interval_text);
  assert.match(String(t.rows[0][4]), /95 % PI, n = 2/);
  assert.match(
    String(t.rows[0][5]),
    /^0\.276 ± 0\.004 \(10 seeds, summary only; Welch p = /,
  );
  assert.equal(t.rows[0][6], "reproduced");
});

Deno.test("metricsTable gives value, sample std and runs, sorted by metric", () => {
  const t = metricsTable(sampleResults().metrics);
  assert.deepEqual(t.rows, [["precision@10", 0.275, 0.007071067811865481, 2], [
    "rmse",
    0.912,
    "–",
    1,
  ]]);
});

Deno.test("comparisonTable shows counts published and reproduced as integers without decimals, other rows with them", () => {
  const table = comparisonTable([
    {
      metric: "users",
      published: 943,
      reproduced: 943,
      difference: 0,
      status: "reproduced",
      note: "",
      rule: deterministicRule(943, 943, { float: "float64", count: true }),
    },
    {
      metric: "rmse",
      published: 1,
      reproduced: 0.9876,
      difference: -0.0124,
      status: "reproduced",
      note: "",
      rule: predictionIntervalRule(1, [0.98, 0.9952]),
    },
  ], 4);
  const html = renderTable(table);
  assert.match(html, /<td[^>]*>943<\/td><td[^>]*>943<\/td><td[^>]*>0<\/td>/);
  assert.match(
    html,
    /<td[^>]*>1\.0000<\/td><td[^>]*>0\.9876<\/td><td[^>]*>−0\.0124<\/td>/,
  );
  assert.doesNotMatch(html, /943\.0000/);
});

Deno.test("metricsTable shows a single integer metric as a count, summaries and other numbers with decimals", () => {
  const html = renderTable(
    metricsTable({
      users: 943,
      rmse: 0.9,
      acc: { mean: 2, std: 0, values: [2, 2] },
    }),
  );
  assert.match(html, /<td>users<\/td><td class="num">943<\/td>/);
  assert.match(html, /<td>rmse<\/td><td class="num">0\.9000<\/td>/);
  assert.match(html, /<td>acc<\/td><td class="num">2\.0000<\/td>/);
});
