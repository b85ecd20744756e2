/**
 * Exports a matrix-factorisation model (user and item factors, optional
 * biases and sigmoid output range, the training matrix's seen items) to one
 * self-contained ONNX file that answers three questions in-graph:
 *
 * | function  | inputs (int64)                                | outputs                                                     |
 * | --------- | --------------------------------------------- | ----------------------------------------------------------- |
 * | score     | `score_user` [N], `score_item` [N]            | `score` float32 [N]                                         |
 * | recommend | `recommend_user` [B], `recommend_k` [1]       | `recommend_items` int64 [B, k], `recommend_scores` f32 [B, k] |
 * | similar   | `similar_item` [S], `similar_k` [1]           | `similar_items` int64 [S, k], `similar_scores` f32 [S, k]   |
 *
 * One graph holds all three. onnxruntime neither lets a caller omit an input
 * (inputs backed by initializers are hidden from onnxruntime-web's input list
 * and rejected as feeds) nor skips nodes whose outputs were not requested
 * (measured: a run fetching a cheap output costs as much as the expensive
 * one), so every call feeds all six inputs and the functions not wanted get
 * empty index vectors ([0]) and k = 0: their branches then do no work.
 *
 * - score = u·i (+ user bias + item bias + global bias), then, with an
 *   output range [lo, hi], lo + (hi − lo)·sigmoid(score) (fast.ai's
 *   `sigmoid_range`).
 * - recommend scores every item for each user exactly as `score` does, sets
 *   the user's seen items (a CSR matrix stored as initializers
 *   `seen_indptr`/`seen_indices`) to −∞ with a ScatterND, and takes the top k.
 *   The mask is built per batch in-graph from the CSR rows, so memory is
 *   O(B × nItems + seen entries of the batch) and the file grows by 4 bytes
 *   per seen entry, not nUsers × nItems as a dense mask would (measured at
 *   610 × 9,724 with 100k seen entries, a dense bool mask gathered and
 *   applied with Where was also slower than the ScatterND). When k exceeds a
 *   user's unseen items, the trailing entries have score −∞ and name seen
 *   items: callers must drop them.
 * - similar ranks all items by cosine similarity of item factors
 *   (norms stored as `item_norms`, floored at 1e-12 so an all-zero factor has
 *   similarity 0 to everything). The query item itself is included and, having
 *   similarity 1 (±1 float32 ulp), comes first, as `implicit`'s
 *   `similar_items` does; only an item with exactly collinear factors and a
 *   lower index could precede it.
 * - TopK breaks ties by lower item index (ONNX TopK semantics).
 *
 * Other runtimes (Python onnxruntime, ...) use the file the same way: feed
 * all six inputs, empty ones for unwanted functions.
 *
 * @module
 */

import { writeFileAtomic } from "../atomic_write.ts";
import {
  type FactorModel,
  itemNorms,
  validateFactorModel,
} from "../models/factor_model.ts";
import { type Csr, csrFromCoo } from "../sparse.ts";
import {
  encodeMetadata,
  type FactorModelLayout,
  LAYOUT_FORMAT,
  LAYOUT_VERSION,
  type ModelDescription,
} from "./metadata.ts";
import { GraphBuilder, tensorProto } from "./proto.ts";

/** Options for `exportFactorModel`. */
export interface ExportOptions {
  /** Items each user has seen (users × items); masked out by `recommend`. */
  readonly seen?: Csr;
  /** Ids, titles, experiment name, config and data checksum for the metadata. */
  readonly description?: ModelDescription;
}

/**
 * The seen-items pattern of training ratings given as parallel user and
 * item index arrays (length n): an nUsers × nItems CSR matrix of ones, one
 * entry per distinct pair. What every export passes as `seen`.
 *
 * @example
 * ```ts
 * import { seenItems } from "./export.ts";
 * const m = seenItems(Int32Array.of(0, 1, 1), Int32Array.of(2, 0, 0), 2, 3);
 * console.assert(m.indptr.join() === "0,1,2" && m.indices.join() === "2,0");
 * ```
 */
export function seenItems(
  users: Int32Array,
  items: Int32Array,
  nUsers: number,
  nItems: number,
): Csr {
  return csrFromCoo(
    users,
    items,
    new Float32Array(users.length).fill(1),
    nUsers,
    nItems,
    "last",
  );
}

/**
 * The `seenFrom` sentence for a model trained on `count` ratings described
 * by `what` (e.g. "the 80 % training split"): "the ratings the model was
 * trained on: the 80 % training split (80,000 ratings)".
 */
export function seenFromTraining(what: string, count: number): string {
  return `the ratings the model was trained on: ${what} (${
    count.toLocaleString("en-US")
  } ratings)`;
}

