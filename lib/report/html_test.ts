import assert from "node:assert/strict";
import plotlySource from "plotly.js-cartesian-dist-min/plotly-cartesian.min.js" with {
  type: "text",
};
import { paragraph, renderReport, type ReportSpec } from "./html.ts";

const HOSTILE = `<script>alert(1)</script> & "quotes"`;

function spec(): ReportSpec {
  return {
    title: HOSTILE,
    subtitle: `Reproduces ${HOSTILE}`,
    command: `deno task exp:als --query "${HOSTILE}"`,
    facts: [["Dataset", `ml-100k ${HOSTILE}`], ["Seeds", "42"]],
    sections: [
      {
        heading: `Results ${HOSTILE}`,
        blocks: [
          {
            kind: "paragraph",
            text: `Fit with \`${HOSTILE}\` and ${HOSTILE}.`,
          },
          {
            kind: "table",
            header: [HOSTILE, "rmse"],
            rows: [[HOSTILE, 0.91234]],
            precision: [null, 3],
            caption: HOSTILE,
          },
          { kind: "pre", text: HOSTILE },
          {
            kind: "figure",
            caption: HOSTILE,
            data: [{ x: [1, 2, 3], y: [0.99, 0.95, 0.93], name: HOSTILE }],
            layout: {
              title: { text: HOSTILE },
              xaxis: { title: "epoch" },
              yaxis: { title: HOSTILE },
            },
          },
        ],
      },
      {
        heading: "Ranking",
        blocks: [{
          kind: "figure",
          data: [{ type: "bar", x: ["p@10"], y: [0.27] }],
          layout: {
            title: "Ranking",
            xaxis: { title: "metric" },
            yaxis: { title: "value" },
          },
        }],
      },
    ],
  };
}

/** The page with the inlined plotly.js source cut out. */
function withoutPlotly(html: string): string {
  const at = html.indexOf(plotlySource);
  assert.ok(at >= 0, "plotly.js is inlined verbatim");
  return html.slice(0, at) + html.slice(at + plotlySource.length);
}

Deno.test("renderReport escapes every piece of user text", () => {
  const page = withoutPlotly(renderReport(spec()));
  assert.ok(
    !page.includes("<script>alert(1)"),
    "no live script tag from user text",
  );
  assert.ok(!page.includes("alert(1)</script>"));
  assert.equal(
    page.split("<script>").length - 1,
    2,
    "only plotly's and the figures' script elements",
  );
  assert.match(
    page,
    /<title>&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot;<\/title>/,
  );
  assert.match(
    page,
    /<h1>&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot;<\/h1>/,
  );
  assert.match(
    page,
    /<p>Fit with <code>&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot;<\/code> and &lt;script&gt;/,
  );
  assert.match(
    page,
    /<pre class="command"><code>deno task exp:als --query &quot;&lt;script&gt;/,
  );
  assert.match(page, /<td class="num">0\.912<\/td>/);
  // inside the figure JSON the hostile text survives only as \u003c escapes
  assert.match(
    page,
    /"text":"\\u003cscript\\u003ealert\(1\)\\u003c\/script\\u003e \\u0026 \\"quotes\\""/,
  );
});

Deno.test("renderReport is byte-stable and numbers figures by position", () => {
  const a = renderReport(spec());
  const b = renderReport(spec());
  assert.equal(a, b);
  const ids = [...withoutPlotly(a).matchAll(/<div id="(fig-\d+)"/g)].map((m) =>
    m[1]
  );
  assert.deepEqual(ids, ["fig-1", "fig-2"]);
  assert.doesNotMatch(
    withoutPlotly(a),
    /\d{4}-\d\d-\d\dT\d\d:\d\d/,
    "no timestamps",
  );
});

Deno.test("renderReport inlines plotly.js exactly once, and only when there is a figure", () => {
  const html = renderReport(spec());
  assert.equal(html.split(plotlySource).length - 1, 1);
  const noFigures = renderReport({
    ...spec(),
    sections: [{ heading: "Text", blocks: [{ kind: "paragraph", text: "x" }] }],
  });
  assert.ok(!noFigures.includes("<script"));
  assert.ok(noFigures.length < 20_000);
});

Deno.test("renderReport references nothing outside the page", () => {
  const page = withoutPlotly(
    renderReport({ ...spec(), command: "deno task exp:als" }),
  );
  assert.ok(
    !/https?:\/\//.test(page),
    "no http(s) URL outside the plotly source",
  );
  assert.ok(!/\ssrc=/.test(page), "no src attribute");
  assert.deepEqual([...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]), [
    "#section-1",
    "#section-2",
    "#fig-1",
    "#fig-2",
  ]);
  assert.ok(!/@import|url\(/.test(page), "no external CSS");
});

Deno.test("renderReport draws each figure from the embedded JSON", () => {
  const html = withoutPlotly(renderReport(spec()));
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) =>
    m[1]
  );
  const calls: unknown[][] = [];
  new Function("Plotly", "document", scripts.at(-1) ?? "")({
    newPlot: (...args: unknown[]) => calls.push(args),
  }, { querySelector: () => null });
  assert.deepEqual(calls.map((c) => c[0]), ["fig-1", "fig-2"]);
  assert.deepEqual(
    calls[0][1],
    spec().sections[0].blocks.filter((b) => b.kind === "figure")[0].data,
  );
  assert.deepEqual(calls[1][3], { responsive: true, displaylogo: false });
});

Deno.test("renderReport throws on a figure whose axis has no title", () => {
  assert.throws(
    () =>
      renderReport({
        title: "t",
        command: "c",
        sections: [{
          heading: "Fit",
          blocks: [{
            kind: "figure",
            data: [{ y: [1] }],
            layout: { title: "t", xaxis: { title: "x" } },
          }],
        }],
      }),
    /figure 1 \(section "Fit"\): layout\.yaxis\.title is missing/,
  );
});

Deno.test("renderReport leaves an unmatched backquote as text", () => {
  const html = renderReport({
    title: "t",
    command: "c",
    sections: [{ heading: "h", blocks: [{ kind: "paragraph", text: "a `b" }] }],
  });
  assert.match(html, /<p>a `b<\/p>/);
});

Deno.test("paragraph builds an escaped paragraph block", () => {
  assert.deepEqual(paragraph("a < b"), { kind: "paragraph", text: "a < b" });
  const html = renderReport({
    title: "t",
    command: "c",
    sections: [{ heading: "h", blocks: [paragraph("a < b")] }],
  });
  assert.ok(html.includes("a &lt; b"));
});
