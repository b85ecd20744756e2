import assert from "node:assert/strict";
import {
  checkFigure,
  type FigureBlock,
  layoutWithDefaults,
  PALETTE,
  PLOTLY_CONFIG,
  renderFigureData,
  renderFigureDiv,
  renderFiguresScript,
  roundFigureData,
} from "./figure.ts";

const line = (
  layout: Record<string, unknown>,
  data: Record<string, unknown>[] = [{ x: [1, 2], y: [3, 4] }],
) => ({ kind: "figure", data, layout }) as FigureBlock;

Deno.test("checkFigure accepts titled axes given as strings or { text }", () => {
  checkFigure(
    line({
      title: "t",
      xaxis: { title: "epoch" },
      yaxis: { title: { text: "RMSE" } },
    }),
    "f",
  );
  checkFigure(line({ title: "t" }, [{ type: "pie", values: [1, 2] }]), "f"); // no axes to title
});

Deno.test("checkFigure requires a figure title", () => {
  assert.throws(
    () =>
      checkFigure(
        line({ xaxis: { title: "x" }, yaxis: { title: "y" } }),
        "figure 4",
      ),
    /^Error: figure 4: layout\.title is missing/,
  );
  assert.throws(
    () =>
      checkFigure(
        line({
          title: { text: " " },
          xaxis: { title: "x" },
          yaxis: { title: "y" },
        }),
        "f",
      ),
    /layout\.title is missing/,
  );
});

Deno.test("checkFigure refuses trace types outside the cartesian bundle", () => {
  assert.throws(
    () =>
      checkFigure(
        line({ title: "t", xaxis: { title: "x" }, yaxis: { title: "y" } }, [
          { type: "scattergl", x: [1], y: [1] },
        ]),
        "f",
      ),
    /trace type "scattergl" is not in the page's plotly bundle/,
  );
});

Deno.test("checkFigure refuses two legend entries of one colour and more implicit traces than colours", () => {
  const axes = { title: "t", xaxis: { title: "x" }, yaxis: { title: "y" } };
  assert.throws(
    () =>
      checkFigure(
        line(axes, [
          { x: [1], y: [1], name: "a", line: { color: "#112233" } },
          { x: [1], y: [2], name: "b", marker: { color: "#112233" } },
        ]),
        "f",
      ),
    /traces "a" and "b" share the colour #112233/,
  );
  // a band edge hidden from the legend may reuse its line's colour
  checkFigure(
    line(axes, [
      { x: [1], y: [1], name: "a", line: { color: "#112233" } },
      { x: [1], y: [2], showlegend: false, fillcolor: "#112233" },
    ]),
    "f",
  );
  const many = Array.from({ length: PALETTE.length + 1 }, (_, i) => ({
    x: [1],
    y: [i],
    name: `g${i}`,
  }));
  assert.throws(
    () => checkFigure(line(axes, many), "f"),
    /25 traces but 24 palette colours/,
  );
  checkFigure(line(axes, many.slice(0, PALETTE.length)), "f");
  assert.equal(new Set(PALETTE).size, PALETTE.length);
});

Deno.test("layoutWithDefaults sets the palette, full log tick labels, a left title and a legend under the plot", () => {
  const f = line(
    { title: "T", xaxis: { title: "x" }, yaxis: { title: "y", type: "log" } },
    [{ x: [1], y: [1], name: "a" }, { x: [1], y: [2], name: "b" }],
  );
  const l = layoutWithDefaults(f);
  assert.deepEqual(l.colorway, [...PALETTE]);
  assert.equal((l.yaxis as { tickformat: string }).tickformat, "~g");
  assert.deepEqual(l.title, { text: "T", x: 0, xanchor: "left" });
  assert.equal((l.legend as { orientation: string }).orientation, "h");
  // a figure's own choices stay
  const own = layoutWithDefaults(
    line({
      title: "T",
      yaxis: { type: "log", dtick: 1 },
      legend: { orientation: "v" },
    }, [
      { x: [1], y: [1] },
      { x: [1], y: [2] },
    ]),
  );
  assert.equal((own.yaxis as { tickformat?: string }).tickformat, undefined);
  assert.equal((own.legend as { orientation: string }).orientation, "v");
});