/** Graph input names, one pair per function. */
export const INPUTS = {
  scoreUser: "score_user",
  scoreItem: "score_item",
  recommendUser: "recommend_user",
  recommendK: "recommend_k",
  similarItem: "similar_item",
  similarK: "similar_k",
} as const;

/** Graph output names. */
export const OUTPUTS = {
  score: "score",
  recommendItems: "recommend_items",
  recommendScores: "recommend_scores",
  similarItems: "similar_items",
  similarScores: "similar_scores",
} as const;

/** Smallest item norm used as a cosine denominator. */
const NORM_FLOOR = 1e-12;

/** Euclidean norm of each item factor row, floored at NORM_FLOOR, as float32 [nItems]. */
function flooredItemNorms(m: FactorModel): Float32Array {
  const norms = itemNorms(m.itemFactors, m.nItems, m.factors);
  const out = new Float32Array(m.nItems);
  for (let i = 0; i < m.nItems; i++) out[i] = Math.max(norms[i], NORM_FLOOR);
  return out;
}

/** A scalar float32 tensor attribute value for ConstantOfShape. */
function fill(
  type: "float32",
  v: number,
): { tensor: ReturnType<typeof tensorProto> };
function fill(
  type: "int64",
  v: bigint,
): { tensor: ReturnType<typeof tensorProto> };
function fill(type: "float32" | "int64", v: number | bigint) {
  return {
    tensor: type === "float32"
      ? tensorProto("value", "float32", [1], new Float32Array([v as number]))
      : tensorProto("value", "int64", [1], new BigInt64Array([v as bigint])),
  };
}

/** Builds the score/recommend/similar graph for `m` (sizes already validated). */
function buildGraph(m: FactorModel, seen: Csr | undefined): GraphBuilder {
  const g = new GraphBuilder("factor_model");
  const F = m.factors;
  const hasBias = m.userBias !== undefined || m.itemBias !== undefined ||
    m.globalBias !== undefined;

  g.input(INPUTS.scoreUser, "int64", ["N"]);
  g.input(INPUTS.scoreItem, "int64", ["N"]);
  g.input(INPUTS.recommendUser, "int64", ["B"]);
  g.input(INPUTS.recommendK, "int64", [1]);
  g.input(INPUTS.similarItem, "int64", ["S"]);
  g.input(INPUTS.similarK, "int64", [1]);

  const U = g.initializer(
    "user_factors",
    "float32",
    [m.nUsers, F],
    m.userFactors,
  );
  const V = g.initializer(
    "item_factors",
    "float32",
    [m.nItems, F],
    m.itemFactors,
  );
  const axis1 = g.initializer("axis1", "int64", [1], new BigInt64Array([1n]));
  let userBias: string | undefined;
  let itemOffset: string | undefined;
  if (hasBias) {
    if (m.userBias) {
      userBias = g.initializer("user_bias", "float32", [m.nUsers], m.userBias);
    }
    // Item bias and global bias folded into one float32 per item.
    const off = new Float32Array(m.nItems);
    for (let i = 0; i < m.nItems; i++) {
      off[i] = (m.itemBias ? m.itemBias[i] : 0) + (m.globalBias ?? 0);
    }
    itemOffset = g.initializer("item_offset", "float32", [m.nItems], off);
  }
  const range = m.outputRange;
  const rangeTensors = range
    ? [
      g.initializer(
        "range_width",
        "float32",
        [],
        new Float32Array([range[1] - range[0]]),
      ),
      g.initializer("range_min", "float32", [], new Float32Array([range[0]])),
    ]
    : undefined;
  const squash = (x: string, prefix: string): string => {
    if (!rangeTensors) return x;
    const [s] = g.node("Sigmoid", [x], [`${prefix}_sigmoid`]);
    const [w] = g.node("Mul", [s, rangeTensors[0]], [`${prefix}_scaled`]);
    return g.node("Add", [w, rangeTensors[1]], [`${prefix}_ranged`])[0];
  };

  // score: Σ_f U[u,f]·V[i,f] (+ user_bias[u] + item_offset[i]) → squash.
  {
    const [gu] = g.node("Gather", [U, INPUTS.scoreUser], ["score_uf"], {
      axis: { int: 0 },
    });
    const [gi] = g.node("Gather", [V, INPUTS.scoreItem], ["score_if"], {
      axis: { int: 0 },
    });
    const [prod] = g.node("Mul", [gu, gi], ["score_prod"]);
    let [s] = g.node("ReduceSum", [prod, axis1], ["score_dot"], {
      keepdims: { int: 0 },
    });
    if (userBias) {
      const [ub] = g.node(
        "Gather",
        [userBias, INPUTS.scoreUser],
        ["score_ub"],
        {
          axis: { int: 0 },
        },
      );
      [s] = g.node("Add", [s, ub], ["score_plus_ub"]);
    }
    if (itemOffset) {
      const [io] = g.node("Gather", [itemOffset, INPUTS.scoreItem], [
        "score_io",
      ], {
        axis: { int: 0 },
      });
      [s] = g.node("Add", [s, io], ["score_plus_io"]);
    }
    g.node("Identity", [squash(s, "score")], [OUTPUTS.score]);
    g.output(OUTPUTS.score, "float32", ["N"]);
  }

  // recommend: [B, nItems] scores, seen items → −∞, top k.
  {
    const ru = INPUTS.recommendUser;
    const [gu] = g.node("Gather", [U, ru], ["rec_uf"], { axis: { int: 0 } });
    const gemmIn = itemOffset ? [gu, V, itemOffset] : [gu, V];
    let [s] = g.node("Gemm", gemmIn, ["rec_dot"], { transB: { int: 1 } });
    if (userBias) {
      const [ub] = g.node("Gather", [userBias, ru], ["rec_ub"], {
        axis: { int: 0 },
      });
      const [ubCol] = g.node("Unsqueeze", [ub, axis1], ["rec_ub_col"]);
      [s] = g.node("Add", [s, ubCol], ["rec_plus_ub"]);
    }
    s = squash(s, "rec");
    if (seen) {
      s = maskSeen(g, s, ru, axis1, seen);
    }
    g.node("TopK", [s, INPUTS.recommendK], [
      OUTPUTS.recommendScores,
      OUTPUTS.recommendItems,
    ], {
      axis: { int: -1 },
      largest: { int: 1 },
      sorted: { int: 1 },
    });
    g.output(OUTPUTS.recommendItems, "int64", ["B", "k"]);
    g.output(OUTPUTS.recommendScores, "float32", ["B", "k"]);
  }

  // similar: cosine of item factors, top k.
  {
    const si = INPUTS.similarItem;
    const norms = g.initializer(
      "item_norms",
      "float32",
      [m.nItems],
      flooredItemNorms(m),
    );
    const [q] = g.node("Gather", [V, si], ["sim_qf"], { axis: { int: 0 } });
    const [qn] = g.node("Gather", [norms, si], ["sim_qn"], {
      axis: { int: 0 },
    });
    const [qnCol] = g.node("Unsqueeze", [qn, axis1], ["sim_qn_col"]);
    const [dots] = g.node("Gemm", [q, V], ["sim_dot"], { transB: { int: 1 } });
    const [den] = g.node("Mul", [qnCol, norms], ["sim_den"]);
    const [cos] = g.node("Div", [dots, den], ["sim_cos"]);
    g.node("TopK", [cos, INPUTS.similarK], [
      OUTPUTS.similarScores,
      OUTPUTS.similarItems,
    ], {
      axis: { int: -1 },
      largest: { int: 1 },
      sorted: { int: 1 },
    });
    g.output(OUTPUTS.similarItems, "int64", ["S", "k"]);
    g.output(OUTPUTS.similarScores, "float32", ["S", "k"]);
  }
  return g;
}

