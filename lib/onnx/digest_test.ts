import assert from "node:assert/strict";
import { digestParts } from "../report/explorer/onnx_metadata.js";
import { DIGEST_KEY, modelDigest, sealModel, sha256Hex } from "./digest.ts";
import { exportFactorModel } from "./export.ts";
import { FactorModelSession } from "./infer.ts";
import { checkModelDigest, ModelFileError, readMetadata } from "./metadata.ts";
import { GraphBuilder } from "./proto.ts";

const model = {
  nUsers: 3,
  nItems: 4,
  factors: 2,
  userFactors: Float32Array.of(1, 0, 0, 1, 1, 1),
  itemFactors: Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8),
};

Deno.test("encodeModel seals every model: the recorded digest is the SHA-256 of the file without its entry, written last", () => {
  const bytes = exportFactorModel(model);
  const d = modelDigest(bytes);
  assert.match(d.recorded!, /^[0-9a-f]{64}$/);
  assert.equal(d.recorded, d.actual);
  assert.equal(readMetadata(bytes, "m.onnx")[DIGEST_KEY], d.recorded);
  // The entry is the file's tail: everything before it is what was hashed.
  const entryLength = 2 + 2 + DIGEST_KEY.length + 2 + 64;
  assert.equal(
    sha256Hex(bytes.subarray(0, bytes.length - entryLength)),
    d.recorded,
  );
  checkModelDigest(bytes, "m.onnx");
});

Deno.test("checkModelDigest refuses 100 flipped bytes, one flipped weight bit, a missing digest and a doubled one, naming the file in one line", () => {
  const bytes = exportFactorModel(model);
  const refused = (b: Uint8Array, re: RegExp) =>
    assert.throws(
      () => checkModelDigest(b, "x/model.onnx"),
      (e: Error) =>
        e instanceof ModelFileError && re.test(e.message) &&
        e.message.startsWith("x/model.onnx: ") && !e.message.includes("\n"),
    );
  for (let seed = 0; seed < 5; seed++) {
    const bad = bytes.slice();
    for (let k = 0; k < 100; k++) {
      bad[(seed * 7919 + k * 104729) % bad.length] ^= 0xff;
    }
    refused(bad, /./);
  }
  const w = new Uint8Array(model.itemFactors.buffer);
  const at = bytes.findIndex((_, p) => w.every((b, t) => bytes[p + t] === b));
  const bit = bytes.slice();
  bit[at + 9] ^= 0x01;
  refused(bit, /refused, the file was changed after export/);
  const g = new GraphBuilder("t");
  g.input("x", "float32", ["N"]);
  g.node("Identity", ["x"], ["y"]);
  g.output("y", "float32", ["N"]);
  const sealed = g.encodeModel({});
  const unsealed = sealed.subarray(
    0,
    sealed.length - (6 + DIGEST_KEY.length + 64),
  );
  refused(unsealed, /carries no 'cf\.weights_sha256' digest/);
  refused(sealModel(sealed), /recorded more than once/);
  assert.throws(() => g.encodeModel({ [DIGEST_KEY]: "x" }), RangeError);
});

Deno.test("FactorModelSession.load refuses a model whose weight changed", async () => {
  const bytes = exportFactorModel(model);
  const w = new Uint8Array(model.userFactors.buffer);
  const at = bytes.findIndex((_, p) => w.every((b, t) => bytes[p + t] === b));
  const bad = bytes.slice();
  bad[at + 3] ^= 0x40;
  await assert.rejects(
    FactorModelSession.load(bad, "changed.onnx"),
    /changed\.onnx: refused, the file was changed after export/,
  );
});

Deno.test("digestParts (the explorer's reader) records the same digest and hashes the same bytes as modelDigest", () => {
  for (const bytes of [exportFactorModel(model), new Uint8Array(0)]) {
    const d = modelDigest(bytes);
    const p = digestParts(bytes);
    assert.equal(p.recorded, d.recorded);
    assert.equal(sha256Hex(p.body), d.actual);
  }
  assert.throws(() => digestParts(Uint8Array.of(0x0a, 0x05, 1)), RangeError);
});
