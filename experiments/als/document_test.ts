import assert from "node:assert/strict";
import { CliError, parseFlags } from "../../lib/cli.ts";
import { readResults } from "../../lib/report/results.ts";
import {
  changedFlags,
  planOutput,
  resultDifferences,
} from "../../lib/run/pinning.ts";
import { tolerancesOf } from "../registry.ts";
import { BPR_DEFAULTS } from "../../lib/models/bpr/bpr.ts";
import {
  alsConfigOf,
  bprSettings,
  checkDataFlags,
  configOf,
  DOCUMENT,
  FLAGS,
} from "./document.ts";

function parse(args: string[]) {
  return parseFlags(FLAGS, args, { command: "deno task exp:als" });
}

function check(args: string[]): void {
  checkDataFlags(parse(args), args);
}

Deno.test("changedFlags: exp:als defaults are the document's configuration; --ratings and --movies are not", () => {
  assert.deepEqual(changedFlags(FLAGS, parse([])), []);
  assert.deepEqual(
    changedFlags(FLAGS, parse(["--threads", "7", "--data-dir", "d"])),
    [],
    "result-neutral flags keep the default configuration",
  );
  assert.deepEqual(
    changedFlags(FLAGS, parse(["--ratings", "r.csv", "--movies", "m.csv"])),
    [["ratings", "r.csv"], ["movies", "m.csv"]],
  );
  // Optional flags without a default count as changed whenever given.
  assert.deepEqual(changedFlags(FLAGS, parse(["--user", "95"])), [
    ["user", 95],
  ]);
});

Deno.test("planOutput: an exp:als --ratings run writes under reports/runs/, never to the pinned folder", () => {
  const reports = "/nonexistent/reports";
  const own = planOutput(
    "als",
    FLAGS,
    parse(["--ratings", "r.csv"]),
    reports,
  );
  assert.equal(own.isDefault, false);
  assert.equal(own.pinnedDir, false);
  assert.match(own.dir, /^\/nonexistent\/reports\/runs\/als-[0-9a-f]{8}$/);
  assert.throws(
    () =>
      planOutput(
        "als",
        FLAGS,
        parse(["--ratings", "r.csv", "--out", reports]),
        reports,
      ),
    (e: unknown) => e instanceof CliError && /--ratings/.test(e.message),
  );
  assert.throws(
    () =>
      planOutput("als", FLAGS, parse(["--ratings", "r.csv", "--pin"]), reports),
    /--pin: only the document's configuration is pinned, and this run changes --ratings/,
  );
  assert.equal(planOutput("als", FLAGS, parse([]), reports).dir, reports);
});

Deno.test("checkDataFlags refuses --dataset (either spelling, any release) together with --ratings, naming both", () => {
  for (
    const args of [
      ["--ratings", "r.csv", "--dataset", "ml-1m"],
      ["--dataset=ml-latest-small", "--ratings", "r.csv"],
    ]
  ) {
    assert.throws(
      () => check(args),
      (e: unknown) =>
        e instanceof CliError && e.exitCode === 2 && e.hint === undefined &&
        /^--dataset and --ratings exclude each other: [^\n]+$/.test(e.message),
      args.join(" "),
    );
  }
  // Either alone is fine.
  check(["--dataset", "ml-1m"]);
  check(["--ratings", "r.csv"]);
});

Deno.test("checkDataFlags refuses --movies without --ratings, --data-dir with --ratings and --title without titles", () => {
  assert.throws(
    () => check(["--movies", "m.csv"]),
    /--movies gives the titles of a --ratings file; pass --ratings too/,
  );
  assert.throws(
    () => check(["--ratings", "r.csv", "--data-dir", "d"]),
    /--data-dir is where MovieLens releases are looked for/,
  );
  assert.throws(
    () => check(["--ratings", "r.csv", "--title", "heat"]),
    /--title needs --movies: r\.csv has no titles to search/,
  );
  check(["--ratings", "r.csv", "--movies", "m.csv", "--title", "heat"]);
  check(["--title", "heat", "--data-dir", "d"]);
});

Deno.test("DOCUMENT cites Jill Cates' notebook and keeps the published figures of reports/als.json", () => {
  assert.equal(
    DOCUMENT.title,
    "Part 3: Building a Recommender System with Implicit Feedback",
  );
  assert.deepEqual(DOCUMENT.authors, ["Jill Cates"]);
  assert.equal(DOCUMENT.year, 2020);
  assert.equal(
    DOCUMENT.url,
    "https://github.com/topspinj/recommender-tutorial/blob/master/part-3-implicit-feedback-recommender.ipynb",
  );
  assert.deepEqual(DOCUMENT.published, {
    users: 610,
    items: 9724,
    ratings: 100836,
    user_ratings: 168,
    title_match_movie_id: "Forrest Gump (1994)",
    title_index: 314,
    document_call_neighbour_overlap: 9,
    document_call_second_score: 0.5931347,
  });
});

Deno.test("resultDifferences: a --threads run of exp:als agrees with the pinned file, another --k does not", async () => {
  const pinned = await readResults(
    new URL("../../reports/als.json", import.meta.url).pathname,
  );
  const tol = tolerancesOf("als");
  const withConfig = (config: Record<string, unknown>) =>
    ({ ...pinned, config: { ...pinned.config, ...config } }) as typeof pinned;
  assert.deepEqual(
    resultDifferences(pinned, withConfig({ threads: 7 }), tol),
    [],
  );
  assert.deepEqual(resultDifferences(pinned, withConfig({ k: 5 }), tol), [
    "config.k differs",
  ]);
});

Deno.test("bprSettings: implicit's BPR defaults spread over ALS's threads; --bpr-iterations 0 leaves BPR out of the holdout and the record", () => {
  const flags = parse(["--threads", "3", "--bpr-learning-rate", "0.05"]);
  const { bpr } = bprSettings(flags, alsConfigOf(flags));
  assert.deepEqual(bpr, {
    config: { ...BPR_DEFAULTS, learningRate: 0.05 },
    threads: 3,
  });
  const facts = { seeds: [0], title: null, user: 1 };
  const record = configOf(flags, alsConfigOf(flags), facts).bpr as Record<
    string,
    unknown
  >;
  assert.equal(record.learning_rate, 0.05);
  assert.equal(record.factors, BPR_DEFAULTS.factors);
  const off = parse(["--bpr-iterations", "0"]);
  assert.deepEqual(bprSettings(off, alsConfigOf(off)), {});
  assert.equal(configOf(off, alsConfigOf(off), facts).bpr, null);
  assert.deepEqual(changedFlags(FLAGS, off), [["bpr-iterations", 0]]);
  assert.throws(() => parse(["--bpr-learning-rate", "0"]), CliError);
});
