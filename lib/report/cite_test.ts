import assert from "node:assert/strict";
import { sampleResults } from "./_fixtures.ts";
import {
  bibtex,
  citeBlocks,
  comparisonCsv,
  comparisonLatex,
  comparisonMarkdown,
  parseCitationCff,
} from "./cite.ts";
import citationCff from "../../CITATION.cff" with { type: "text" };

Deno.test("parseCitationCff reads title, version, release date and authors of the repository's CITATION.cff", () => {
  const c = parseCitationCff(citationCff);
  assert.equal(c.title, "Reproducible collaborative filtering on Deno");
  assert.match(c.version, /^\d+\.\d+\.\d+$/);
  assert.match(c.dateReleased, /^\d{4}-\d\d-\d\d$/);
  assert.equal(c.authors.length, 1); // the nested reference authors are not the software's
});

Deno.test("bibtex cites the software at the results' commit, the document and Harper & Konstan 2015", () => {
  const r = sampleResults();
  const text = bibtex(r, parseCitationCff(citationCff));
  assert.match(text, new RegExp(`commit ${r.environment.git_commit}`));
  assert.match(
    text,
    /@misc\{author_2020_\w+,\n {2}title = \{ALS recommendations\}/,
  );
  assert.match(text, /howpublished = \{\\url\{https:\/\/example\.org\/als\}\}/);
  assert.match(text, /doi = \{10\.1145\/2827872\}/);
});

Deno.test("the comparison downloads hold every row in Markdown, LaTeX and CSV", () => {
  const r = sampleResults();
  const md = comparisonMarkdown(r).trim().split("\n");
  assert.equal(md.length, 2 + r.comparisons.length);
  const tex = comparisonLatex(r);
  assert.match(tex, /^\\begin\{tabular\}/);
  assert.ok(tex.includes("$\\pm$"));
  const csv = comparisonCsv(r).trim().split("\n");
  assert.equal(csv.length, 1 + r.comparisons.length);
  const links = citeBlocks(r, parseCitationCff(citationCff)).find((b) =>
    b.kind === "links"
  );
  assert.ok(links && links.kind === "links");
  assert.deepEqual(links.links.map((l) => l.download), [
    `${r.experiment}-comparison.md`,
    `${r.experiment}-comparison.tex`,
    `${r.experiment}-comparison.csv`,
  ]);
  assert.ok(links.links.every((l) => l.href.startsWith("data:")));
});
