import assert from "node:assert/strict";
import { join } from "node:path";
import {
  badFlagTestName,
  expectRejected,
  runExperiment,
} from "./_bad_flags.ts";

/** A throwaway script: writes `marker` into its --out folder when asked, then exits with the given code. */
async function fixture(): Promise<{ dir: string; script: string }> {
  const dir = await Deno.makeTempDir({ prefix: "bad-flags-fixture-" });
  const script = join(dir, "fake.ts");
  await Deno.writeTextFile(
    script,
    `const [, out, ...rest] = Deno.args;
if (rest.includes("--write")) Deno.writeTextFileSync(out + "/marker", "x");
if (rest.includes("--trace")) console.error("boom\\n    at main (fake.ts:1:1)");
console.error("--dim must be positive, got " + rest.at(-1));
Deno.exit(Number(rest[0]));
`,
  );
  return { dir, script };
}

Deno.test("runExperiment passes --out and the flags and returns exit code and stderr", async () => {
  const { dir, script } = await fixture();
  try {
    const run = await runExperiment(script, ["3", "x"], dir);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /--dim must be positive, got x/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("expectRejected passes a clean user error and fails on a wrong code, message, trace or written file", async () => {
  const { dir, script } = await fixture();
  try {
    await expectRejected(script, ["2", "0"], 2, /got 0/, "bad-flags-t-");
    await assert.rejects(
      expectRejected(script, ["1", "0"], 2, /got 0/, "bad-flags-t-"),
      (e: { actual?: unknown; expected?: unknown }) =>
        e.actual === 1 && e.expected === 2,
    );
    await assert.rejects(
      expectRejected(script, ["2", "0"], 2, /got 7/, "bad-flags-t-"),
      /match/,
    );
    await assert.rejects(
      expectRejected(script, ["2", "--trace", "0"], 2, /got 0/, "bad-flags-t-"),
      /stack trace/,
    );
    await assert.rejects(
      expectRejected(script, ["2", "--write", "0"], 2, /got 0/, "bad-flags-t-"),
      /marker/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('badFlagTestName starts with "real data: " exactly when the input needs MovieLens data', () => {
  assert.equal(
    badFlagTestName("exp:x", { name: "--k 0", args: [], message: /k/ }),
    "exp:x rejects --k 0 with exit 2 and writes nothing",
  );
  assert.equal(
    badFlagTestName("exp:x", {
      name: "--k 9",
      args: [],
      message: /k/,
      code: 1,
      needsData: true,
    }),
    "real data: exp:x rejects --k 9 with exit 1 and writes nothing",
  );
});
