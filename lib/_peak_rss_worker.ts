/**
 * The sampling thread of ./peak_rss.ts: writes max(cell[0], rss) every
 * `intervalMs` into the shared cell it is sent.
 *
 * @module
 */

/// <reference lib="deno.worker" />

self.onmessage = (
  e: MessageEvent<{ cell: Float64Array; intervalMs: number }>,
) => {
  const { cell, intervalMs } = e.data;
  setInterval(() => {
    const rss = Deno.memoryUsage().rss;
    if (rss > cell[0]) cell[0] = rss;
  }, intervalMs);
  self.postMessage("running");
};