/**
 * Adds nodes setting `scores[b, c]` to −∞ for every column c of CSR row
 * `users[b]` of `seen`; returns the masked [B, nItems] value's name.
 *
 * For the batch, with len[b] = indptr[u_b+1] − indptr[u_b] and exclusive
 * prefix sums off[b], the T = Σ len entries are enumerated as p = 0..T−1;
 * row(p) comes from a cumulative sum of ones scattered (added) at off[b]
 * (empty rows share an offset, hence the add), and the column is
 * indices[indptr[u_row] + p − off[row]].
 */
function maskSeen(
  g: GraphBuilder,
  scores: string,
  users: string,
  axis1: string,
  seen: Csr,
): string {
  const nnz = seen.indptr[seen.nRows];
  const indptr = g.initializer(
    "seen_indptr",
    "int64",
    [seen.nRows + 1],
    BigInt64Array.from(
      seen.indptr.subarray(0, seen.nRows + 1),
      (v) => BigInt(v),
    ),
  );
  const indices = g.initializer(
    "seen_indices",
    "int32",
    [nnz],
    seen.indices.subarray(0, nnz),
  );
  const one = g.initializer("seen_one", "int64", [1], new BigInt64Array([1n]));
  const zero = g.initializer(
    "seen_zero",
    "int64",
    [1],
    new BigInt64Array([0n]),
  );
  const zeroS = g.initializer(
    "seen_zero_scalar",
    "int64",
    [],
    new BigInt64Array([0n]),
  );
  const oneS = g.initializer(
    "seen_one_scalar",
    "int64",
    [],
    new BigInt64Array([1n]),
  );
  const ax0 = { axis: { int: 0 } };

  const [start] = g.node("Gather", [indptr, users], ["mask_start"], ax0);
  const [usersNext] = g.node("Add", [users, one], ["mask_users_next"]);
  const [end] = g.node("Gather", [indptr, usersNext], ["mask_end"], ax0);
  const [len] = g.node("Sub", [end, start], ["mask_len"]);
  const [cum] = g.node("CumSum", [len, zeroS], ["mask_cum"]);
  const [off] = g.node("Sub", [cum, len], ["mask_off"]);
  const [total] = g.node("ReduceSum", [len], ["mask_total"], {
    keepdims: { int: 0 },
  });
  const [pos] = g.node("Range", [zeroS, total, oneS], ["mask_pos"]);
  const [total1] = g.node("Unsqueeze", [total, zero], ["mask_total_1d"]);
  const [totalPlus1] = g.node("Add", [total1, one], ["mask_total_plus1"]);
  const [zeros] = g.node("ConstantOfShape", [totalPlus1], ["mask_zeros"], {
    value: fill("int64", 0n),
  });
  const [batchShape] = g.node("Shape", [users], ["mask_batch_shape"]);
  const [ones] = g.node("ConstantOfShape", [batchShape], ["mask_ones"], {
    value: fill("int64", 1n),
  });
  const [marks] = g.node(
    "ScatterElements",
    [zeros, off, ones],
    ["mask_marks"],
    {
      axis: { int: 0 },
      reduction: { string: "add" },
    },
  );
  const [marksT] = g.node("Slice", [marks, zero, total1], ["mask_marks_t"]);
  const [cumMarks] = g.node("CumSum", [marksT, zeroS], ["mask_cum_marks"]);
  const [row] = g.node("Sub", [cumMarks, one], ["mask_row"]);
  const [rowOff] = g.node("Gather", [off, row], ["mask_row_off"], ax0);
  const [rowStart] = g.node("Gather", [start, row], ["mask_row_start"], ax0);
  const [within] = g.node("Sub", [pos, rowOff], ["mask_within"]);
  const [src] = g.node("Add", [rowStart, within], ["mask_src"]);
  const [col32] = g.node("Gather", [indices, src], ["mask_col32"], ax0);
  const [col] = g.node("Cast", [col32], ["mask_col"], { to: { int: 7 } });
  const [rowCol] = g.node("Unsqueeze", [row, axis1], ["mask_row_col"]);
  const [colCol] = g.node("Unsqueeze", [col, axis1], ["mask_col_col"]);
  const [pairs] = g.node("Concat", [rowCol, colCol], ["mask_pairs"], {
    axis: { int: 1 },
  });
  const [posShape] = g.node("Shape", [pos], ["mask_pos_shape"]);
  const [negInf] = g.node("ConstantOfShape", [posShape], ["mask_neg_inf"], {
    value: fill("float32", -Infinity),
  });
  return g.node("ScatterND", [scores, pairs, negInf], ["rec_masked"])[0];
}

