import assert from "node:assert/strict";
import { sampleResults } from "./_fixtures.ts";
import { renderIndexPage } from "./index_page.ts";

Deno.test("renderIndexPage links each report and JSON, counts statuses and lists every comparison", () => {
  const other = sampleResults();
  other.experiment = "spotlight";
  other.title = "Spotlight <MF>";
  other.comparisons[1].status = "not-reproduced";
  const html = renderIndexPage([
    { results: sampleResults(), reportHref: "als.html", jsonHref: "als.json" },
    { results: other, reportHref: null, jsonHref: "spotlight.json" },
  ]);
  assert.match(html, /<h1>Reproduction scorecard<\/h1>/);
  assert.match(
    html,
    /<code>deno task exp:all &amp;&amp; deno task report<\/code>/,
  );
  assert.match(html, /2 reproduced, 1 explained difference, 1 not reproduced/);
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
    /<td>precision@10<\/td><td class="num">0\.276<\/td><td class="num">0\.275 ± 0\.005 \(2 seeds\)<\/td><td class="num">−0\.001<\/td><td class="status status-reproduced">reproduced<\/td>/,
  );
  assert.match(html, /status-not-reproduced">not-reproduced</);
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
