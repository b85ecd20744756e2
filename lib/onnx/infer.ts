/**
 * Runs a factor model exported by `export.ts` with onnxruntime-web (wasm
 * backend, 2 threads): score user–item pairs, recommend top-k unseen items
 * for a batch of users, and list an item's most similar items. Indices are
 * dense 0-based; inputs are bounds-checked in TypeScript before a run so a bad
 * index or k gets an error naming the value.
 *
 * @example
 * ```ts ignore
 * import { FactorModelSession } from "./infer.ts";
 * const s = await FactorModelSession.load("reports/als/model.onnx");
 * const { items, scores } = await s.recommend(Int32Array.of(0, 1), 10); // 2 × 10
 * await s.release();
 * ```
 *
 * @module
 */

// Before onnxruntime-web: keeps Deno's Web Worker constructor (see lib/web_worker.ts).
import "../web_worker.ts";
import * as ort from "onnxruntime-web";
import { UserError } from "../errors.ts";
import { INPUTS, OUTPUTS } from "./export.ts";
import {
  checkModelDigest,
  type FactorModelInfo,
  type FactorModelLayout,
  ModelFileError,
  parseMetadata,
  readMetadata,
} from "./metadata.ts";

/**
 * wasm threads onnxruntime-web uses: 1. Two made the batched `recommend`
 * faster, but the threaded runtime runs on pthread workers, and twice a
 * `verify` subprocess in a fully loaded test run never finished (the cause
 * was not found, these workers are the suspect). Every inference here
 * takes milliseconds, so the single-threaded runtime is used.
 */
export const ORT_THREADS = 1;

/**
 * Largest number of score cells (users × items) one `recommend` run
 * materialises; bigger batches are split into runs of whole users.
 */
export const MAX_BATCH_CELLS = 1 << 23;

/** The onnxruntime-web version in use (e.g. "1.30.0"), for results files. */
export function onnxruntimeVersion(): string {
  return ort.env.versions.web ?? ort.env.versions.common;
}

/** Raised for an out-of-range index or k passed to a session method. */
export class ModelInputError extends UserError {}

/** Top-k results for B queries: row-major B × k. */
export interface TopK {
  /** Item indices, B × k. */
  readonly items: Int32Array;
  /** Scores (or cosine similarities), B × k; −∞ where fewer than k items were eligible. */
  readonly scores: Float32Array;
}

let configured = false;
function configureOrt(): void {
  if (configured) return;
  ort.env.wasm.numThreads = ORT_THREADS;
  ort.env.logLevel = "error";
  configured = true;
}

const EMPTY = new ort.Tensor("int64", new BigInt64Array(0), [0]);
const K_ZERO = new ort.Tensor("int64", new BigInt64Array([0n]), [1]);

function int64(values: ArrayLike<number>): ort.Tensor {
  const a = new BigInt64Array(values.length);
  for (let j = 0; j < values.length; j++) a[j] = BigInt(values[j]);
  return new ort.Tensor("int64", a, [a.length]);
}

function toInt32(t: ort.Tensor): Int32Array {
  const src = t.data as BigInt64Array;
  const out = new Int32Array(src.length);
  for (let j = 0; j < src.length; j++) out[j] = Number(src[j]);
  return out;
}

/**
 * A loaded factor model: score, recommend and similar via one ONNX session.
 *
 * @example
 * ```ts
 * import { FactorModelSession } from "./infer.ts";
 * import { exportFactorModel } from "./export.ts";
 * const bytes = exportFactorModel({ nUsers: 1, nItems: 2, factors: 1, userFactors: Float32Array.of(1), itemFactors: Float32Array.of(2, 3) });
 * const session = await FactorModelSession.load(bytes, "example.onnx");
 * const { items } = await session.recommend(Int32Array.of(0), 1);
 * console.assert(items[0] === 1);
 * await session.release();
 * ```
 */
