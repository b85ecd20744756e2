import assert from "node:assert/strict";
import {
  deterministicRule,
  notComparable,
  predictionIntervalRule,
} from "./agreement.ts";
import { sampleResults } from "./_fixtures.ts";
import { referenceSummary } from "./results.ts";
import {
  agreementFigure,
  citationText,
  comparisonTable,
  dedupeNotes,
  metricsTable,
  outcomeText,
  reportFacts,
  reportProvenance,
  scaledDifference,
} from "./summary.ts";
import { checkFigure } from "./figure.ts";
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
    "status",
    "difference",
    "rule and interval",
    "reference re-run",
    "note",
  ]);
  assert.deepEqual(t.precision, [null, 3, 3, null, 3, null, null, null]);
  // the key columns stay on a narrow screen; the rest fold under the row
  assert.deepEqual(t.fold, [4, 5, 6, 7]);
  assert.deepEqual(t.rows[1], [
    { text: "RMSE", title: "rmse" },
    "≈0.9 (read off a plot)",
    0.912,
    "not-comparable",
    "n/a",
    "not comparable",
    "—",
    "the document reads RMSE off a plot",
  ]);
  assert.equal(t.rows[0][4], 0.275 - 0.276);
  assert.equal(t.rows[0][5], r.comparisons[0].rule.interval_text);
  assert.match(String(t.rows[0][5]), /95 % PI, n = 2/);
  assert.match(
    String(t.rows[0][6]),
    /^0\.276 ± 0\.004 \(10 seeds, summary only; Welch p = /,
  );
  assert.equal(t.rows[0][3], "reproduced");
  // without any reference re-run the column is left out
  assert.ok(
    !comparisonTable(sampleResults().comparisons).header.includes(
      "reference re-run",
    ),
  );
});

Deno.test("metricsTable gives value, sample std and runs, sorted by metric", () => {
  const t = metricsTable(sampleResults().metrics);
  assert.deepEqual(t.rows, [[
    { text: "precision@10", title: "precision@10" },
    0.275,
    0.007071067811865481,
    2,
  ], [{ text: "RMSE", title: "rmse" }, 0.912, "–", 1]]);
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
  assert.match(
    html,
    /<td[^>]*>943<\/td><td[^>]*>943<\/td><td[^>]*>reproduced<\/td><td[^>]*>0<\/td>/,
  );
  assert.match(
    html,
    /<td[^>]*>1\.0000<\/td><td[^>]*>0\.9876<\/td><td[^>]*>reproduced<\/td><td[^>]*>−0\.0124<\/td>/,
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
  assert.match(html, /<td title="users">users<\/td><td class="num">943<\/td>/);
  assert.match(
    html,
    /<td title="rmse">RMSE<\/td><td class="num">0\.9000<\/td>/,
  );
  // a count summarised over runs stays an integer
  assert.match(html, /<td title="acc">acc<\/td><td class="num">2<\/td>/);
});

Deno.test("metricsTable orders keys naturally and labels them", () => {
  const t = metricsTable({ epoch_1000: 1, epoch_200: 2, svd_rmse: 0.5 });
  assert.deepEqual(t.rows.map((r) => (r[0] as { text: string }).text), [
    "epoch 200",
    "epoch 1000",
    "SVD RMSE",
  ]);
});

Deno.test("dedupeNotes writes a note shared by rows once, as a numbered footnote", () => {
  const { cells, footnotes } = dedupeNotes([
    "long",
    "",
    "long",
    "own",
    "x",
    "x",
  ]);
  assert.deepEqual(footnotes, ["long", "x"]);
  assert.deepEqual(cells, [
    "see note 1 under the table",
    "",
    "see note 1 under the table",
    "own",
    "see note 2 under the table",
    "see note 2 under the table",
  ]);
});

Deno.test("outcomeText counts statuses and names the rows that did not reproduce", () => {
  const r = sampleResults();
  r.comparisons[0].rule = deterministicRule("0.276", 0.275, {
    float: "float64",
  });
  r.comparisons[0].status = r.comparisons[0].rule.status;
  r.comparisons[0].note = "Different split. More words here.";
  const text = outcomeText(r);
  assert.match(
    text,
    /^0 of \d+ comparable published figures reproduced; 1 not reproduced/,
  );
  assert.match(text, /Not reproduced: precision@10 \(Different split\.\)/);
});

Deno.test("scaledDifference and agreementFigure put each row with an interval in half-widths, band [-1, 1]", () => {
  const r = sampleResults();
  const c = r.comparisons[0];
  const z = scaledDifference(c)!;
  const [lo, hi] = c.rule.interval!;
  assert.ok(
    Math.abs(z - (c.reproduced - (c.published as number)) / ((hi - lo) / 2)) <
      1e-12,
  );
  const fig = agreementFigure(r)!;
  checkFigure(fig, "agreement");
  assert.deepEqual(
    (fig.layout.shapes as { x0: number; x1: number }[]).map((
      s,
    ) => [s.x0, s.x1]),
    [[-1, 1]],
  );
  // rows without an interval are left out
  const none = sampleResults();
  for (const x of none.comparisons) x.rule = notComparable("n/a");
  assert.equal(agreementFigure(none), null);
});

Deno.test("reportProvenance lists citation, data checksums, commit state, rerun and verify commands and links", () => {
  const r = sampleResults();
  r.environment.git_commit += "-dirty";
  const p = reportProvenance(r, {
    json: "als.json",
    models: [{ path: "als/model.onnx", sha256: "ab".repeat(32) }],
    index: "index.html",
    verifyName: "als",
  });
  const facts = new Map(p.facts);
  assert.match(facts.get("Reproduces")!, /https:\/\/example\.org\/als/);
  assert.match(facts.get("Data files")!, /SHA-256 `[0-9a-f]{64}`/);
  assert.match(facts.get("Commit")!, /uncommitted changes/);
  assert.match(
    p.commands[0].command,
    /^MOVIELENS_DIR=\/path\/to\/movielens deno task exp:/,
  );
  assert.match(p.commands[0].label, /about \d+ s/);
  assert.equal(p.commands[1].command, "deno task verify --only als");
  assert.deepEqual(p.links.map((l) => l.href), [
    "als.json",
    "als/model.onnx",
    "index.html",
  ]);
});
