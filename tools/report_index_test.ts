import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readRegion } from "../lib/report/readme_table.ts";
import {
  renderCitationTable,
  renderResultsTable,
} from "../lib/report/readme_table.ts";
import { sampleResults } from "../lib/report/_fixtures.ts";
import { serializeResults } from "../lib/report/results.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { loadPinnedResults, main, staleRegions } from "./report_index.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

Deno.test("README.md results and citation tables equal the ones generated from the pinned reports/*.json", async () => {
  const results = await loadPinnedResults(join(ROOT, "reports"));
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const hint =
    'README.md disagrees with reports/*.json: run "deno task report"';
  assert.equal(
    readRegion(readme, "results", "README.md"),
    renderResultsTable(results),
    hint,
  );
  assert.equal(
    readRegion(readme, "citation", "README.md"),
    renderCitationTable(results),
    hint,
  );
});

Deno.test("loadPinnedResults reads every registered experiment first, then other results files", async () => {
  const results = await loadPinnedResults(join(ROOT, "reports"));
  assert.deepEqual(
    results.slice(0, EXPERIMENTS.length).map((r) => r.experiment),
    EXPERIMENTS.map((e) => e.name),
  );
});

/** A folder with copies of the pinned files and a README holding empty regions. */
async function scratch(): Promise<{ dir: string; readme: string }> {
  const dir = await Deno.makeTempDir({ prefix: "report-index-" });
  for (const e of EXPERIMENTS) {
    await Deno.copyFile(
      join(ROOT, "reports", `${e.name}.json`),
      join(dir, `${e.name}.json`),
    );
  }
  const readme = join(dir, "README.md");
  await Deno.writeTextFile(
    readme,
    "# x\n\n<!-- results:start -->\n<!-- results:end -->\n\ntext\n\n<!-- citation:start -->\n<!-- citation:end -->\n",
  );
  return { dir, readme };
}

Deno.test("report main writes index.html and the README regions, and a second run changes nothing", async () => {
  const { dir, readme } = await scratch();
  try {
    await Deno.writeTextFile(
      join(dir, `${EXPERIMENTS[0].name}.html`),
      "<html></html>",
    );
    await main(["--reports", dir, "--readme", readme]);
    const page = await Deno.readTextFile(join(dir, "index.html"));
    assert.match(page, new RegExp(`<a href="${EXPERIMENTS[0].name}\\.html">`));
    for (const e of EXPERIMENTS) {
      assert.match(page, new RegExp(`${e.name}\\.json`));
    }
    const text = await Deno.readTextFile(readme);
    assert.match(text, /^# x\n/);
    assert.match(text, /\ntext\n/);
    const results = await loadPinnedResults(dir);
    assert.deepEqual(staleRegions(text, results, "README.md"), []);
    await main(["--reports", dir, "--readme", readme]);
    assert.equal(await Deno.readTextFile(readme), text);
    assert.equal(await Deno.readTextFile(join(dir, "index.html")), page);
    await main(["--reports", dir, "--readme", readme, "--check"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report --check fails naming the stale table when a pinned number changes, and writes nothing", async () => {
  const { dir, readme } = await scratch();
  try {
    await main(["--reports", dir, "--readme", readme]);
    const before = await Deno.readTextFile(readme);
    const path = join(dir, `${EXPERIMENTS[0].name}.json`);
    const r = JSON.parse(await Deno.readTextFile(path));
    // move one reproduced figure by 1 (metric, row and difference together,
    // so the file stays valid; the row's rule keeps its verdict)
    const c = r.comparisons.find((c: { rule: { rule: string } }) =>
      c.rule.rule !== "tolerance"
    ) ?? r.comparisons[0];
    const m = r.metrics[c.metric];
    if (typeof m === "number") {
      r.metrics[c.metric] = m + 1;
    } else {
      m.values = m.values.map((v: number) =>
        v + 1
      );
      m.mean = m.values.reduce((a: number, b: number) => a + b) /
        m.values.length;
    }
    c.reproduced = typeof m === "number" ? m + 1 : m.mean;
    if (c.difference !== null) c.difference = c.reproduced - c.published;
    if (c.rule.rule === "tolerance") {
      c.rule.parameters.reproduced = c.reproduced;
    }
    await Deno.writeTextFile(path, serializeResults(r));
    await assert.rejects(
      () => main(["--reports", dir, "--readme", readme, "--check"]),
      /README\.md: the results table disagrees with .*run "deno task report"/,
    );
    assert.equal(await Deno.readTextFile(readme), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report names the results file that is invalid", async () => {
  const { dir, readme } = await scratch();
  try {
    await Deno.writeTextFile(
      join(dir, "zzz.json"),
      '{"schema": "cf-results/2"}',
    );
    await assert.rejects(
      () => main(["--reports", dir, "--readme", readme]),
      /zzz\.json: experiment: expected a value/,
    );
    // a file of the old schema is refused, naming it
    const old = { ...sampleResults(), schema: "cf-results/1" };
    await Deno.writeTextFile(join(dir, "zzz.json"), JSON.stringify(old));
    await assert.rejects(
      () => main(["--reports", dir, "--readme", readme]),
      /zzz\.json: schema: expected "cf-results\/2", got "cf-results\/1"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
