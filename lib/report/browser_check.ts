/**
 * Opens report pages in headless Chromium (Debian's `chromium`, driven by
 * `playwright-core`) and checks what a reader sees: no console error, no
 * page error, no network request beyond the file itself, every Plotly plot
 * drawn with at least one trace and a non-empty title, the provenance
 * block present, no horizontal overflow (page or table) at 1280 px, the
 * metric, published, reproduced and status columns of every comparison
 * table visible at 390 px, and the file under the page-weight budget.
 * Saves a full-page screenshot per page and width.
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

/** Every page's size limit in bytes (self-contained, plotly included). */
export const PAGE_BUDGET_BYTES = 2_000_000;

/** The comparison-table columns that must stay visible on a phone. */
export const KEY_COLUMNS: readonly string[] = [
  "metric",
  "published",
  "reproduced",
  "status",
];

/** Evaluated in the page (a string, so no DOM types are needed here): what `PageCheck` reports. */
const PAGE_PROBE = `(() => {
  const plots = [...document.querySelectorAll(".js-plotly-plot")];
  const nav = performance.getEntriesByType("navigation")[0];
  const title = (p) => {
    const t = p.layout && p.layout.title;
    const text = typeof t === "string" ? t : (t && t.text) || "";
    const drawn = p.querySelector(".gtitle");
    return drawn && drawn.textContent.trim() !== "" ? String(text).trim() : "";
  };
  return {
    traces: plots.map((p) => (p.data || []).length),
    figureTitles: plots.map(title),
    plotAreas: document.querySelectorAll(".plot-area").length,
    heading: (document.querySelector("h1") || {}).textContent || "",
    provenance: document.querySelector("#provenance") !== null,
    loadMs: nav ? nav.loadEventStart : -1,
  };
})()`;

/** Evaluated at a given width: page and table overflow, and hidden key columns of comparison tables. */
const LAYOUT_PROBE = `((keys) => {
  const root = document.documentElement;
  const overflowing = [...document.querySelectorAll(".table-wrap")].filter((w) => w.scrollWidth > w.clientWidth + 1)
    .map((w) => ((w.querySelector("caption") || {}).textContent || "a table").slice(0, 60));
  const hidden = [];
  document.querySelectorAll("table.comparison").forEach((t, k) => {
    const wrap = t.closest(".table-wrap") || t.parentElement;
    const edge = Math.min(wrap.getBoundingClientRect().right, root.clientWidth);
    [...t.querySelectorAll("thead th")].forEach((th) => {
      const name = th.textContent.trim();
      if (!keys.includes(name)) return;
      const r = th.getBoundingClientRect();
      if (th.offsetParent === null || r.width === 0 || r.right > edge + 1) hidden.push("table " + (k + 1) + ": " + name);
    });
  });
  return { pageOverflow: Math.max(0, root.scrollWidth - root.clientWidth), overflowing, hidden };
})`;

/** What one width showed. */
export interface LayoutCheck {
  /** Viewport width (CSS px). */
  readonly width: number;
  /** How far the page scrolls sideways (px); 0 when it fits. */
  readonly pageOverflow: number;
  /** Captions of tables wider than their box (they scroll sideways). */
  readonly overflowing: string[];
  /** Key columns of comparison tables not visible ("table 1: status"). */
  readonly hidden: string[];
  /** The full-page screenshot (PNG). */
  readonly screenshot: string;
}

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
  /** Each plot's drawn title ("" when it has none or none was drawn). */
  readonly figureTitles: string[];
  /** The provenance block (`#provenance`) is on the page. */
  readonly provenance: boolean;
  /** The file's size in bytes. */
  readonly bytes: number;
  /** At 1280 px and at 390 px. */
  readonly layouts: LayoutCheck[];
  /** Plot-area divs (`.plot-area`) on the page; each must have become a Plotly plot. */
  readonly plotAreas: number;
  /** `<h1>` text, to show the page rendered at all. */
  readonly heading: string;
  /** Milliseconds from navigation start to the load event. */
  readonly loadMs: number;
  /** The 1280 px screenshot written (PNG). */
  readonly screenshot: string;
  /**
   * No error, no request, every plot area drawn with traces and a title, a
   * heading, the provenance block, within the budget, no overflow at
   * 1280 px and the key columns visible at 390 px.
   */
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
        if (r.url() !== url && !r.url().startsWith("blob:")) {
          requests.push(r.url());
        }
      });
      await page.goto(url, { waitUntil: "load" });
      const result = await page.evaluate(PAGE_PROBE) as {
        traces: number[];
        figureTitles: string[];
        plotAreas: number;
        heading: string;
        provenance: boolean;
        loadMs: number;
      };
      const layouts: LayoutCheck[] = [];
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        // Plotly resizes on the window's resize event; give it a frame.
        await page.waitForTimeout(300);
        const probe = await page.evaluate(
          `${LAYOUT_PROBE}(${JSON.stringify(KEY_COLUMNS)})`,
        ) as Omit<LayoutCheck, "width" | "screenshot">;
        const shot = resolve(artifactsDir, `${basename(path)}-${width}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        layouts.push({ width, ...probe, screenshot: shot });
      }
      await page.close();
      const bytes = (await Deno.stat(path)).size;
      const wide = layouts[0];
      const narrow = layouts[1];
      const ok = errors.length === 0 && requests.length === 0 &&
        result.traces.length === result.plotAreas &&
        result.traces.every((n) => n > 0) &&
        result.figureTitles.every((t) => t !== "") &&
        result.heading.trim() !== "" && result.provenance &&
        bytes <= PAGE_BUDGET_BYTES && wide.pageOverflow === 0 &&
        wide.overflowing.length === 0 && narrow.pageOverflow === 0 &&
        narrow.hidden.length === 0;
      checks.push({
        file: path,
        errors,
        requests,
        ...result,
        bytes,
        layouts,
        screenshot: wide.screenshot,
        ok,
      });
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
