import assert from "node:assert/strict";
import { streamToFileAtomic, writeFileAtomic } from "./atomic_write.ts";

Deno.test("writeFileAtomic replaces the file and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/out.json`;
  await writeFileAtomic(path, "old");
  await writeFileAtomic(path, "new");
  assert.equal(await Deno.readTextFile(path), "new");
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o644);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["out.json"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("streamToFileAtomic keeps the old file when the check rejects the new one", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/archive.zip`;
  await writeFileAtomic(path, "good");
  const bad = new Blob(["bad bytes"]).stream();
  await assert.rejects(
    streamToFileAtomic(
      path,
      bad,
      () => Promise.reject(new Error("checksum mismatch")),
    ),
    /checksum mismatch/,
  );
  assert.equal(await Deno.readTextFile(path), "good");
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [
    "archive.zip",
  ]);
  await Deno.remove(dir, { recursive: true });
});
