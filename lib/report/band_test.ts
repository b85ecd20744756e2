import assert from "node:assert/strict";
import { bandFigure, bandTraces, meanBand } from "./band.ts";
import { checkFigure } from "./figure.ts";

Deno.test("meanBand gives the mean and sample std per point over the runs that reach it", () => {
  const b = meanBand([[1, 2, 3], [3, 4], [2, 6]]);
  assert.deepEqual(b.mean, [2, 4, 3]);
  assert.deepEqual(b.n, [3, 3, 1]);
  assert.equal(b.std[0], 1); // sample std of 1, 3, 2 (ddof 1)
  assert.equal(b.std[1], 2);
  assert.equal(b.std[2], 0); // one run: no spread
  assert.throws(() => meanBand([]), RangeError);
});

Deno.test("bandTraces draws the band edges hidden from the legend, then the mean line", () => {
  const t = bandTraces(
    { name: "rmse", x: [1, 2], runs: [[1, 2], [3, 4]] },
    "#112233",
  );
  assert.equal(t.length, 3);
  assert.deepEqual(
    t[0].y,
    [2 - Math.SQRT2, 3 - Math.SQRT2].map((v) => Number(v.toPrecision(6))),
  );
  assert.equal(t[1].fill, "tonexty");
  assert.equal(t[0].showlegend, false);
  assert.equal(t[1].showlegend, false);
  assert.deepEqual(t[2].y, [2, 3]);
  assert.equal(t[2].name, "rmse (mean ± 1 std, 2 runs)");
  const one = bandTraces(
    { name: "r", x: [1], runs: [[5]], showRuns: true },
    "#112233",
  );
  assert.deepEqual(one.map((x) => x.name), ["r, run 1", "r (1 run)"]);
});

Deno.test("bandFigure passes checkFigure with distinct colours and overlays the document's points", () => {
  const fig = bandFigure({
    title: "T",
    xTitle: "epoch",
    yTitle: "RMSE",
    series: [
      {
        name: "train",
        x: [1, 2],
        runs: [[1, 0.9], [1.1, 0.95]],
        showRuns: true,
      },
      { name: "test", x: [1, 2], runs: [[1.2, 1], [1.3, 1.1]] },
    ],
    points: [{ name: "document", x: [2], y: [1.05] }],
    logY: true,
  });
  checkFigure(fig, "band");
  const legend = fig.data.filter((t) => t.showlegend !== false);
  assert.deepEqual(legend.map((t) => t.name), [
    "train (mean ± 1 std, 2 runs)",
    "test (mean ± 1 std, 2 runs)",
    "document",
  ]);
  assert.equal((fig.layout.yaxis as { type: string }).type, "log");
});
