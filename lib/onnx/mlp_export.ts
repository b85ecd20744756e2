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
 * (`kind` = "embedding-mlp", `architecture` JSON), the description shared
 * with factor graphs (`cf.user_ids`, `cf.item_ids`, `cf.item_titles`,
 * `cf.experiment`, ..., lib/onnx/metadata.ts), the training ratings'
 * pattern (`cf.seen`, with `cf.seen_from` saying which ratings) so a top-N
 * can leave out what the user already rated, whatever extra `metadata` the
 * caller adds, and the `cf.weights_sha256` digest.
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
import type { Csr } from "../sparse.ts";
import { ORT_THREADS, type TopK } from "./infer.ts";
import {
  checkModelDigest,
  type DescriptionInfo,
  encodeDescription,
  METADATA_KEYS,
  type ModelDescription,
  parseDescription,
} from "./metadata.ts";
import { GraphBuilder, onnxProto } from "./proto.ts";

/** Metadata `kind` of an exported embedding MLP. */
export const MLP_KIND = "embedding-mlp";

/** Pairs scored per run when {@link MlpSession.recommend} ranks every item for a user (the explorer page uses the same). */
export const MLP_BATCH = 4096;

/** What an MLP export records besides its weights. */
export interface MlpExportOptions {
  /** Ids, titles, experiment, config, checksum and `seenFrom` (lib/onnx/metadata.ts). */
  readonly description?: ModelDescription;
  /** Items each user rated in training (users × items); stored as `cf.seen`. */
  readonly seen?: Csr;
}

/**
 * The ONNX model bytes of `model` (float32 weights stored as initializers).
 *
 * @param metadata Extra `metadataProps` (free-form strings).
 * @param options Description (ids, titles, ...) and seen items.
 * @throws {RangeError} when the weights do not match the architecture, or an
 *   id, title or seen array does not match the tables' sizes.
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
  options: MlpExportOptions = {},
): Uint8Array {
  validateMlpArchitecture(model);
  const described = encodeDescription(
    options.description ?? {},
    model.nUsers,
    model.nItems,
  );
  if (options.seen) {
    const m = options.seen;
    if (m.nRows !== model.nUsers || m.nCols !== model.nItems) {
      throw new RangeError(
        `exportMlpModel: seen is ${m.nRows} × ${m.nCols}, the model ${model.nUsers} × ${model.nItems}`,
      );
    }
    const nnz = m.indptr[m.nRows];
    described[METADATA_KEYS.seen] = JSON.stringify({
      indptr: Array.from(m.indptr.subarray(0, m.nRows + 1)),
      indices: Array.from(m.indices.subarray(0, nnz)),
    });
  }
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
      ...described,
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
  return readMlpMetadata(bytes, label).architecture;
}

/** What an exported MLP's metadata says, parsed. */
export interface MlpInfo extends DescriptionInfo {
  /** Table sizes, widths, dropout and output range (`architecture`). */
  readonly architecture: MlpArchitecture;
  /** Every metadata entry as a string. */
  readonly metadata: Record<string, string>;
  /** Items each user rated in training, as CSR rows (`cf.seen`), when recorded. */
  readonly seen?: { readonly indptr: Int32Array; readonly indices: Int32Array };
}

/**
 * An exported MLP's metadata: architecture, description (ids, titles, ...)
 * and seen items, after checking its `cf.weights_sha256` digest.
 *
 * @throws {MlpModelError} when the bytes are not ONNX, not an embedding MLP,
 *   changed after export, or carry malformed metadata.
 */
export function readMlpMetadata(
  bytes: Uint8Array,
  label = "<bytes>",
): MlpInfo {
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
  try {
    checkModelDigest(bytes, label);
    const arch = JSON.parse(props.architecture) as MlpArchitecture;
    validateMlpArchitecture(arch);
    const described = parseDescription(props, arch.nUsers, arch.nItems, label);
    return {
      ...described,
      architecture: arch,
      metadata: props,
      seen: parseSeen(props, arch, label),
    };
  } catch (err) {
    if (err instanceof MlpModelError) throw err;
    const msg = (err as Error).message;
    throw new MlpModelError(msg.startsWith(label) ? msg : `${label}: ${msg}`, {
      cause: err,
    });
  }
}

