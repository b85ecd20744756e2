import assert from "node:assert/strict";
import {
  CliError,
  defineFlags,
  describeOsError,
  formatUsage,
  HelpRequested,
  parseFlags,
  reportError,
  seedRange,
} from "./cli.ts";
import { UserError } from "./errors.ts";

const spec = defineFlags({
  factors: { type: "int", default: 50, min: 1, help: "latent factors" },
  iterations: { type: "int", default: 15, min: 0, help: "ALS sweeps" },
  regularization: { type: "float", default: 0.01, min: 0, help: "L2 penalty" },
  alpha: {
    type: "float",
    default: 40,
    min: 0,
    exclusiveMin: true,
    help: "confidence scale",
  },
  shift: { type: "float", default: 0, help: "any finite number" },
  dataset: {
    type: "enum",
    values: ["ml-100k", "ml-latest-small"],
    default: "ml-100k",
  },
  "data-dir": {
    type: "string",
    optional: true,
    help: "local MovieLens folder",
  },
  seed: { type: "int", min: 0, max: 2 ** 32 - 1, default: 42 },
  "no-report": { type: "bool", help: "skip the HTML report" },
});
const opts = {
  command: "deno task exp:als",
  description: "Implicit ALS on MovieLens.",
};

function parseError(args: string[]): CliError {
  try {
    parseFlags(spec, args, opts);
  } catch (err) {
    assert.ok(err instanceof CliError, `expected CliError, got ${err}`);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(args)} to be rejected`);
}

Deno.test("parseFlags fills every default when no flag is given", () => {
  const f = parseFlags(spec, [], opts);
  assert.deepEqual(f, {
    factors: 50,
    iterations: 15,
    regularization: 0.01,
    alpha: 40,
    shift: 0,
    dataset: "ml-100k",
    "data-dir": undefined,
    seed: 42,
    "no-report": false,
  });
});

Deno.test("parseFlags accepts --key=value, --key value, negative numbers and switches", () => {
  const f = parseFlags(
    spec,
    [
      "--factors=20",
      "--shift",
      "-1.5",
      "--regularization",
      "1e-3",
      "--dataset",
      "ml-latest-small",
      "--no-report",
    ],
    opts,
  );
  assert.equal(f.factors, 20);
  assert.equal(f.shift, -1.5);
  assert.equal(f.regularization, 0.001);
  assert.equal(f.dataset, "ml-latest-small");
  assert.equal(f["no-report"], true);
  assert.equal(parseFlags(spec, ["--shift=-2"], opts).shift, -2);
  assert.equal(
    parseFlags(spec, ["--data-dir", "../shared/data"], opts)["data-dir"],
    "../shared/data",
  );
  assert.equal(
    parseFlags(spec, ["--seed", "4294967295"], opts).seed,
    4294967295,
  );
});

Deno.test("parseFlags infers value types from the spec", () => {
  const f = parseFlags(spec, [], opts);
  const factors: number = f.factors;
  const dataset: "ml-100k" | "ml-latest-small" = f.dataset;
  const dir: string | undefined = f["data-dir"];
  const report: boolean = f["no-report"];
  assert.deepEqual([factors, dataset, dir, report], [
    50,
    "ml-100k",
    undefined,
    false,
  ]);
});

Deno.test("parseFlags rejects out-of-range and malformed numbers with the flag and the range", () => {
  assert.equal(
    parseError(["--factors", "0"]).message,
    "--factors must be an integer ≥ 1, got 0",
  );
  assert.equal(
    parseError(["--iterations", "-1"]).message,
    "--iterations must be an integer ≥ 0, got -1",
  );
  assert.equal(
    parseError(["--factors", "abc"]).message,
    '--factors must be an integer ≥ 1, got "abc"',
  );
  assert.equal(
    parseError(["--factors", "2.5"]).message,
    "--factors must be an integer ≥ 1, got 2.5",
  );
  assert.equal(
    parseError(["--alpha", "1e999"]).message,
    "--alpha must be a finite number > 0, got 1e999",
  );
  assert.equal(
    parseError(["--alpha=0"]).message,
    "--alpha must be a finite number > 0, got 0",
  );
  assert.equal(
    parseError(["--shift=NaN"]).message,
    '--shift must be a finite number, got "NaN"',
  );
  assert.equal(
    parseError(["--shift=0x10"]).message,
    '--shift must be a finite number, got "0x10"',
  );
  assert.equal(
    parseError(["--seed=4294967296"]).message,
    "--seed must be an integer in [0, 4294967295], got 4294967296",
  );
  assert.equal(
    parseError(["--dataset", "ml-1m"]).message,
    '--dataset must be one of ml-100k, ml-latest-small, got "ml-1m"',
  );
  assert.equal(
    parseError(["--data-dir="]).message,
    '--data-dir must be a non-empty string, got ""',
  );
});

Deno.test("parseFlags names an unknown flag, suggests the closest and lists the valid ones", () => {
  const err = parseError(["--facotrs", "3"]);
  assert.match(
    err.message,
    /^unknown flag --facotrs \(did you mean --factors\?\); valid flags: /,
  );
  assert.match(
    err.message,
    /--factors, --iterations, .*--no-report, --debug, --help$/,
  );
  assert.equal(err.hint, 'run "deno task exp:als --help" to see the flags');
  assert.doesNotMatch(parseError(["--zzzzzzzzzz"]).message, /did you mean/);
  assert.match(parseError(["-f", "3"]).message, /^unknown flag -f/);
});

Deno.test("parseFlags rejects missing values, repeats, switch values and positionals", () => {
  assert.equal(
    parseError(["--factors"]).message,
    "--factors needs a value (an integer ≥ 1)",
  );
  assert.equal(
    parseError(["--factors", "--seed", "1"]).message,
    "--factors needs a value (an integer ≥ 1)",
  );
  assert.match(parseError(["--data-dir", "-x"]).message, /write --data-dir=-x/);
  assert.equal(
    parseError(["--factors=1", "--factors=2"]).message,
    "--factors was given more than once",
  );
  assert.match(
    parseError(["--no-report=yes"]).message,
    /^--no-report is a switch and takes no value/,
  );
  assert.match(parseError(["extra"]).message, /^unexpected argument "extra"/);
  assert.match(
    parseError(["--", "extra"]).message,
    /^unexpected argument "extra" after "--"/,
  );
});

Deno.test("parseFlags requires a flag that has neither default nor optional", () => {
  const required = defineFlags({
    user: { type: "int", min: 0, help: "user id" },
  });
  assert.throws(
    () => parseFlags(required, [], opts),
    (e: unknown) =>
      e instanceof CliError &&
      e.message === "--user is required (an integer ≥ 0)",
  );
  assert.equal(parseFlags(required, ["--user", "7"], opts).user, 7);
});

Deno.test("parseFlags --help prints the usage and throws HelpRequested", () => {
  const printed: string[] = [];
  assert.throws(
    () =>
      parseFlags(spec, ["--factors=0", "--help"], {
        ...opts,
        stdout: (s) => printed.push(s),
      }),
    HelpRequested,
  );
  assert.equal(printed.length, 1);
  assert.equal(printed[0], formatUsage(spec, opts));
  assert.throws(
    () => parseFlags(spec, ["-h"], { ...opts, stdout: () => {} }),
    HelpRequested,
  );
});

Deno.test("formatUsage lists every flag with type, help, default and range", () => {
  const usage = formatUsage(spec, opts);
  const lines = usage.split("\n");
  assert.equal(lines[0], "Usage: deno task exp:als [flags]");
  assert.equal(lines[2], "Implicit ALS on MovieLens.");
  const line = (flag: string) =>
    lines.find((l) => l.trimStart().startsWith(flag + " ")) ?? "";
  assert.match(
    line("--factors"),
    /--factors <int>\s+latent factors \[default: 50; ≥ 1\]$/,
  );
  assert.match(line("--alpha"), /\[default: 40; > 0\]$/);
  assert.match(line("--seed"), /\[default: 42; in \[0, 4294967295\]\]$/);
  assert.match(
    line("--dataset"),
    /<enum>\s+\[default: ml-100k; one of: ml-100k, ml-latest-small\]$/,
  );
  assert.match(line("--data-dir"), /<string>\s+local MovieLens folder$/);
  assert.match(line("--no-report"), /--no-report\s+skip the HTML report$/);
  assert.match(lines.at(-1) ?? "", /-h, --help\s+show this help and exit$/);
});

Deno.test("defineFlags rejects a spec whose default breaks its own range", () => {
  assert.throws(
    () => defineFlags({ k: { type: "int", default: 0, min: 1 } }),
    /default 0 is not an integer ≥ 1/,
  );
  assert.throws(
    () =>
      defineFlags({ k: { type: "enum", values: ["a"], default: "b" as "a" } }),
    /not one of a/,
  );
  assert.throws(
    () => defineFlags({ Bad_Name: { type: "bool" } }),
    /kebab-case/,
  );
  assert.throws(() => defineFlags({ help: { type: "bool" } }), /built in/);
  assert.throws(
    () => defineFlags({ k: { type: "float", min: 2, max: 1 } }),
    /min 2 > max 1/,
  );
});

Deno.test("reportError maps help, usage, user and unexpected errors to exit codes", () => {
  const lines: string[] = [];
  const w = (s: string) => lines.push(s);
  assert.equal(reportError(new HelpRequested(), w), 0);
  assert.deepEqual(lines, []);
  assert.equal(reportError(new CliError("bad flag", "see --help"), w), 2);
  assert.deepEqual(lines.splice(0), ["error: bad flag", "see --help"]);
  class DataError extends UserError {}
  assert.equal(
    reportError(
      new DataError("u.data:3: bad rating", { cause: new Error("NaN") }),
      w,
    ),
    1,
  );
  assert.deepEqual(lines.splice(0), [
    "error: u.data:3: bad rating",
    "  caused by: NaN",
  ]);
  const flagged = Object.assign(new Error("flagged"), { userFacing: true });
  assert.equal(reportError(flagged, w), 1);
  assert.deepEqual(lines.splice(0), ["error: flagged"]);
  assert.equal(reportError(new TypeError("boom"), w), 1);
  assert.match(lines.splice(0)[0], /^TypeError: boom\n\s+at /);
});

async function runScript(body: string, args: string[]) {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/main.ts`;
    const cli = new URL("./cli.ts", import.meta.url).href;
    const errors = new URL("./errors.ts", import.meta.url).href;
    await Deno.writeTextFile(
      path,
      `import { defineFlags, parseFlags, runMain } from ${
        JSON.stringify(cli)
      };\n` +
        `import { UserError } from ${JSON.stringify(errors)};\n${body}\n`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--no-lock", "--quiet", path, ...args],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const SCRIPT = `
const spec = defineFlags({ factors: { type: "int", default: 50, min: 1, help: "latent factors" },
  mode: { type: "enum", values: ["ok", "data", "bug"], default: "ok" } });
await runMain(async () => {
  const f = parseFlags(spec, Deno.args, { command: "deno task demo" });
  await Promise.resolve();
  if (f.mode === "data") throw new UserError("ratings.csv:2: rating is not a number");
  if (f.mode === "bug") throw new RangeError("index out of bounds");
  console.log("factors=" + f.factors);
});`;

Deno.test("runMain exits 0, 2 or 1 with error lines on stderr (subprocess)", async () => {
  const ok = await runScript(SCRIPT, ["--factors", "7"]);
  assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, "factors=7\n", ""]);

  const help = await runScript(SCRIPT, ["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: deno task demo \[flags\]/);
  assert.equal(help.stderr, "");

  const usage = await runScript(SCRIPT, ["--factors", "0"]);
  assert.equal(usage.code, 2);
  assert.equal(usage.stdout, "");
  assert.equal(
    usage.stderr,
    'error: --factors must be an integer ≥ 1, got 0\nrun "deno task demo --help" to see the flags\n',
  );

  const data = await runScript(SCRIPT, ["--mode=data"]);
  assert.deepEqual([data.code, data.stderr], [
    1,
    "error: ratings.csv:2: rating is not a number\n",
  ]);

  const bug = await runScript(SCRIPT, ["--mode=bug"]);
  assert.equal(bug.code, 1);
  assert.match(bug.stderr, /^RangeError: index out of bounds\n\s+at /);
});

Deno.test("parseFlags checks a writable folder flag against the write permission", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/w.ts`;
    await Deno.writeTextFile(
      script,
      `import { defineFlags, parseFlags, runMain } from "${
        new URL("./cli.ts", import.meta.url).href
      }";
const spec = defineFlags({ out: { type: "string", default: "${dir}/ok", writable: true } });
await runMain(() => { parseFlags(spec, Deno.args, { command: "w" }); console.log("parsed"); });`,
    );
    const run = (args: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          `--allow-write=${dir}/ok`,
          script,
          ...args,
        ],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
    const ok = await run([]);
    assert.equal(ok.code, 0, new TextDecoder().decode(ok.stderr));
    const denied = await run(["--out", "/tmp/elsewhere"]);
    assert.equal(denied.code, 2);
    assert.match(
      new TextDecoder().decode(denied.stderr),
      /--out \/tmp\/elsewhere: this command may not write there/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("seedRange lists count seeds from seed and refuses to pass 2^32 - 1", () => {
  assert.deepEqual(seedRange(42, 3), [42, 43, 44]);
  assert.deepEqual(seedRange(0xffffffff, 1), [0xffffffff]);
  assert.throws(
    () => seedRange(0xffffffff, 2, "--reg-repeats"),
    (e: unknown) =>
      e instanceof UserError && e.exitCode === 2 &&
      e.message === "--seed 4294967295 + --reg-repeats 2 passes 2^32 - 1",
  );
});

Deno.test("parseFlags refuses a string flag over its maxLength by length, without echoing it", () => {
  const s = defineFlags({
    title: { type: "string", optional: true, maxLength: 5, help: "query" },
  });
  assert.equal(parseFlags(s, ["--title", "héllo"], opts).title, "héllo");
  assert.throws(
    () => parseFlags(s, ["--title", "secret"], opts),
    (e: unknown) =>
      e instanceof CliError &&
      e.message === "--title must be at most 5 characters, got 6",
  );
});

/** Runs `body` (with `runMain` etc. imported) as a script with all permissions. */
async function runAllowed(
  body: string,
  args: string[],
  env: Record<string, string> = {},
) {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/main.ts`;
    const cli = new URL("./cli.ts", import.meta.url).href;
    await Deno.writeTextFile(
      path,
      `import { defineFlags, parseFlags, runMain } from ${
        JSON.stringify(cli)
      };\n${body}\n`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-config", "--no-lock", "--quiet", path, ...args],
      cwd: dir,
      env: { NO_COLOR: "1", ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stderr: dec.decode(out.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const FS_SCRIPT = `
const spec = defineFlags({ ratings: { type: "string", default: "x" }, write: { type: "bool" } });
await runMain(async () => {
  const f = parseFlags(spec, Deno.args, { command: "deno task demo" });
  if (f.write) await Deno.writeFile(f.ratings, new Uint8Array(1 << 16));
  else await Deno.readTextFile(f.ratings);
});`;

Deno.test("runMain turns file-system errors a user causes into one line naming the path, exit 1; --debug or CF_DEBUG=1 adds the stack", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cases: [string[], RegExp][] = [
      [["--ratings", `${dir}/missing.csv`], /missing\.csv: no such file/],
      [["--ratings", dir], /: is a folder, where a file is needed$/],
      [["--ratings", "/etc/hostname/x"], /hostname\/x: a part of the path/],
    ];
    if (Deno.build.os === "linux") {
      cases.push([
        ["--ratings", "/dev/full", "--write"],
        /^error: \/dev\/full: no space left on the device$/,
      ]);
    }
    if (Deno.uid() !== 0) {
      await Deno.writeTextFile(`${dir}/secret.csv`, "1,2,3");
      await Deno.chmod(`${dir}/secret.csv`, 0);
      cases.push([
        ["--ratings", `${dir}/secret.csv`],
        /secret\.csv: permission denied$/,
      ]);
    }
    for (const [args, message] of cases) {
      const r = await runAllowed(FS_SCRIPT, args);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^error: /);
      assert.match(lines[0], message);
    }
    const args = ["--ratings", `${dir}/missing.csv`];
    for (
      const r of [
        await runAllowed(FS_SCRIPT, [...args, "--debug"]),
        await runAllowed(FS_SCRIPT, args, { CF_DEBUG: "1" }),
      ]
    ) {
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^error: .*missing\.csv: no such file.*\n.*NotFound.*\n\s+at /,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("describeOsError names the paths and the problem, and ignores other errors", () => {
  assert.equal(
    describeOsError(
      new Deno.errors.PermissionDenied(
        "Permission denied (os error 13): open '/x/ratings.csv'",
      ),
    ),
    "/x/ratings.csv: permission denied",
  );
  const full = Object.assign(
    new Error("No space left on device (os error 28): write '/r/a.json'"),
    { code: "ENOSPC" },
  );
  assert.equal(describeOsError(full), "/r/a.json: no space left on the device");
  assert.equal(
    describeOsError(
      new Deno.errors.AlreadyExists(
        "File exists (os error 17): rename 'a' -> 'b'",
      ),
    ),
    "a -> b: already exists",
  );
  assert.equal(describeOsError(new RangeError("index")), undefined);
  assert.equal(describeOsError("text"), undefined);
});

Deno.test(
  "runMain: a process whose parent is killed (SIGKILL) ends within seconds (exitWithParent)",
  {
    ignore: Deno.build.os !== "linux",
  },
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const cli = new URL("./cli.ts", import.meta.url).href;
      await Deno.writeTextFile(
        `${dir}/child.ts`,
        `import { runMain } from ${JSON.stringify(cli)};
await runMain(async () => {
  Deno.writeTextFileSync(${
          JSON.stringify(`${dir}/child.pid`)
        }, String(Deno.pid));
  await new Promise((r) => setTimeout(r, 60_000));
});`,
      );
      // The parent stands for the \`deno task\` runner: it starts the run and waits.
      await Deno.writeTextFile(
        `${dir}/parent.ts`,
        `const c = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "--no-config", "--no-lock", ${
          JSON.stringify(`${dir}/child.ts`)
        }], stdout: "null", stderr: "null" }).spawn();
await c.status;`,
      );
      const parent = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--no-config", "--no-lock", `${dir}/parent.ts`],
        stdout: "null",
        stderr: "null",
      }).spawn();
      let pid = 0;
      for (let t = 0; t < 300 && pid === 0; t++) {
        await new Promise((r) => setTimeout(r, 100));
        pid = Number(
          await Deno.readTextFile(`${dir}/child.pid`).catch(() => "0"),
        );
      }
      assert.ok(pid > 0, "the child did not start");
      parent.kill("SIGKILL");
      await parent.status;
      const alive = () => {
        try {
          const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
          return !/^\d+ \(.*\) [ZX]/.test(stat);
        } catch {
          return false;
        }
      };
      const t0 = performance.now();
      while (alive() && performance.now() - t0 < 5000) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const stillAlive = alive();
      if (stillAlive) Deno.kill(pid, "SIGKILL");
      assert.ok(!stillAlive, "the child outlived its killed parent by 5 s");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
