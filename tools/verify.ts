/**
 * deno task verify              (flags: deno task verify --help)
 *
 * Re-runs every experiment of experiments/registry.ts from scratch with its
 * default configuration, into a temporary folder under `reports/runs/` or
 * a `--out` folder under `reports/` (never the pinned folder, also not
 * through a symbolic link), and compares each fresh result with the pinned
 * `reports/<name>.json`: every metric within the tolerance the registry
 * states, the same configuration, the same data checksums, the same rule and
 * status for every published figure and reference re-run. Prints one table per experiment and exits 1 on
 * any difference.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanStaleTemporaries } from "../lib/atomic_write.ts";
import { CliError, defineFlags, parseFlags, runMain } from "../lib/cli.ts";
import { isInside, realPathBeyond } from "../lib/run/output_dir.ts";
import { UserError } from "../lib/errors.ts";
import {
  compareResults,
  type CompareRow,
  diffConfig,
  formatCompareRows,
} from "../lib/report/compare.ts";
import { readResults, type Results } from "../lib/report/results.ts";
import { sha256Hex } from "../lib/onnx/digest.ts";
import { checkModelDigest } from "../lib/onnx/metadata.ts";
import {
  type ExperimentEntry,
  selectExperiments,
} from "../experiments/registry.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** The repository's reports/ folder: verify writes only below it. */
const REPORTS = join(ROOT, "reports");

export const FLAGS = defineFlags({
  only: {
    type: "string",
    optional: true,
    help: "comma-separated experiment names (default: all)",
  },
  pinned: {
    type: "string",
    default: join(ROOT, "reports"),
    help: "folder holding the pinned <name>.json files",
  },
  out: {
    type: "string",
    optional: true,
    help:
      "folder under reports/ for the fresh reports, never the pinned folder (default: a temporary folder under reports/runs/, removed afterwards)",
  },
  "data-dir": {
    type: "string",
    optional: true,
    help:
      "MovieLens folder passed to every experiment (else $MOVIELENS_DIR, data/, download)",
  },
});

/**
 * What a rerun of `pinned` needs and the file lacks: the command, a
 * configuration, data checksums, seeds, the runtime versions and the commit.
 * Empty when the file records everything.
 */
export function missingForRerun(pinned: Results): string[] {
  const missing: string[] = [];
  if (!/^deno task \S+/.test(pinned.command)) {
    missing.push(`command "${pinned.command}" is not a "deno task ..." line`);
  }
  if (Object.keys(pinned.config).length === 0) {
    missing.push("config is empty");
  }
  if (pinned.dataset.files.length === 0) {
    missing.push("dataset.files lists no data file with its checksum");
  }
  if (pinned.seeds.length === 0) missing.push("seeds is empty");
  const env = pinned.environment;
  for (const k of ["deno", "onnxruntime_web"] as const) {
    if (env[k] === "unknown") missing.push(`environment.${k} is unknown`);
  }
  if (!/^[0-9a-f]{40}$/.test(env.git_commit)) {
    missing.push(
      `environment.git_commit is "${env.git_commit}", not a commit id`,
    );
  }
  return missing;
}

/**
 * A comparison row's key: its metric, with `#2`, `#3`, … on later rows of
 * the same metric, so rows keep their identity when a metric is compared
 * twice.
 */
function rowKeys(r: Results): string[] {
  const seen = new Map<string, number>();
  return r.comparisons.map((c) => {
    const k = (seen.get(c.metric) ?? 0) + 1;
    seen.set(c.metric, k);
    return k === 1 ? c.metric : `${c.metric}#${k}`;
  });
}

/**
 * The verdicts that differ between `pinned` and `fresh`, one sentence each:
 * a comparison row missing on one side, a row whose agreement rule or status
 * changed, a reference re-run's Welch status that changed.
 */
export function verdictChanges(pinned: Results, fresh: Results): string[] {
  type Verdict = { rule: string; status: string; reference: string | null };
  const verdicts = (r: Results) => {
    const keys = rowKeys(r);
    return new Map<string, Verdict>(
      r.comparisons.map((c, i) => [keys[i], {
        rule: c.rule.rule,
        status: c.status,
        reference: c.reference?.rule.status ?? null,
      }]),
    );
  };
  const before = verdicts(pinned), after = verdicts(fresh);
  const changes: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key), a = after.get(key);
    if (b === undefined || a === undefined) {
      changes.push(
        `comparison "${key}": ${
          b === undefined ? "not in the pinned file" : "missing from the rerun"
        }`,
      );
      continue;
    }
    if (b.rule !== a.rule) {
      changes.push(`comparison "${key}": rule ${b.rule} → ${a.rule}`);
    }
    if (b.status !== a.status) {
      changes.push(`comparison "${key}": status ${b.status} → ${a.status}`);
    }
    if (b.reference !== a.reference) {
      changes.push(
        `comparison "${key}": reference re-run ${b.reference ?? "none"} → ${
          a.reference ?? "none"
        }`,
      );
    }
  }
  return changes;
}

