/**
 * Every experiment of the project in one list: its report name, script,
 * `deno task`, how to run it cheaply, and the tolerances of its pinned check.
 * `deno task exp:all`, `deno task report`, `deno task verify`, the browser
 * test and each experiment's pinned test read this list, so a new experiment
 * is added here once.
 *
 * Conventions every listed experiment follows: `main(args)` returns its
 * `Results`; it accepts `--out <dir>` (writes `<dir>/<name>.html`,
 * `<dir>/<name>.json` and `<dir>/<name>/`) and `--data-dir <dir>`; its pinned
 * results are `reports/<name>.json`.
 *
 * @module
 */

import { CliError } from "../lib/cli.ts";
import type { Tolerances } from "../lib/report/compare.ts";
import type { Results } from "../lib/report/results.ts";

/** An experiment's entry point: parses `args` as `deno task exp:<name>` would. */
export type ExperimentMain = (args: readonly string[]) => Promise<Results>;

/** One experiment. */
export interface ExperimentEntry {
  /** Report name: `reports/<name>.json`, `reports/<name>.html`. */
  readonly name: string;
  /** The script, relative to the repository root. */
  readonly script: string;
  /** The `deno task` that runs it with its defaults, e.g. "exp:als". */
  readonly task: string;
  /** Absolute tolerances of the pinned check (`compareResults`); `why` says where they come from. */
  readonly tolerances: Tolerances & { readonly why: string };
  /**
   * Flags for a quick but complete run (every figure and table present),
   * used by the browser test; `[]` when the default run is already quick.
   */
  readonly quickArgs: readonly string[];
  /** Imports the script (lazily: only what is run gets loaded). */
  readonly load: () => Promise<{ main: ExperimentMain }>;
}

