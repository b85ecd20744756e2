import assert from "node:assert/strict";
import { digestBytes } from "./checksum.ts";
import { DataError } from "./data_error.ts";
import { downloadArchive } from "./download.ts";
import { type MovieLensRelease, RELEASES } from "./registry.ts";

const PAYLOAD = new Uint8Array(300_000).map((_, i) => (i * 7 + (i >> 8)) & 255);

/** Serves PAYLOAD at /good.zip, other bytes at /bad.zip and 404 elsewhere, on 127.0.0.1. */
async function withServer(fn: (base: string) => Promise<void>): Promise<void> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/good.zip") return new Response(PAYLOAD);
      if (path === "/bad.zip") return new Response(PAYLOAD.subarray(0, 1000));
      return new Response("no such file", {
        status: 404,
        statusText: "Not Found",
      });
    },
  );
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

function testRelease(base: string, path: string): MovieLensRelease {
  const d = digestBytes(PAYLOAD);
  return {
    ...RELEASES["ml-1m"],
    url: base + path,
    md5: d.md5!,
    sha256: d.sha256,
    archiveBytes: PAYLOAD.length,
  };
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("downloadArchive saves a verified archive under its name in the cache dir", async () => {
  const cache = await Deno.makeTempDir();
  try {
    await withServer(async (base) => {
      const { path, digests } = await downloadArchive(
        testRelease(base, "/good.zip"),
        cache,
      );
      assert.equal(path, `${cache}/ml-1m.zip`);
      assert.deepEqual(await Deno.readFile(path), PAYLOAD);
      assert.equal(digests.md5, digestBytes(PAYLOAD).md5);
      assert.deepEqual(await listDir(cache), ["ml-1m.zip"]);
    });
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("downloadArchive on a checksum mismatch names URL, expected and actual MD5, leaves nothing", async () => {
  const cache = await Deno.makeTempDir();
  try {
    await withServer(async (base) => {
      const release = testRelease(base, "/bad.zip");
      const actual = digestBytes(PAYLOAD.subarray(0, 1000)).md5!;
      await assert.rejects(
        () => downloadArchive(release, cache),
        (e: unknown) => {
          assert.ok(e instanceof DataError);
          assert.ok(e.message.includes(`${base}/bad.zip`), e.message);
          assert.ok(e.message.includes(release.md5!), e.message);
          assert.ok(e.message.includes(actual), e.message);
          return true;
        },
      );
      assert.deepEqual(await listDir(cache), []);
    });
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("downloadArchive on HTTP 404 names the URL and status and leaves nothing", async () => {
  const cache = await Deno.makeTempDir();
  try {
    await withServer(async (base) => {
      await assert.rejects(
        () => downloadArchive(testRelease(base, "/missing.zip"), cache),
        (e: unknown) =>
          e instanceof DataError && e.message.includes(`${base}/missing.zip`) &&
          /HTTP 404/.test(e.message),
      );
      assert.deepEqual(await listDir(cache), []);
    });
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("downloadArchive on a refused connection gives a DataError naming the URL", async () => {
  const cache = await Deno.makeTempDir();
  try {
    // Port 9 (discard) on loopback: nothing listens there in the test environment.
    const release = {
      ...RELEASES["ml-1m"],
      url: "http://127.0.0.1:9/ml-1m.zip",
    };
    await assert.rejects(
      () => downloadArchive(release, cache),
      /127\.0\.0\.1:9\/ml-1m\.zip: download failed/,
    );
    assert.deepEqual(await listDir(cache), []);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("downloadArchive refuses the 2016 latest-small and asks for a local copy", async () => {
  await assert.rejects(
    () =>
      downloadArchive(RELEASES["ml-latest-small-2016"], "/nonexistent-cache"),
    (e: unknown) =>
      e instanceof DataError && /no longer serves/.test(e.message) &&
      /--data-dir/.test(e.message) &&
      /MOVIELENS_DIR/.test(e.message),
  );
});
