/**
 * deno task exp:all             (flags: deno task exp:all --help)
 *
 * Runs every experiment of experiments/registry.ts with its defaults (the
 * documents' configurations), one after the other, writing
 * `reports/<name>.html`, `reports/<name>.json` and `reports/<name>/` as each
 * `deno task exp:<name>` would. A failing experiment does not stop the
 * others; the command exits 1 at the end if any failed. At the end it
 * writes `<out>/index.html` from the results files there (also after a
 * failure, from the pinned numbers); `deno task report` also regenerates
 * the README tables.
 *
 * @module
 */

import { defineFlags, parseFlags, reportError, runMain } from "../lib/cli.ts";
import { UserError } from "../lib/errors.ts";
import {
  type ExperimentEntry,
  selectExperiments,
} from "../experiments/registry.ts";
import { writeIndexPage } from "./report_index.ts";

export const FLAGS = defineFlags({
  only: {
    type: "string",
    optional: true,
    help: "comma-separated experiment names (default: all)",
  },
  out: {
    type: "string",
    writable: true,
    default: "reports",
    help: "folder for every experiment's report, results and model",
  },
  "data-dir": {
    type: "string",
    optional: true,
    help:
      "MovieLens folder passed to every experiment (else $MOVIELENS_DIR, data/, download)",
  },
});

/** How one experiment's run ended. */
export interface RunOutcome {
  readonly name: string;
  /** null on success, else the error's message. */
  readonly error: string | null;
  readonly seconds: number;
}

/**
 * Runs `entries` one after the other with `args`, catching each failure so
 * the rest still run.
 */
export async function runExperiments(
  entries: readonly ExperimentEntry[],
  args: readonly string[],
  run: (entry: ExperimentEntry, args: readonly string[]) => Promise<unknown> =
    async (entry, a) => (await entry.load()).main(a),
): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  for (const entry of entries) {
    console.log(`\n== exp:all: ${entry.name} (deno task ${entry.task})`);
    const t0 = performance.now();
    let error: string | null = null;
    try {
      await run(entry, args);
    } catch (err) {
      const lines: string[] = [];
      reportError(err, (line) => lines.push(line));
      error = lines.join("\n");
      console.error(error);
    }
    outcomes.push({
      name: entry.name,
      error,
      seconds: (performance.now() - t0) / 1000,
    });
  }
  return outcomes;
}

/** Runs the selected experiments; prints a summary line per experiment. */
export async function main(args: readonly string[]): Promise<RunOutcome[]> {
  const flags = parseFlags(FLAGS, args, {
    command: "deno task exp:all",
    description:
      "Runs every experiment with its document's configuration, writing its report, pinned JSON and model.",
  });
  const entries = selectExperiments(flags.only);
  // The default folder is not passed on, so each results file records the
  // plain `deno task exp:<name>` that reruns it.
  const passOn = flags.out === FLAGS.out.default ? [] : ["--out", flags.out];
  if (flags["data-dir"] !== undefined) {
    passOn.push("--data-dir", flags["data-dir"]);
  }
  const outcomes = await runExperiments(entries, passOn);
  console.log("\nexp:all summary");
  for (const o of outcomes) {
    console.log(
      `  ${o.name.padEnd(12)} ${o.error === null ? "ok    " : "FAILED"} ${
        o.seconds.toFixed(1).padStart(7)
      } s`,
    );
  }
  try {
    const index = await writeIndexPage(flags.out);
    console.log(
      `wrote ${index.path} (${index.experiments.length} experiments: ${
        index.experiments.join(", ")
      })`,
    );
  } catch (err) {
    console.error(
      `exp:all: index page not written: ${
        err instanceof Error ? err.message : err
      }`,
    );
    outcomes.push({ name: "index.html", error: String(err), seconds: 0 });
  }
  const failed = outcomes.filter((o) => o.error !== null).map((o) => o.name);
  if (failed.length > 0) {
    throw new UserError(`exp:all: ${failed.join(", ")} failed (see above)`);
  }
  console.log(
    'next: "deno task report" regenerates the README tables from the pinned JSON',
  );
  return outcomes;
}

if (import.meta.main) await runMain(() => main(Deno.args).then(() => {}));
