import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  APP_DIR,
  EXPLORER_CSP,
  type Mount,
  ortDistDir,
  resolveRequestPath,
  startServer,
} from "./serve.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** A temp served root holding a page, an explorer page, a model and a symlink pointing outside. */
async function fixture(): Promise<{ root: string; outside: string }> {
  const root = await Deno.makeTempDir({ prefix: "serve-root-" });
  const outside = await Deno.makeTempDir({ prefix: "serve-outside-" });
  await Deno.writeTextFile(join(root, "index.html"), "<h1>index</h1>");
  await Deno.mkdir(join(root, "als"));
  await Deno.writeTextFile(join(root, "als", "explorer.html"), "<h1>x</h1>");
  await Deno.writeFile(join(root, "als", "model.onnx"), Uint8Array.of(8, 1));
  await Deno.writeTextFile(join(outside, "secret.txt"), "TOP-SECRET-CONTENT");
  await Deno.symlink(join(outside, "secret.txt"), join(root, "link.txt"));
  await Deno.symlink(outside, join(root, "linkdir"));
  await Deno.writeTextFile(join(root, ".hidden"), "TOP-SECRET-CONTENT");
  return { root, outside };
}

/** Sends one raw HTTP/1.1 request line (no client-side normalisation) and returns status and body. */
async function rawGet(
  port: number,
  target: string,
): Promise<{ status: number; text: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      ),
    );
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
    }
    const text = new TextDecoder().decode(
      Uint8Array.from(chunks.flatMap((c) => [...c])),
    );
    return { status: Number(text.split(" ")[1]), text };
  } finally {
    try {
      conn.close();
    } catch { /* closed by the server */ }
  }
}

Deno.test("resolveRequestPath: refuses dot segments, empty segments, NUL, backslash, encoded slash, dotfiles", () => {
  const mounts: Mount[] = [
    { prefix: "/ort/", dir: "/o" },
    { prefix: "/", dir: "/r" },
  ];
  for (
    const p of [
      "/../deno.json",
      "/%2e%2e/deno.json",
      "/%2E%2E/deno.json",
      "//etc/passwd",
      "/als//model.onnx",
      "/ort/..%2f..%2fdeno.json",
      "/a%00b",
      "/a%5cb",
      "/als\\..\\x",
      "/%zz",
      "/.git/config",
      "/C:/windows",
      "relative",
    ]
  ) {
    const r = resolveRequestPath(p, mounts);
    assert.equal(r.ok, false, p);
  }
  const ok = resolveRequestPath("/ort/ort.wasm.min.mjs", mounts);
  assert.ok(ok.ok && ok.mount.prefix === "/ort/");
  assert.deepEqual(ok.ok && ok.segments, ["ort.wasm.min.mjs"]);
  const idx = resolveRequestPath("/als/", mounts);
  assert.deepEqual(idx.ok && idx.segments, ["als", "index.html"]);
  const sp = resolveRequestPath("/a%20b.html", mounts);
  assert.deepEqual(sp.ok && sp.segments, ["a b.html"]);
});

Deno.test("startServer: serves files with types and nosniff, refuses traversal, symlinks out, POST; stops on abort", async () => {
  const { root, outside } = await fixture();
  const ac = new AbortController();
  const server = startServer([
    { prefix: "/ort/", dir: ortDistDir() },
    { prefix: "/app/", dir: APP_DIR },
    { prefix: "/", dir: root },
  ], { port: 0, signal: ac.signal });
  try {
    assert.ok(server.port > 0);
    const get = (p: string, init?: RequestInit) => fetch(server.url + p, init);

    let r = await get("");
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(r.headers.get("x-content-type-options"), "nosniff");
    assert.equal(await r.text(), "<h1>index</h1>");

    r = await get("als/explorer.html");
    assert.equal(r.headers.get("content-security-policy"), EXPLORER_CSP);
    assert.ok(!EXPLORER_CSP.includes("unsafe-inline"));
    assert.ok(!/https?:/.test(EXPLORER_CSP));
    await r.body?.cancel();

    r = await get("als/model.onnx");
    assert.equal(r.headers.get("content-type"), "application/octet-stream");
    assert.deepEqual(
      new Uint8Array(await r.arrayBuffer()),
      Uint8Array.of(8, 1),
    );

    r = await get("ort/ort-wasm-simd-threaded.wasm", { method: "HEAD" });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "application/wasm");
    assert.ok(Number(r.headers.get("content-length")) > 1_000_000);
    assert.equal(await r.text(), "");

    r = await get("ort/ort.wasm.min.mjs");
    assert.equal(r.status, 200);
    assert.equal(
      r.headers.get("content-type"),
      "text/javascript; charset=utf-8",
    );
    assert.ok((await r.text()).includes("InferenceSession"));

    r = await get("app/explorer.js");
    assert.equal(r.status, 200);
    await r.body?.cancel();

    for (
      const [target, want] of [
        ["/../deno.json", [403, 404]],
        ["/%2e%2e/deno.json", [403, 404]],
        ["/%2e%2e%2fdeno.json", [403]],
        ["//etc/passwd", [403]],
        ["/ort/..%2f..%2f..%2fpackage.json", [403]],
        ["/app/%2e%2e/%2e%2e/deno.json", [403, 404]],
        ["/link.txt", [403]],
        ["/linkdir/secret.txt", [403]],
        ["/.hidden", [403]],
        ["/a%00b", [403]],
        ["/no-such-file.html", [404]],
        ["/als", [404]],
      ] as const
    ) {
      const { status, text } = await rawGet(server.port, target);
      assert.ok(
        (want as readonly number[]).includes(status),
        `${target}: ${status}`,
      );
      assert.ok(!text.includes("TOP-SECRET"), target);
      assert.ok(!text.includes('"tasks"'), `${target} leaked deno.json`);
    }

    r = await get("index.html", { method: "POST", body: "x" });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get("allow"), "GET, HEAD");
    await r.body?.cancel();
    r = await get("index.html", { method: "DELETE" });
    assert.equal(r.status, 405);
    await r.body?.cancel();
  } finally {
    ac.abort();
    await server.finished;
    await Deno.remove(root, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
  await assert.rejects(fetch(server.url));
});

Deno.test("deno task serve: prints its port for --port 0, serves, and exits 0 on SIGTERM", async () => {
  const { root, outside } = await fixture();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-net=127.0.0.1",
      join(ROOT, "tools", "serve.ts"),
      "--port",
      "0",
      "--dir",
      root,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  try {
    let url: string | undefined;
    while (url === undefined) {
      const { value, done } = await lines.read();
      assert.ok(!done, `serve ended before listening:\n${seen}`);
      seen += value;
      url = /serving (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(seen)?.[1];
    }
    assert.ok(seen.includes(ortDistDir()), seen);
    const r = await fetch(url);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), "<h1>index</h1>");
    child.kill("SIGTERM");
    for (;;) {
      const { value, done } = await lines.read();
      if (done) break;
      seen += value;
    }
    const status = await child.status;
    const err = await new Response(child.stderr).text();
    assert.equal(status.code, 0, err);
    assert.match(seen, /stopped\n$/);
    await assert.rejects(fetch(url));
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    await Deno.remove(root, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