Deno.test("renderFigureData lists every point of a small figure and summarises a large one", () => {
  const small = renderFigureData(
    line({ title: "T", xaxis: { title: "x" }, yaxis: { title: "y" } }, [
      { x: [1, 2], y: [0.5, 0.25], name: "a" },
    ]),
  );
  assert.match(small, /<details class="figure-data">/);
  assert.match(small, /<tr><td>a<\/td><td>2<\/td><td>0\.2500<\/td><\/tr>/);
  const big = renderFigureData(
    line({ title: "T", xaxis: { title: "x" }, yaxis: { title: "y" } }, [
      {
        type: "histogram",
        x: Array.from({ length: 1000 }, (_, i) => i),
        name: "e",
      },
    ]),
  );
  assert.match(big, /summary per trace/);
  assert.match(
    big,
    /<tr><td>e<\/td><td>x<\/td><td>1000<\/td><td>0<\/td><td>499\.5000<\/td><td>999<\/td><\/tr>/,
  );
});

Deno.test("checkFigure names the figure and the untitled axis", () => {
  assert.throws(
    () =>
      checkFigure(line({ title: "t", xaxis: { title: "epoch" } }), "figure 2"),
    /^Error: figure 2: layout\.yaxis\.title is missing/,
  );
  assert.throws(
    () =>
      checkFigure(
        line({ title: "t", xaxis: { title: " " }, yaxis: { title: "y" } }),
        "f",
      ),
    /layout\.xaxis\.title/,
  );
  assert.throws(
    () =>
      checkFigure(
        line({
          title: "t",
          xaxis: { title: { text: "" } },
          yaxis: { title: "y" },
        }),
        "f",
      ),
    /layout\.xaxis\.title/,
  );
  const twoAxes = line(
    { title: "t", xaxis: { title: "x" }, yaxis: { title: "y" } },
    [{ x: [1], y: [1] }, { x: [1], y: [1], yaxis: "y2" }],
  );
  assert.throws(
    () => checkFigure(twoAxes, "f"),
    /layout\.yaxis2\.title is missing/,
  );
});

Deno.test("renderFigureDiv uses the given id, escapes the caption and adds the CSV link and data fallback", () => {
  const f = { ...line({ title: "A <t>" }), caption: "RMSE <by> epoch" };
  const html = renderFigureDiv(f, "fig-3");
  assert.ok(
    html.startsWith(
      '<figure class="plot"><div id="fig-3" class="plot-area" role="img" aria-label="A &lt;t&gt;"></div>',
    ),
  );
  assert.match(html, /<figcaption>RMSE &lt;by&gt; epoch<\/figcaption>/);
  assert.match(
    html,
    /<a class="csv" data-figure="fig-3" href="#fig-3" hidden>/,
  );
  assert.match(html, /<noscript>/);
  assert.match(html, /<details class="figure-data">/);
  assert.ok(html.endsWith("</figure>"));
});

Deno.test("renderFiguresScript embeds escaped JSON that draws every figure with the fixed config", () => {
  const f = line({
    title: { text: "</script><script>alert(1)</script>" },
    xaxis: { title: "x" },
    yaxis: { title: "y" },
  }, [
    { x: new Float64Array([1, 2]), y: [3, 4], name: "a & b" },
  ]);
  const script = renderFiguresScript([{ id: "fig-1", figure: f }]);
  const inner = script.slice("<script>".length, -"</script>".length);
  assert.ok(
    !inner.includes("</"),
    "nothing inside may close the script element",
  );
  const calls: unknown[][] = [];
  new Function("Plotly", "document", inner)({
    newPlot: (...args: unknown[]) => calls.push(args),
  }, { querySelector: () => null });
  assert.deepEqual(calls, [[
    "fig-1",
    [{ x: [1, 2], y: [3, 4], name: "a & b" }],
    {
      title: {
        text: "</script><script>alert(1)</script>",
        x: 0,
        xanchor: "left",
      },
      xaxis: { title: "x" },
      yaxis: { title: "y" },
      colorway: [...PALETTE],
    },
    { ...PLOTLY_CONFIG },
  ]]);
});

Deno.test("roundFigureData keeps integers and rounds other numbers to 6 significant digits, typed arrays too", () => {
  assert.deepEqual(
    roundFigureData([{
      x: [1, 2],
      y: new Float64Array([0.123456789, 1e-9 / 3]),
      n: 12345678,
    }]),
    [{ x: [1, 2], y: [0.123457, 3.33333e-10], n: 12345678 }],
  );
});
