import assert from "node:assert/strict";
import {
  initMlp,
  type MlpArchitecture,
  predictMlp,
} from "../models/mlp/mlp.ts";
import { RandomState } from "../rng.ts";
import { GraphBuilder } from "./proto.ts";
import { exportMlpModel, MlpSession, readArchitecture } from "./mlp_export.ts";

const ARCHS: MlpArchitecture[] = [
  { nUsers: 7, nItems: 11, dim: 4, hidden: [16], dropout: [0.25, 0.75] },
  {
    nUsers: 5,
    nItems: 9,
    dim: 3,
    hidden: [8, 6],
    dropout: [0, 0.5, 0.5],
    outputRange: [1, 5],
  },
];

for (const arch of ARCHS) {
  Deno.test(`exportMlpModel (hidden [${arch.hidden}]${arch.outputRange ? ", sigmoid range" : ""}) scores every pair as predictMlp does within float32 rounding`, async () => {
    const rs = new RandomState(9);
    // embeddings of order 1 and non-zero biases, so every layer matters
    const m = initMlp(arch, rs, 1);
    for (const l of m.layers) {
      for (let j = 0; j < l.bias.length; j++) l.bias[j] = rs.uniform(-0.5, 0.5);
    }
    const users = Int32Array.from(
      { length: arch.nUsers * arch.nItems },
      (_, j) => Math.floor(j / arch.nItems),
    );
    const items = Int32Array.from(
      { length: users.length },
      (_, j) => j % arch.nItems,
    );
    const bytes = exportMlpModel(m, { experiment: "test" });
    assert.deepEqual(readArchitecture(bytes), arch);
    const s = await MlpSession.load(bytes, "m.onnx");
    try {
      const onnx = await s.score(users, items);
      const ts = predictMlp(m, users, items);
      assert.equal(onnx.length, ts.length);
      let worst = 0, spread = 0;
      for (let j = 0; j < ts.length; j++) {
        worst = Math.max(worst, Math.abs(onnx[j] - ts[j]));
        spread = Math.max(spread, Math.abs(ts[j] - ts[0]));
      }
      assert.ok(worst < 1e-5, `max |ONNX − TypeScript| = ${worst}`);
      assert.ok(spread > 0.01, "the scores vary across pairs");
      await assert.rejects(
        () => s.score(Int32Array.of(0), Int32Array.of(arch.nItems)),
        new RegExp(
          `items\\[0\\] = ${arch.nItems} lies outside the ${arch.nItems} items of m.onnx`,
        ),
      );
    } finally {
      await s.release();
    }
  });
}

Deno.test("MlpSession.load rejects an ONNX model that is not an exported MLP, naming it", async () => {
  const g = new GraphBuilder("other");
  g.input("x", "float32", ["N"]);
  g.node("Identity", ["x"], ["y"]);
  g.output("y", "float32", ["N"]);
  await assert.rejects(
    () => MlpSession.load(g.encodeModel({ kind: "factor" }), "other.onnx"),
    /other.onnx: metadata kind is "factor", not "embedding-mlp"/,
  );
});

Deno.test("exportMlpModel rejects weights that do not match the architecture", () => {
  const m = initMlp(ARCHS[0], new RandomState(1));
  assert.throws(
    () => exportMlpModel({ ...m, userEmbedding: new Float32Array(3) }),
    /userEmbedding has 3 values, expected 28/,
  );
});
