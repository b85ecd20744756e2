import assert from "node:assert/strict";
import { prose, proseUnder } from "./prose.ts";

Deno.test("prose: parts by heading, paragraphs by blank line, lines joined, variables filled", () => {
  const parts = prose(
    "Intro line.\n\n## A\nfirst\nsecond {{n}}\n\n\nthird\n## B\n\n`x` {{word}}\n",
    { n: 3, word: "y" },
  );
  assert.deepEqual([...parts.keys()], ["", "A", "B"]);
  assert.deepEqual(proseUnder(parts, "A").map((b) => b.text), [
    "first second 3",
    "third",
  ]);
  assert.deepEqual(proseUnder(parts, "B").map((b) => b.text), ["`x` y"]);
  assert.equal(proseUnder(parts, "")[0].kind, "paragraph");
});

Deno.test("prose: a variable without a value and a missing part throw", () => {
  assert.throws(() => prose("a {{missing}}"), /no value for \{\{missing\}\}/);
  assert.throws(() => proseUnder(prose("## A\nx"), "B"), /no part "## B"/);
});
