/**
 * Where a run writes, and when it may touch the pinned results.
 *
 * The pinned file `reports/<name>.json` holds the numbers of the document's
 * configuration as they were pinned, with the commit, machine and timings of
 * that pinning run. The rules:
 * - a run of the default configuration writes to `reports/`; when its
 *   numbers agree with the pinned file within the experiment's tolerances,
 *   the pinned file is left byte for byte as it is (a rerun never dirties
 *   the repository); when they do not, it is replaced only with `--pin`, and
 *   otherwise the fresh file set goes to `reports/runs/<name>-default/`;
 * - any other configuration writes to `reports/runs/<name>-<config hash>/`
 *   unless `--out` names a folder, and may never write the pinned file.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { CliError, type FlagsSpec } from "../cli.ts";
import {
  compareResults,
  diffConfig,
  type Tolerances,
} from "../report/compare.ts";
import type { Json, Results } from "../report/results.ts";
import { RESULT_NEUTRAL_FLAGS } from "./common_flags.ts";

/**
 * The flags of `values` that differ from their defaults and change what is
 * computed (not {@linkcode RESULT_NEUTRAL_FLAGS}), as `[name, value]` pairs
 * in spec order. Empty: the run has the document's configuration.
 */
export function changedFlags(
  spec: FlagsSpec,
  values: Readonly<Record<string, unknown>>,
): [string, string | number | boolean | null][] {
  const changed: [string, string | number | boolean | null][] = [];
  for (const [name, f] of Object.entries(spec)) {
    if (RESULT_NEUTRAL_FLAGS.includes(name)) continue;
    const v = values[name] as string | number | boolean | undefined;
    const def = f.type === "bool" ? false : f.default;
    if (v !== def) changed.push([name, v === undefined ? null : v]);
  }
  return changed;
}

/** 8 hex digits of the SHA-256 of the changed flags: names a run's folder. */
export function configHash(
  changed: readonly [string, string | number | boolean | null][],
): string {
  return createHash("sha256").update(JSON.stringify(changed)).digest("hex")
    .slice(0, 8);
}

/** Where one run writes, and whether it is the pinned configuration. */
export interface OutputPlan {
  /** Folder for `<name>.html`, `<name>.json` and `<name>/`. */
  readonly dir: string;
  /** True when `dir` is the pinned folder (`reports/` of the repository). */
  readonly pinnedDir: boolean;
  /** The document's configuration (no result-changing flag differs). */
  readonly isDefault: boolean;
  /** The changed flags, for messages. */
  readonly changed: readonly [string, string | number | boolean | null][];
  /** The folder a default run's differing results go to instead of `reports/`. */
  readonly divergedDir: string;
}

/**
 * Decides the output folder of a run (see the module comment) before any
 * work. `reportsDir` is the repository's `reports/`.
 *
 * @throws {CliError} (exit 2) for `--pin` with a non-default configuration,
 *   or `--out` naming the pinned folder for a non-default configuration.
 */
export function planOutput(
  name: string,
  spec: FlagsSpec,
  values: Readonly<Record<string, unknown>>,
  reportsDir: string,
): OutputPlan {
  const changed = changedFlags(spec, values);
  const isDefault = changed.length === 0;
  const list = changed.map(([n]) => `--${n}`).join(", ");
  if (values.pin === true && !isDefault) {
    throw new CliError(
      `--pin: only the document's configuration is pinned, and this run changes ${list}`,
    );
  }
  const runs = join(reportsDir, "runs");
  const own = join(
    runs,
    `${name}-${isDefault ? "default" : configHash(changed)}`,
  );
  const out = values.out as string | undefined;
  const dir = out ?? (isDefault ? reportsDir : own);
  const pinnedDir = samePath(dir, reportsDir);
  if (pinnedDir && !isDefault) {
    throw new CliError(
      `--out ${out}: ${reportsDir} holds the pinned results of the document's configuration, and this run changes ${list}`,
      `leave out --out to write to ${own}, or name another folder`,
    );
  }
  return {
    dir,
    pinnedDir,
    isDefault,
    changed,
    divergedDir: join(runs, `${name}-default`),
  };
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return Deno.realPathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}

