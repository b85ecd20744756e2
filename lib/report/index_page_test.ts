import assert from "node:assert/strict";
import { sampleResults } from "./_fixtures.ts";
import { deterministicRule } from "./agreement.ts";
import { renderIndexPage } from "./index_page.ts";

Deno.test("renderIndexPage links each report and JSON, counts statuses and lists every comparison", () => {
  const other = sampleResults();
  other.experiment = "spotlight";
  other.title = "Spotlight <MF>";
  // 0.275 vs "0.276": outside half a unit in the third decimal
  other.comparisons[0].rule = deterministicRule("0.276", 0.275, {
    float: "float64",
  });
  other.comparisons[0].status = other.comparisons[0].rule.status;
  other.comparisons[0].note = "differs";
  const html = renderIndexPage([
    { results: sampleResults(), reportHref: "als.html", jsonHref: "als.json" },
    { results: other, reportHref: null, jsonHref: "spotlight.json" },
  ]);
  assert.match(html, /<h1>Reproduction scorecard<\/h1>/);
  assert.match(html, /<section class="provenance" id="provenance"/);
  assert.match(html, /<code>deno task verify<\/code>/);
  assert.match(
    html,
    /<code>MOVIELENS_DIR=\/path\/to\/movielens deno task exp:all<\/code>/,
  );
  assert.match(
    html,
    /1 reproduced, 0 explained difference, 1 not reproduced, 0 difference, cause not demonstrated, 0 cannot judge, 2 not comparable/,
  );
  // Per experiment, one cell of counts (only the statuses present).
  assert.ok(html.includes(`<th scope="col">figures by status</th>`));
  assert.match(html, /<td>1 reproduced; 1 not comparable<\/td>/);
  assert.match(html, /<td>1 not reproduced; 1 not comparable<\/td>/);
  assert.match(html, /<td><a href="als\.html">als<\/a><\/td>/);
  assert.match(html, /<td>spotlight<\/td>/); // no report generated: no link
  assert.match(html, /<a href="spotlight\.json">spotlight\.json<\/a>/);
  assert.match(
    html,
    /Reports not generated yet.*<code>deno task exp:als<\/code>/,
  );
  assert.match(html, /spotlight: Spotlight &lt;MF&gt;/);
  assert.match(
    html,
    /Reproduces &quot;ALS recommendations&quot; — A\. Author \(2020\), <a href="https:\/\/example\.org\/als">https:\/\/example\.org\/als<\/a> on ml-100k/,
  );
  assert.match(
    html,
    /<td title="precision@10">precision@10<\/td><td class="num">0\.276<\/td><td class="num">0\.275 ± 0\.0071 \(2 seeds\)<\/td><td class="status status-reproduced">reproduced<\/td><td class="num fold">−0\.001<\/td><td class="fold">\[0\.\d+, 0\.\d+\] \(95 % PI, n = 2\)<\/td>/,
  );
  assert.match(
    html,
    /<td class="status status-not-reproduced">not-reproduced<\/td><td class="num fold">[^<]*<\/td><td class="fold">\[0\.27550, 0\.27650\] \(0\.276 ± 0\.000500: 3 printed decimals \+ float64 term\)<\/td>/,
  );
  assert.match(html, /status-not-comparable">not-comparable</);
  assert.ok(!html.includes("<script"), "no figure, so no script at all");
});

Deno.test("renderIndexPage is byte-stable for the same input", () => {
  const entries = [{
    results: sampleResults(),
    reportHref: "als.html",
    jsonHref: "als.json",
  }];
  assert.equal(renderIndexPage(entries), renderIndexPage(entries));
});
