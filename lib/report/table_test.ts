import assert from "node:assert/strict";
import { formatNumber, renderTable } from "./table.ts";

Deno.test("formatNumber applies fixed decimals, keeps integers by default and uses a true minus", () => {
  assert.equal(formatNumber(0.123456, 3), "0.123");
  assert.equal(formatNumber(100836, null), "100836");
  assert.equal(formatNumber(0.1234567, null), "0.1235");
  assert.equal(formatNumber(2, 2), "2.00");
  assert.equal(formatNumber(-0.5, 2), "−0.50");
  assert.equal(formatNumber(-0.00001, 3), "−1e-5");
  assert.equal(formatNumber(0, 3), "0.000");
  assert.equal(formatNumber(NaN, 2), "NaN");
  assert.equal(formatNumber(-Infinity, 2), "−∞");
});

Deno.test("renderTable right-aligns numbers, escapes text and shows the caption", () => {
  const html = renderTable({
    kind: "table",
    caption: "Top <5> & more",
    header: ["title", "score"],
    rows: [["<b>Toy Story</b> (1995)", 0.98765], ["Heat", 1]],
    precision: [null, 2],
  });
  assert.match(html, /<caption>Top &lt;5&gt; &amp; more<\/caption>/);
  assert.match(html, /<th scope="col">title<\/th><th scope="col">score<\/th>/);
  assert.match(
    html,
    /<tr><td>&lt;b&gt;Toy Story&lt;\/b&gt; \(1995\)<\/td><td class="num">0\.99<\/td><\/tr>/,
  );
  assert.match(html, /<tr><td>Heat<\/td><td class="num">1\.00<\/td><\/tr>/);
  assert.ok(!html.includes("<b>"));
});

Deno.test("renderTable colours status cells only in the comparison variant", () => {
  const rows = [["rmse", "not-reproduced"]];
  assert.match(
    renderTable({
      kind: "table",
      header: ["metric", "status"],
      rows,
      variant: "comparison",
    }),
    /<table class="comparison">[\s\S]*<td class="status status-not-reproduced">not-reproduced<\/td>/,
  );
  assert.match(
    renderTable({ kind: "table", header: ["metric", "status"], rows }),
    /<td>not-reproduced<\/td>/,
  );
});

Deno.test("renderTable rejects ragged rows and bad precisions", () => {
  assert.throws(
    () =>
      renderTable({
        kind: "table",
        caption: "t",
        header: ["a", "b"],
        rows: [[1, 2], [3]],
      }),
    /table "t": row 2 has 1 cells, header has 2/,
  );
  assert.throws(
    () =>
      renderTable({
        kind: "table",
        header: ["a"],
        rows: [],
        precision: [1, 2],
      }),
    /2 precisions for 1 columns/,
  );
  assert.throws(
    () =>
      renderTable({ kind: "table", header: ["a"], rows: [], precision: 1.5 }),
    /integer in \[0, 20\]/,
  );
});

Deno.test("renderTable renders text cells as escaped links, right-aligned text and coloured statuses", () => {
  const html = renderTable({
    kind: "table",
    header: ["experiment", "ours", "status"],
    rows: [[
      { text: "als <1>", href: "als.html?a=1&b=2" },
      { text: "0.94 ± 0.01", numeric: true },
      { text: "explained difference", status: "explained" },
    ]],
    variant: "comparison",
  });
  assert.match(
    html,
    /<td><a href="als\.html\?a=1&amp;b=2">als &lt;1&gt;<\/a><\/td><td class="num">0\.94 ± 0\.01<\/td><td class="status status-explained">explained difference<\/td>/,
  );
});

Deno.test("renderTable rejects links with a scheme other than http(s)", () => {
  for (const href of ["javascript:alert(1)", "data:text/html,x"]) {
    assert.throws(
      () =>
        renderTable({
          kind: "table",
          header: ["a"],
          rows: [[{ text: "x", href }]],
        }),
      /relative or http\(s\)/,
    );
  }
  assert.match(
    renderTable({
      kind: "table",
      header: ["a"],
      rows: [[{
        text: "x",
        href: "https://grouplens.org/datasets/movielens/",
      }]],
    }),
    /href="https:\/\/grouplens\.org/,
  );
});

Deno.test("formatNumber writes a non-zero number its digits would round to zero in exponent form", () => {
  assert.equal(formatNumber(2.8612e-6, 4), "2.86e-6");
  assert.equal(formatNumber(1.2e-9, 6), "1.2e-9");
  assert.equal(formatNumber(-3.5e-7, null), "−3.5e-7");
  assert.equal(formatNumber(0.00049, 3), "4.9e-4");
  assert.equal(formatNumber(0.0005, 3), "0.001"); // rounds to a printed digit: fixed
});

Deno.test("renderTable folds the fold columns into a details line and prints footnotes once", () => {
  const html = renderTable({
    kind: "table",
    caption: "c",
    header: ["metric", "value", "note"],
    rows: [["a", 1.5, "see note 1"], ["b", 2, ""]],
    precision: [null, 1, null],
    fold: [2],
    footnotes: ["a long note"],
  });
  assert.match(html, /<table class="folding">/);
  assert.match(html, /<th scope="col" class="fold">note<\/th>/);
  assert.match(html, /<td class="fold">see note 1<\/td>/);
  // one details line, for the row with a note; none for the empty one
  assert.equal(html.match(/class="fold-row"/g)?.length, 1);
  assert.match(
    html,
    /<tr class="fold-row"><td colspan="2"><details><summary>note<\/summary><dl><dt>note<\/dt><dd>see note 1<\/dd><\/dl><\/details><\/td><\/tr>/,
  );
  assert.match(html, /<ol class="footnotes"><li>a long note<\/li><\/ol>/);
  assert.throws(
    () =>
      renderTable({ kind: "table", header: ["a"], rows: [["x"]], fold: [1] }),
    /fold column 1/,
  );
});
