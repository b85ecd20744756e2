import assert from "node:assert/strict";
import { join } from "node:path";
import { csrFromCoo } from "../sparse.ts";
import {
  type FactorModel,
  validateFactorModel,
} from "../models/factor_model.ts";
import {
  exportFactorModel,
  INPUTS,
  OUTPUTS,
  writeFactorModel,
} from "./export.ts";
import { onnxProto, OPSET_VERSION } from "./proto.ts";
import { randomFactorModel, randomSeen } from "./_fixtures.ts";

const base = randomFactorModel(1, { nUsers: 4, nItems: 9, factors: 3 });

type Graph = InstanceType<typeof onnxProto.GraphProto>;
type Tensor = InstanceType<typeof onnxProto.TensorProto>;

function decode(bytes: Uint8Array) {
  return onnxProto.ModelProto.decode(bytes);
}

function graphOf(bytes: Uint8Array): Graph {
  return decode(bytes).graph as Graph;
}

Deno.test("exportFactorModel declares the six inputs and five outputs of the graph contract", () => {
  const g = graphOf(exportFactorModel(base));
  assert.deepEqual(g.input.map((v) => v.name), Object.values(INPUTS));
  assert.deepEqual(g.output.map((v) => v.name), Object.values(OUTPUTS));
  const model = decode(exportFactorModel(base));
  assert.deepEqual(
    model.opsetImport.map((o) => [o.domain, Number(o.version)]),
    [["", OPSET_VERSION]],
  );
});

Deno.test("exportFactorModel stores biases and the seen matrix only when given", () => {
  const names = (m: FactorModel, seen = false) =>
    graphOf(
      exportFactorModel(m, seen ? { seen: randomSeen(2, 4, 9, 0.3) } : {}),
    ).initializer.map((t) => t.name).sort();
  const plain = names(base);
  assert.ok(!plain.includes("user_bias") && !plain.includes("item_offset"));
  assert.ok(!plain.includes("seen_indptr"));
  const biased = names({ ...base, globalBias: 3 });
  assert.ok(biased.includes("item_offset") && !biased.includes("user_bias"));
  const masked = names(base, true);
  assert.ok(masked.includes("seen_indptr") && masked.includes("seen_indices"));
});

Deno.test("exportFactorModel stores the weights bit for bit and seen indices as int32", () => {
  const seen = randomSeen(2, 4, 9, 0.3);
  const init = graphOf(exportFactorModel(base, { seen })).initializer;
  const byName = new Map(init.map((t) => [t.name, t as Tensor]));
  const raw = (name: string) => {
    const t = byName.get(name)!;
    return new Uint8Array(t.rawData); // copy: aligned buffer for the typed-array view
  };
  assert.deepEqual(
    new Float32Array(raw("item_factors").buffer),
    base.itemFactors,
  );
  assert.deepEqual(
    new Float32Array(raw("user_factors").buffer),
    base.userFactors,
  );
  assert.deepEqual(new Int32Array(raw("seen_indices").buffer), seen.indices);
  assert.deepEqual(
    Array.from(byName.get("user_factors")!.dims, Number),
    [4, 3],
  );
});

Deno.test("exportFactorModel is deterministic: the same model gives the same bytes", () => {
  const seen = randomSeen(2, 4, 9, 0.3);
  const opts = { seen, description: { experiment: "x", config: { a: 1 } } };
  assert.deepEqual(
    exportFactorModel(base, opts),
    exportFactorModel(base, opts),
  );
});

Deno.test("validateFactorModel names the first inconsistent field", () => {
  const bad = (
    m: Partial<FactorModel>,
    text: string,
    seen = undefined as never,
  ) =>
    assert.throws(
      () => validateFactorModel({ ...base, ...m }, seen),
      (e: Error) => e instanceof RangeError && e.message.includes(text),
    );
  bad({ factors: 0 }, "factors = 0");
  bad(
    { userFactors: new Float32Array(5) },
    "userFactors has length 5, expected 12",
  );
  bad({ itemBias: new Float32Array(8) }, "itemBias has length 8, expected 9");
  const nan = base.itemFactors.slice();
  nan[4] = NaN;
  bad({ itemFactors: nan }, "itemFactors[4] = NaN");
  bad({ globalBias: Infinity }, "globalBias = Infinity");
  bad({ outputRange: [5, 1] }, "outputRange [5, 1]");
  const wrongShape = csrFromCoo(Int32Array.of(0), Int32Array.of(0), [1], 5, 9);
  assert.throws(
    () => validateFactorModel(base, wrongShape),
    /seen matrix is 5 × 9, the model is 4 users × 9 items/,
  );
});

Deno.test("exportFactorModel rejects metadata arrays of the wrong length", () => {
  assert.throws(
    () => exportFactorModel(base, { description: { itemTitles: ["a"] } }),
    /itemTitles has 1 entries, the model has 9/,
  );
  assert.throws(
    () =>
      exportFactorModel(base, {
        description: { userIds: [1, 2, 3.5, 4] },
      }),
    /userIds\[2\] = 3.5 is not a 32-bit integer/,
  );
});

Deno.test("writeFactorModel writes exportFactorModel's bytes, creating directories", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "a", "b", "model.onnx");
    await writeFactorModel(path, base);
    assert.deepEqual(await Deno.readFile(path), exportFactorModel(base));
    // No temporary file is left beside it.
    const left = [];
    for await (const e of Deno.readDir(join(dir, "a", "b"))) left.push(e.name);
    assert.deepEqual(left, ["model.onnx"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
