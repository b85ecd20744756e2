import assert from "node:assert/strict";
import { sampleResults } from "./_fixtures.ts";
import { referenceRun } from "./results.ts";
import {
  markdownTable,
  readRegion,
  renderCitationTable,
  renderResultsTable,
  replaceRegion,
} from "./readme_table.ts";

/** `text` as `deno fmt` formats Markdown. */
async function denoFmtMarkdown(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "md", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return new TextDecoder().decode(stdout);
}

Deno.test("renderResultsTable and renderCitationTable are laid out exactly as deno fmt lays out Markdown tables", async () => {
  const r = sampleResults();
  r.comparisons[0].note = "a | pipe";
  const text = renderResultsTable([r]) + "\n\n" + renderCitationTable([r]) +
    "\n";
  assert.equal(await denoFmtMarkdown(text), text);
});

Deno.test("renderResultsTable links each experiment's JSON and shows published, ours, reference re-run, rule and interval, status", () => {
  const r = sampleResults();
  const lines = renderResultsTable([r]).split("\n");
  assert.equal(lines.length, 4);
  assert.match(
    lines[0],
    /^\| experiment +\| metric +\| published +\| reproduced +\| reference re-run +\| rule and interval +\| status +\|$/,
  );
  const cells = lines[2].slice(2, -2).split(" | ").map((c) => c.trim());
  assert.deepEqual(cells, [
    "[als](reports/als.json)",
    "`precision@10`",
    "0.276",
    "0.275 ± 0.0071 (2 seeds)",
    "—",
    r.comparisons[0].rule.interval_text,
    "reproduced",
  ]);
  assert.match(cells[5], /^\[0\.\d+, 0\.\d+\] \(95 % PI, n = 2\)$/);
  assert.match(
    lines[3],
    /\| `rmse` +\| ≈0\.9 \(read off a plot\) \| 0\.912 +\| — +\| not comparable +\| not comparable +\|$/,
  );
  r.comparisons[0].reference = referenceRun("lib", [0.27, 0.28, 0.29], [
    0.27,
    0.28,
  ]);
  assert.match(
    renderResultsTable([r]).split("\n")[2],
    /\| 0\.28 ± 0\.01 \(3 seeds; Welch p = [0-9.]+\) \|/,
  );
});

Deno.test("renderCitationTable lists the commit and every data file's SHA-256", () => {
  const text = renderCitationTable([sampleResults()]);
  assert.match(
    text,
    /`reports\/als\.json` +\| `879c3e7d39272fead4ea4ce1052482d76f8d31c3` \| `u\.data` +\| `06416e59/,
  );
});

Deno.test("markdownTable escapes pipes and rejects ragged rows", () => {
  assert.match(markdownTable(["a"], [["x|y"]]), /x\\\|y/);
  assert.throws(() => markdownTable(["a", "b"], [["x"]]), /row 1 has 1 cells/);
});

Deno.test("replaceRegion rewrites only the text between the markers and readRegion reads it back", () => {
  const text =
    "# T\n\nbefore\n<!-- results:start -->\nold\n<!-- results:end -->\nafter\n";
  const out = replaceRegion(text, "results", "| new |", "README.md");
  assert.equal(
    out,
    "# T\n\nbefore\n<!-- results:start -->\n\n| new |\n\n<!-- results:end -->\nafter\n",
  );
  assert.equal(readRegion(out, "results", "README.md"), "| new |");
  assert.equal(replaceRegion(out, "results", "| new |", "README.md"), out);
});

Deno.test("readRegion names the file and the marker when markers are missing, repeated or reversed", () => {
  assert.throws(
    () => readRegion("no markers", "results", "README.md"),
    /README\.md: missing the marker <!-- results:start -->/,
  );
  assert.throws(
    () =>
      readRegion(
        "<!-- results:start --><!-- results:end --><!-- results:start -->",
        "results",
        "README.md",
      ),
    /appear twice/,
  );
  assert.throws(
    () =>
      readRegion(
        "<!-- results:end --><!-- results:start -->",
        "results",
        "x.md",
      ),
    /x\.md: <!-- results:end --> comes before/,
  );
});
