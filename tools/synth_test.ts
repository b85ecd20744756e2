import assert from "node:assert/strict";
import { main } from "./synth.ts";
import { parseRatings } from "../lib/data/ratings_parser.ts";

Deno.test("synth main writes the scaled shape to --out, the same bytes twice", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const args = ["--shape", "ml-1m", "--rows", "20000", "--seed", "5"];
    const a = await main([...args, "--out", `${dir}/a/x.csv`], () => {});
    const b = await main([...args, "--out", `${dir}/b.csv`], () => {});
    assert.equal(a.bytes, b.bytes);
    const bytesA = await Deno.readFile(a.path);
    assert.deepEqual(bytesA, await Deno.readFile(b.path));
    const raw = parseRatings(bytesA, {
      file: "x.csv",
      separator: "csv",
      header: "required",
      ratingRange: [1, 5],
    });
    assert.equal(raw.n, 20000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
