/**
 * The explorer in a real browser against the same model in Deno: quick runs
 * of the listed experiments write their ONNX files into a temporary folder,
 * `writeExplorerPage` adds the pages, `startServer` serves them, and headless
 * Chromium (tools/explorer_browser_check.ts) types "forrest gump", picks user
 * 95 and asks for a prediction; every list and score must equal what
 * `FactorModelSession` (or `MlpSession`, scoring all movies) gives in Deno:
 * same movie ids, scores within 1e-6. Prints the in-page latency of a top-10
 * query (median) with the machine.
 *
 * Needs MovieLens (MOVIELENS_DIR) and Debian's `chromium` (or
 * CHROMIUM_PATH); ignored without them, except under CI.
 */

import assert from "node:assert/strict";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inCi, movieLensTestDir } from "../lib/data/test_data_dir.ts";
import { FactorModelSession } from "../lib/onnx/infer.ts";
import { MlpSession } from "../lib/onnx/mlp_export.ts";
import { readMetadata } from "../lib/onnx/metadata.ts";
import { DEFAULT_CHROMIUM, findChromium } from "../lib/report/browser_check.ts";
import { writeExplorerPage } from "../lib/report/explorer.ts";
import { findTitle } from "../lib/title_search.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import type { ExplorerCheck, PageRow } from "./explorer_browser_check.ts";
import { defaultMounts, startServer } from "./serve.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** Experiments whose models the test opens (ALS: masked factor graph; keras: unmasked mf/bias and an MLP). */
const NAMES = ["als", "keras"];
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

function rows(
  items: ArrayLike<number>,
  scores: ArrayLike<number>,
  itemIds: ArrayLike<number>,
): PageRow[] {
  const out: PageRow[] = [];
  for (let r = 0; r < items.length; r++) {
    if (scores[r] === -Infinity) continue;
    out.push({
      itemId: itemIds[items[r]],
      itemIndex: items[r],
      score: scores[r],
    });
  }
  return out;
}

function titleEntries(
  itemIds: ArrayLike<number>,
  titles: readonly (string | null)[],
) {
  return Array.from(
    itemIds,
    (id, j) => ({ id, title: titles[j] ?? "", ratings: 0 }),
  );
}

/** What the page must show for a factor model, computed with FactorModelSession. */
async function expectFactor(path: string): Promise<Expected> {
  const s = await FactorModelSession.load(path);
  try {
    const { itemIds, userIds, itemTitles } = s.info;
    assert.ok(itemIds && userIds && itemTitles, `${path}: ids and titles`);
    const match = findTitle(TITLE, titleEntries(itemIds, itemTitles));
    const item = itemIds.indexOf(match.id);
    const sim = await s.similar(item, Math.min(K + 1, s.layout.nItems));
    const u = userIds.indexOf(USER);
    const rec = await s.recommend(Int32Array.of(u), K);
    const score = await s.score(Int32Array.of(u), Int32Array.of(item));
    return {
      similar: rows(sim.items, sim.scores, itemIds),
      similarQuery: match.id,
      recommend: rows(rec.items, rec.scores, itemIds),
      predict: { itemId: match.id, score: score[0] },
      masked: s.layout.masksSeen,
    };
  } finally {
    await s.release();
  }
}

/** The same for an MLP: every movie scored for the user, top K by score then lower index; ids from `idsFrom`. */
async function expectMlp(path: string, idsFrom: string): Promise<Expected> {
  const meta = readMetadata(await Deno.readFile(idsFrom), idsFrom);
  const userIds: number[] = JSON.parse(meta["cf.user_ids"]);
  const itemIds: number[] = JSON.parse(meta["cf.item_ids"]);
  const titles: (string | null)[] = JSON.parse(meta["cf.item_titles"]);
  const s = await MlpSession.load(await Deno.readFile(path), path);
  try {
    const u = userIds.indexOf(USER);
    const n = s.nItems;
    const scores = await s.score(
      new Int32Array(n).fill(u),
      Int32Array.from({ length: n }, (_, j) => j),
    );
    const order = Array.from(scores.keys()).sort((a, b) =>
      scores[b] - scores[a] || a - b
    ).slice(0, K);
    const match = findTitle(TITLE, titleEntries(itemIds, titles));
    const item = itemIds.indexOf(match.id);
    return {
      similar: null,
      similarQuery: null,
      recommend: order.map((j) => ({
        itemId: itemIds[j],
        itemIndex: j,
        score: scores[j],
      })),
      predict: { itemId: match.id, score: scores[item] },
      masked: false,
    };
  } finally {
    await s.release();
  }
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

/** CPU model and core count (`node:os`, needs --allow-sys=cpus). */
function machine(): string {
  const list = cpus();
  const model = list[0]?.model?.trim().replace(/\s+/g, " ") || "unknown CPU";
  return `${model}, ${list.length} logical cores, ${Deno.build.os}/${Deno.build.arch}`;
}

Deno.test({
  name:
    "real data: explorer pages (als, keras mf/bias/mlp) in headless Chromium answer 'forrest gump' and user 95 exactly as FactorModelSession/MlpSession do in Deno",
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
          await writeExplorerPage(out, name),
          `${name}: explorer written`,
        );
      }
      const server = startServer(defaultMounts(out), {
        port: 0,
        signal: ac.signal,
      });
      // Which page and model each URL opens, from the pages' own model lists.
      const targets: {
        url: string;
        path: string;
        kind: string;
        idsFrom?: string;
      }[] = [];
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
            idsFrom: m.idsFrom ? join(out, name, m.idsFrom) : undefined,
          });
        }
      }
      assert.deepEqual(
        targets.map((t) => t.path.slice(out.length + 1)).sort(),
        [
          "als/model.onnx",
          "keras/bias.onnx",
          "keras/mf.onnx",
          "keras/mlp.onnx",
        ],
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
        const want = t.kind === "factor"
          ? await expectFactor(t.path)
          : await expectMlp(t.path, t.idsFrom!);
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
        }; on ${machine()}`,
      );
      ac.abort();
      await server.finished;
    } finally {
      ac.abort();
      await Deno.remove(out, { recursive: true });
    }
  },
});
