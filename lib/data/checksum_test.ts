import assert from "node:assert/strict";
import {
  assertDigests,
  digestBytes,
  digestFile,
  DigestStream,
} from "./checksum.ts";
import { DataError } from "./data_error.ts";

const ABC = new TextEncoder().encode("abc");

Deno.test("digestBytes gives the standard MD5 and SHA-256 of 'abc'", () => {
  const d = digestBytes(ABC);
  assert.equal(d.md5, "900150983cd24fb0d6963f7d28e17f72");
  assert.equal(
    d.sha256,
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(d.bytes, 3);
});

Deno.test("DigestStream over chunks equals digestBytes, and can skip MD5", () => {
  const s = new DigestStream();
  s.update(ABC.subarray(0, 1));
  s.update(ABC.subarray(1));
  assert.deepEqual(s.digest(), digestBytes(ABC));
  const noMd5 = new DigestStream(false);
  noMd5.update(ABC);
  assert.equal(noMd5.digest().md5, undefined);
});

Deno.test("digestFile equals digestBytes of the file's content", async () => {
  const path = await Deno.makeTempFile();
  try {
    const bytes = new Uint8Array(5_000_000).map((_, i) => (i * 31) & 255);
    await Deno.writeFile(path, bytes);
    assert.deepEqual(await digestFile(path), digestBytes(bytes));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("assertDigests names the file, expected and actual checksum on a mismatch", () => {
  const d = digestBytes(ABC);
  assertDigests("f", d, { md5: d.md5, sha256: d.sha256, bytes: 3 });
  assert.throws(
    () => assertDigests("x.zip", d, { md5: "0".repeat(32) }),
    (e: unknown) =>
      e instanceof DataError && e.message.includes("x.zip") &&
      e.message.includes("0".repeat(32)) &&
      e.message.includes(d.md5!),
  );
  assert.throws(
    () => assertDigests("x.zip", d, { sha256: "1".repeat(64) }),
    /SHA-256/,
  );
  assert.throws(
    () => assertDigests("x.zip", d, { bytes: 4 }),
    /expected 4 bytes, got 3/,
  );
});
