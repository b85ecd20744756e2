import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError } from "./data_error.ts";
import { readChunks, readStable, statInput } from "./read_input.ts";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("statInput refuses directories and devices, and sizes outside the stated bounds, naming the path", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(() => statInput(dir), /is a directory/);
    await assert.rejects(() => statInput("/dev/null"), /character device/);
    await assert.rejects(() => statInput(join(dir, "no")), /file not found/);
    const f = join(dir, "f");
    await Deno.writeFile(f, new Uint8Array(10));
    await assert.rejects(
      () => statInput(f, { expectedBytes: 11, hint: "get a fresh copy" }),
      (e: unknown) =>
        e instanceof DataError && e.file === f &&
        /size mismatch: 10 bytes, expected 11; get a fresh copy/.test(
          e.message,
        ),
    );
    await assert.rejects(() => statInput(f, { maxBytes: 9 }), /limit of 9/);
    assert.equal((await statInput(f, { maxBytes: 10 })).size, 10);
  });
});

Deno.test("readChunks refuses a file that shrinks or grows between chunks; readStable reads a stable one whole", async () => {
  await withTempDir(async (dir) => {
    const f = join(dir, "f");
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i & 255);
    for (const size of [300, 1500]) {
      await Deno.writeFile(f, bytes);
      let done = false;
      await assert.rejects(
        () =>
          readChunks(f, () => {}, {
            chunkBytes: 256,
            onProgress: async () => {
              if (done) return;
              done = true;
              if (size < 1000) await Deno.truncate(f, size);
              else {await Deno.writeFile(f, new Uint8Array(500), {
                  append: true,
                });}
            },
          }),
        /changed while being read|grew while being read/,
      );
    }
    await Deno.writeFile(f, bytes);
    assert.deepEqual(await readStable(f, { chunkBytes: 256 }), bytes);
  });
});

Deno.test("readStable refuses a /proc-style file reporting size 0 but having content", async () => {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat("/proc/self/status");
  } catch {
    return; // no /proc here
  }
  if (info.size !== 0) return;
  await assert.rejects(
    () => readStable("/proc/self/status"),
    /reports a size of 0 bytes but has content/,
  );
});
