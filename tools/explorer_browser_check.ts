/**
 * Drives explorer pages (lib/report/explorer.ts, served by tools/serve.ts)
 * in headless Chromium: for each URL, waits for the model to load, asks for
 * the movies similar to a title (factor models), a user's top-k, a user ×
 * movie prediction, and times top-10 queries; prints one JSON array of
 * `ExplorerCheck` on stdout. Playwright needs `-A` (it reads /proc and the
 * home folder), so tests run this file as its own process:
 *
 * ```sh
 * deno run -A tools/explorer_browser_check.ts --title "forrest gump" --user 95 http://127.0.0.1:8642/als/explorer.html
 * ```
 *
 * @module
 */

import { CHROMIUM_ARGS, findChromium } from "../lib/report/browser_check.ts";

/** One ranked row as the page shows it. */
export interface PageRow {
  readonly itemId: number;
  readonly itemIndex: number;
  /** The float32 score, at full precision. */
  readonly score: number;
}

/** What one explorer page answered. */
export interface ExplorerCheck {
  readonly url: string;
  /** Text of the page's status line after loading. */
  readonly status: string;
  /** "factor" or "mlp", from whether the similar-movies section is shown. */
  readonly kind: "factor" | "mlp";
  /** Similar movies (factor models only), the query movie first. */
  readonly similar: PageRow[] | null;
  /** The movie id the title matched (factor models only). */
  readonly similarQuery: number | null;
  readonly recommend: PageRow[];
  /** The note above the top-k list (masked or not). */
  readonly maskNote: string;
  readonly predict: { itemId: number; score: number };
  /** Median ms per top-10 query, and the sample range. */
  readonly latency: { medianMs: number; minMs: number; maxMs: number };
  /** Console errors and page errors. */
  readonly errors: string[];
  /** Requests to any origin other than the page's. */
  readonly foreignRequests: string[];
  /** Section errors shown in the page (empty when all succeeded). */
  readonly pageErrors: string[];
}

const ROWS =
  `(sel) => [...document.querySelectorAll(sel + " tbody tr")].map((tr) => ({
  itemId: Number(tr.dataset.itemId),
  itemIndex: Number(tr.dataset.itemIndex),
  score: Number(tr.dataset.score),
}))`;

/** Opens each URL in one headless Chromium and answers the queries. */
export async function checkExplorers(
  urls: readonly string[],
  query: { title: string; user: number; k: number },
  executablePath: string,
): Promise<ExplorerCheck[]> {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath,
    args: [...CHROMIUM_ARGS],
  });
  const out: ExplorerCheck[] = [];
  try {
    for (const url of urls) {
      const origin = new URL(url).origin;
      const page = await browser.newPage();
      const errors: string[] = [];
      const foreignRequests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      page.on("request", (r) => {
        if (new URL(r.url()).origin !== origin) foreignRequests.push(r.url());
      });
      await page.goto(url, { waitUntil: "load" });
      await page.waitForSelector("body[data-ready]", { timeout: 120_000 });
      const status = (await page.textContent("#status")) ?? "";
      const done = async (id: string) => {
        await page.waitForSelector(
          `#${id}[data-state="done"], #${id}[data-state="error"]`,
          { timeout: 120_000 },
        );
      };
      const pageErrors: string[] = [];
      const collectError = async (id: string) => {
        if (await page.getAttribute(`#${id}`, "data-state") === "error") {
          pageErrors.push(`${id}: ${await page.textContent(`#${id}`)}`);
        }
      };
      const kind = await page.isVisible("#similar") ? "factor" : "mlp";
      let similar: PageRow[] | null = null;
      let similarQuery: number | null = null;
      if (kind === "factor") {
        await page.fill("#similar-title", query.title);
        await page.fill("#similar-k", String(query.k));
        await page.click("#similar-form button");
        await done("similar-out");
        await collectError("similar-out");
        similar = await page.evaluate(`(${ROWS})("#similar-out")`);
        const q = await page.getAttribute("#similar-out", "data-query");
        similarQuery = q === null ? null : Number(q);
      }
      await page.fill("#rec-user", String(query.user));
      await page.fill("#rec-k", String(query.k));
      await page.click("#rec-form button");
      await done("rec-out");
      await collectError("rec-out");
      const recommend = await page.evaluate(
        `(${ROWS})("#rec-out")`,
      ) as PageRow[];
      const maskNote = (await page.textContent("#rec-mask-note")) ?? "";
      await page.fill("#predict-user", String(query.user));
      await page.fill("#predict-movie", query.title);
      await page.click("#predict-form button");
      await done("predict-out");
      await collectError("predict-out");
      const predict = await page.evaluate(`(() => {
        const p = document.querySelector("#predict-out p[data-score]");
        return p ? { itemId: Number(p.dataset.itemId), score: Number(p.dataset.score) } : { itemId: NaN, score: NaN };
      })()`) as { itemId: number; score: number };
      await page.click("#measure");
      await done("latency-out");
      await collectError("latency-out");
      const latency = await page.evaluate(`(() => {
        const d = document.getElementById("latency-out").dataset;
        return { medianMs: Number(d.medianMs), minMs: Number(d.minMs), maxMs: Number(d.maxMs) };
      })()`) as ExplorerCheck["latency"];
      await page.close();
      out.push({
        url,
        status,
        kind,
        similar,
        similarQuery,
        recommend,
        maskNote,
        predict,
        latency,
        errors,
        foreignRequests,
        pageErrors,
      });
    }
  } finally {
    await browser.close();
  }
  return out;
}

if (import.meta.main) {
  const args = [...Deno.args];
  const take = (flag: string, fallback: string) => {
    const at = args.indexOf(flag);
    if (at < 0) return fallback;
    return args.splice(at, 2)[1];
  };
  const title = take("--title", "forrest gump");
  const user = Number(take("--user", "95"));
  const k = Number(take("--k", "10"));
  const chromium = findChromium();
  if (chromium === null || args.length === 0) {
    console.error(
      chromium === null
        ? "error: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)"
        : "usage: deno run -A tools/explorer_browser_check.ts [--title t] [--user id] [--k n] <explorer url>...",
    );
    Deno.exit(2);
  }
  const checks = await checkExplorers(args, { title, user, k }, chromium);
  console.log(JSON.stringify(checks, null, 2));
}
