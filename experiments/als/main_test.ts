/**
 * The ALS experiment end to end: the default configuration against the
 * pinned `reports/als.json`, a user's own ratings CSV, and every bad input a
 * user can give it.
 *
 * The pinned check runs the full reproduction once (about 10 s).
 */

import assert from "node:assert/strict";
import { badFlagTests, type BadInput, runExperiment } from "../_bad_flags.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { escapeHtml } from "../../lib/report/escape.ts";
import { isUserError } from "../../lib/errors.ts";
import { readResults } from "../../lib/report/results.ts";
import { checkPinned } from "../_pinned_check.ts";
import { main } from "./main.ts";
import { main as recommendMain } from "../../tools/recommend.ts";
import { movieLensTestDir } from "../../lib/data/test_data_dir.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dataDir = movieLensTestDir();

Deno.test({
  name:
    "real data: exp:als default configuration reproduces the pinned reports/als.json",
  ignore: dataDir === null,
  fn: () =>
    checkPinned({
      experiment: "als",
      main,
      dataDir: dataDir!,
      perSeed: [],
      sameDataset: true,
      async extra(fresh, out) {
        // The document's findings, held independently of the pinned file.
        assert.equal(fresh.metrics.users, 610);
        assert.equal(fresh.metrics.items, 9724);
        assert.equal(fresh.metrics.ratings, 100836);
        assert.equal(fresh.metrics.user_ratings, 168);
        assert.equal(fresh.metrics.title_match_movie_id, 356);
        assert.equal(fresh.metrics.title_index, 314);
        // The document printed 9 neighbours after the query; the overlap counts those only.
        assert.equal(
          fresh.document.published.document_call_neighbour_overlap,
          9,
        );
        const overlap = fresh.metrics.document_call_neighbour_overlap;
        assert.ok(
          typeof overlap === "number" && overlap >= 0 && overlap <= 9,
          `overlap ${overlap}`,
        );
        assert.deepEqual(
          fresh.comparisons.slice(0, 6).map((c) => c.status),
          Array(6).fill("reproduced"),
        );

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
      },
    }),
});

const badInputs: BadInput[] = [
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
    message: /--iterations must be an integer in \[1, 1000\], got -1/,
  },
  {
    // Zero sweeps would fit nothing: refused before the run, not after it.
    name: "--iterations 0",
    args: ["--iterations", "0"],
    code: 2,
    message: /^error: --iterations must be an integer in \[1, 1000\], got 0\n/,
  },
  {
    // Refused by its length before any fuzzy matching, without echoing it.
    name: "--title longer than 200 characters",
    args: ["--title", "forrest gump ".repeat(800)],
    code: 2,
    message:
      /^error: --title must be at most 200 characters, got 10400\n(?![^]*forrest)/,
  },
  {
    name: "an unknown flag",
    args: ["--facotrs", "5"],
    code: 2,
    message: /--facotrs.*--factors/s,
  },
  {
    name: "--title with --ratings but no --movies",
    args: ["--ratings", "mine.csv", "--title", "heat"],
    code: 2,
    message: /--title needs --movies/,
  },
  {
    name: "--movies without --ratings",
    args: ["--movies", "movies.csv"],
    code: 2,
    message: /--movies .*pass --ratings too/,
  },
  {
    name: "--dataset with --ratings",
    args: ["--ratings", "mine.csv", "--dataset", "ml-1m"],
    code: 2,
    message: /^error: --dataset and --ratings exclude each other: [^\n]*\n$/,
  },
  {
    name: "--dataset=<release> with --ratings, the default release too",
    args: ["--dataset=ml-latest-small", "--ratings", "mine.csv"],
    code: 2,
    message: /^error: --dataset and --ratings exclude each other/,
  },
  {
    name: "--data-dir with --ratings",
    args: ["--ratings", "mine.csv", "--data-dir", "somewhere"],
    code: 2,
    message: /--data-dir .*--ratings/,
  },
  {
    name:
      "--factors 1024 --solver cholesky (a stated bound, not hours of silence)",
    args: ["--factors", "1024", "--solver", "cholesky"],
    code: 2,
    message:
      /^error: --factors 1024 with --solver cholesky: at most 256 factors/,
  },
  {
    name: "--regularization 1e200 (factors would underflow)",
    args: ["--regularization", "1e200"],
    code: 2,
    message:
      /--regularization must be a finite number in \[0, 1000000\], got 1e200/,
  },
  {
    name: "a non-numeric --alpha",
    args: ["--alpha", "lots"],
    code: 2,
    message: /--alpha/,
  },
];

