/**
 * deno task report              (flags: deno task report --help)
 *
 * Reads every pinned results file (`reports/<name>.json` of each experiment
 * in experiments/registry.ts, then any other `reports/*.json`) and writes:
 * - `reports/index.html`: the reproduction scorecard, one row per document and
 *   metric (published, ours as mean ± sample std over seeds, difference, the
 *   agreement rule and its interval, the reference re-run, status), with the
 *   count of each of the six statuses, linking each experiment's report;
 * - the README's generated regions: the results table between
 *   `<!-- results:start -->`/`<!-- results:end -->` and the citation table
 *   between `<!-- citation:start -->`/`<!-- citation:end -->`. Both files are
 *   written atomically; nothing outside the markers changes.
 *
 * `--check` writes nothing and fails when the README disagrees with the JSON.
 *
 * @module
 */

import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../lib/atomic_write.ts";
import { defineFlags, parseFlags, runMain } from "../lib/cli.ts";
import { UserError } from "../lib/errors.ts";
import { type IndexEntry, renderIndexPage } from "../lib/report/index_page.ts";
import {
  readRegion,
  renderCitationTable,
  renderResultsTable,
  replaceRegion,
} from "../lib/report/readme_table.ts";
import { readResults, type Results } from "../lib/report/results.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

export const FLAGS = defineFlags({
  reports: {
    type: "string",
    default: join(ROOT, "reports"),
    help:
      "folder holding the pinned <name>.json files; index.html is written here",
  },
  readme: {
    type: "string",
    default: join(ROOT, "README.md"),
    help: "README whose marked regions are regenerated",
  },
  check: {
    type: "bool",
    help: "write nothing; fail when the README disagrees with the JSON",
  },
});

/**
 * The pinned results in `dir`: every registered experiment's `<name>.json`
 * (in registry order; a missing one is an error), then any other `*.json`
 * there (sorted by name), each validated.
 *
 * @throws {ResultsError} naming the file that is missing or invalid.
 */
export async function loadPinnedResults(dir: string): Promise<Results[]> {
  const registered = EXPERIMENTS.map((e) => `${e.name}.json`);
  const others: string[] = [];
  for await (const f of Deno.readDir(dir)) {
    if (f.isFile && f.name.endsWith(".json") && !registered.includes(f.name)) {
      others.push(f.name);
    }
  }
  const files = [...registered, ...others.sort()];
  const results: Results[] = [];
  for (const f of files) results.push(await readResults(join(dir, f)));
  return results;
}

/** `readme` with its results and citation regions regenerated from `results`. */
export function updateReadme(
  readme: string,
  results: readonly Results[],
  source: string,
): string {
  const withTable = replaceRegion(
    readme,
    "results",
    renderResultsTable(results),
    source,
  );
  return replaceRegion(
    withTable,
    "citation",
    renderCitationTable(results),
    source,
  );
}

/**
 * The regions of `readme` that disagree with `results` ("results",
 * "citation"); empty when the README is up to date.
 */
export function staleRegions(
  readme: string,
  results: readonly Results[],
  source: string,
): string[] {
  const stale: string[] = [];
  if (readRegion(readme, "results", source) !== renderResultsTable(results)) {
    stale.push("results");
  }
  if (readRegion(readme, "citation", source) !== renderCitationTable(results)) {
    stale.push("citation");
  }
  return stale;
}

async function fileExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/** The index page's entries for `results` read from `dir` (report links only where the HTML exists). */
export async function indexEntries(
  dir: string,
  results: readonly Results[],
): Promise<IndexEntry[]> {
  const entries: IndexEntry[] = [];
  for (const r of results) {
    const html = `${r.experiment}.html`;
    entries.push({
      results: r,
      reportHref: await fileExists(join(dir, html)) ? html : null,
      jsonHref: `${r.experiment}.json`,
    });
  }
  return entries;
}

/**
 * Writes `<dir>/index.html` from the results files there: every registered
 * experiment's `<name>.json` that exists (missing ones are left out), then
 * any other `*.json`; returns the path written and the experiments listed.
 * `deno task exp:all` calls it after its runs.
 */
export async function writeIndexPage(
  dir: string,
): Promise<{ path: string; experiments: string[] }> {
  const registered = EXPERIMENTS.map((e) => `${e.name}.json`);
  const names: string[] = [];
  const others: string[] = [];
  for await (const f of Deno.readDir(dir)) {
    if (!f.isFile || !f.name.endsWith(".json")) continue;
    (registered.includes(f.name) ? names : others).push(f.name);
  }
  names.sort((a, b) => registered.indexOf(a) - registered.indexOf(b));
  const results: Results[] = [];
  for (const f of [...names, ...others.sort()]) {
    results.push(await readResults(join(dir, f)));
  }
  const path = join(dir, "index.html");
  await writeFileAtomic(
    path,
    renderIndexPage(await indexEntries(dir, results)),
  );
  return { path, experiments: results.map((r) => r.experiment) };
}

/** Writes `<reports>/index.html` and the README regions (or, with `--check`, only checks the README). */
export async function main(args: readonly string[]): Promise<void> {
  const flags = parseFlags(FLAGS, args, {
    command: "deno task report",
    description:
      "Writes reports/index.html (the reproduction scorecard) and the README's results and citation tables from the pinned reports/*.json.",
  });
  const results = await loadPinnedResults(flags.reports);
  let readme: string;
  try {
    readme = await Deno.readTextFile(flags.readme);
  } catch (err) {
    throw new UserError(
      `${flags.readme}: cannot read: ${
        err instanceof Error ? err.message : err
      }`,
    );
  }
  const source = basename(flags.readme);
  if (flags.check) {
    const stale = staleRegions(readme, results, source);
    if (stale.length > 0) {
      throw new UserError(
        `${flags.readme}: the ${
          stale.join(" and ")
        } table disagrees with ${flags.reports}/*.json; run "deno task report" to regenerate it`,
      );
    }
    console.log(`${flags.readme} agrees with ${results.length} results files`);
    return;
  }
  const page = renderIndexPage(await indexEntries(flags.reports, results));
  const updated = updateReadme(readme, results, source);
  const indexPath = join(flags.reports, "index.html");
  await writeFileAtomic(indexPath, page);
  if (updated !== readme) await writeFileAtomic(flags.readme, updated);
  console.log(
    `wrote ${indexPath} (${results.length} experiments); ${flags.readme} ${
      updated === readme ? "already up to date" : "updated"
    }`,
  );
}

if (import.meta.main) await runMain(() => main(Deno.args));
