import assert from "node:assert/strict";
import { PeakRss } from "./peak_rss.ts";

Deno.test("PeakRss: keeps the peak of a buffer freed while the main thread was busy", async () => {
  using peak = await PeakRss.start(5);
  await new Promise((r) => setTimeout(r, 50));
  const before = peak.sampled();
  // Touch 200 MiB, hold it for a busy 300 ms without yielding, drop it.
  let big: Uint8Array | null = new Uint8Array(200 * 2 ** 20).fill(1);
  const t0 = performance.now();
  while (performance.now() - t0 < 300) big[0]++;
  big = null;
  await new Promise((r) => setTimeout(r, 20));
  // The sampling thread saw it (no sample taken on this thread since).
  assert.ok(
    peak.sampled() - before > 150 * 2 ** 20,
    `peak grew by ${(peak.sampled() - before) / 2 ** 20} MiB`,
  );
});
