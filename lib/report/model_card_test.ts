import assert from "node:assert/strict";
import { exportFactorModel } from "../onnx/export.ts";
import { modelCardBlocks, sha256Hex, summarizeModel } from "./model_card.ts";
import { renderReport } from "./html.ts";

const bytes = exportFactorModel({
  nUsers: 2,
  nItems: 3,
  factors: 1,
  userFactors: Float32Array.of(1, 2),
  itemFactors: Float32Array.of(2, 3, 4),
}, { description: { userIds: [10, 20], itemIds: [7, 8, 9] } });

Deno.test("summarizeModel reads the six inputs, their int64 types, the outputs, checksum and id mapping from the file", async () => {
  const m = await summarizeModel("x/model.onnx", bytes);
  assert.deepEqual(m.inputs.map((t) => t.name), [
    "score_user",
    "score_item",
    "recommend_user",
    "recommend_k",
    "similar_item",
    "similar_k",
  ]);
  assert.ok(m.inputs.every((t) => t.type === "int64"));
  assert.ok(m.outputs.some((t) => t.name === "score" && t.type === "float32"));
  assert.equal(m.sha256, await sha256Hex(bytes));
  assert.equal(m.bytes, bytes.length);
  assert.match(
    m.idMapping.join("; "),
    /user index i \(0 … 1\) is the MovieLens userId/,
  );
  assert.match(m.idMapping.join("; "), /item index j \(0 … 2\)/);
});

Deno.test("modelCardBlocks feeds every input in both examples and renders", async () => {
  const m = await summarizeModel("x/model.onnx", bytes);
  const blocks = modelCardBlocks(m);
  const pre = blocks.filter((b) => b.kind === "pre").map((b) =>
    (b as { text: string }).text
  );
  assert.equal(pre.length, 2);
  for (const t of m.inputs) {
    assert.ok(pre[0].includes(`${t.name}: new ort.Tensor("int64"`), t.name);
    assert.ok(pre[1].includes(`"${t.name}": np.array(`), t.name);
  }
  assert.match(
    pre[0],
    /score_user: new ort\.Tensor\("int64", BigInt64Array\.from\(\[0n\]\), \[1\]\)/,
  );
  assert.match(
    pre[0],
    /recommend_user: new ort\.Tensor\("int64", BigInt64Array\.from\(\[\]\), \[0\]\)/,
  );
  const html = renderReport({
    title: "t",
    command: "c",
    sections: [{ heading: "Models", blocks }],
  });
  assert.match(html, /every call feeds all 6 inputs/);
});