/**
 * Encodes `model` as ONNX bytes (see the module doc for the graph contract).
 *
 * @throws {RangeError} When sizes, arrays or the seen matrix disagree.
 *
 * @example
 * ```ts
 * import { exportFactorModel } from "./export.ts";
 * const bytes = exportFactorModel({ nUsers: 1, nItems: 2, factors: 1, userFactors: Float32Array.of(1), itemFactors: Float32Array.of(2, 3) });
 * console.assert(bytes.length > 0);
 * ```
 */
export function exportFactorModel(
  model: FactorModel,
  options: ExportOptions = {},
): Uint8Array {
  validateFactorModel(model, options.seen);
  const layout: FactorModelLayout = {
    format: LAYOUT_FORMAT,
    version: LAYOUT_VERSION,
    nUsers: model.nUsers,
    nItems: model.nItems,
    factors: model.factors,
    biases: model.userBias !== undefined || model.itemBias !== undefined ||
      model.globalBias !== undefined,
    outputRange: model.outputRange
      ? [model.outputRange[0], model.outputRange[1]]
      : null,
    masksSeen: options.seen !== undefined,
  };
  const metadata = encodeMetadata(layout, options.description ?? {});
  return buildGraph(model, options.seen).encodeModel(
    metadata,
    "Matrix-factorisation model: score, recommend (seen items masked) and similar; see lib/onnx/export.ts.",
  );
}

/**
 * `exportFactorModel` written atomically to `path` (parent directories created).
 *
 * @example
 * ```ts
 * import { writeFactorModel } from "./export.ts";
 * import type { FactorModel } from "../models/factor_model.ts";
 * async function save(model: FactorModel) {
 *   await writeFactorModel("reports/my_experiment/model.onnx", model);
 * }
 * ```
 */
export async function writeFactorModel(
  path: string,
  model: FactorModel,
  options: ExportOptions = {},
): Promise<void> {
  await writeFileAtomic(path, exportFactorModel(model, options));
}
