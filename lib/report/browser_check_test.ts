import assert from "node:assert/strict";
import { inCi } from "../data/test_data_dir.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CHROMIUM_ARGS,
  findChromium,
  type PageCheck,
} from "./browser_check.ts";

Deno.test("findChromium honours CHROMIUM_PATH and returns null when the file is missing", () => {
  const before = Deno.env.get("CHROMIUM_PATH");
  try {
    Deno.env.set("CHROMIUM_PATH", "/nonexistent/chromium");
    assert.equal(findChromium(), null);
    const self = Deno.execPath();
    Deno.env.set("CHROMIUM_PATH", self);
    assert.equal(findChromium(), self);
  } finally {
    if (before === undefined) Deno.env.delete("CHROMIUM_PATH");
    else Deno.env.set("CHROMIUM_PATH", before);
  }
});

Deno.test("CHROMIUM_ARGS run headless Chromium without a sandbox, GPU or background traffic", () => {
  for (
    const flag of [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
    ]
  ) {
    assert.ok(CHROMIUM_ARGS.includes(flag), flag);
  }
});

const chromium = findChromium();

Deno.test({
  name:
    "browser_check fails a page with a console error, a page error, a network request and an undrawn plot",
  ignore: chromium === null && !inCi(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "browser-check-" });
    try {
      const bad = join(dir, "bad.html");
      await Deno.writeTextFile(
        bad,
        `<!DOCTYPE html><html><head><title>x</title></head><body><h1>Bad</h1>
<div class="plot-area"></div><img src="http://127.0.0.1:9/x.png">
<script>console.error("broken"); throw new Error("boom");</script></body></html>`,
      );
      const good = join(dir, "good.html");
      await Deno.writeTextFile(
        good,
        '<!DOCTYPE html><html><body><h1>Good</h1><section id="provenance"></section></body></html>',
      );
      const wide = join(dir, "wide.html");
      await Deno.writeTextFile(
        wide,
        `<!DOCTYPE html><html><body><h1>Wide</h1><section id="provenance"></section>
<div class="table-wrap" style="overflow-x:auto"><table class="comparison"><caption>cmp</caption>
<thead><tr><th style="min-width:1400px">metric</th><th>status</th></tr></thead></table></div></body></html>`,
      );
      const bare = join(dir, "bare.html");
      await Deno.writeTextFile(
        bare,
        "<!DOCTYPE html><html><body><h1>No provenance</h1></body></html>",
      );
      const { code, stdout } = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          fileURLToPath(new URL("./browser_check.ts", import.meta.url)),
          "--artifacts",
          join(dir, "shots"),
          bad,
          good,
          wide,
          bare,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(code, 1);
      const [b, g, w, n] = JSON.parse(
        new TextDecoder().decode(stdout),
      ) as PageCheck[];
      assert.equal(b.ok, false);
      assert.ok(
        b.errors.some((e) => /console: broken/.test(e)),
        String(b.errors),
      );
      assert.ok(
        b.errors.some((e) => /page error: boom/.test(e)),
        String(b.errors),
      );
      assert.deepEqual(b.requests, ["http://127.0.0.1:9/x.png"]);
      assert.equal(b.plotAreas, 1);
      assert.deepEqual(b.traces, []);
      assert.equal(g.ok, true);
      assert.equal(g.heading, "Good");
      assert.equal(g.bytes, (await Deno.stat(good)).size);
      assert.deepEqual(g.layouts.map((l) => l.width), [1280, 390]);
      for (const l of g.layouts) {
        assert.ok((await Deno.stat(l.screenshot)).isFile);
      }
      // a table wider than the page at 1280 px; its status column off-screen at 390 px
      assert.equal(w.ok, false);
      assert.deepEqual(w.layouts[0].overflowing, ["cmp"]);
      assert.ok(
        w.layouts[1].hidden.includes("table 1: status"),
        String(w.layouts[1].hidden),
      );
      assert.equal(n.provenance, false);
      assert.equal(n.ok, false);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
