/**
 * Exports an embedding MLP (`lib/models/mlp/mlp.ts`) to a self-contained ONNX
 * graph that scores user–item pairs, and runs it with onnxruntime-web:
 *
 *   score_user int64 [N] ─ Gather(user_embedding) ─┐
 *                                                   ├ Concat(axis 1) [N, 2·dim]
 *   score_item int64 [N] ─ Gather(item_embedding) ─┘
 *     → Gemm(dense1_kernel, dense1_bias) → Relu → … → Gemm(denseL_kernel, denseL_bias) [N, 1]
 *     → (Sigmoid → Mul(hi − lo) → Add(lo), with an output range)
 *     → Reshape [N] = score float32
 *
 * Dropout is the identity at inference and has no node. Input names match
 * the factor-model graphs (`score_user`, `score_item`, `score`), so one
 * scoring call shape serves both; the metadata records the architecture
 * (`kind` = "embedding-mlp", `architecture` JSON) and whatever `metadata`
 * the caller adds.
 *
 * @example
 * ```ts
 * import { initMlp } from "../models/mlp/mlp.ts";
 * import { RandomState } from "../rng.ts";
 * import { exportMlpModel, MlpSession } from "./mlp_export.ts";
 * const m = initMlp({ nUsers: 2, nItems: 3, dim: 4, hidden: [8], dropout: [0, 0] }, new RandomState(0));
 * const s = await MlpSession.load(exportMlpModel(m));
 * const scores = await s.score(Int32Array.of(0, 1), Int32Array.of(2, 0)); // Float32Array(2)
 * await s.release();
 * if (scores.length !== 2) throw new Error();
 * ```
 *
 * @module
 */

// Before onnxruntime-web: keeps Deno's Web Worker constructor (see lib/web_worker.ts).
import "../web_worker.ts";
import * as ort from "onnxruntime-web";
import { UserError } from "../errors.ts";
import {
  architectureOf,
  type MlpArchitecture,
  type MlpModel,
  validateMlpArchitecture,
} from "../models/mlp/mlp.ts";
import { ORT_THREADS } from "./infer.ts";
import { GraphBuilder, onnxProto } from "./proto.ts";

/** Metadata `kind` of an exported embedding MLP. */
export const MLP_KIND = "embedding-mlp";

/**
 * The ONNX model bytes of `model` (float32 weights stored as initializers).
 *
 * @param metadata Extra `metadataProps` (e.g. experiment, config JSON, data checksum).
 * @throws {RangeError} when the weights do not match the architecture.
 *
 * @example
 * ```ts
 * import { exportMlpModel } from "./mlp_export.ts";
 * import { initMlp } from "../models/mlp/mlp.ts";
 * import { RandomState } from "../rng.ts";
 * const model = initMlp({ nUsers: 2, nItems: 3, dim: 2, hidden: [4], dropout: [0, 0] }, new RandomState(0));
 * console.assert(exportMlpModel(model, { experiment: "example" }).length > 0);
 * ```
 */
export function exportMlpModel(
  model: MlpModel,
  metadata: Record<string, string> = {},
): Uint8Array {
  validateMlpArchitecture(model);
  const d = model.dim;
  const check = (what: string, got: number, want: number) => {
    if (got !== want) {
      throw new RangeError(
        `exportMlpModel: ${what} has ${got} values, expected ${want}`,
      );
    }
  };
  check("userEmbedding", model.userEmbedding.length, model.nUsers * d);
  check("itemEmbedding", model.itemEmbedding.length, model.nItems * d);
  check("layers", model.layers.length, model.hidden.length + 1);
  const g = new GraphBuilder("embedding_mlp");
  g.input("score_user", "int64", ["N"]);
  g.input("score_item", "int64", ["N"]);
  g.initializer(
    "user_embedding",
    "float32",
    [model.nUsers, d],
    model.userEmbedding,
  );
  g.initializer(
    "item_embedding",
    "float32",
    [model.nItems, d],
    model.itemEmbedding,
  );
  g.node("Gather", ["user_embedding", "score_user"], ["user_vec"], {
    axis: { int: 0 },
  });
  g.node("Gather", ["item_embedding", "score_item"], ["item_vec"], {
    axis: { int: 0 },
  });
  let x = g.node("Concat", ["user_vec", "item_vec"], ["concat"], {
    axis: { int: 1 },
  })[0];
  let inputs = 2 * d;
  for (const [l, layer] of model.layers.entries()) {
    const want = l < model.hidden.length ? model.hidden[l] : 1;
    check(`layer ${l + 1} inputs`, layer.inputs, inputs);
    check(`layer ${l + 1} outputs`, layer.outputs, want);
    check(`layer ${l + 1} weight`, layer.weight.length, inputs * want);
    check(`layer ${l + 1} bias`, layer.bias.length, want);
    const W = g.initializer(
      `dense${l + 1}_kernel`,
      "float32",
      [inputs, want],
      layer.weight,
    );
    const b = g.initializer(
      `dense${l + 1}_bias`,
      "float32",
      [want],
      layer.bias,
    );
    x = g.node("Gemm", [x, W, b], [`dense${l + 1}`])[0];
    if (l < model.hidden.length) x = g.node("Relu", [x], [`relu${l + 1}`])[0];
    inputs = want;
  }
  if (model.outputRange) {
    const [lo, hi] = model.outputRange;
    const scale = g.initializer(
      "range_scale",
      "float32",
      [],
      Float32Array.of(hi - lo),
    );
    const offset = g.initializer(
      "range_lo",
      "float32",
      [],
      Float32Array.of(lo),
    );
    g.node("Sigmoid", [x], ["sigmoid"]);
    g.node("Mul", ["sigmoid", scale], ["scaled"]);
    x = g.node("Add", ["scaled", offset], ["ranged"])[0];
  }
  const flat = g.initializer("flat_shape", "int64", [1], BigInt64Array.of(-1n));
  g.node("Reshape", [x, flat], ["score"]);
  g.output("score", "float32", ["N"]);
  return g.encodeModel(
    {
      kind: MLP_KIND,
      architecture: JSON.stringify(architectureOf(model)),
      ...metadata,
    },
    "Embedding MLP: concatenated user and item embeddings through dense ReLU layers; see lib/onnx/mlp_export.ts.",
  );
}

