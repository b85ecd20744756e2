/**
 * The ALS experiment end to end: the default configuration against the
 * pinned `reports/als.json`, and every bad input a user can give it.
 *
 * The pinned check runs the full reproduction once (about 10 s).
 */

import assert from "node:assert/strict";
import { tolerancesOf } from "./registry.ts";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { compareResults, formatCompareRows } from "../lib/report/compare.ts";
import { readResults } from "../lib/report/results.ts";
import { main } from "./implicit_als.ts";
import { main as recommendMain } from "./recommend.ts";
import { movieLensTestDir } from "../lib/data/test_data_dir.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PINNED = join(ROOT, "reports", "als.json");

/** Tolerances of the pinned check, with their justification: experiments/registry.ts. */
const TOLERANCES = tolerancesOf("als");

const dataDir = movieLensTestDir();

Deno.test({
  name:
    "real data: exp:als default configuration reproduces the pinned reports/als.json",
  ignore: dataDir === null,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "als-pinned-" });
    try {
      const pinned = await readResults(PINNED);
      const fresh = await main(["--data-dir", dataDir!, "--out", out]);
      const rows = compareResults(pinned, fresh, TOLERANCES);
      assert.ok(
        rows.every((r) => r.ok),
        "pinned results changed:\n" + formatCompareRows(rows),
      );
      assert.deepEqual(fresh.config, pinned.config);
      assert.deepEqual(
        fresh.dataset.files,
        pinned.dataset.files,
        "the data read differs from the pinned checksums",
      );
      assert.deepEqual(fresh.dataset.counts, pinned.dataset.counts);
      assert.deepEqual(
        fresh.comparisons.map((c) => [c.metric, c.status]),
        pinned.comparisons.map((c) => [c.metric, c.status]),
      );
      // The document's findings, held independently of the pinned file.
      assert.equal(fresh.metrics.users, 610);
      assert.equal(fresh.metrics.items, 9724);
      assert.equal(fresh.metrics.ratings, 100836);
      assert.equal(fresh.metrics.user_ratings, 168);
      assert.equal(fresh.metrics.title_match_movie_id, 356);
      assert.equal(fresh.metrics.title_index, 314);

      // The exported model answers the recommend command like the report.
      const html = await Deno.readTextFile(join(out, "als.html"));
      const lines: string[] = [];
      await recommendMain([
        "--model",
        join(out, "als", "model.onnx"),
        "--user",
        "95",
        "--k",
        "3",
      ], (l) => lines.push(l));
      assert.equal(lines.length, 4);
      for (const line of lines.slice(1)) {
        const title = line.replace(/^\s*\d+\s+-?[\d.]+\s+\d+\s+/, "");
        assert.ok(
          html.includes(escapeHtml(title)),
          `report lacks recommended title ${title}`,
        );
      }
      const similar: string[] = [];
      await recommendMain([
        "--model",
        join(out, "als", "model.onnx"),
        "--similar",
        "forrest gump",
        "--k",
        "2",
      ], (l) => similar.push(l));
      assert.match(similar[0], /Forrest Gump \(1994\)/);
      assert.match(
        similar[1],
        /^\s+1\s+1\.0000\s+356\s+Forrest Gump \(1994\)$/,
      );
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(
    ">",
    "&gt;",
  ).replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/** Runs the experiment as `deno task exp:als` would, with its permissions; returns exit code and stderr. */
async function runExperiment(
  args: string[],
  out: string,
  env: Record<string, string> = {},
) {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      `--allow-write=${out},${join(ROOT, "data")}`,
      "--allow-env",
      "--allow-sys=cpus",
      "--allow-net=files.grouplens.org",
      join(ROOT, "experiments", "implicit_als.ts"),
      "--out",
      out,
      ...args,
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stderr } = await cmd.output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

const badInputs: {
  name: string;
  args: string[];
  code: number;
  message: RegExp;
}[] = [
  {
    name: "--factors 0",
    args: ["--factors", "0"],
    code: 2,
    message: /--factors must be an integer in \[1, 1024\], got 0/,
  },
  {
    name: "--iterations -1",
    args: ["--iterations", "-1"],
    code: 2,
    message: /--iterations must be an integer in \[0, 1000\], got -1/,
  },
  {
    name: "an unknown flag",
    args: ["--facotrs", "5"],
    code: 2,
    message: /--facotrs.*--factors/s,
  },
  {
    name: "a non-numeric --alpha",
    args: ["--alpha", "lots"],
    code: 2,
    message: /--alpha/,
  },
];

for (const bad of badInputs) {
  Deno.test(`exp:als rejects ${bad.name} with exit ${bad.code} and writes nothing`, async () => {
    const out = await Deno.makeTempDir({ prefix: "als-bad-" });
    try {
      const { code, stderr } = await runExperiment(bad.args, out);
      assert.equal(code, bad.code, stderr);
      assert.match(stderr, bad.message);
      assert.doesNotMatch(
        stderr,
        /^\s+at /m,
        "a user error must not print a stack trace",
      );
      assert.deepEqual([...Deno.readDirSync(out)], []);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  });
}

Deno.test({
  name:
    "real data: exp:als rejects an unknown user id and an unknown title before writing anything",
  ignore: dataDir === null,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "als-bad-" });
    try {
      const user = await runExperiment([
        "--data-dir",
        dataDir!,
        "--user",
        "99999",
      ], out);
      assert.equal(user.code, 2, user.stderr);
      assert.match(
        user.stderr,
        /--user 99999: no such user in ml-latest-small \(user ids run from 1 to 610\)/,
      );
      const title = await runExperiment([
        "--data-dir",
        dataDir!,
        "--title",
        "qqxzv wkjj",
      ], out);
      assert.equal(title.code, 1, title.stderr);
      assert.match(
        title.stderr,
        /no movie title matches "qqxzv wkjj" \(closest: "/,
      );
      assert.deepEqual([...Deno.readDirSync(out)], []);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test("exp:als reports a corrupt archive by name, leaves the reports alone and caches nothing", async () => {
  const out = await Deno.makeTempDir({ prefix: "als-bad-" });
  const dir = await Deno.makeTempDir({ prefix: "als-data-" });
  try {
    await Deno.writeTextFile(join(out, "als.json"), "the good pinned file");
    await Deno.writeFile(
      join(dir, "ml-latest-small.zip"),
      new TextEncoder().encode("PK\x03\x04 not really a zip"),
    );
    const cacheBefore = listOrEmpty(join(ROOT, "data"));
    const { code, stderr } = await runExperiment(["--data-dir", dir], out);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /ml-latest-small\.zip/);
    assert.equal(
      await Deno.readTextFile(join(out, "als.json")),
      "the good pinned file",
    );
    assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name), [
      "als.json",
    ]);
    assert.deepEqual(listOrEmpty(join(ROOT, "data")), cacheBefore);
  } finally {
    await Deno.remove(out, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
});

function listOrEmpty(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  } catch {
    return [];
  }
}
