import assert from "node:assert/strict";
import { formatDuration, Progress } from "./progress.ts";

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
    "als: 4/10 epochs (40%), 12.0s elapsed, ~18.0s left, loss 0.25\n",
    "als: 8/10 epochs (80%), 24.0s elapsed, ~6.0s left, loss 0.13\n",
    "als: 10/10 epochs (100%) in 30.0s, loss 0.10\n",
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
    "\rals: 3/10 epochs (30%), 0.2s elapsed, ~0.5s left\x1b[K",
    "\rals: 10/10 epochs (100%) in 0.4s\x1b[K\n",
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
    "als: 500 rows, 11.0s elapsed\n",
    "als: 600 rows in 12.0s\n",
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
