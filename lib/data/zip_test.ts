import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { DataError } from "./data_error.ts";
import { checkEntryName, inflateEntry, listZip, readEntry } from "./zip.ts";

const enc = (s: string) => new TextEncoder().encode(s);
/** ~3.4 MB of pseudo-random rating lines: compresses to more than one 1 MiB input chunk. */
const BIG = (() => {
  let x = 12345, text = "";
  for (let r = 0; r < 200_000; r++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    text += `${x % 997},${x % 65521},${(x % 10) / 2 + 0.5},${x}\n`;
  }
  return enc(text);
})();

function archive(): Uint8Array {
  return zipSync({
    "ml-x/ratings.csv": BIG,
    "ml-x/small.txt": [enc("hello"), { level: 0 }],
    "ml-x/empty.txt": new Uint8Array(0),
  });
}

/** Replaces every occurrence of `from` by `to` (same length) in a copy of `bytes`. */
function patch(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const out = bytes.slice();
  const f = enc(from), t = enc(to);
  for (let i = 0; i + f.length <= out.length; i++) {
    if (f.every((b, k) => out[i + k] === b)) out.set(t, i);
  }
  return out;
}

const dataErrorNaming = (...parts: string[]) => (e: unknown) => {
  assert.ok(e instanceof DataError, String(e));
  for (const p of parts) {
    assert.ok(e.message.includes(p), `${e.message} lacks ${p}`);
  }
  return true;
};

Deno.test("listZip lists members with sizes; readEntry and inflateEntry give their bytes", () => {
  const zip = archive();
  const entries = listZip(zip, "a.zip");
  assert.deepEqual(entries.map((e) => e.name).sort(), [
    "ml-x/empty.txt",
    "ml-x/ratings.csv",
    "ml-x/small.txt",
  ]);
  const big = entries.find((e) => e.name === "ml-x/ratings.csv")!;
  assert.equal(big.size, BIG.length);
  assert.equal(big.method, 8);
  assert.ok(big.compressedSize < big.size);
  assert.deepEqual(readEntry(zip, "a.zip", big), BIG);
  let chunks = 0, total = 0;
  inflateEntry(zip, "a.zip", big, (c) => {
    chunks++;
    total += c.length;
  });
  assert.ok(chunks > 1, "a large member arrives in several chunks");
  assert.equal(total, BIG.length);
  const small = entries.find((e) => e.name === "ml-x/small.txt")!;
  assert.equal(small.method, 0);
  assert.equal(
    new TextDecoder().decode(readEntry(zip, "a.zip", small)),
    "hello",
  );
  assert.equal(
    readEntry(zip, "a.zip", entries.find((e) => e.name === "ml-x/empty.txt")!)
      .length,
    0,
  );
});

Deno.test("listZip rejects a member whose path contains '..', naming archive and member", () => {
  const zip = patch(zipSync({ "ab/evil.txt": enc("x") }), "ab/evil", "../evil");
  assert.throws(
    () => listZip(zip, "bad.zip"),
    dataErrorNaming("bad.zip", "../evil.txt", '".."'),
  );
});

Deno.test("checkEntryName rejects absolute paths and '..' segments only", () => {
  assert.throws(
    () => checkEntryName("a.zip", "/etc/passwd"),
    dataErrorNaming("a.zip", "/etc/passwd", "absolute"),
  );
  assert.throws(() => checkEntryName("a.zip", "C:\\x"), /absolute/);
  assert.throws(() => checkEntryName("a.zip", "a\\..\\b"), /\.\./);
  checkEntryName("a.zip", "ml-x/a..b.csv");
  const zip = patch(
    zipSync({ "Xetc/passwd": enc("x") }),
    "Xetc/passwd",
    "/etc/passwd",
  );
  assert.throws(
    () => listZip(zip, "abs.zip"),
    dataErrorNaming("abs.zip", "absolute"),
  );
});