/** The experiments, in the order reports and tables list them. */
export const EXPERIMENTS: readonly ExperimentEntry[] = [
  {
    name: "als",
    script: "experiments/als/main.ts",
    task: "exp:als",
    tolerances: {
      default: 1e-6,
      metrics: { onnx_parity_max_abs_diff: 1e-5 },
      why:
        "Everything up to the ranked lists is computed in IEEE float64/float32 by our own code and " +
        "is bit-identical for a seed on any x86-64 or ARM machine; the lists come from " +
        "onnxruntime-web's float32 kernels, whose last bits may differ across CPUs, which could swap " +
        "two near-tied items (a 1/6,000 change in precision). Hence 1e-6 on the metrics and 1e-5 on " +
        "the parity figure itself, which is a float32 rounding error.",
    },
    quickArgs: ["--repeats", "1"],
    load: () => import("./als/main.ts"),
  },
  {
    name: "spotlight",
    script: "experiments/spotlight/main.ts",
    task: "exp:spotlight",
    tolerances: {
      default: 1e-9,
      metrics: { onnx_test_rmse: 1e-6, onnx_parity_max_abs_diff: 1e-5 },
      why:
        "Training is our own code: float32 wasm SIMD arithmetic (IEEE-754, no fused operations, " +
        "fixed order) and V8's deterministic Math functions, so the RMSEs and losses are " +
        "bit-identical for a seed on any machine running this Deno; 1e-9 leaves room for nothing " +
        "but printing. The ONNX RMSE and parity come from onnxruntime-web's float32 kernels, whose " +
        "last bits may differ across CPUs: 1e-6 on an RMSE (a few float32 ulps of each of 20,000 " +
        "scores) and 1e-5 on the parity figure.",
    },
    quickArgs: ["--repeats", "1"],
    load: () => import("./spotlight/main.ts"),
  },
  {
    name: "surprise",
    script: "experiments/surprise/main.ts",
    task: "exp:surprise",
    tolerances: {
      default: 1e-9,
      why:
        "Every figure is float64 arithmetic of our own code in a fixed order (folds, SGD, ALS, " +
        "similarities, V8's deterministic Math.log in the normal draws), so a rerun is " +
        "bit-identical on any machine running this Deno; 1e-9 leaves room for nothing but printing.",
    },
    quickArgs: ["--svd-epochs", "2", "--svdpp-epochs", "2"],
    load: () => import("./surprise/main.ts"),
  },
  {
    name: "google",
    script: "experiments/google/main.ts",
    task: "exp:google",
    tolerances: {
      default: 1e-9,
      metrics: { onnx_val_mse: 1e-5, onnx_parity_max_abs_diff: 1e-5 },
      why:
        "Training is our own code: float32 wasm SIMD arithmetic (IEEE-754, no fused operations, a " +
        "fixed order) and float64 JavaScript sums, so every MSE is bit-identical for a seed on any " +
        "machine running this Deno; 1e-9 leaves room for nothing but printing. The ONNX MSE and " +
        "parity come from onnxruntime-web's float32 kernels, whose last bits may differ across " +
        "CPUs: 1e-5 on an MSE of 25,000 float32 scores and 1e-5 on the parity figure.",
    },
    quickArgs: ["--repeats", "1", "--reg-repeats", "1"],
    load: () => import("./google/main.ts"),
  },
  {
    name: "keras",
    script: "experiments/keras/main.ts",
    task: "exp:keras",
    tolerances: {
      default: 1e-9,
      metrics: {
        mf_onnx_test_mse: 1e-6,
        bias_onnx_test_mse: 1e-6,
        mlp_onnx_test_mse: 1e-6,
        mf_onnx_parity_max_abs_diff: 1e-5,
        bias_onnx_parity_max_abs_diff: 1e-5,
        mlp_onnx_parity_max_abs_diff: 1e-5,
      },
      why:
        "Training is our own code: the factor models in float32 wasm SIMD (IEEE-754, no fused " +
        "operations, fixed order), the MLP in float64 JavaScript with V8's deterministic Math " +
        "functions, so every loss and MSE is bit-identical for a seed on any machine running this " +
        "Deno; 1e-9 leaves room for nothing but printing. The ONNX MSEs and parity figures come " +
        "from onnxruntime-web's float32 kernels, whose last bits may differ across CPUs: 1e-6 on an " +
        "MSE (a few float32 ulps of each of 20,000 scores) and 1e-5 on a parity figure.",
    },
    quickArgs: ["--repeats", "1"],
    load: () => import("./keras/main.ts"),
  },
  {
    name: "fastai",
    script: "experiments/fastai/main.ts",
    task: "exp:fastai",
    tolerances: {
      default: 1e-9,
      metrics: {
        dot_onnx_test_rmse: 1e-6,
        dot_bias_onnx_test_rmse: 1e-6,
        nn_onnx_test_rmse: 1e-6,
        dot_onnx_parity_max_abs_diff: 1e-5,
        dot_bias_onnx_parity_max_abs_diff: 1e-5,
        nn_onnx_parity_max_abs_diff: 1e-5,
      },
      why:
        "Every number is computed by our own code in IEEE float64 (baselines, cosine, Lanczos SVD, " +
        "the MLP's forward and backward pass) or float32 wasm SIMD with a fixed order (Adam), with " +
        "seeded MT19937 draws, so it is bit-identical for a seed on any machine running this Deno; " +
        "1e-9 leaves room for nothing but printing. The ONNX RMSEs and parity figures of the " +
        "exported first-seed models come from onnxruntime-web's float32 kernels, whose last bits " +
        "may differ across CPUs: 1e-6 on an RMSE and 1e-5 on a parity figure.",
    },
    quickArgs: ["--repeats", "1", "--readings", "ignored"],
    load: () => import("./fastai/main.ts"),
  },
];

/**
 * The entry named `name`.
 *
 * @throws {Error} listing the known names when there is none.
 */
export function experimentEntry(name: string): ExperimentEntry {
  const entry = EXPERIMENTS.find((e) => e.name === name);
  if (entry === undefined) {
    throw new Error(
      `no experiment "${name}" (known: ${
        EXPERIMENTS.map((e) => e.name).join(", ")
      })`,
    );
  }
  return entry;
}

/** The tolerances of `name`'s pinned check, as `compareResults` takes them. */
export function tolerancesOf(name: string): Tolerances {
  const { default: def, metrics } = experimentEntry(name).tolerances;
  return metrics === undefined ? { default: def } : { default: def, metrics };
}

/**
 * The experiments named in `only` (comma-separated, as given to `--only`),
 * in registry order; all of them when `only` is undefined.
 *
 * @throws {CliError} naming an unknown experiment and the known ones.
 */
export function selectExperiments(only?: string): ExperimentEntry[] {
  if (only === undefined) return [...EXPERIMENTS];
  const names = only.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const known = EXPERIMENTS.map((e) => e.name);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new CliError(
        `--only: no experiment "${name}" (known: ${known.join(", ")})`,
      );
    }
  }
  if (names.length === 0) throw new CliError("--only: no experiment named");
  return EXPERIMENTS.filter((e) => names.includes(e.name));
}
