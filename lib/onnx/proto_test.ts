import assert from "node:assert/strict";
import * as ort from "onnxruntime-web";
import { GraphBuilder, onnxProto, tensorProto } from "./proto.ts";

Deno.test("tensorProto rejects data whose length does not match the shape", () => {
  assert.throws(
    () => tensorProto("w", "float32", [2, 3], new Float32Array(5)),
    /tensorProto w: 5 values for shape \[2, 3\]/,
  );
});

Deno.test("tensorProto stores a subarray view's own bytes, not its whole buffer", () => {
  const whole = Float32Array.of(1, 2, 3, 4);
  const t = tensorProto("w", "float32", [2], whole.subarray(1, 3));
  assert.deepEqual(
    new Float32Array(new Uint8Array(t.rawData!).buffer),
    Float32Array.of(2, 3),
  );
});

Deno.test("GraphBuilder rejects a value name defined twice", () => {
  const g = new GraphBuilder("t");
  g.input("x", "float32", [1]);
  assert.throws(() => g.node("Identity", ["x"], ["x"]), /'x' is defined twice/);
});

Deno.test("GraphBuilder.encodeModel output runs in onnxruntime with int64 and string attributes", async () => {
  const g = new GraphBuilder("t");
  g.input("x", "int64", ["N"]);
  const zeros = g.initializer("z", "int64", [3], new BigInt64Array(3));
  const ones = g.initializer("o", "int64", [2], BigInt64Array.of(1n, 1n));
  // Scatter-add ones at x into zeros: counts occurrences (needs the string attribute).
  g.node("ScatterElements", [zeros, "x", ones], ["y"], {
    axis: { int: 0 },
    reduction: { string: "add" },
  });
  g.output("y", "int64", [3]);
  const bytes = g.encodeModel({ k: "v" }, "doc");
  assert.equal(onnxProto.ModelProto.decode(bytes).docString, "doc");
  const s = await ort.InferenceSession.create(bytes);
  try {
    const x = new ort.Tensor("int64", BigInt64Array.of(2n, 2n), [2]);
    const out = await s.run({ x });
    assert.deepEqual(out.y.data, BigInt64Array.of(0n, 0n, 2n));
  } finally {
    await s.release();
  }
});
