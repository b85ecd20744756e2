import assert from "node:assert/strict";
import {
  checkFigure,
  type FigureBlock,
  PLOTLY_CONFIG,
  renderFigureDiv,
  renderFiguresScript,
} from "./figure.ts";

const line = (
  layout: Record<string, unknown>,
  data: Record<string, unknown>[] = [{ x: [1, 2], y: [3, 4] }],
) => ({ kind: "figure", data, layout }) as FigureBlock;

Deno.test("checkFigure accepts titled axes given as strings or { text }", () => {
  checkFigure(
    line({ xaxis: { title: "epoch" }, yaxis: { title: { text: "RMSE" } } }),
    "f",
  );
  checkFigure(line({}, [{ type: "pie", values: [1, 2] }]), "f"); // no axes to title
});

Deno.test("checkFigure names the figure and the untitled axis", () => {
  assert.throws(
    () => checkFigure(line({ xaxis: { title: "epoch" } }), "figure 2"),
    /^Error: figure 2: layout\.yaxis\.title is missing/,
  );
  assert.throws(
    () =>
      checkFigure(line({ xaxis: { title: " " }, yaxis: { title: "y" } }), "f"),
    /layout\.xaxis\.title/,
  );
  assert.throws(
    () =>
      checkFigure(
        line({ xaxis: { title: { text: "" } }, yaxis: { title: "y" } }),
        "f",
      ),
    /layout\.xaxis\.title/,
  );
  const twoAxes = line(
    { xaxis: { title: "x" }, yaxis: { title: "y" } },
    [{ x: [1], y: [1] }, { x: [1], y: [1], yaxis: "y2" }],
  );
  assert.throws(
    () => checkFigure(twoAxes, "f"),
    /layout\.yaxis2\.title is missing/,
  );
  const surface = line({
    scene: { xaxis: { title: "u" }, yaxis: { title: "i" } },
  }, [{ type: "surface", z: [[1]] }]);
  assert.throws(
    () => checkFigure(surface, "f"),
    /layout\.scene\.zaxis\.title is missing/,
  );
});

Deno.test("renderFigureDiv uses the given id and escapes the caption", () => {
  const f = { ...line({}), caption: "RMSE <by> epoch" };
  assert.equal(
    renderFigureDiv(f, "fig-3"),
    '<figure class="plot"><div id="fig-3" class="plot-area"></div>\n<figcaption>RMSE &lt;by&gt; epoch</figcaption></figure>',
  );
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
  new Function("Plotly", inner)({
    newPlot: (...args: unknown[]) => calls.push(args),
  });
  assert.deepEqual(calls, [[
    "fig-1",
    [{ x: [1, 2], y: [3, 4], name: "a & b" }],
    {
      title: { text: "</script><script>alert(1)</script>" },
      xaxis: { title: "x" },
      yaxis: { title: "y" },
    },
    { ...PLOTLY_CONFIG },
  ]]);
});
