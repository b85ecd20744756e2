import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "../lib/cli.ts";
import { UserError } from "../lib/errors.ts";
import { movieLensTestDir } from "../lib/data/test_data_dir.ts";
import { initMlp, predictMlp } from "../lib/models/mlp/mlp.ts";
import { exportFactorModel, writeFactorModel } from "../lib/onnx/export.ts";
import { ModelFileError, readMetadata } from "../lib/onnx/metadata.ts";
import { exportMlpModel } from "../lib/onnx/mlp_export.ts";
import { onnxProto } from "../lib/onnx/proto.ts";
import { RandomState } from "../lib/rng.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { csrFromCoo } from "../lib/sparse.ts";
import { UnknownTitleError } from "../lib/title_search.ts";
import { answer, main, missingModelMessage } from "./recommend.ts";

// Two users, four movies in 2-D: user 7 likes the first axis, user 9 the second.
// User 7 has seen movie 10, so it must not be recommended to them.
const model = {
  nUsers: 2,
  nItems: 4,
  factors: 2,
  userFactors: Float32Array.of(1, 0, 0, 1),
  itemFactors: Float32Array.of(3, 0.1, 2, 0.2, 0.1, 3, 1, 1),
};
const seen = csrFromCoo(
  Int32Array.of(0),
  Int32Array.of(0),
  Float32Array.of(5),
  2,
  4,
);
const description = {
  userIds: [7, 9],
  itemIds: [10, 20, 30, 40],
  itemTitles: ["Heat (1995)", "Casino (1995)", "Amélie (2001)", "Fargo (1996)"],
};

