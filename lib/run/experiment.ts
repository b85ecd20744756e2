/**
 * `defineExperiment`: what every experiment's ending used to repeat, once.
 * An experiment supplies its document (citation and published figures), its
 * flags and a `run` that loads, splits, fits, exports and evaluates; this
 * module parses the flags, keeps the clock, derives the seeds, collects the
 * environment, assembles and validates the results record, renders the
 * report with its standard first and last parts, decides where to write
 * (see ./pinning.ts), writes the file set in one piece, prints the summary
 * and maps errors to exit codes.
 *
 * @example
 * ```ts ignore
 * import { defineExperiment } from "./experiment.ts";
 * export const experiment = defineExperiment({
 *   name: "tiny", task: "exp:tiny", title: "A tiny experiment", document: DOCUMENT,
 *   description: "Reproduces ...", flags: FLAGS, tolerances: { default: 1e-9 },
 *   async run(ctx) { ... return { dataset, config, metrics, comparisons, sections, summary }; },
 * });
 * if (import.meta.main) await experiment.cli();
 * ```
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";
import { cleanStaleTemporaries } from "../atomic_write.ts";
import {
  type Flags,
  type FlagsSpec,
  parseFlags,
  runMain,
  seedRange,
} from "../cli.ts";
import type { Tolerances } from "../report/compare.ts";
import { collectEnvironment } from "../report/environment.ts";
import { renderReport, type Section } from "../report/html.ts";
import { EXPLORER_FILE, writeExplorerPage } from "../report/explorer.ts";
import { sha256Hex } from "../onnx/digest.ts";
import { stopwatch } from "../report/provenance.ts";
import {
  type Comparison,
  type JsonObject,
  type MetricValue,
  type ModelFileRecord,
  readResults,
  type Results,
  RESULTS_SCHEMA,
  serializeResults,
} from "../report/results.ts";
import {
  agreementFigure,
  citationText,
  configurationSection,
  outcomeText,
  reportFacts,
  reportProvenance,
} from "../report/summary.ts";
import {
  type OutputFile,
  settleFileSets,
  writeFileSet,
} from "../report/write.ts";
import { citeBlocks, parseCitationCff } from "../report/cite.ts";
import { modelCardBlocks, summarizeModel } from "../report/model_card.ts";
import citationCff from "../../CITATION.cff" with { type: "text" };
import { UserError } from "../errors.ts";
import { checkOutputDir } from "./output_dir.ts";
import { type OutputPlan, planOutput, resultDifferences } from "./pinning.ts";

/** The repository's `reports/` folder, where pinned results live. */
export const REPORTS_DIR: string = fileURLToPath(
  new URL("../../reports", import.meta.url),
);

/** The source document an experiment reproduces: how to cite it and what it printed. */
export interface ExperimentDocument {
  /** The document's title, as it gives it. */
  readonly title: string;
  /** Its authors (people, or an organisation). */
  readonly authors: readonly string[];
  /** Year of publication, or null when unknown. */
  readonly year: number | null;
  /** A public address of the document, or null when none is known. */
  readonly url: string | null;
  /** Published figures by metric key (a string where the document gives no exact number). */
  readonly published: Readonly<Record<string, number | string>>;
}

/** What `run` receives: the parsed flags and the run's helpers. */
export interface RunContext<S extends FlagsSpec> {
  readonly flags: Flags<S>;
  /** The command-line arguments as given. */
  readonly args: readonly string[];
  /** `seed, seed + 1, …` for `--seed`/`--repeats` (empty when the experiment has neither). */
  readonly seeds: number[];
  /** Records the seconds since the previous call under `phase` in the timings. */
  readonly clock: (phase: string) => void;
  /** The timings record (seconds); `run` may add its own entries. */
  readonly timings: Record<string, number>;
}

/** What `run` hands back: the numbers and the experiment-specific report. */
export interface RunOutput {
  readonly dataset: Results["dataset"];
  readonly config: JsonObject;
  readonly metrics: Record<string, MetricValue>;
  readonly comparisons: Comparison[];
  /** The report's sections between the standard header and the Configuration section. */
  readonly sections: (results: Results) => Section[];
  /** Files beside the report, relative to `<out>/<name>/` (e.g. "model.onnx"). */
  readonly files?: readonly { name: string; content: string | Uint8Array }[];
  /** Printed before the "wrote …" line. */
  readonly summary: string;
  /**
   * The seeds the run used, when they do not come from `--seed`/`--repeats`
   * (e.g. a split seed and a model seed); default the context's `seeds`.
   */
  readonly seeds?: readonly number[];
}

