/**
 * The flags experiments share, declared once: `--dataset`, `--seed`,
 * `--repeats` and `--threads` as one-line builders with the experiment's own
 * defaults, and `--data-dir`, `--out` and `--pin`, which every experiment
 * takes ({@linkcode OUTPUT_FLAGS}).
 *
 * @example
 * ```ts
 * import { defineFlags } from "../cli.ts";
 * import { OUTPUT_FLAGS, repeatsFlag, seedFlag } from "./common_flags.ts";
 * const FLAGS = defineFlags({
 *   seed: seedFlag(0, "first model seed"),
 *   repeats: repeatsFlag(5, "model seeds seed, seed+1, ..."),
 *   ...OUTPUT_FLAGS,
 * });
 * if (FLAGS.repeats.default !== 5 || FLAGS.out.optional !== true) throw new Error();
 * ```
 *
 * @module
 */

import type { EnumFlag, FloatFlag, IntFlag } from "../cli.ts";

/**
 * Flags that change where and how fast a run goes, not what it computes: a
 * run that differs from the defaults only in these has the default
 * configuration (the one pinned in `reports/<name>.json`).
 */
export const RESULT_NEUTRAL_FLAGS: readonly string[] = [
  "data-dir",
  "out",
  "threads",
  "pin",
];

/** `--dataset`: one of `values`, default `defaultRelease`; `document` is the document's release. */
export function datasetFlag<const D extends string>(
  values: readonly D[],
  defaultRelease: D,
  document: string = defaultRelease,
): EnumFlag<D> & { readonly default: D } {
  return {
    type: "enum",
    values,
    default: defaultRelease,
    help: `MovieLens release (the document: ${document})`,
  };
}

/** `--seed`: an integer 0 … 2^32 − 1 (the range `RandomState` takes). */
export function seedFlag(
  defaultSeed: number,
  help: string,
): IntFlag & { readonly default: number } {
  return { type: "int", default: defaultSeed, min: 0, max: 0xffffffff, help };
}

/** `--repeats`: how many seeds, 1 … `max`. */
export function repeatsFlag(
  defaultCount: number,
  help: string,
  max = 100,
): IntFlag & { readonly default: number } {
  return { type: "int", default: defaultCount, min: 1, max, help };
}

/** `--threads`: worker threads, default the machine's cores (results do not depend on it). */
export function threadsFlag(
  help = "worker threads (the results do not depend on it)",
): IntFlag & { readonly default: number } {
  return {
    type: "int",
    default: Math.max(1, navigator.hardwareConcurrency || 1),
    min: 1,
    max: 256,
    help,
  };
}

/** `--data-dir`, `--out` and `--pin`: every experiment takes them. */
export const OUTPUT_FLAGS = {
  "data-dir": {
    type: "string",
    optional: true,
    help:
      "folder holding the official zip or the unpacked release (else $MOVIELENS_DIR, data/, download)",
  },
  out: {
    type: "string",
    optional: true,
    writable: true,
    help:
      "output folder (default: reports/ for the document's configuration, else reports/runs/<name>-<config hash>/)",
  },
  pin: {
    type: "bool",
    help:
      "replace the pinned reports/<name>.json although the fresh numbers differ (document's configuration only)",
  },
} as const;

/** An integer flag in [`min`, `max`] with a default: one line of a flag spec. */
export function intFlag(
  defaultValue: number,
  min: number,
  max: number,
  help: string,
): IntFlag & { readonly default: number } {
  return { type: "int", default: defaultValue, min, max, help };
}

/**
 * A finite number flag in [`min`, `max`] (`(min, max]` when `exclusiveMin`)
 * with a default: one line of a flag spec.
 */
export function floatFlag(
  defaultValue: number,
  range: { min?: number; max?: number; exclusiveMin?: boolean },
  help: string,
): FloatFlag & { readonly default: number } {
  return { type: "float", default: defaultValue, ...range, help };
}

/** One of `values`, with a default: one line of a flag spec. */
export function enumFlag<const V extends string>(
  values: readonly V[],
  defaultValue: V,
  help: string,
): EnumFlag<V> & { readonly default: V } {
  return { type: "enum", values, default: defaultValue, help };
}
