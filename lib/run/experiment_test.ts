import assert from "node:assert/strict";
import { join } from "node:path";
import { defineFlags } from "../cli.ts";
import { paragraph } from "../report/html.ts";
import { readResults, summarize } from "../report/results.ts";
import {
  intFlag,
  OUTPUT_FLAGS,
  repeatsFlag,
  seedFlag,
} from "./common_flags.ts";
import { defineExperiment } from "./experiment.ts";
import { configHash } from "./pinning.ts";

const FLAGS = defineFlags({
  dim: intFlag(4, 1, 64, "dimension"),
  seed: seedFlag(0, "first seed"),
  repeats: repeatsFlag(2, "seeds"),
  ...OUTPUT_FLAGS,
});

/** A tiny experiment whose metric is `offset + dim`, per seed. */
function tiny(
  reportsDir: string,
  state: { offset: number },
  title: string | ((flags: { dim: number }) => string) = "A tiny experiment",
) {
  return defineExperiment({
    name: "tiny",
    task: "exp:tiny",
    title,
    document: {
      title: "Tiny",
      authors: ["T. Author"],
      year: 2024,
      url: null,
      published: { score: 4 },
    },
    description: "A test experiment.",
    flags: FLAGS,
    tolerances: { default: 1e-9 },
    reportsDir,
    run: ({ flags, seeds, clock }) => {
      clock("fit");
      const values = seeds.map((s) => state.offset + flags.dim + s * 0);
      return Promise.resolve({
        dataset: {
          release: "none",
          source: "memory",
          files: [],
          counts: { users: 1, items: 1, ratings: 1 },
        },
        config: { dim: flags.dim },
        metrics: { score: summarize(values) },
        comparisons: [],
        sections: () => [{ heading: "Body", blocks: [paragraph("text")] }],
        files: [{ name: "model.bin", content: new Uint8Array([1, 2, 3]) }],
        summary: `score ${values[0]}`,
      });
    },
  });
}

async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const log = console.log, err = console.error;
  console.log = () => {};
  console.error = () => {};
  try {
    return await f();
  } finally {
    console.log = log;
    console.error = err;
  }
}

Deno.test("defineExperiment: a default rerun leaves the pinned JSON byte for byte; a changed number is refused unless --pin", async () => {
  const dir = await Deno.makeTempDir({ prefix: "experiment-test-" });
  try {
    const state = { offset: 0 };
    const exp = tiny(dir, state);
    const pinned = join(dir, "tiny.json");
    const first = await quietly(() => exp.main([]));
    assert.equal(first.seeds.length, 2);
    assert.equal(
      (await readResults(pinned)).metrics.score.valueOf() !== null,
      true,
    );
    const bytes = await Deno.readTextFile(pinned);
    assert.ok((await Deno.stat(join(dir, "tiny", "model.bin"))).isFile);
    const run = JSON.parse(
      await Deno.readTextFile(join(dir, "tiny", "run.json")),
    );
    assert.equal(run.pinned, "written");
    assert.equal(typeof run.timings_s.fit, "number");
    await quietly(() => exp.main([]));
    assert.equal(
      await Deno.readTextFile(pinned),
      bytes,
      "a rerun rewrote the pinned file",
    );

    state.offset = 1;
    await assert.rejects(
      () => quietly(() => exp.main([])),
      /differ from the pinned .*tiny\.json \(metric score: pinned 4, fresh 5\).*rerun with --pin/,
    );
    assert.equal(await Deno.readTextFile(pinned), bytes);
    const diverged = join(dir, "runs", "tiny-default", "tiny.json");
    assert.equal((await readResults(diverged)).experiment, "tiny");

    await quietly(() => exp.main(["--pin"]));
    assert.notEqual(await Deno.readTextFile(pinned), bytes);
    // --pin writes even when the numbers agree: it records this run's provenance.
    await quietly(() => exp.main(["--pin"]));
    assert.equal(
      JSON.parse(await Deno.readTextFile(join(dir, "tiny", "run.json"))).pinned,
      "written",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defineExperiment: another configuration writes to runs/<name>-<hash>/ and never the pinned file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "experiment-test-" });
  try {
    const exp = tiny(dir, { offset: 0 });
    const r = await quietly(() => exp.main(["--dim", "8"]));
    assert.equal(r.command, "deno task exp:tiny --dim 8");
    const own = join(dir, "runs", `tiny-${configHash([["dim", 8]])}`);
    assert.ok((await Deno.stat(join(own, "tiny.json"))).isFile);
    assert.ok((await Deno.stat(join(own, "tiny.html"))).isFile);
    await assert.rejects(
      () => Deno.stat(join(dir, "tiny.json")),
      Deno.errors.NotFound,
    );
    await assert.rejects(
      () => quietly(() => exp.main(["--dim", "8", "--pin"])),
      /--pin: only the document's configuration/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defineExperiment: a title given as a function of the flags names the run's flags", async () => {
  const dir = await Deno.makeTempDir({ prefix: "experiment-test-" });
  try {
    const exp = tiny(dir, { offset: 0 }, (f) => `tiny of width ${f.dim}`);
    assert.equal((await quietly(() => exp.main([]))).title, "tiny of width 4");
    const r = await quietly(() => exp.main(["--dim", "8"]));
    assert.equal(r.title, "tiny of width 8");
    const html = await Deno.readTextFile(
      join(dir, "runs", `tiny-${configHash([["dim", 8]])}`, "tiny.html"),
    );
    assert.match(html, /tiny of width 8/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