/** An experiment as `defineExperiment` takes it. */
export interface ExperimentDefinition<S extends FlagsSpec> {
  /** Report name: `reports/<name>.json`. */
  readonly name: string;
  /** The `deno task` that runs it, e.g. "exp:spotlight". */
  readonly task: string;
  /** The results' title, or a function of the parsed flags (e.g. naming `--dataset`). */
  readonly title: string | ((flags: Flags<S>) => string);
  readonly document: ExperimentDocument;
  /** The `--help` paragraph. */
  readonly description: string;
  readonly flags: S;
  /** Tolerances of the agreement with the pinned file (registry). */
  readonly tolerances: Tolerances;
  /**
   * Checks flags that do not go together, right after parsing and before
   * anything is printed or planned: throws a `CliError` (exit 2) to refuse.
   * `args` are the arguments as given (whether a flag with a default was given).
   */
  readonly checkFlags?: (flags: Flags<S>, args: readonly string[]) => void;
  readonly run: (ctx: RunContext<S>) => Promise<RunOutput>;
  /** The pinned folder; default the repository's `reports/` (tests give another). */
  readonly reportsDir?: string;
}

/** A defined experiment: its entry point for tests and tools, and its command line. */
export interface Experiment<S extends FlagsSpec> {
  readonly name: string;
  readonly flags: S;
  /** Runs with command-line `args`; returns the results (written or not, see ./pinning.ts). */
  readonly main: (args: readonly string[]) => Promise<Results>;
  /** `main(Deno.args)` with errors mapped to one line and an exit code. */
  readonly cli: () => Promise<void>;
}

/** Defines an experiment (see the module comment). */
export function defineExperiment<const S extends FlagsSpec>(
  def: ExperimentDefinition<S>,
): Experiment<S> {
  const command = `deno task ${def.task}`;
  async function main(args: readonly string[]): Promise<Results> {
    const flags = parseFlags(def.flags, [...args], {
      command,
      description: def.description,
    });
    def.checkFlags?.(flags, args);
    const values = flags as Record<string, unknown>;
    const plan = planOutput(
      def.name,
      def.flags,
      values,
      def.reportsDir ?? REPORTS_DIR,
    );
    await prepareOutput(
      def.name,
      plan,
      values.out !== undefined,
      def.reportsDir ?? REPORTS_DIR,
    );
    if (!plan.isDefault) console.error(`writing to ${plan.dir}`);
    const timings: Record<string, number> = {};
    const clock = stopwatch(timings);
    const seeds = typeof values.seed === "number" &&
        typeof values.repeats === "number"
      ? seedRange(values.seed, values.repeats)
      : [];
    const started = performance.now();
    const out = await def.run({ flags, args, seeds, clock, timings });
    const models = modelRecords(def.name, out.files ?? []);
    // The whole run's wall time: the report's "expected run time".
    timings.total ??= Math.round(performance.now() - started) / 1000;
    const results: Results = {
      schema: RESULTS_SCHEMA,
      experiment: def.name,
      title: typeof def.title === "string" ? def.title : def.title(flags),
      // --pin says where to write, not how to reproduce: the rerun command leaves it out.
      command: [command, ...args.filter((a) => a !== "--pin")].join(" "),
      document: {
        title: def.document.title,
        authors: [...def.document.authors],
        year: def.document.year,
        url: def.document.url,
        published: { ...def.document.published },
      },
      dataset: out.dataset,
      config: out.config,
      seeds: [...(out.seeds ?? seeds)],
      metrics: out.metrics,
      comparisons: out.comparisons,
      ...(models.length > 0 ? { models } : {}),
      timings_s: timings,
      environment: await collectEnvironment(),
    };
    const html = await renderExperimentPage(def.name, results, out);
    console.log(out.summary);
    console.log(
      await writeRun(def, plan, results, html, out, values.pin === true),
    );
    return results;
  }
  return {
    name: def.name,
    flags: def.flags,
    main,
    cli: () => runMain(() => main(Deno.args).then(() => {})),
  };
}

/**
 * The `models` record of a run: path (relative to the results file's
 * folder), SHA-256 and size of every `.onnx` file among `files`.
 */
