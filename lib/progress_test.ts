import assert from "node:assert/strict";
import {
  bytesProgress,
  formatDuration,
  formatRate,
  Progress,
} from "./progress.ts";

function harness(
  isTerminal: boolean,
  extra: { total?: number; unit?: string } = { total: 10, unit: "epochs" },
) {
  const out: string[] = [];
  let t = 1000;
  const p = new Progress({
    label: "als",
    ...extra,
    write: (s) => out.push(s),
    isTerminal,
    now: () => t,
  });
  return { p, out, advance: (s: number) => (t += s * 1000) };
}

Deno.test("Progress off a terminal prints plain lines at most every intervalS plus the final line", () => {
  const { p, out, advance } = harness(false);
  for (let i = 1; i <= 10; i++) {
    advance(3); // one step every 3 s, interval 10 s
    p.update(i, `loss ${(1 / i).toFixed(2)}`);
  }
  p.finish("loss 0.10");
  assert.deepEqual(out, [
    "als: 4/10 epochs (40%), 12.0s elapsed, 0.333 epochs/s, ~18.0s left, loss 0.25\n",
    "als: 8/10 epochs (80%), 24.0s elapsed, 0.333 epochs/s, ~6.0s left, loss 0.13\n",
    "als: 10/10 epochs (100%) in 30.0s, 0.333 epochs/s, loss 0.10\n",
  ]);
  assert.ok(out.every((s) => !s.includes("\r")));
});

Deno.test("Progress on a terminal redraws one line with \\r and ends it with a newline", () => {
  const { p, out, advance } = harness(true);
  p.update(1);
  p.update(2); // same instant: throttled
  advance(0.2);
  p.update(3);
  advance(0.2);
  p.finish();
  assert.deepEqual(out, [
    "\rals: 1/10 epochs (10%), 0.0s elapsed\x1b[K",
    "\rals: 3/10 epochs (30%), 0.2s elapsed, 15.0 epochs/s, ~0.5s left\x1b[K",
    "\rals: 10/10 epochs (100%) in 0.4s, 25.0 epochs/s\x1b[K\n",
  ]);
});

Deno.test("Progress without a total counts steps and finish is idempotent", () => {
  const { p, out, advance } = harness(false, { unit: "rows" });
  advance(11);
  p.update(500);
  advance(1);
  p.update(600);
  p.finish();
  p.finish();
  assert.deepEqual(out, [
    "als: 500 rows, 11.0s elapsed, 45.5 rows/s\n",
    "als: 600 rows in 12.0s, 50.0 rows/s\n",
  ]);
  assert.throws(() => p.update(700), /update\(\) after finish\(\)/);
});

Deno.test("Progress rejects a negative or non-finite total", () => {
  assert.throws(
    () => new Progress({ label: "x", total: -1, write: () => {} }),
    /total must be a finite number ≥ 0/,
  );
  assert.throws(
    () => new Progress({ label: "x", total: NaN, write: () => {} }),
    RangeError,
  );
});

Deno.test("formatDuration switches units at a minute and an hour", () => {
  assert.equal(formatDuration(0.44), "0.4s");
  assert.equal(formatDuration(59.94), "59.9s");
  assert.equal(formatDuration(245), "4m05s");
  assert.equal(formatDuration(3720), "1h02m");
  assert.equal(formatDuration(-1), "?");
});

Deno.test("formatRate keeps three significant digits and groups thousands", () => {
  assert.equal(formatRate(1 / 3), "0.333");
  assert.equal(formatRate(12.34), "12.3");
  assert.equal(formatRate(4518.4), "4,518");
  assert.equal(formatRate(2_500_000), "2,500,000");
  assert.equal(formatRate(Infinity), "?");
});

Deno.test("bytesProgress prints MiB lines for large files only", () => {
  const out: string[] = [];
  let t = 0;
  const opts = {
    write: (s: string) => out.push(s),
    isTerminal: false,
    now: () => t,
    minBytes: 2 ** 21,
  };
  const small = bytesProgress("load", opts);
  small.onProgress(1000, 2 ** 20);
  small.finish();
  assert.deepEqual(out, []);
  const big = bytesProgress("load", opts);
  t = 11_000;
  big.onProgress(2 ** 21, 2 ** 22);
  t = 12_000;
  big.onProgress(2 ** 22, 2 ** 22);
  big.finish();
  assert.deepEqual(out, [
    "load: 2/4 MiB (50%), 11.0s elapsed, 0.182 MiB/s, ~11.0s left\n",
    "load: 4/4 MiB (100%) in 12.0s, 0.333 MiB/s\n",
  ]);
});
