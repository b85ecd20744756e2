import assert from "node:assert/strict";
import {
  arenaOf,
  createParamTables,
  type ParamTable,
  paramTable,
} from "../../optim/adam.ts";
import { RandomState } from "../../rng.ts";
import { SQUARED_ERROR } from "../embedding_mf/embedding_mf.ts";
import {
  initMlp,
  type MlpArchitecture,
  mlpBatchGradient,
  type MlpModel,
  MlpScratch,
  type MlpTables,
} from "./mlp.ts";
import { mlpKernelModule, mlpKernels } from "./_simd.ts";
import { MLP_SIMD_WASM } from "./mlp_simd_wasm.ts";
import {
  compileWat,
  renderWasmModule,
  WASM_SOURCES,
} from "../../wasm/build.ts";

/** Widths [2·dim, ...hidden, 1] that run every kernel path: 8-, 2- and 1-wide output blocks. */
const ARCH: MlpArchitecture = {
  nUsers: 7,
  nItems: 9,
  dim: 5,
  hidden: [19, 10],
  dropout: [0.25, 0.5, 0.75],
  outputRange: [1, 5],
};

function data(seed: number, n: number) {
  const rs = new RandomState(seed);
  return {
    users: Int32Array.from({ length: n }, () => rs.randint(0, ARCH.nUsers)),
    items: Int32Array.from({ length: n }, () => rs.randint(0, ARCH.nItems)),
    ratings: Float32Array.from(
      { length: n },
      () => 1 + rs.randint(0, 9) / 2,
    ),
  };
}

/** The model's tables either in one wasm arena with the scratch in its memory, or plain. */
function setup(model: MlpModel, batch: number, wasm: boolean) {
  const specs = [
    {
      name: "u",
      rows: ARCH.nUsers,
      cols: ARCH.dim,
      values: model.userEmbedding,
    },
    {
      name: "i",
      rows: ARCH.nItems,
      cols: ARCH.dim,
      values: model.itemEmbedding,
    },
    ...model.layers.flatMap((l, j) => [
      { name: `w${j}`, rows: l.inputs, cols: l.outputs, values: l.weight },
      { name: `b${j}`, rows: 1, cols: l.outputs, values: l.bias },
    ]),
  ];
  let list: ParamTable[];
  let scratch: MlpScratch;
  if (wasm) {
    list = createParamTables(specs, {
      scratchBytes: MlpScratch.byteLength(ARCH, batch),
    });
    const arena = arenaOf(list[0])!.arena;
    scratch = new MlpScratch(ARCH, batch, {
      buffer: arena.memory.buffer,
      byteOffset: arena.scratch,
    });
  } else {
    list = specs.map((s) =>
      paramTable(s.name, s.rows, s.cols, s.values.slice())
    );
    scratch = new MlpScratch(ARCH, batch);
  }
  const tables: MlpTables = {
    userEmbedding: list[0],
    itemEmbedding: list[1],
    layers: model.layers.map((_, l) => [list[2 + 2 * l], list[3 + 2 * l]]),
  };
  return { list, tables, scratch };
}

Deno.test("mlpBatchGradient: the wasm dense kernels give the TypeScript path's loss and gradients bit for bit", () => {
  assert.ok(mlpKernelModule() !== null, "WebAssembly SIMD is available here");
  const n = 50, batch = 16;
  const d = data(3, n);
  const order = new RandomState(4).permutation(n);
  const model = initMlp(ARCH, new RandomState(5), 0.9);
  // nonzero biases, so the forward pass starts from them
  for (const l of model.layers) {
    l.bias.forEach((_, j) => l.bias[j] = Math.fround(0.3 * Math.sin(j + 1)));
  }
  const wasm = setup(model, batch, true);
  const plain = setup(model, batch, false);
  const bits = (x: Float32Array) => [...new Uint32Array(x.slice().buffer)];
  for (const training of [true, false]) {
    const rsA = new RandomState(6), rsB = new RandomState(6);
    for (let from = 0; from < n; from += batch) {
      const to = Math.min(n, from + batch);
      const spec = { arch: ARCH, loss: SQUARED_ERROR, training };
      const touch = { touch() {} };
      const a = mlpBatchGradient(
        wasm.tables,
        d,
        order,
        from,
        to,
        spec,
        wasm.scratch,
        rsA,
        touch,
      );
      const b = mlpBatchGradient(
        plain.tables,
        d,
        order,
        from,
        to,
        spec,
        plain.scratch,
        rsB,
        touch,
      );
      assert.ok(Object.is(a, b), `loss ${a} vs ${b} (batch at ${from})`);
      for (const [j, t] of wasm.list.entries()) {
        assert.deepEqual(
          bits(t.grad),
          bits(plain.list[j].grad),
          `${t.name} gradient, batch at ${from}, training ${training}`,
        );
      }
      for (const [l, pre] of wasm.scratch.pre.entries()) {
        assert.deepEqual(
          [...pre.subarray(0, (to - from) * pre.length / batch)],
          [...plain.scratch.pre[l].subarray(
            0,
            (to - from) * pre.length / batch,
          )],
          `layer ${l} pre-activations`,
        );
      }
    }
    assert.equal(rsA.nextUint32(), rsB.nextUint32(), "same draws consumed");
    assert.ok(
      wasm.list[2].grad.some((g) => g !== 0),
      "the check saw nonzero kernel gradients",
    );
  }
});

Deno.test("mlpKernels: one instance per arena; MlpScratch rejects a misaligned or short placement", () => {
  const a = setup(initMlp(ARCH, new RandomState(1)), 4, true);
  const arena = arenaOf(a.list[0])!.arena;
  assert.equal(mlpKernels(arena), mlpKernels(arena));
  assert.throws(
    () =>
      new MlpScratch(ARCH, 4, {
        buffer: arena.memory.buffer,
        byteOffset: arena.scratch + 4,
      }),
    /MlpScratch: placement at byte/,
  );
  assert.throws(
    () =>
      new MlpScratch(ARCH, 4, { buffer: new ArrayBuffer(64), byteOffset: 0 }),
    /cannot hold/,
  );
});

Deno.test("MLP_SIMD_WASM: is what wat2wasm makes of mlp_simd.wat", async () => {
  const wasm = await compileWat(WASM_SOURCES.mlp);
  const text = renderWasmModule(WASM_SOURCES.mlp, wasm);
  const generated = await Deno.readTextFile(
    new URL("./mlp_simd_wasm.ts", import.meta.url),
  );
  // Compare the base64 payloads (the generated file is also deno-fmt'ed).
  const payload = (s: string) => s.replace(/[^"]*"([^"]*)"[^"]*/g, "$1");
  assert.equal(payload(generated), payload(text));
  assert.equal(atob(MLP_SIMD_WASM).length, wasm.length);
});