badFlagTests("exp:als", "als/main.ts", badInputs);

Deno.test({
  name:
    "real data: exp:als rejects an unknown user id and an unknown title before writing anything",
  ignore: dataDir === null,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "als-bad-" });
    try {
      const user = await runExperiment("als/main.ts", [
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
      const title = await runExperiment("als/main.ts", [
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
    const { code, stderr } = await runExperiment("als/main.ts", [
      "--data-dir",
      dir,
    ], out);
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

/**
 * A small deterministic ratings file: 40 users × 30 items, each user rating
 * the items with (7u + 3i) mod 5 < 2 (12 each), ratings 1–5; a header line.
 */
function syntheticCsv(): {
  text: string;
  users: number;
  items: number;
  ratings: number;
} {
  const lines = ["userId,movieId,rating,timestamp"];
  const items = new Set<number>();
  for (let u = 1; u <= 40; u++) {
    for (let i = 1; i <= 30; i++) {
      if ((7 * u + 3 * i) % 5 >= 2) continue;
      lines.push(`${u},${100 + i},${1 + ((u + 2 * i) % 5)},${1000 + u * i}`);
      items.add(i);
    }
  }
  return {
    text: lines.join("\n") + "\n",
    users: 40,
    items: items.size,
    ratings: lines.length - 1,
  };
}

async function sha256Hex(path: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

Deno.test("exp:als --ratings runs a user's own CSV end to end, without titles, into a valid report", async () => {
  const dir = await Deno.makeTempDir({ prefix: "als-own-" });
  try {
    const csv = syntheticCsv();
    const path = join(dir, "my_ratings.csv");
    // The first rating repeated at the end, re-rated: it replaces the first, counted once.
    const [first] = csv.text.split("\n")[1].split(",");
    const again = csv.text.split("\n")[1].split(",");
    again[2] = again[2] === "5" ? "1" : "5";
    assert.equal(first, "1");
    await Deno.writeTextFile(path, csv.text + again.join(",") + "\n");
    const out = join(dir, "out");
    const fresh = await main([
      "--ratings",
      path,
      "--repeats",
      "1",
      "--iterations",
      "2",
      "--out",
      out,
    ]);
    const written = await readResults(join(out, "als.json"));
    assert.deepEqual(written.metrics, fresh.metrics);
    assert.equal(fresh.dataset.release, "my_ratings.csv");
    assert.deepEqual(fresh.dataset.files, [{
      name: "my_ratings.csv",
      sha256: await sha256Hex(path),
      md5: fresh.dataset.files[0].md5,
    }]);
    assert.match(fresh.dataset.files[0].md5 ?? "", /^[0-9a-f]{32}$/);
    assert.deepEqual(fresh.dataset.counts, {
      users: csv.users,
      items: csv.items,
      ratings: csv.ratings,
    });
    assert.deepEqual(fresh.dataset.duplicates, {
      policy: "keep-last",
      dropped: 1,
    });
    assert.deepEqual(written.dataset.duplicates, fresh.dataset.duplicates);
    assert.equal(fresh.config.ratings, "my_ratings.csv");
    assert.equal(fresh.config.movies, null);
    assert.equal(fresh.config.title, null);
    assert.equal(fresh.config.user, 1, "the smallest user id by default");
    assert.equal(fresh.metrics.user_ratings, 12);
    // No titles and no document call: those rows are left out, not faked.
    assert.deepEqual(fresh.comparisons.map((c) => [c.metric, c.status]), [
      ["users", "not-comparable"],
      ["items", "not-comparable"],
      ["ratings", "not-comparable"],
      ["user_ratings", "not-comparable"],
    ]);
    for (const c of fresh.comparisons.slice(0, 3)) {
      assert.match(c.note, /a user's own data \(my_ratings\.csv\)/);
    }
    const html = await Deno.readTextFile(join(out, "als.html"));
    assert.match(html, /comes without titles/);
    assert.match(html, /Repeated ratings/);
    assert.match(
      html,
      /1 earlier rating rows of a repeated \(user, item\) pair dropped/,
    );
    assert.match(html, /--movies/);
    assert.ok((await Deno.stat(join(out, "als", "model.onnx"))).size > 0);
    // Not the document's data: peak memory and the holdout's phases recorded
    // and reported; too small for the at-scale ranking (no ONNX sample check).
    assert.ok((fresh.metrics.peak_rss_mib as number) > 0);
    assert.ok(fresh.timings_s.holdout_fit > 0);
    assert.ok(fresh.timings_s.holdout_rank > 0);
    assert.equal(fresh.metrics.holdout_onnx_sample_users, undefined);
    assert.match(html, /Run size, memory and time/);
    assert.match(html, /peak resident memory \d+ MiB/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exp:als --ratings with --movies looks the title up and judges each row by its value", async () => {
  const dir = await Deno.makeTempDir({ prefix: "als-own-" });
  try {
    const csv = syntheticCsv();
    await Deno.writeTextFile(join(dir, "r.csv"), csv.text);
    const movies = ["movieId,title,genres"];
    for (let i = 1; i <= 30; i++) {
      movies.push(
        i === 5
          ? `${100 + i},Forrest Gump (1994),Comedy|Drama`
          : `${100 + i},Film number ${i} (2000),Drama`,
      );
    }
    await Deno.writeTextFile(join(dir, "m.csv"), movies.join("\n") + "\n");
    const out = join(dir, "out");
    const fresh = await main([
      "--ratings",
      join(dir, "r.csv"),
      "--movies",
      join(dir, "m.csv"),
      "--user",
      "3",
      "--repeats",
      "1",
      "--iterations",
      "2",
      "--out",
      out,
    ]);
    assert.deepEqual(fresh.dataset.files.map((f) => f.name), [
      "r.csv",
      "m.csv",
    ]);
    assert.equal(fresh.metrics.title_match_movie_id, 105);
    const status = Object.fromEntries(
      fresh.comparisons.map((c) => [c.metric, c.status]),
    );
    // Another data set: every row is another quantity, even the same title.
    assert.equal(status.title_match_movie_id, "not-comparable");
    assert.equal(status.title_index, "not-comparable");
    assert.equal(status.user_ratings, "not-comparable");
    assert.equal(status.als_precision_at_10, undefined, "no reference rows");
    const html = await Deno.readTextFile(join(out, "als.html"));
    assert.match(html, /Movies most similar to Forrest Gump \(1994\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exp:als --ratings with a bad row fails naming file:line and writes nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "als-own-" });
  const out = await Deno.makeTempDir({ prefix: "als-bad-" });
  try {
    const path = join(dir, "bad.csv");
    await Deno.writeTextFile(path, "user,item,rating\n1,10,4\n2,x,3\n");
    const { code, stderr } = await runExperiment("als/main.ts", [
      "--ratings",
      path,
    ], out);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /bad\.csv:3: /);
    assert.doesNotMatch(stderr, /^\s+at /m);
    assert.deepEqual([...Deno.readDirSync(out)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("exp:als refuses degenerate data in one line naming the file or flag, before fitting", async () => {
  const dir = await Deno.makeTempDir({ prefix: "als-degenerate-" });
  try {
    const cases: [string, string, string[], RegExp][] = [
      [
        "one_row.csv",
        "user,item,rating\n1,1,4\n",
        [],
        /^one_row\.csv: has only 1 rating row/,
      ],
      [
        "one_user.csv",
        "1,1,4\n1,2,3\n1,3,5\n",
        [],
        /^one_user\.csv: has ratings of only 1 user \(id 1\)/,
      ],
      [
        "zeros.csv",
        "1,1,0\n1,2,0\n2,1,0\n2,2,0\n",
        [],
        /^zeros\.csv: has no positive rating/,
      ],
      [
        "few.csv",
        "1,1,4\n1,2,3\n2,1,5\n2,3,1\n",
        [],
        /^--k 10 is larger than the 3 items of few\.csv; give --k 3 or less$/,
      ],
    ];
    for (const [name, text, extra, re] of cases) {
      const path = join(dir, name);
      await Deno.writeTextFile(path, text);
      const out = join(dir, `out-${name}`);
      await assert.rejects(
        () =>
          main(["--ratings", path, "--repeats", "1", "--out", out, ...extra]),
        (e: unknown) => {
          assert.ok(isUserError(e), String(e));
          assert.match((e as Error).message, re);
          return true;
        },
      );
      // Nothing was fitted, so nothing was written.
      await assert.rejects(() => Deno.stat(join(out, "als.json")));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
