/**
 * Opens report pages in headless Chromium (Debian's `chromium`, driven by
 * `playwright-core`) and checks each: no console error, no page error, no
 * network request beyond the file itself, every Plotly plot drawn with at
 * least one trace. Saves a full-page screenshot per page.
 *
 * Playwright reads `/proc` and the home directory when it loads, which Deno
 * only allows with `-A`; so tests run this file as its own process:
 *
 * ```sh
 * deno run -A lib/report/browser_check.ts --artifacts reports/artifacts reports/index.html reports/als.html
 * ```
 *
 * It prints one JSON array of `PageCheck` on stdout and exits 1 when a page
 * fails.
 *
 * @module
 */

import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Where Debian installs Chromium; `CHROMIUM_PATH` overrides it. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** Launch flags that work in containers without a GPU or a user namespace sandbox. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * The Chromium executable to use (`CHROMIUM_PATH`, else /usr/bin/chromium),
 * or null when it is not there.
 */
export function findChromium(): string | null {
  const path = Deno.env.get("CHROMIUM_PATH") ?? DEFAULT_CHROMIUM;
  try {
    return Deno.statSync(path).isFile ? path : null;
  } catch {
    return null;
  }
}

/** Evaluated in the page (a string, so no DOM types are needed here): what `PageCheck` reports. */
const PAGE_PROBE = `(() => {
  const plots = [...document.querySelectorAll(".js-plotly-plot")];
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    traces: plots.map((p) => (p.data || []).length),
    plotAreas: document.querySelectorAll(".plot-area").length,
    heading: (document.querySelector("h1") || {}).textContent || "",
    loadMs: nav ? nav.loadEventStart : -1,
  };
})()`;

/** The outcome of opening one page. */
export interface PageCheck {
  /** The HTML file opened (absolute). */
  readonly file: string;
  /** Console messages of type "error" and uncaught page errors, in order. */
  readonly errors: string[];
  /** Requests for anything but the page itself (a self-contained page makes none). */
  readonly requests: string[];
  /** Traces drawn in each `.js-plotly-plot` element, in document order. */
  readonly traces: number[];
  /** Plot-area divs (`.plot-area`) on the page; each must have become a Plotly plot. */
  readonly plotAreas: number;
  /** `<h1>` text, to show the page rendered at all. */
  readonly heading: string;
  /** Milliseconds from navigation start to the load event. */
  readonly loadMs: number;
  /** The screenshot written (PNG). */
  readonly screenshot: string;
  /** No error, no request, every plot area drawn with traces, a heading. */
  readonly ok: boolean;
}

/**
 * Opens every file of `files` in one headless Chromium and checks it (see
 * `PageCheck`), saving `<artifactsDir>/<file name>.png`.
 */
export async function checkPages(
  files: readonly string[],
  artifactsDir: string,
  executablePath: string = findChromium() ?? DEFAULT_CHROMIUM,
): Promise<PageCheck[]> {
  const { chromium } = await import("playwright-core");
  await Deno.mkdir(artifactsDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    args: [...CHROMIUM_ARGS],
  });
  const checks: PageCheck[] = [];
  try {
    for (const file of files) {
      const path = resolve(file);
      const url = pathToFileURL(path).href;
      const page = await browser.newPage({
        viewport: { width: 1280, height: 900 },
      });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      page.on("request", (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      await page.goto(url, { waitUntil: "load" });
      const result = await page.evaluate(PAGE_PROBE) as {
        traces: number[];
        plotAreas: number;
        heading: string;
        loadMs: number;
      };
      const screenshot = resolve(artifactsDir, `${basename(path)}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      await page.close();
      const ok = errors.length === 0 && requests.length === 0 &&
        result.traces.length === result.plotAreas &&
        result.traces.every((n) => n > 0) && result.heading.trim() !== "";
      checks.push({ file: path, errors, requests, ...result, screenshot, ok });
    }
  } finally {
    await browser.close();
  }
  return checks;
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--artifacts");
  if (at < 0 || at + 1 >= args.length) {
    console.error(
      "usage: deno run -A lib/report/browser_check.ts --artifacts <dir> <page.html>...",
    );
    Deno.exit(2);
  }
  const artifacts = args.splice(at, 2)[1];
  if (findChromium() === null) {
    console.error(
      `error: no Chromium at ${
        Deno.env.get("CHROMIUM_PATH") ?? DEFAULT_CHROMIUM
      }; install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
    Deno.exit(2);
  }
  const checks = await checkPages(args, artifacts);
  console.log(JSON.stringify(checks, null, 2));
  Deno.exit(checks.every((c) => c.ok) ? 0 : 1);
}
