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
        "<!DOCTYPE html><html><body><h1>Good</h1></body></html>",
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
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(code, 1);
      const [b, g] = JSON.parse(
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
      assert.ok((await Deno.stat(g.screenshot)).isFile);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
