import assert from "node:assert/strict";
import {
  encodeMetadata,
  type FactorModelLayout,
  LAYOUT_FORMAT,
  LAYOUT_VERSION,
  METADATA_KEYS,
  ModelFileError,
  parseMetadata,
  readMetadata,
} from "./metadata.ts";
import { DIGEST_KEY } from "./digest.ts";
import { GraphBuilder } from "./proto.ts";

const layout: FactorModelLayout = {
  format: LAYOUT_FORMAT,
  version: LAYOUT_VERSION,
  nUsers: 2,
  nItems: 3,
  factors: 4,
  biases: false,
  outputRange: null,
  masksSeen: true,
};

function modelWith(metadata: Record<string, string>): Uint8Array {
  const g = new GraphBuilder("t");
  g.input("x", "float32", ["N"]);
  g.node("Identity", ["x"], ["y"]);
  g.output("y", "float32", ["N"]);
  return g.encodeModel(metadata);
}

Deno.test("encodeMetadata/readMetadata/parseMetadata round-trip every field, non-ASCII included", () => {
  const description = {
    experiment: "spotlight_mf",
    config: { lr: 0.01, dims: [1, 2], note: "naïve" },
    dataChecksum: "sha256:00ff",
    userIds: [10, 20],
    itemIds: Int32Array.of(-1, 5, 2147483647),
    itemTitles: ["Amélie (2001)", null, "千と千尋の神隠し"],
    seenFrom: "the ratings the model was trained on: all (3 ratings)",
  };
  const record = encodeMetadata(layout, description);
  const { [DIGEST_KEY]: digest, ...back } = readMetadata(
    modelWith(record),
    "m.onnx",
  );
  assert.match(digest, /^[0-9a-f]{64}$/);
  assert.deepEqual(back, record);
  const info = parseMetadata(back, "m.onnx");
  assert.deepEqual(info.layout, layout);
  assert.equal(info.experiment, "spotlight_mf");
  assert.deepEqual(info.config, description.config);
  assert.equal(info.dataChecksum, "sha256:00ff");
  assert.deepEqual(info.userIds, Int32Array.of(10, 20));
  assert.deepEqual(info.itemIds, description.itemIds);
  assert.deepEqual(info.itemTitles, description.itemTitles);
  assert.equal(info.seenFrom, description.seenFrom);
});

Deno.test("parseMetadata leaves absent optional fields undefined", () => {
  const info = parseMetadata(encodeMetadata(layout, {}), "m.onnx");
  assert.deepEqual(info, {
    layout,
    experiment: undefined,
    config: undefined,
    dataChecksum: undefined,
    userIds: undefined,
    itemIds: undefined,
    itemTitles: undefined,
    seenFrom: undefined,
  });
});

Deno.test("readMetadata of bytes that are not ONNX throws ModelFileError naming the source", () => {
  assert.throws(
    () => readMetadata(new TextEncoder().encode("not a model"), "bad.onnx"),
    (e: Error) =>
      e instanceof ModelFileError && e.message.startsWith("bad.onnx: "),
  );
  // A valid protobuf without a graph is not a model either.
  assert.throws(
    () => readMetadata(new Uint8Array(0), "empty.onnx"),
    /empty\.onnx: ONNX model has no graph/,
  );
});

Deno.test("parseMetadata rejects a missing layout, bad JSON and wrong-length arrays, naming source and key", () => {
  const bad = (record: Record<string, string>, re: RegExp) =>
    assert.throws(
      () => parseMetadata(record, "x.onnx"),
      (e: Error) => e instanceof ModelFileError && re.test(e.message),
    );
  bad({}, /^x\.onnx: no 'cf\.layout' metadata/);
  bad({ [METADATA_KEYS.layout]: "{" }, /'cf\.layout' is not valid JSON/);
  bad(
    { [METADATA_KEYS.layout]: JSON.stringify({ ...layout, version: 99 }) },
    /not a cf-factor-model version 1 layout/,
  );
  const ok = encodeMetadata(layout, {});
  bad(
    { ...ok, [METADATA_KEYS.itemIds]: "[1, 2]" },
    /'cf\.item_ids' is not an array of 3 32-bit integers/,
  );
  bad(
    { ...ok, [METADATA_KEYS.itemTitles]: '["a", 2, "c"]' },
    /'cf\.item_titles' is not an array of 3 titles/,
  );
  bad(
    { ...ok, [METADATA_KEYS.config]: "{oops" },
    /'cf\.config' is not valid JSON/,
  );
});