/** The comparison of one experiment's fresh results with its pinned ones. */
export interface Verification {
  readonly name: string;
  /** One row per metric (`compareResults`). */
  readonly rows: CompareRow[];
  /** Everything else that differs or is missing, one sentence each. */
  readonly problems: string[];
  /** No failing row and no problem. */
  readonly ok: boolean;
  /** Wall-clock seconds of the rerun. */
  readonly seconds: number;
  /** Facts that do not fail the verification (e.g. model bytes that differ from the pinned record). */
  readonly notes?: string[];
}

/**
 * Checks the model files `results.models` names under `dir`: each must
 * exist, have the recorded SHA-256 (when `exact`) and carry a digest its
 * bytes match. Returns one sentence per problem (empty: all good); a file
 * that is absent is a problem only when `required`.
 */
export async function checkModelFiles(
  dir: string,
  results: Results,
  { required, exact }: { required: boolean; exact: boolean },
): Promise<string[]> {
  const problems: string[] = [];
  for (const m of results.models ?? []) {
    const path = join(dir, m.path);
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) {
        if (required) problems.push(`model ${path}: missing`);
        continue;
      }
      throw err;
    }
    try {
      checkModelDigest(bytes, path);
    } catch (err) {
      problems.push(`model ${(err as Error).message}`);
      continue;
    }
    if (exact && sha256Hex(bytes) !== m.sha256) {
      problems.push(
        `model ${path}: its SHA-256 is not the one its results record (${
          m.sha256.slice(0, 12)
        }…)`,
      );
    }
  }
  return problems;
}

/** Sentences naming the fresh model files whose SHA-256 differs from the pinned record. */
export function modelNotes(pinned: Results, fresh: Results): string[] {
  const before = new Map((pinned.models ?? []).map((m) => [m.path, m.sha256]));
  return (fresh.models ?? []).flatMap((m) =>
    !before.has(m.path)
      ? [`model ${m.path}: not in the pinned record`]
      : before.get(m.path) !== m.sha256
      ? [
        `model ${m.path}: bytes differ from the pinned record's (SHA-256 ${
          before.get(m.path)!.slice(0, 12)
        }… → ${m.sha256.slice(0, 12)}…), the metrics decide agreement`,
      ]
      : []
  );
}

/**
 * Compares `fresh` with `pinned` for `entry`: metrics within the registry's
 * tolerances, and as problems: a configuration path that differs, data files
 * or checksums that differ, a comparison row whose rule, status or reference
 * verdict changed (`verdictChanges`), and whatever the pinned file lacks for
 * a rerun (`missingForRerun`).
 */
export function verifyResults(
  entry: ExperimentEntry,
  pinned: Results,
  fresh: Results,
  seconds = 0,
): Verification {
  const { default: def, metrics } = entry.tolerances;
  const rows = compareResults(pinned, fresh, { default: def, metrics });
  const problems = missingForRerun(pinned).map((m) => `pinned file: ${m}`);
  for (const path of diffConfig(pinned.config, fresh.config)) {
    problems.push(`${path} differs from the pinned configuration`);
  }
  const files = (r: Results) =>
    r.dataset.files.map((f) => `${f.name} ${f.sha256}`).join("\n");
  if (files(pinned) !== files(fresh)) {
    problems.push(
      `data files or checksums differ:\n  pinned: ${
        files(pinned).replaceAll("\n", "\n          ")
      }\n  fresh:  ${files(fresh).replaceAll("\n", "\n          ")}`,
    );
  }
  problems.push(...verdictChanges(pinned, fresh));
  return {
    name: entry.name,
    rows,
    problems,
    ok: problems.length === 0 && rows.every((r) => r.ok),
    seconds,
  };
}

/** Runs an experiment's `main` with `args`, returning its results. */
export type Runner = (
  entry: ExperimentEntry,
  args: readonly string[],
) => Promise<Results>;

const importAndRun: Runner = async (entry, args) =>
  (await entry.load()).main(args);

/**
 * Re-runs each of `entries` into `outDir` (with `--data-dir` when given) and
 * verifies it against `<pinnedDir>/<name>.json`, one after the other.
 *
 * @throws {UserError} when `outDir` is `pinnedDir` (the pinned files must never be overwritten).
 */