export function modelRecords(
  name: string,
  files: readonly { name: string; content: string | Uint8Array }[],
): ModelFileRecord[] {
  return files.filter((f) => f.name.endsWith(".onnx")).map((f) => {
    const bytes = typeof f.content === "string"
      ? new TextEncoder().encode(f.content)
      : f.content;
    return {
      path: `${name}/${f.name}`,
      sha256: sha256Hex(bytes),
      bytes: bytes.length,
    };
  });
}

/** The report's "Models" section: the explorer link and each file's checksum. */
export function modelsSection(
  name: string,
  models: readonly ModelFileRecord[],
): Section {
  return {
    heading: "Models",
    blocks: [
      {
        kind: "link",
        href: `${name}/${EXPLORER_FILE}`,
        label: "Ask the models in the browser",
        text:
          `(the explorer page: needs \`deno task serve\`, then open http://127.0.0.1:8642/${name}/${EXPLORER_FILE}). ` +
          "Each file below is the exported ONNX model the numbers above were checked against; " +
          "it carries a digest of its own bytes (`cf.weights_sha256`), and `deno task recommend`, " +
          "the explorer and `deno task verify` refuse a file that no longer matches it.",
      },
      {
        kind: "table",
        header: ["file", "bytes", "SHA-256"],
        rows: models.map((m) => [m.path, m.bytes, m.sha256]),
      },
    ],
  };
}

/**
 * An experiment's report page: title and citation, the outcome paragraph,
 * the provenance block (citation, data checksums, commit, versions, rerun
 * and verify commands, links), the agreement figure, the experiment's own
 * sections, a model card per ONNX file, "Cite this" and the configuration.
 */
export async function renderExperimentPage(
  name: string,
  results: Results,
  out: Pick<RunOutput, "sections" | "files">,
): Promise<string> {
  const models = await Promise.all(
    (out.files ?? []).filter((f) => f.name.endsWith(".onnx")).map((f) =>
      summarizeModel(
        `${name}/${f.name}`,
        typeof f.content === "string"
          ? new TextEncoder().encode(f.content)
          : f.content,
      )
    ),
  );
  const glance = agreementFigure(results);
  return renderReport({
    title: results.title,
    subtitle: `Reproduces ${citationText(results.document)}`,
    outcome: outcomeText(results),
    provenance: reportProvenance(results, {
      json: `${name}.json`,
      models: models.map((m) => ({ path: m.path, sha256: m.sha256 })),
      index: "index.html",
      verifyName: name,
    }),
    command: results.command,
    facts: reportFacts(results),
    sections: [
      ...(glance === null
        ? []
        : [{ heading: "At a glance", blocks: [glance] }]),
      ...out.sections(results),
      ...(models.length === 0 ? [] : [{
        heading: "Models",
        blocks: [
          ...modelsSection(name, results.models ?? []).blocks,
          ...models.flatMap(modelCardBlocks),
        ],
      }]),
      {
        heading: "Cite this",
        blocks: citeBlocks(results, parseCitationCff(citationCff)),
      },
      configurationSection(results),
    ],
  });
}

/**
 * What one run measured about itself, written to `<out>/<name>/run.json`
 * (git-ignored): the pinned file keeps the commit, machine and timings of
 * the run that pinned it, so a rerun leaves it byte for byte.
 */
export interface RunRecord {
  readonly command: string;
  /** How the run related to the pinned file in its folder. */
  readonly pinned: "written" | "agrees" | "differs" | "not pinned here";
  readonly timings_s: Record<string, number>;
  readonly environment: Results["environment"];
  /** The model files this run wrote (the pinned file may record an earlier run's). */
  readonly models: readonly ModelFileRecord[];
}

/** The repository's `data/` folder: downloads go there; no output may leave it through a link either. */
const DATA_DIR: string = fileURLToPath(new URL("../../data", import.meta.url));

/**
 * Before any work: checks that the run may write where `plan` says (real
 * paths, permission, a probe; see ./output_dir.ts), completes a file set an
 * earlier run was killed installing there and removes killed runs'
 * temporaries.
 */