/**
 * How `fresh` differs from `pinned` beyond `tolerances`: metrics (compared
 * by mean, then per seed), configuration, seeds, document, dataset (its
 * `source` text aside) and comparison rows (status, rule kind, published
 * value, note and the reference re-run with its verdict exactly; the
 * reproduced value within its metric's tolerance). Empty when
 * they agree. Configuration entries named after a result-neutral flag
 * (`threads`) may differ. The model files' paths must match (not their
 * bytes). Timings, environment and command are not compared: they describe
 * a run, not its numbers.
 */
export function resultDifferences(
  pinned: Results,
  fresh: Results,
  tolerances: Tolerances,
): string[] {
  const out: string[] = [];
  const tolOf = (m: string) => tolerances.metrics?.[m] ?? tolerances.default;
  for (const row of compareResults(pinned, fresh, tolerances)) {
    if (!row.ok) {
      out.push(
        `metric ${row.metric}: pinned ${row.pinned}, fresh ${row.fresh}`,
      );
      continue;
    }
    const p = pinned.metrics[row.metric], f = fresh.metrics[row.metric];
    if (typeof p === "object" && typeof f === "object") {
      const tol = tolOf(row.metric);
      const same = p.values.length === f.values.length &&
        p.values.every((v, k) => Math.abs(v - f.values[k]) <= tol);
      if (!same) out.push(`metric ${row.metric}: per-seed values differ`);
    } else if (typeof p !== typeof f) {
      out.push(
        `metric ${row.metric}: one file has a summary, the other a number`,
      );
    }
  }
  // A result-neutral flag recorded in the configuration (e.g. `threads`)
  // describes the run, not its numbers.
  const neutral = RESULT_NEUTRAL_FLAGS.map((f) => `config.${f}`);
  for (const path of diffConfig(pinned.config, fresh.config)) {
    if (!neutral.includes(path)) out.push(`${path} differs`);
  }
  const same = (a: Json | object, b: Json | object) =>
    JSON.stringify(a) === JSON.stringify(b);
  if (!same(pinned.seeds, fresh.seeds)) out.push("seeds differ");
  if (pinned.title !== fresh.title) out.push("title differs");
  if (!same(pinned.document, fresh.document)) out.push("document differs");
  const dataset = (r: Results) => ({ ...r.dataset, source: "" });
  if (!same(dataset(pinned), dataset(fresh))) out.push("dataset differs");
  // Which model files the run writes is part of what the pinned file
  // vouches for; their bytes are not compared here (a configuration entry
  // recorded in a model, such as `threads`, may differ), verify reports them.
  const modelPaths = (r: Results) =>
    (r.models ?? []).map((m) => m.path).join(", ") || "none";
  if (modelPaths(pinned) !== modelPaths(fresh)) {
    out.push(
      `models differ: the pinned file records ${
        modelPaths(pinned)
      }, the run wrote ${modelPaths(fresh)}`,
    );
  }
  if (pinned.comparisons.length !== fresh.comparisons.length) {
    out.push("the comparison rows differ in number");
  } else {
    pinned.comparisons.forEach((p, k) => {
      const f = fresh.comparisons[k];
      // The verdict: status, rule kind and the reference re-run (published
      // data: exact) beside the row's own figures; the rule's interval
      // follows the numbers, which are compared within tolerance.
      const key = (c: typeof p) => [
        c.metric,
        c.published,
        c.status,
        c.note,
        c.rule.rule,
        c.reference === undefined ? null : {
          ...c.reference,
          rule: c.reference.rule.status,
        },
      ];
      if (
        !same(key(p), key(f)) ||
        Math.abs(p.reproduced - f.reproduced) > tolOf(p.metric)
      ) out.push(`comparison row ${p.metric} differs`);
    });
  }
  return out;
}
