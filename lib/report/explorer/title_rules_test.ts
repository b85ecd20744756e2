import assert from "node:assert/strict";
import * as fuzz from "fuzzball";
import { findTitle, type TitleEntry } from "../../title_search.ts";
import { lookupTitle } from "./title_rules.js";

const TITLES = [
  "Forrest Gump (1994)",
  "Forrest (2001)",
  "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
  "Z (1969)",
  "Toy Story (1995)",
  "Toy Story 2 (1999)",
  "Toy Story 3 (2010)",
  "Star Wars: Episode IV - A New Hope (1977)",
  "Star Wars: Episode V - The Empire Strikes Back (1980)",
  "Matrix, The (1999)",
  "Godfather, The (1972)",
  "Godfather: Part II, The (1974)",
  "Heat (1995)",
  "Heat (1986)",
  "Alien (1979)",
  "Aliens (1986)",
  "Léon: The Professional (a.k.a. The Professional) (Léon) (1994)",
  "Shawshank Redemption, The (1994)",
  "Pulp Fiction (1994)",
  "Seven (a.k.a. Se7en) (1995)",
  "Office Space (1999)",
  "Twin Peaks (1989–1991)",
];
const QUERIES = [
  "forrest gump",
  "Forrest Gump (1994)",
  "forrest",
  "amelie",
  "toy story",
  "toy story 2",
  "star wars",
  "empire strikes back",
  "the matrix",
  "godfather",
  "heat (1986)",
  "heat",
  "aliens",
  "leon",
  "shawshank",
  "se7en",
  "zzzzqqq",
  "office",
  "twin peaks",
  "",
  "   pulp   fiction  ",
];

Deno.test("lookupTitle: the same match or refusal as findTitle (lib/title_search.ts) for every query", () => {
  for (const ratings of [() => 0, (j: number) => j % 3]) {
    const entries: TitleEntry[] = TITLES.map((title, j) => ({
      id: 100 - j,
      title,
      ratings: ratings(j),
    }));
    for (const q of QUERIES) {
      let want: { id: number; title: string; score: number } | undefined;
      try {
        want = findTitle(q, entries);
      } catch {
        want = undefined;
      }
      const got = lookupTitle(fuzz, q, entries);
      assert.deepEqual(got.match, want, `query "${q}"`);
      if (!want) assert.ok(got.closest !== undefined || entries.length === 0);
    }
  }
  assert.equal(lookupTitle(fuzz, "x", []).closest, undefined);
});

Deno.test("lookupTitle: minScore is honoured as in findTitle", () => {
  const entries = [{ id: 1, title: "Forrest Gump (1994)", ratings: 0 }];
  assert.equal(lookupTitle(fuzz, "forest gum", entries, 99).match, undefined);
  assert.throws(() => findTitle("forest gum", entries, { minScore: 99 }));
  assert.equal(lookupTitle(fuzz, "forest gum", entries, 50).match?.id, 1);
});
