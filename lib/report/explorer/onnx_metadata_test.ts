import assert from "node:assert/strict";
import { exportFactorModel } from "../../onnx/export.ts";
import { readMetadata } from "../../onnx/metadata.ts";
import { exportMlpModel } from "../../onnx/mlp_export.ts";
import { randomFactorModel } from "../../onnx/_fixtures.ts";
import { initMlp } from "../../models/mlp/mlp.ts";
import { RandomState } from "../../rng.ts";
import { readOnnxMetadata } from "./onnx_metadata.js";

Deno.test("readOnnxMetadata: equals readMetadata for a factor model with ids and non-ASCII titles", () => {
  const m = randomFactorModel(3, { nUsers: 4, nItems: 5, factors: 3 });
  const bytes = exportFactorModel(m, {
    description: {
      experiment: "als",
      config: { factors: 3, note: "</script><b>" },
      dataChecksum: "abc123",
      userIds: [10, 20, 30, 40],
      itemIds: [1, 2, 3, 4, 5],
      itemTitles: [
        "Amélie (2001)",
        null,
        "<img src=x onerror=alert(1)>",
        "東京物語 (1953)",
        "😀",
      ],
    },
  });
  const got = readOnnxMetadata(bytes);
  assert.deepEqual(got, readMetadata(bytes, "m.onnx"));
  assert.equal(JSON.parse(got["cf.item_titles"])[3], "東京物語 (1953)");
  assert.equal(JSON.parse(got["cf.layout"]).nItems, 5);
});

Deno.test("readOnnxMetadata: equals readMetadata for an embedding MLP", () => {
  const m = initMlp(
    { nUsers: 3, nItems: 4, dim: 2, hidden: [3], dropout: [0, 0] },
    new RandomState(1),
  );
  const bytes = exportMlpModel(m, { experiment: "keras", data_sha256: "ff" });
  const got = readOnnxMetadata(bytes);
  assert.deepEqual(got, readMetadata(bytes, "mlp.onnx"));
  assert.equal(got.kind, "embedding-mlp");
  assert.equal(got.experiment, "keras");
});

Deno.test("readOnnxMetadata: throws RangeError on truncated or non-protobuf bytes", () => {
  const m = randomFactorModel(3, { nUsers: 2, nItems: 2, factors: 2 });
  const bytes = exportFactorModel(m);
  assert.throws(
    () => readOnnxMetadata(bytes.subarray(0, bytes.length - 3)),
    RangeError,
  );
  assert.throws(() => readOnnxMetadata(Uint8Array.of(0x0f, 1, 2)), RangeError);
  assert.deepEqual(readOnnxMetadata(new Uint8Array(0)), {});
});
