/**
 * The explorer in a real browser against `deno task recommend`: quick runs
 * of every experiment that exports models write their ONNX files and
 * explorer pages into a temporary folder (the framework writes the pages),
 * `startServer` serves them, and headless Chromium
 * (tools/explorer_browser_check.ts) types "forrest gump", picks user 95 and
 * asks for a prediction, for every model (als, spotlight, google, keras
 * mf/bias/mlp, fastai dot/dot_bias/nn). Every list must equal what
 * tools/recommend.ts's `answer` gives in Deno for the same file (same movie
 * ids, scores within 1e-6; the user's training movies left out in both),
 * and the prediction the session's score. Prints the in-page latency of a
 * top-10 query (median) with the machine.
 *
 * Needs MovieLens (MOVIELENS_DIR) and Debian's `chromium` (or
 * CHROMIUM_PATH); ignored without them, except under CI.
 */

import assert from "node:assert/strict";
import { machine } from "../lib/bench_machine.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inCi, movieLensTestDir } from "../lib/data/test_data_dir.ts";
import { FactorModelSession } from "../lib/onnx/infer.ts";
import { MlpSession } from "../lib/onnx/mlp_export.ts";
import { DEFAULT_CHROMIUM, findChromium } from "../lib/report/browser_check.ts";
import { findTitle } from "../lib/title_search.ts";
import { answer, type AnswerRow } from "./recommend.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import type { ExplorerCheck, PageRow } from "./explorer_browser_check.ts";
import { defaultMounts, startServer } from "./serve.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** Every experiment that exports models, and the files each writes. */
const NAMES = ["als", "spotlight", "google", "keras", "fastai"];
const MODELS = [
  "als/model.onnx",
  "fastai/dot.onnx",
  "fastai/dot_bias.onnx",
  "fastai/nn.onnx",
  "google/model.onnx",
  "keras/bias.onnx",
  "keras/mf.onnx",
  "keras/mlp.onnx",
  "spotlight/model.onnx",
];
const TITLE = "forrest gump";
const USER = 95;
const K = 10;
const TOL = 1e-6;

const dataDir = movieLensTestDir();
const chromium = findChromium();
const ci = inCi();

interface Expected {
  similar: PageRow[] | null;
  similarQuery: number | null;
  recommend: PageRow[];
  predict: { itemId: number; score: number };
  masked: boolean;
}

const pageRows = (rows: readonly AnswerRow[]): PageRow[] =>
  rows.map((r) => ({
    itemId: r.itemId,
    itemIndex: r.itemIndex,
    score: r.score,
  }));

/** What the page must show: `deno task recommend`'s answers for the file, and the session's score for the prediction. */
async function expected(path: string, kind: string): Promise<Expected> {
  const rec = await answer(path, { user: USER, k: K });
  const bytes = await Deno.readFile(path);
  const s = kind === "factor"
    ? await FactorModelSession.load(bytes, path)
    : await MlpSession.load(bytes, path);
  try {
    const predict = await predictTitle(s);
    const sim = kind === "factor"
      ? await answer(path, { similar: TITLE, k: K })
      : null;
    return {
      similar: sim === null ? null : pageRows(sim.rows),
      similarQuery: sim === null ? null : predict.itemId,
      recommend: pageRows(rec.rows),
      predict,
      masked: rec.masked,
    };
  } finally {
    await s.release();
  }
}

/** The session's score for USER and the movie TITLE matches: the page's prediction. */
async function predictTitle(
  s: FactorModelSession | MlpSession,
): Promise<{ itemId: number; score: number }> {
  const { itemIds, userIds, itemTitles } = s.info;
  const match = findTitle(
    TITLE,
    Array.from(itemIds!, (id, j) => ({
      id,
      title: itemTitles![j] ?? "",
      ratings: 0,
    })),
  );
  const item = itemIds!.indexOf(match.id);
  const u = userIds!.indexOf(USER);
  const score = await s.score(Int32Array.of(u), Int32Array.of(item));
  return { itemId: match.id, score: score[0] };
}

function assertRows(
  got: PageRow[] | null,
  want: PageRow[] | null,
  what: string,
) {
  if (want === null) return assert.equal(got, null, what);
  assert.ok(got !== null, what);
  assert.deepEqual(
    got.map((r) => r.itemId),
    want.map((r) => r.itemId),
    `${what}: ids`,
  );
  for (let r = 0; r < want.length; r++) {
    assert.ok(
      Math.abs(got[r].score - want[r].score) <= TOL,
      `${what}: rank ${r + 1} score ${got[r].score} vs ${want[r].score}`,
    );
  }
}

