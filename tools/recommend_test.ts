import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "../lib/cli.ts";
import { UserError } from "../lib/errors.ts";
import { writeFactorModel } from "../lib/onnx/export.ts";
import { ModelFileError } from "../lib/onnx/metadata.ts";
import { csrFromCoo } from "../lib/sparse.ts";
import { UnknownTitleError } from "../lib/title_search.ts";
import { main, missingModelMessage } from "./recommend.ts";

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
    assert.equal(lines[0], "Top 2 for user 7 (already-rated movies excluded):");
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
