/**
 * Every report in a real browser: each experiment runs quickly (its
 * `quickArgs`, e.g. one seed) into a temporary folder, the index page is
 * built from those results (as `deno task exp:all` writes it), and headless
 * Chromium opens every page, failing on any console or page error, any
 * network request, a plot drawn without traces or without a title, a page
 * without its provenance block or over the 2 MB budget, horizontal overflow
 * at 1280 px, or a comparison table whose metric, published, reproduced or
 * status column is not visible at 390 px. Screenshots at both widths go to
 * reports/artifacts/ (git-ignored); page weights are printed.
 *
 * Needs Debian's `chromium` (or `CHROMIUM_PATH`): without it the test is
 * ignored with a message, except under CI, where it fails.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inCi, movieLensTestDir } from "../lib/data/test_data_dir.ts";
import {
  DEFAULT_CHROMIUM,
  findChromium,
  PAGE_BUDGET_BYTES,
  type PageCheck,
} from "../lib/report/browser_check.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { writeIndexPage } from "./report_index.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const ARTIFACTS = join(ROOT, "reports", "artifacts");

const dataDir = movieLensTestDir();
const chromium = findChromium();
const ci = inCi();
if (chromium === null && !ci) {
  console.warn(
    `browser test ignored: no Chromium at ${
      Deno.env.get("CHROMIUM_PATH") ?? DEFAULT_CHROMIUM
    }; install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH`,
  );
}

Deno.test({
  name:
    "real data: every report and reports/index.html open in headless Chromium without errors and draw every plot",
  ignore: dataDir === null || (chromium === null && !ci),
  async fn() {
    assert.ok(
      chromium !== null,
      `CI needs Chromium at ${DEFAULT_CHROMIUM} (apt-get install -y chromium) or CHROMIUM_PATH`,
    );
    const out = await Deno.makeTempDir({ prefix: "browser-reports-" });
    try {
      const t0 = performance.now();
      for (const e of EXPERIMENTS) {
        const { main } = await e.load();
        await main([...e.quickArgs, "--data-dir", dataDir!, "--out", out]);
      }
      await writeIndexPage(out);
      const generated = (performance.now() - t0) / 1000;

      const pages = [
        join(out, "index.html"),
        ...EXPERIMENTS.map((e) => join(out, `${e.name}.html`)),
      ];
      const t1 = performance.now();
      const { code, stdout, stderr } = await new Deno.Command(
        Deno.execPath(),
        {
          args: [
            "run",
            "-A",
            join(ROOT, "lib", "report", "browser_check.ts"),
            "--artifacts",
            ARTIFACTS,
            ...pages,
          ],
          cwd: ROOT,
          env: { NO_COLOR: "1", CHROMIUM_PATH: chromium! },
          stdout: "piped",
          stderr: "piped",
        },
      ).output();
      const browsed = (performance.now() - t1) / 1000;
      const text = new TextDecoder().decode(stdout);
      const err = new TextDecoder().decode(stderr);
      assert.ok(code === 0 || code === 1, `browser check crashed:\n${err}`);
      const checks = JSON.parse(text) as PageCheck[];
      assert.equal(checks.length, pages.length);
      for (const c of checks) {
        assert.deepEqual(c.errors, [], `${c.file}: errors in the browser`);
        assert.deepEqual(c.requests, [], `${c.file}: not self-contained`);
        assert.equal(
          c.traces.length,
          c.plotAreas,
          `${c.file}: ${
            c.plotAreas - c.traces.length
          } plot areas never became plots`,
        );
        assert.ok(
          c.traces.every((n) => n > 0),
          `${c.file}: traces ${c.traces}`,
        );
        assert.ok(
          c.figureTitles.every((t) => t !== ""),
          `${c.file}: figures without a drawn title: ${
            c.figureTitles.map((t, i) => t === "" ? i + 1 : null).filter(
              (i) => i !== null,
            )
          }`,
        );
        assert.ok(c.provenance, `${c.file}: no provenance block`);
        assert.ok(
          c.bytes <= PAGE_BUDGET_BYTES,
          `${c.file}: ${c.bytes} bytes, over the ${PAGE_BUDGET_BYTES} budget`,
        );
        const [wide, narrow] = c.layouts;
        assert.equal(
          wide.pageOverflow,
          0,
          `${c.file}: scrolls sideways at 1280 px`,
        );
        assert.deepEqual(
          wide.overflowing,
          [],
          `${c.file}: tables wider than the page at 1280 px`,
        );
        assert.equal(
          narrow.pageOverflow,
          0,
          `${c.file}: scrolls sideways at 390 px`,
        );
        assert.deepEqual(
          narrow.hidden,
          [],
          `${c.file}: key columns not visible at 390 px`,
        );
        assert.ok(c.ok, c.file);
        for (const l of c.layouts) {
          assert.ok(
            (await Deno.stat(l.screenshot)).size > 10_000,
            l.screenshot,
          );
        }
      }
      for (const c of checks.slice(1)) {
        assert.ok(
          c.traces.length > 0,
          `${c.file}: an experiment report has figures`,
        );
      }
      assert.equal(code, 0, err);
      console.log(
        `page weights: ${
          checks.map((c) =>
            `${c.file.split("/").at(-1)} ${(c.bytes / 1e6).toFixed(2)} MB`
          )
            .join(", ")
        }; reports generated in ${
          generated.toFixed(1)
        } s, checked in Chromium in ${browsed.toFixed(1)} s; load events at ${
          checks.map((c) => `${c.loadMs.toFixed(0)} ms`).join(", ")
        }; screenshots in ${ARTIFACTS}`,
      );
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