export class FactorModelSession {
  /** The model's `metadataProps` as key → value strings. */
  readonly metadata: Record<string, string>;
  /** `metadata` parsed: layout, ids, titles, experiment, config, checksum. */
  readonly info: FactorModelInfo;
  /** Path or label the model was loaded from (named in errors). */
  readonly source: string;
  readonly #session: ort.InferenceSession;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    session: ort.InferenceSession,
    metadata: Record<string, string>,
    info: FactorModelInfo,
    source: string,
  ) {
    this.#session = session;
    this.metadata = metadata;
    this.info = info;
    this.source = source;
  }

  /** Graph sizes and options (users, items, factors, biases, range, masking). */
  get layout(): FactorModelLayout {
    return this.info.layout;
  }

  /**
   * Loads a model from a `.onnx` path or its bytes.
   *
   * @param pathOrBytes File path, or the file's bytes.
   * @param label Name used in errors when bytes are given (default "<bytes>").
   * @throws {ModelFileError} When the file is missing, unreadable, not ONNX,
   *   changed after export (its `cf.weights_sha256` digest disagrees), not a
   *   factor model, or rejected by onnxruntime; the message names it.
   */
  static async load(
    pathOrBytes: string | Uint8Array,
    label = "<bytes>",
  ): Promise<FactorModelSession> {
    configureOrt();
    let bytes: Uint8Array;
    const source = typeof pathOrBytes === "string" ? pathOrBytes : label;
    if (typeof pathOrBytes === "string") {
      try {
        bytes = await Deno.readFile(pathOrBytes);
      } catch (err) {
        throw new ModelFileError(
          `${source}: cannot read model file (${(err as Error).message})`,
          { cause: err },
        );
      }
    } else {
      bytes = pathOrBytes;
    }
    const metadata = readMetadata(bytes, source);
    checkModelDigest(bytes, source);
    const info = parseMetadata(metadata, source);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        logSeverityLevel: 3,
      });
    } catch (err) {
      throw new ModelFileError(
        `${source}: onnxruntime rejected the model (${(err as Error).message})`,
        { cause: err },
      );
    }
    const names: string[] = [...session.inputNames, ...session.outputNames];
    const missing = [...Object.values(INPUTS), ...Object.values(OUTPUTS)]
      .filter((n) => !names.includes(n));
    if (missing.length > 0) {
      await session.release();
      throw new ModelFileError(
        `${source}: graph lacks ${
          missing.join(", ")
        }; not a factor model from lib/onnx/export.ts`,
      );
    }
    return new FactorModelSession(session, metadata, info, source);
  }

  #checkIndices(
    what: "user" | "item",
    values: ArrayLike<number>,
    arg: string,
  ): void {
    const n = what === "user" ? this.layout.nUsers : this.layout.nItems;
    for (let j = 0; j < values.length; j++) {
      const v = values[j];
      if (!Number.isInteger(v) || v < 0 || v >= n) {
        throw new ModelInputError(
          `${arg}[${j}] = ${v} is not a ${what} index of ${this.source} (0 ≤ index < ${n})`,
        );
      }
    }
  }

  #checkK(k: number): void {
    const n = this.layout.nItems;
    if (!Number.isInteger(k) || k < 1 || k > n) {
      throw new ModelInputError(
        `k = ${k} must be an integer from 1 to the number of items (${n}) of ${this.source}`,
      );
    }
  }

  /** One run with all six inputs (unused functions get empty inputs, k = 0). */
  #run(
    feeds: Partial<Record<keyof typeof INPUTS, ort.Tensor>>,
    fetches: string[],
  ): Promise<ort.InferenceSession.ReturnType> {
    const all: Record<string, ort.Tensor> = {
      [INPUTS.scoreUser]: feeds.scoreUser ?? EMPTY,
      [INPUTS.scoreItem]: feeds.scoreItem ?? EMPTY,
      [INPUTS.recommendUser]: feeds.recommendUser ?? EMPTY,
      [INPUTS.recommendK]: feeds.recommendK ?? K_ZERO,
      [INPUTS.similarItem]: feeds.similarItem ?? EMPTY,
      [INPUTS.similarK]: feeds.similarK ?? K_ZERO,
    };
    // onnxruntime-web runs one request per session at a time: serialise.
    const next = this.#queue.then(() => this.#session.run(all, fetches));
    this.#queue = next.catch(() => {});
    return next;
  }

  /**
   * Predicted score of each (users[j], items[j]) pair.
   *
   * @param users User indices, length N.
   * @param items Item indices, length N.
   * @returns Scores, length N (float32).
   */
  async score(users: Int32Array, items: Int32Array): Promise<Float32Array> {
    if (users.length !== items.length) {
      throw new ModelInputError(
        `score: ${users.length} users but ${items.length} items`,
      );
    }
    this.#checkIndices("user", users, "users");
    this.#checkIndices("item", items, "items");
    const out = await this.#run(
      { scoreUser: int64(users), scoreItem: int64(items) },
      [OUTPUTS.score],
    );
    return out[OUTPUTS.score].data as Float32Array;
  }

  /**
   * The k highest-scoring items for each user, seen items excluded (when the
   * model was exported with them), best first.
   *
   * @param users User indices, length B.
   * @param k Items per user, 1 ≤ k ≤ nItems.
   * @param maxBatchCells Largest users × items block scored in one run.
   * @returns Row-major B × k item indices and scores.
   */
  async recommend(
    users: Int32Array,
    k: number,
    maxBatchCells: number = MAX_BATCH_CELLS,
  ): Promise<TopK> {
    this.#checkIndices("user", users, "users");
    this.#checkK(k);
    const B = users.length;
    const items = new Int32Array(B * k);
    const scores = new Float32Array(B * k);
    const chunk = Math.max(1, Math.floor(maxBatchCells / this.layout.nItems));
    const kTensor = int64([k]);
    for (let b0 = 0; b0 < B; b0 += chunk) {
      const part = users.subarray(b0, Math.min(B, b0 + chunk));
      const out = await this.#run(
        { recommendUser: int64(part), recommendK: kTensor },
        [OUTPUTS.recommendItems, OUTPUTS.recommendScores],
      );
      items.set(toInt32(out[OUTPUTS.recommendItems]), b0 * k);
      scores.set(out[OUTPUTS.recommendScores].data as Float32Array, b0 * k);
    }
    return { items, scores };
  }

  /**
   * The k items whose factors have the highest cosine similarity to `item`'s;
   * the item itself is included and comes first (similarity 1) unless its
   * factor vector is all zeros.
   *
   * @param item Item index.
   * @param k Items to return, 1 ≤ k ≤ nItems.
   * @returns k item indices and cosine similarities, best first.
   */
  async similar(item: number, k: number): Promise<TopK> {
    this.#checkIndices("item", [item], "item");
    this.#checkK(k);
    const out = await this.#run(
      { similarItem: int64([item]), similarK: int64([k]) },
      [OUTPUTS.similarItems, OUTPUTS.similarScores],
    );
    return {
      items: toInt32(out[OUTPUTS.similarItems]),
      scores: out[OUTPUTS.similarScores].data as Float32Array,
    };
  }

  /** Frees the onnxruntime session; the object is unusable afterwards. */
  async release(): Promise<void> {
    await this.#queue;
    await this.#session.release();
  }
}