/**
 * The architecture recorded in an exported MLP's metadata.
 *
 * @throws {MlpModelError} when the bytes are not ONNX or not an embedding MLP.
 */
export function readArchitecture(
  bytes: Uint8Array,
  label = "<bytes>",
): MlpArchitecture {
  let props: Record<string, string>;
  try {
    const m = onnxProto.ModelProto.decode(bytes);
    props = Object.fromEntries(
      (m.metadataProps ?? []).map((p) => [p.key ?? "", p.value ?? ""]),
    );
  } catch (err) {
    throw new MlpModelError(
      `${label}: not an ONNX model (${(err as Error).message})`,
      {
        cause: err,
      },
    );
  }
  if (props.kind !== MLP_KIND || !props.architecture) {
    throw new MlpModelError(
      `${label}: metadata kind is "${
        props.kind ?? ""
      }", not "${MLP_KIND}" (not written by exportMlpModel)`,
    );
  }
  const arch = JSON.parse(props.architecture) as MlpArchitecture;
  try {
    validateMlpArchitecture(arch);
  } catch (err) {
    throw new MlpModelError(`${label}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return arch;
}

/** Raised for an unreadable model file or an out-of-range pair. */
export class MlpModelError extends UserError {}

/**
 * An exported embedding MLP loaded in onnxruntime-web (wasm, {@link ORT_THREADS} threads).
 *
 * @example
 * ```ts
 * import { exportMlpModel, MlpSession } from "./mlp_export.ts";
 * import { initMlp } from "../models/mlp/mlp.ts";
 * import { RandomState } from "../rng.ts";
 * const model = initMlp({ nUsers: 2, nItems: 3, dim: 2, hidden: [4], dropout: [0, 0] }, new RandomState(0));
 * const session = await MlpSession.load(exportMlpModel(model), "mlp.onnx");
 * console.assert((await session.score(Int32Array.of(1), Int32Array.of(2))).length === 1);
 * await session.release();
 * ```
 */
export class MlpSession {
  /** Users and items the model's tables hold. */
  readonly nUsers: number;
  /** Items the model's table holds. */
  readonly nItems: number;
  /** Name of the model file, for error messages. */
  readonly source: string;
  readonly #session: ort.InferenceSession;

  private constructor(
    session: ort.InferenceSession,
    nUsers: number,
    nItems: number,
    source: string,
  ) {
    this.#session = session;
    this.nUsers = nUsers;
    this.nItems = nItems;
    this.source = source;
  }

  /**
   * Loads model bytes written by {@link exportMlpModel}.
   *
   * @param label Name used in errors (e.g. the file path).
   * @throws {MlpModelError} when the bytes are not an exported embedding MLP
   *   or onnxruntime rejects them.
   */
  static async load(bytes: Uint8Array, label = "<bytes>"): Promise<MlpSession> {
    const arch = readArchitecture(bytes, label);
    ort.env.wasm.numThreads = ORT_THREADS;
    ort.env.logLevel = "error";
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        logSeverityLevel: 3,
      });
    } catch (err) {
      throw new MlpModelError(
        `${label}: onnxruntime rejected the model (${(err as Error).message})`,
        { cause: err },
      );
    }
    return new MlpSession(session, arch.nUsers, arch.nItems, label);
  }

  /**
   * Scores of the pairs (users[j], items[j]), length N (float32).
   *
   * @throws {MlpModelError} for unequal lengths or an index outside the tables.
   */
  async score(users: Int32Array, items: Int32Array): Promise<Float32Array> {
    if (users.length !== items.length) {
      throw new MlpModelError(
        `score: ${users.length} users but ${items.length} items`,
      );
    }
    const u = new BigInt64Array(users.length),
      i = new BigInt64Array(items.length);
    for (let j = 0; j < users.length; j++) {
      if (!(users[j] >= 0 && users[j] < this.nUsers)) {
        throw new MlpModelError(
          `score: users[${j}] = ${
            users[j]
          } lies outside the ${this.nUsers} users of ${this.source}`,
        );
      }
      if (!(items[j] >= 0 && items[j] < this.nItems)) {
        throw new MlpModelError(
          `score: items[${j}] = ${
            items[j]
          } lies outside the ${this.nItems} items of ${this.source}`,
        );
      }
      u[j] = BigInt(users[j]);
      i[j] = BigInt(items[j]);
    }
    const out = await this.#session.run({
      score_user: new ort.Tensor("int64", u, [u.length]),
      score_item: new ort.Tensor("int64", i, [i.length]),
    });
    return out.score.data as Float32Array;
  }

  /** Frees the onnxruntime session. */
  async release(): Promise<void> {
    await this.#session.release();
  }
}