Deno.test({
  name:
    "real data: explorer pages of every model (als, spotlight, google, keras mf/bias/mlp, fastai dot/dot_bias/nn) in headless Chromium answer 'forrest gump' and user 95 exactly as deno task recommend does",
  ignore: dataDir === null || (chromium === null && !ci),
  async fn() {
    assert.ok(
      chromium !== null,
      `CI needs Chromium at ${DEFAULT_CHROMIUM} (apt-get install -y chromium) or CHROMIUM_PATH`,
    );
    const out = await Deno.makeTempDir({ prefix: "explorer-browser-" });
    const ac = new AbortController();
    try {
      for (const name of NAMES) {
        const e = EXPERIMENTS.find((x) => x.name === name);
        assert.ok(e, `experiment ${name} in the registry`);
        const { main } = await e.load();
        await main([...e.quickArgs, "--data-dir", dataDir!, "--out", out]);
        assert.ok(
          (await Deno.stat(join(out, name, "explorer.html"))).isFile,
          `${name}: the run wrote its explorer page`,
        );
      }
      const server = startServer(defaultMounts(out), {
        port: 0,
        signal: ac.signal,
      });
      // Which page and model each URL opens, from the pages' own model lists.
      const targets: { url: string; path: string; kind: string }[] = [];
      for (const name of NAMES) {
        const html = await Deno.readTextFile(join(out, name, "explorer.html"));
        const config = JSON.parse(
          /id="explorer-config">(.*)<\/script>/.exec(html)![1],
        );
        for (const m of config.models) {
          targets.push({
            url: `${server.url}${name}/explorer.html?model=${
              encodeURIComponent(m.file)
            }`,
            path: join(out, name, m.file),
            kind: m.kind,
          });
          assert.equal(m.idsFrom, undefined, `${m.file} carries its own ids`);
        }
      }
      assert.deepEqual(
        targets.map((t) => t.path.slice(out.length + 1)).sort(),
        MODELS,
      );
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          join(ROOT, "tools", "explorer_browser_check.ts"),
          "--title",
          TITLE,
          "--user",
          String(USER),
          "--k",
          String(K),
          ...targets.map((t) => t.url),
        ],
        cwd: ROOT,
        env: { NO_COLOR: "1", CHROMIUM_PATH: chromium! },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(stderr);
      assert.equal(code, 0, err);
      const checks = JSON.parse(
        new TextDecoder().decode(stdout),
      ) as ExplorerCheck[];
      assert.equal(checks.length, targets.length);
      const latencies: string[] = [];
      for (const [j, t] of targets.entries()) {
        const c = checks[j];
        const label = t.path.slice(out.length + 1);
        assert.deepEqual(c.errors, [], `${label}: browser errors`);
        assert.deepEqual(
          c.foreignRequests,
          [],
          `${label}: requests to other origins`,
        );
        assert.deepEqual(
          c.pageErrors,
          [],
          `${label}: errors shown in the page`,
        );
        assert.equal(c.kind, t.kind, label);
        const want = await expected(t.path, t.kind);
        assert.ok(want.masked, `${label}: recommend leaves out rated movies`);
        assertRows(c.similar, want.similar, `${label} similar`);
        assert.equal(c.similarQuery, want.similarQuery, `${label} title match`);
        assertRows(c.recommend, want.recommend, `${label} top ${K}`);
        assert.equal(c.recommend.length, K, `${label}: ${K} rows`);
        assert.equal(
          c.predict.itemId,
          want.predict.itemId,
          `${label} predict id`,
        );
        assert.ok(
          Math.abs(c.predict.score - want.predict.score) <= TOL,
          `${label} predict ${c.predict.score} vs ${want.predict.score}`,
        );
        assert.match(
          c.maskNote,
          want.masked ? /^Already-rated movies are excluded/ : /^Not masked/,
        );
        assert.ok(
          c.latency.medianMs > 0 && c.latency.medianMs < 5_000,
          `${label} latency`,
        );
        latencies.push(
          `${label} ${c.latency.medianMs.toFixed(3)} ms (samples ${
            c.latency.minMs.toFixed(3)
          }–${c.latency.maxMs.toFixed(3)})`,
        );
      }
      console.log(
        `top-10 query in the page, median per query (20 samples × 10 queries, onnxruntime-web wasm, 1 thread, headless Chromium): ${
          latencies.join("; ")
        }; on ${machine()}, ${Deno.build.os}/${Deno.build.arch}`,
      );
      ac.abort();
      await server.finished;
    } finally {
      ac.abort();
      await Deno.remove(out, { recursive: true });
    }
  },
});