async function withModel(fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "recommend-" });
  try {
    const path = join(dir, "model.onnx");
    await writeFactorModel(path, model, { seen, description });
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("recommend --user lists unseen movies by score with raw ids and titles", async () => {
  await withModel(async (path) => {
    const lines = await main(
      ["--model", path, "--user", "7", "--k", "2"],
      () => {},
    );
    assert.equal(
      lines[0],
      "Top 2 for user 7 (movies the user rated in the model's training data left out):",
    );
    assert.match(lines[1], /^\s+1\s+2\.0000\s+20\s+Casino \(1995\)$/);
    assert.match(lines[2], /^\s+2\s+1\.0000\s+40\s+Fargo \(1996\)$/);
  });
});

Deno.test("recommend --similar finds the title fuzzily and lists it first", async () => {
  await withModel(async (path) => {
    const lines = await main([
      "--model",
      path,
      "--similar",
      "amelie",
      "--k",
      "1",
    ], () => {});
    assert.match(lines[0], /similar to Amélie \(2001\)/);
    assert.match(lines[1], /^\s+1\s+1\.0000\s+30\s+Amélie \(2001\)$/);
    assert.equal(lines.length, 3);
  });
});

Deno.test("recommend rejects an unknown user id, naming the id range", async () => {
  await withModel(async (path) => {
    await assert.rejects(
      main(["--model", path, "--user", "8"], () => {}),
      /--user 8: no such user in .*model\.onnx \(user ids run from 7 to 9\)/,
    );
  });
});

Deno.test("recommend rejects an unknown title in one plain sentence: closest title, its score of 100 and the score needed", async () => {
  await withModel(async (path) => {
    await assert.rejects(
      main(["--model", path, "--similar", "qqxzv wkjj"], () => {}),
      (e: unknown) =>
        e instanceof UnknownTitleError &&
        /^no movie title matches "qqxzv wkjj" \(closest: "[^"]+", which scores \d{1,2} of 100; 70 are needed\)$/
          .test(e.message),
    );
  });
});

Deno.test("recommend needs exactly one of --user and --similar", async () => {
  await assert.rejects(main(["--model", "x.onnx"], () => {}), CliError);
  await assert.rejects(
    main(["--model", "x.onnx", "--user", "7", "--similar", "heat"], () => {}),
    CliError,
  );
});

Deno.test("recommend names a missing model file and the experiment that writes it", async () => {
  assert.equal(
    missingModelMessage("reports/als/model.onnx"),
    "reports/als/model.onnx not found: run `deno task exp:als` first",
  );
  assert.equal(
    missingModelMessage("./reports/spotlight/model.onnx"),
    "./reports/spotlight/model.onnx not found: run `deno task exp:spotlight` first",
  );
  assert.equal(
    missingModelMessage("reports/mine/als/model.onnx"),
    "reports/mine/als/model.onnx not found: run `deno task exp:als --out reports/mine` first",
  );
  await assert.rejects(
    main(["--model", "/nonexistent/model.onnx", "--user", "7"], () => {}),
    (e: unknown) =>
      e instanceof UserError &&
      e.message ===
        "/nonexistent/model.onnx not found: give --model a model an experiment wrote, " +
          "e.g. reports/als/model.onnx, which `deno task exp:als` writes",
  );
});

Deno.test("recommend before any model exists says to run exp:als first, without a stack trace", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "recommend-empty-" });
  try {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-env",
        fileURLToPath(new URL("./recommend.ts", import.meta.url)),
        "--user",
        "95",
      ],
      cwd,
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stderr);
    assert.equal(code, 1, text);
    assert.match(
      text,
      /reports\/als\/model\.onnx not found: run `deno task exp:als` first/,
    );
    assert.doesNotMatch(text, /^\s+at /m);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("recommend names a model file that is not an ONNX model", async () => {
  const dir = await Deno.makeTempDir({ prefix: "recommend-bad-" });
  try {
    const path = join(dir, "model.onnx");
    await Deno.writeTextFile(path, "not a model");
    await assert.rejects(
      main(["--model", path, "--user", "7"], () => {}),
      (e: unknown) =>
        e instanceof ModelFileError && e.message.startsWith(`${path}: `),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recommend refuses a --similar query over 200 characters before matching (exit 2)", async () => {
  await assert.rejects(
    () =>
      main(["--model", "x.onnx", "--similar", "heat ".repeat(2000)], () => {}),
    (e: unknown) =>
      e instanceof CliError &&
      e.message === "--similar must be at most 200 characters, got 10000",
  );
});

/** `bytes` with `n` bytes flipped (xor 0xff) at distinct seeded positions. */
function flipBytes(bytes: Uint8Array, n: number, seed = 1): Uint8Array {
  const out = bytes.slice();
  const picked = new Set<number>();
  let x = seed;
  while (picked.size < n) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    picked.add(x % out.length);
  }
  for (const p of picked) out[p] ^= 0xff;
  return out;
}

Deno.test("recommend refuses a model with 100 flipped bytes in one line naming the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "recommend-flipped-" });
  try {
    const path = join(dir, "model.onnx");
    const bytes = exportFactorModel(model, { seen, description });
    for (const seed of [1, 2, 3]) {
      await Deno.writeFile(path, flipBytes(bytes, 100, seed));
      await assert.rejects(
        main(["--model", path, "--user", "7"], () => {}),
        (e: unknown) =>
          e instanceof UserError && e.message.startsWith(`${path}: `) &&
          !e.message.includes("\n"),
      );
    }
    // One flipped bit inside a weight: the file still decodes and runs, the
    // digest refuses it.
    const one = bytes.slice();
    const w = new Uint8Array(model.itemFactors.buffer);
    const at = one.findIndex((_, p) => w.every((b, t) => one[p + t] === b));
    assert.ok(at > 0, "item factors found in the file");
    one[at + 5] ^= 0x01;
    await Deno.writeFile(path, one);
    await assert.rejects(
      main(["--model", path, "--user", "7"], () => {}),
      /model\.onnx: refused, the file was changed after export/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recommend --user with a model without seen items says NOT masked in its heading", async () => {
  const dir = await Deno.makeTempDir({ prefix: "recommend-unmasked-" });
  try {
    const path = join(dir, "model.onnx");
    await writeFactorModel(path, model, { description });
    const lines = await main(
      ["--model", path, "--user", "7", "--k", "1"],
      () => {},
    );
    assert.match(lines[0], /^Top 1 for user 7 \(NOT masked/);
    assert.match(lines[1], /^\s+1\s+3\.0000\s+10\s+Heat \(1995\)$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recommend --user with an MLP scores every movie, leaves out the seen ones; --similar is refused naming a factor model", async () => {
  const dir = await Deno.makeTempDir({ prefix: "recommend-mlp-" });
  try {
    const mlp = initMlp(
      { nUsers: 2, nItems: 4, dim: 3, hidden: [5], dropout: [0, 0] },
      new RandomState(3),
    );
    const path = join(dir, "mlp.onnx");
    await Deno.writeFile(
      path,
      exportMlpModel(mlp, {}, {
        description: { ...description, seenFrom: "the test's ratings" },
        seen,
      }),
    );
    const lines = await main(
      ["--model", path, "--user", "7", "--k", "4"],
      () => {},
    );
    assert.match(lines[0], /left out; the test's ratings\):$/);
    // Movie 10 (seen by user 7) is left out: 3 of 4 movies remain.
    assert.equal(lines.length, 4);
    assert.ok(lines.slice(1).every((l) => !/\s10\s+Heat/.test(l)));
    const want = predictMlp(
      mlp,
      Int32Array.of(0, 0, 0),
      Int32Array.of(1, 2, 3),
    );
    const got = lines.slice(1).map((l) => Number(l.trim().split(/\s+/)[1]));
    assert.deepEqual(
      got,
      [...want].sort((a, b) => b - a).map((v) => Number(v.toFixed(4))),
    );
    await assert.rejects(
      main(["--model", path, "--similar", "heat"], () => {}),
      /is an embedding MLP, .* ask a factor model instead \(e\.g\. .*mf\.onnx\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const dataDir = movieLensTestDir();

Deno.test({
  name:
    "real data: recommend --user 95 with every exported model lists no movie the user rated in training, and its heading says so",
  ignore: dataDir === null,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "recommend-real-" });
    try {
      const names = ["als", "spotlight", "google", "keras", "fastai"];
      const files: string[] = [];
      for (const name of names) {
        const e = EXPERIMENTS.find((x) => x.name === name)!;
        const results = await (await e.load()).main([
          ...e.quickArgs,
          "--data-dir",
          dataDir!,
          "--out",
          out,
        ]);
        for (const m of results.models ?? []) files.push(m.path);
      }
      assert.deepEqual(files.sort(), [
        "als/model.onnx",
        "fastai/dot.onnx",
        "fastai/dot_bias.onnx",
        "fastai/nn.onnx",
        "google/model.onnx",
        "keras/bias.onnx",
        "keras/mf.onnx",
        "keras/mlp.onnx",
        "spotlight/model.onnx",
      ]);
      for (const file of files) {
        const path = join(out, file);
        const a = await answer(path, { user: 95, k: 10 });
        assert.ok(a.masked, `${file}: masked`);
        assert.match(
          a.heading,
          /^Top 10 for user 95 \(movies the user rated in the model's training data left out; the ratings the model was trained on: /,
          file,
        );
        assert.equal(a.rows.length, 10, file);
        const seen = seenOfUser(await Deno.readFile(path), 95, path);
        for (const r of a.rows) {
          assert.ok(
            !seen.has(r.itemId),
            `${file}: rated movie ${r.itemId} listed`,
          );
        }
        assert.ok(seen.size > 0, `${file}: user 95 has training ratings`);
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

/** Raw ids of the movies `user` rated in training, read from the file itself (initializers or cf.seen). */
function seenOfUser(
  bytes: Uint8Array,
  user: number,
  path: string,
): Set<number> {
  const meta = readMetadata(bytes, path);
  const userIds: number[] = JSON.parse(meta["cf.user_ids"]);
  const itemIds: number[] = JSON.parse(meta["cf.item_ids"]);
  const u = userIds.indexOf(user);
  let indptr: ArrayLike<number>, indices: ArrayLike<number>;
  if (meta["cf.seen"]) {
    ({ indptr, indices } = JSON.parse(meta["cf.seen"]));
  } else {
    const g = onnxProto.ModelProto.decode(bytes).graph!;
    const raw = (name: string) => {
      const t = g.initializer!.find((i) => i.name === name)!;
      const b = t.rawData!;
      return new Uint8Array(b).buffer;
    };
    indptr = Array.from(new BigInt64Array(raw("seen_indptr")), Number);
    indices = new Int32Array(raw("seen_indices"));
  }
  const out = new Set<number>();
  for (let p = indptr[u]; p < indptr[u + 1]; p++) out.add(itemIds[indices[p]]);
  return out;
}