async function prepareOutput(
  name: string,
  plan: OutputPlan,
  outGiven: boolean,
  reportsDir: string,
): Promise<void> {
  const entries = [
    { name: `${name}.json`, kind: "file" as const },
    { name: `${name}.html`, kind: "file" as const },
    { name, kind: "folder" as const },
  ];
  const roots = [reportsDir, DATA_DIR];
  checkOutputDir(plan.dir, {
    flag: outGiven ? "--out" : undefined,
    roots,
    entries,
  });
  // Differing results of a default run go there instead.
  if (plan.pinnedDir) checkOutputDir(plan.divergedDir, { roots, entries });
  for (
    const dir of plan.pinnedDir ? [plan.dir, plan.divergedDir] : [plan.dir]
  ) {
    await settleFileSets(dir);
    await cleanStaleTemporaries(dir);
    await cleanStaleTemporaries(join(dir, name));
  }
}

/**
 * Writes the run's file set where `plan` says and returns the line to
 * print. In the pinned folder, results that agree with the pinned file
 * leave it untouched; differing ones go to `plan.divergedDir` unless `pin`.
 */
async function writeRun<S extends FlagsSpec>(
  def: ExperimentDefinition<S>,
  plan: OutputPlan,
  results: Results,
  html: string,
  out: RunOutput,
  pin: boolean,
): Promise<string> {
  const json = serializeResults(results); // validates before anything touches the disk
  let dir = plan.dir;
  let writeJson = true;
  let note = "";
  let diverged: string | null = null;
  let outcome: RunRecord["pinned"] = "not pinned here";
  if (plan.pinnedDir) {
    const pinnedPath = join(plan.dir, `${def.name}.json`);
    const pinned = await readPinned(pinnedPath);
    if (pinned !== null) {
      // Compared in the canonical form the file would hold (sorted keys).
      const diffs = resultDifferences(pinned, JSON.parse(json), def.tolerances);
      if (diffs.length === 0 && !pin) {
        writeJson = false;
        outcome = "agrees";
        note = `; ${
          show(pinnedPath)
        } left as pinned (the numbers agree within its tolerances)`;
      } else if (!pin) {
        dir = plan.divergedDir;
        outcome = "differs";
        diverged =
          `the fresh results differ from the pinned ${show(pinnedPath)} (${
            diffs.slice(0, 3).join("; ")
          }${
            diffs.length > 3 ? `; ${diffs.length - 3} more` : ""
          }), which is left as it is; ` +
          `this run's files are in ${
            show(dir)
          }; rerun with --pin to replace the pinned results`;
      } else {
        note = `; ${show(pinnedPath)} re-pinned (--pin)`;
        outcome = "written";
      }
    } else outcome = "written";
  }
  const record: RunRecord = {
    command: results.command,
    pinned: outcome,
    timings_s: results.timings_s,
    environment: {
      ...results.environment,
      generated_at: new Date().toISOString(),
    },
    models: results.models ?? [],
  };
  const files: OutputFile[] = [
    ...(writeJson
      ? [{ path: join(dir, `${def.name}.json`), content: json }]
      : []),
    { path: join(dir, `${def.name}.html`), content: html },
    ...(out.files ?? []).map((f) => ({
      path: join(dir, def.name, f.name),
      content: f.content,
    })),
    {
      path: join(dir, def.name, "run.json"),
      content: JSON.stringify(record, null, 2) + "\n",
    },
  ];
  await writeFileSet(files, def.name);
  if ((results.models ?? []).length > 0) {
    const page = await writeExplorerPage(dir, def.name);
    if (page !== null) files.push({ path: page, content: "" });
  }
  if (outcome === "agrees") {
    const pinned = await readPinned(join(plan.dir, `${def.name}.json`));
    const recorded = new Map(
      (pinned?.models ?? []).map((m) => [m.path, m.sha256]),
    );
    const changed = (results.models ?? []).filter((m) =>
      recorded.get(m.path) !== m.sha256
    );
    if (changed.length > 0) {
      note += `; the model files ${
        changed.map((m) => m.path).join(", ")
      } differ from the pinned record's SHA-256 (the metrics agree; this run's are in ${
        show(join(dir, def.name, "run.json"))
      })`;
    }
  }
  // Written, but not reproduced: the run ends in exit 1 with the reason.
  if (diverged !== null) throw new UserError(diverged);
  return `wrote ${files.map((f) => show(f.path)).join(", ")}${note}`;
}

async function readPinned(path: string): Promise<Results | null> {
  try {
    await Deno.stat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
  return await readResults(path);
}

/** `path` relative to the working folder when inside it. */
function show(path: string): string {
  const rel = relative(Deno.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}