Deno.test("listZip on a truncated or non-ZIP file gives an error naming the file", () => {
  const zip = archive();
  assert.throws(
    () => listZip(zip.subarray(0, zip.length - 10), "cut.zip"),
    dataErrorNaming("cut.zip", "truncated"),
  );
  assert.throws(
    () => listZip(zip.subarray(0, 100), "cut.zip"),
    dataErrorNaming("cut.zip"),
  );
  assert.throws(
    () => listZip(enc("not a zip at all"), "x.zip"),
    dataErrorNaming("x.zip", "not a ZIP"),
  );
  assert.throws(
    () => listZip(new Uint8Array(0), "empty.zip"),
    dataErrorNaming("empty.zip"),
  );
});

Deno.test("inflateEntry on corrupt member data gives an error naming archive and member", () => {
  const zip = archive();
  const big = listZip(zip, "a.zip").find((e) => e.name === "ml-x/ratings.csv")!;
  const bad = zip.slice();
  const mid = big.localOffset + 30 + "ml-x/ratings.csv".length +
    Math.floor(big.compressedSize / 2);
  for (let k = 0; k < 8; k++) bad[mid + k] ^= 0x5a;
  assert.throws(
    () => readEntry(bad, "a.zip", big),
    dataErrorNaming("a.zip:ml-x/ratings.csv", "corrupt"),
  );
  // A stored member with a flipped byte is caught by its CRC-32.
  const small = listZip(zip, "a.zip").find((e) => e.name === "ml-x/small.txt")!;
  const bad2 = zip.slice();
  bad2[small.localOffset + 30 + "ml-x/small.txt".length] ^= 1;
  assert.throws(
    () => readEntry(bad2, "a.zip", small),
    dataErrorNaming("a.zip:ml-x/small.txt", "CRC-32"),
  );
  assert.equal(readEntry(bad2, "a.zip", small, { verifyCrc: false }).length, 5);
});

/** A copy of `zip` whose central directory declares `size` uncompressed bytes for every member. */
function declareSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let p = 0; p + 46 <= out.length; p++) {
    if (view.getUint32(p, true) === 0x02014b50) {
      view.setUint32(p + 24, size, true);
    }
  }
  return out;
}

Deno.test("inflateEntry stops a ZIP bomb at the declared size: no byte past it reaches the caller", () => {
  // 16 MB of zeros deflates to ~16 KB; the archive claims 1,000 bytes.
  const bomb = declareSize(
    zipSync({ "ml-x/ratings.csv": new Uint8Array(16 << 20) }),
    1000,
  );
  const [entry] = listZip(bomb, "bomb.zip");
  assert.equal(entry.size, 1000);
  let received = 0;
  const t0 = performance.now();
  assert.throws(
    () => inflateEntry(bomb, "bomb.zip", entry, (c) => received += c.length),
    dataErrorNaming("bomb.zip:ml-x/ratings.csv", "more than the 1000 bytes"),
  );
  assert.ok(received <= 1000, `${received} bytes passed on`);
  assert.ok(performance.now() - t0 < 2000);
});

Deno.test("readEntry and inflateEntry refuse a declared size above maxBytes before inflating", () => {
  const zip = archive();
  const big = listZip(zip, "a.zip").find((e) => e.name === "ml-x/ratings.csv")!;
  let called = false;
  assert.throws(
    () =>
      inflateEntry(zip, "a.zip", big, () => called = true, { maxBytes: 1000 }),
    dataErrorNaming("a.zip:ml-x/ratings.csv", "more than the 1000 accepted"),
  );
  assert.equal(called, false);
  const forged = declareSize(zip, 0xfff00000);
  const e = listZip(forged, "f.zip").find((e) => e.name === "ml-x/small.txt")!;
  assert.throws(
    () => readEntry(forged, "f.zip", e, { maxBytes: 1 << 20 }),
    dataErrorNaming("f.zip:ml-x/small.txt", "declares 4293918720 bytes"),
  );
});
