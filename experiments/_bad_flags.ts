/**
 * The body shared by every "exp:<name> rejects <bad input> with exit <code>
 * and writes nothing" test: spawn the experiment script as its `deno task`
 * would (reads anywhere, writes only to the output folder and data/), with
 * the bad flags, into an empty temporary folder, and require the exit code,
 * the message on stderr, no stack trace and the folder still empty.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** One bad invocation and what it must print. */
export interface BadInput {
  /** Test-name fragment: "exp:x rejects <name> with exit <code> and writes nothing". */
  readonly name: string;
  /** Flags after `--out <folder>`. */
  readonly args: readonly string[];
  /** Must match stderr. */
  readonly message: RegExp;
  /** Expected exit code; default 2 (a user error). */
  readonly code?: number;
  /** Also pass `--data-dir <dataDir>`; the test is ignored without data. */
  readonly needsData?: boolean;
}

/**
 * Runs `experiments/<script>` (or an absolute script path) as its task
 * would: `deno run` with read, write to `out` and `<repo>/data`, env, cpus
 * and files.grouplens.org, `--out out` then `args`, from the repository
 * root with NO_COLOR=1 (plus `env`).
 *
 * @returns the exit code and the decoded stderr.
 */
export async function runExperiment(
  script: string,
  args: readonly string[],
  out: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stderr: string }> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      `--allow-write=${out},${join(ROOT, "data")}`,
      "--allow-env",
      "--allow-sys=cpus",
      "--allow-net=files.grouplens.org",
      resolve(ROOT, "experiments", script),
      "--out",
      out,
      ...args,
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stderr } = await cmd.output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

/**
 * Runs `script` with `args` into a fresh temporary folder (named
 * `<prefix>…`, removed afterwards) and asserts exit `code`, stderr matching
 * `message`, no stack-trace line on stderr and nothing written to the folder.
 *
 * @throws {AssertionError} naming the failed requirement (stderr attached to a wrong exit code).
 */
export async function expectRejected(
  script: string,
  args: readonly string[],
  code: number,
  message: RegExp,
  prefix: string,
): Promise<void> {
  const out = await Deno.makeTempDir({ prefix });
  try {
    const run = await runExperiment(script, args, out);
    assert.equal(run.code, code, run.stderr);
    assert.match(run.stderr, message);
    assert.doesNotMatch(
      run.stderr,
      /^\s+at /m,
      "a user error must not print a stack trace",
    );
    assert.deepEqual([...Deno.readDirSync(out)], []);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

/**
 * The test name for one bad input: `<task> rejects <name> with exit <code>
 * and writes nothing`, after "real data: " when it needs MovieLens data (CI
 * requires every test so named to run and pass).
 */
export function badFlagTestName(task: string, bad: BadInput): string {
  return `${bad.needsData ? "real data: " : ""}${task} rejects ${bad.name} ` +
    `with exit ${bad.code ?? 2} and writes nothing`;
}

/**
 * Registers one Deno.test per bad input, named `<task> rejects <name> with
 * exit <code> and writes nothing` (e.g. task "exp:google"), each an
 * {@linkcode expectRejected} of `experiments/<script>` with temporary folders
 * `<task without "exp:">-bad-…`. Inputs with `needsData` get
 * `--data-dir dataDir` appended, a name starting "real data: " (so CI counts
 * them with the other real-data tests) and are ignored when `dataDir` is null.
 */
export function badFlagTests(
  task: string,
  script: string,
  inputs: readonly BadInput[],
  dataDir: string | null = null,
): void {
  const prefix = `${task.replace(/^exp:/, "")}-bad-`;
  for (const bad of inputs) {
    const code = bad.code ?? 2;
    Deno.test({
      name: badFlagTestName(task, bad),
      ignore: bad.needsData === true && dataDir === null,
      fn: () =>
        expectRejected(
          script,
          bad.needsData ? [...bad.args, "--data-dir", dataDir!] : bad.args,
          code,
          bad.message,
          prefix,
        ),
    });
  }
}