export async function verifyExperiments(options: {
  entries: readonly ExperimentEntry[];
  pinnedDir: string;
  outDir: string;
  dataDir?: string;
  run?: Runner;
  log?: (line: string) => void;
}): Promise<Verification[]> {
  const { entries, pinnedDir, outDir, dataDir } = options;
  const run = options.run ?? importAndRun;
  const log = options.log ?? ((line: string) => console.log(line));
  if (realPathBeyond(outDir) === realPathBeyond(pinnedDir)) {
    throw new UserError(
      `--out ${outDir} is the pinned folder; verify never overwrites the pinned files`,
    );
  }
  const outcomes: Verification[] = [];
  for (const entry of entries) {
    const pinned = await readResults(join(pinnedDir, `${entry.name}.json`));
    log(`verify: running ${entry.name} (${entry.script}) into ${outDir}`);
    const args = ["--out", outDir];
    if (dataDir !== undefined) args.push("--data-dir", dataDir);
    const t0 = performance.now();
    const fresh = await run(entry, args);
    const seconds = (performance.now() - t0) / 1000;
    const v = verifyResults(entry, pinned, fresh, seconds);
    const problems = [
      ...v.problems,
      ...await checkModelFiles(outDir, fresh, { required: true, exact: true }),
      ...await checkModelFiles(pinnedDir, pinned, {
        required: false,
        exact: false,
      }),
    ];
    outcomes.push({
      ...v,
      problems,
      ok: v.ok && problems.length === v.problems.length,
      notes: modelNotes(pinned, fresh),
    });
  }
  return outcomes;
}

/** The printed verdict: per experiment its table, problems and time, then a one-line summary. */
export function formatVerifications(outcomes: readonly Verification[]): string {
  const parts = outcomes.map((o) =>
    [
      `== ${o.name}: ${o.ok ? "ok" : "FAILED"} (${o.seconds.toFixed(1)} s)`,
      formatCompareRows(o.rows),
      ...o.problems.map((p) => `problem: ${p}`),
      ...(o.notes ?? []).map((n) => `note: ${n}`),
    ].join("\n")
  );
  const failed = outcomes.filter((o) => !o.ok).map((o) => o.name);
  parts.push(
    failed.length === 0
      ? `verify: all ${outcomes.length} experiments match their pinned results`
      : `verify: ${failed.length} of ${outcomes.length} differ from their pinned results: ${
        failed.join(", ")
      }`,
  );
  return parts.join("\n\n");
}

/**
 * Refuses a `--out` for verify (exit 2) unless its real path lies inside
 * the repository's `reports/` but is neither `reports/` itself nor the
 * `pinned` folder: through a symbolic link or not, verify never writes a
 * pinned `<name>.json` nor outside `reports/`.
 */
export function checkVerifyOut(out: string, pinned: string): void {
  const real = realPathBeyond(out);
  const reports = realPathBeyond(REPORTS);
  const refuse = (why: string): never => {
    throw new CliError(
      `--out ${out}: ${why}; verify never overwrites the pinned files`,
      "leave out --out for a temporary folder, or name one under reports/runs/",
    );
  };
  if (real === reports || real === realPathBeyond(pinned)) {
    refuse(
      real === resolve(out)
        ? "is the pinned folder"
        : `is the pinned folder (its real path is ${real})`,
    );
  }
  if (!isInside(real, reports)) {
    refuse(`its real path ${real} is not inside ${REPORTS}`);
  }
}

/**
 * Re-runs the selected experiments and compares them with the pinned files.
 *
 * @returns the verifications (also printed).
 * @throws {UserError} (exit 1) when any experiment differs.
 */
export async function main(args: readonly string[]): Promise<Verification[]> {
  const flags = parseFlags(FLAGS, args, {
    command: "deno task verify",
    description:
      "Re-runs every experiment with its defaults into a temporary folder and compares with the pinned reports/<name>.json; exits 1 on any difference beyond the registry's tolerances.",
  });
  const entries = selectExperiments(flags.only);
  if (flags.out !== undefined) checkVerifyOut(flags.out, flags.pinned);
  let outDir = flags.out;
  if (outDir === undefined) {
    // A temporary folder under reports/runs/, so the task writes only under
    // data/ and reports/; a killed verify's folder is removed by the next.
    const runs = join(REPORTS, "runs");
    await Deno.mkdir(runs, { recursive: true });
    await cleanStaleTemporaries(runs);
    outDir = await Deno.makeTempDir({
      dir: runs,
      prefix: `.verify-${Deno.pid}-`,
    });
  }
  let outcomes: Verification[];
  try {
    outcomes = await verifyExperiments({
      entries,
      pinnedDir: flags.pinned,
      outDir,
      dataDir: flags["data-dir"],
    });
  } finally {
    if (flags.out === undefined) await Deno.remove(outDir, { recursive: true });
  }
  console.log("\n" + formatVerifications(outcomes));
  if (outcomes.some((o) => !o.ok)) {
    throw new UserError("verify: results differ from the pinned files");
  }
  return outcomes;
}

if (import.meta.main) await runMain(() => main(Deno.args).then(() => {}));