function parseSeen(
  props: Record<string, string>,
  arch: MlpArchitecture,
  label: string,
): MlpInfo["seen"] {
  const text = props[METADATA_KEYS.seen];
  if (text === undefined) return undefined;
  const v = JSON.parse(text);
  const ints = (a: unknown): a is number[] =>
    Array.isArray(a) && a.every((x) => Number.isInteger(x) && x >= 0);
  const ok = v !== null && typeof v === "object" && ints(v.indptr) &&
    ints(v.indices) && v.indptr.length === arch.nUsers + 1 &&
    v.indptr[0] === 0 && v.indptr[arch.nUsers] === v.indices.length &&
    v.indptr.every((x: number, j: number) => j === 0 || x >= v.indptr[j - 1]) &&
    v.indices.every((x: number) => x < arch.nItems);
  if (!ok) {
    throw new MlpModelError(
      `${label}: metadata '${METADATA_KEYS.seen}' is not a ${arch.nUsers} × ${arch.nItems} CSR pattern`,
    );
  }
  return {
    indptr: Int32Array.from(v.indptr),
    indices: Int32Array.from(v.indices),
  };
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
  /** The file's metadata: architecture, ids, titles, seen items. */
  readonly info: MlpInfo;
  readonly #session: ort.InferenceSession;

  private constructor(
    session: ort.InferenceSession,
    info: MlpInfo,
    source: string,
  ) {
    this.#session = session;
    this.info = info;
    this.nUsers = info.architecture.nUsers;
    this.nItems = info.architecture.nItems;
    this.source = source;
  }

  /**
   * Loads model bytes written by {@link exportMlpModel}.
   *
   * @param label Name used in errors (e.g. the file path).
   * @throws {MlpModelError} when the bytes are not an exported embedding MLP,
   *   were changed after export, or onnxruntime rejects them.
   */
  static async load(bytes: Uint8Array, label = "<bytes>"): Promise<MlpSession> {
    const info = readMlpMetadata(bytes, label);
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
    return new MlpSession(session, info, label);
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

  /** True when the file records each user's training items (`cf.seen`). */
  get masksSeen(): boolean {
    return this.info.seen !== undefined;
  }

  /**
   * The k highest-scoring items for each user, found by scoring every item
   * in runs of {@link MLP_BATCH} pairs; the user's training items (`cf.seen`,
   * when recorded) are left out. Ties go to the lower index (ONNX TopK's
   * rule); fewer than k eligible items leave trailing −∞ scores, index −1.
   *
   * @param users User indices, length B.
   * @param k Items per user, 1 ≤ k ≤ nItems.
   * @returns Row-major B × k item indices and scores.
   * @throws {MlpModelError} for an index outside the tables or a bad k.
   */
  async recommend(users: Int32Array, k: number): Promise<TopK> {
    const n = this.nItems;
    if (!Number.isInteger(k) || k < 1 || k > n) {
      throw new MlpModelError(
        `k = ${k} must be an integer from 1 to the number of items (${n}) of ${this.source}`,
      );
    }
    const items = new Int32Array(users.length * k).fill(-1);
    const scores = new Float32Array(users.length * k).fill(-Infinity);
    const all = new Float32Array(n);
    for (const [b, u] of users.entries()) {
      for (let j0 = 0; j0 < n; j0 += MLP_BATCH) {
        const m = Math.min(MLP_BATCH, n - j0);
        const part = await this.score(
          new Int32Array(m).fill(u),
          Int32Array.from({ length: m }, (_, t) => j0 + t),
        );
        all.set(part, j0);
      }
      const seen = this.info.seen;
      if (seen) {
        for (let p = seen.indptr[u]; p < seen.indptr[u + 1]; p++) {
          all[seen.indices[p]] = -Infinity;
        }
      }
      const order = Array.from(all.keys())
        .filter((j) => all[j] !== -Infinity)
        .sort((a, c) => all[c] - all[a] || a - c)
        .slice(0, k);
      order.forEach((j, r) => {
        items[b * k + r] = j;
        scores[b * k + r] = all[j];
      });
    }
    return { items, scores };
  }

  /** Frees the onnxruntime session. */
  async release(): Promise<void> {
    await this.#session.release();
  }
}
