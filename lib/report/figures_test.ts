import assert from "node:assert/strict";
import { checkFigure } from "./figure.ts";
import { errorHistogramFigure, predictionsByRatingFigure } from "./figures.ts";

const pred = Float32Array.of(3.25, 4.123456, 1.5, 4.75, 2);
const actual = Float32Array.of(3, 4, 1, 4, 3);

Deno.test("predictionsByRatingFigure groups predictions by actual rating, ascending, rounded to 1e-4", () => {
  const fig = predictionsByRatingFigure(pred, actual, {
    valueTitle: "predicted rating (ONNX)",
    caption: "c",
  });
  checkFigure(fig, "predictions");
  assert.deepEqual(fig.data.map((t) => t.name), [
    "1 stars",
    "3 stars",
    "4 stars",
  ]);
  assert.deepEqual(fig.data.map((t) => t.y), [[1.5], [3.25, 2], [
    4.1235,
    4.75,
  ]]);
  assert.ok(fig.data.every((t) => t.type === "box"));
  assert.deepEqual(fig.layout.yaxis, {
    title: { text: "predicted rating (ONNX)" },
  });
  assert.equal(fig.caption, "c");
});

Deno.test("errorHistogramFigure bins prediction − rating at width 0.1 over [-4, 4]", () => {
  const fig = errorHistogramFigure(pred, actual, {
    countTitle: "test ratings",
  });
  checkFigure(fig, "errors");
  assert.equal(fig.data.length, 1);
  assert.deepEqual(fig.data[0].x, [0.25, 0.1235, 0.5, 0.75, -1]);
  assert.deepEqual(fig.data[0].xbins, { start: -4, end: 4, size: 0.1 });
  assert.deepEqual(fig.layout.yaxis, { title: { text: "test ratings" } });
});

Deno.test("prediction figures reject predictions and ratings of different lengths", () => {
  const short = Float32Array.of(1, 2);
  assert.throws(
    () => predictionsByRatingFigure(short, actual),
    /predictions \(2\) and ratings \(5\) differ in length/,
  );
  assert.throws(() => errorHistogramFigure(short, actual), RangeError);
});
