/**
 * Command-line flags for the experiments: a declarative spec, strict parsing
 * on `node:util` `parseArgs` (unknown flags are rejected, with the closest
 * valid one suggested), range-checked numbers, a generated `--help`, and
 * `runMain`, which turns user errors into one clear line and an exit code.
 *
 * @example
 * ```ts
 * import { defineFlags, parseFlags } from "./cli.ts";
 * const spec = defineFlags({
 *   factors: { type: "int", default: 50, min: 1, help: "latent factors" },
 *   dataset: { type: "enum", values: ["ml-100k", "ml-latest-small"], default: "ml-100k" },
 *   "data-dir": { type: "string", optional: true, help: "local MovieLens folder" },
 * });
 * const flags = parseFlags(spec, ["--factors=20"], { command: "deno task exp:als" });
 * // flags.factors: number, flags.dataset: "ml-100k" | "ml-latest-small",
 * // flags["data-dir"]: string | undefined
 * if (flags.factors !== 20 || flags.dataset !== "ml-100k") throw new Error();
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { isUserError, UserError } from "./errors.ts";

/** What every flag but a switch has. */
export interface FlagBase {
  /** One line for `--help`. */
  readonly help?: string;
  /** With no default: the value is `undefined` when the flag is absent. */
  readonly optional?: boolean;
}

/** An integer flag; `min`/`max` are inclusive bounds. */
export interface IntFlag extends FlagBase {
  /** Kind tag. */
  readonly type: "int";
  /** Value when the flag is absent. */
  readonly default?: number;
  /** Smallest allowed value. */
  readonly min?: number;
  /** Largest allowed value. */
  readonly max?: number;
}

/** A finite floating-point flag; bounds inclusive unless `exclusiveMin`. */
export interface FloatFlag extends FlagBase {
  /** Kind tag. */
  readonly type: "float";
  /** Value when the flag is absent. */
  readonly default?: number;
  /** Smallest allowed value (see `exclusiveMin`). */
  readonly min?: number;
  /** Largest allowed value. */
  readonly max?: number;
  /** When true the value must be strictly greater than `min`. */
  readonly exclusiveMin?: boolean;
}

/** A non-empty string flag (a path, a query, ...). */
export interface StringFlag extends FlagBase {
  /** Kind tag. */
  readonly type: "string";
  /** Value when the flag is absent. */
  readonly default?: string;
  /**
   * The value is a folder the command will write to: `parseFlags` checks the
   * process may write there (Deno's `--allow-write`) before any work starts.
   */
  readonly writable?: boolean;
  /**
   * Most characters (code points) accepted; a longer value is refused with
   * its length, not its text (e.g. a fuzzy query, whose cost grows with it).
   */
  readonly maxLength?: number;
}

/** One of a fixed list of strings; the parsed type is the union of `values`. */
export interface EnumFlag<V extends string = string> extends FlagBase {
  /** Kind tag. */
  readonly type: "enum";
  /** The allowed values. */
  readonly values: readonly V[];
  /** Value when the flag is absent. */
  readonly default?: V;
}

/** A switch: `true` when given, `false` otherwise; takes no value. */
export interface BoolFlag {
  /** Kind tag. */
  readonly type: "bool";
  /** One line for `--help`. */
  readonly help?: string;
}

/** The spec of one flag. */
export type FlagSpec = IntFlag | FloatFlag | StringFlag | EnumFlag | BoolFlag;

/** Flag name (without the leading `--`) → its spec. */
export type FlagsSpec = Readonly<Record<string, FlagSpec>>;

/** The parsed type of one flag's value. */
export type FlagValue<F> = F extends { type: "int" | "float" } ? number
  : F extends { type: "enum"; values: readonly (infer V)[] } ? V
  : F extends { type: "string" } ? string
  : F extends { type: "bool" } ? boolean
  : never;

/** The object `parseFlags` returns for a spec: one typed value per flag. */
export type Flags<S extends FlagsSpec> = {
  -readonly [K in keyof S]: S[K] extends { optional: true }
    ? S[K] extends { default: unknown } ? FlagValue<S[K]>
    : FlagValue<S[K]> | undefined
    : FlagValue<S[K]>;
};

/** What `parseFlags` needs besides the spec and the arguments. */
export interface ParseOptions {
  /** The command as a user types it, e.g. `deno task exp:als`; used in usage. */
  readonly command: string;
  /** A paragraph for `--help`: what the command does, which document. */
  readonly description?: string;
  /** Where `--help` prints its usage (default: stdout via `console.log`). */
  readonly stdout?: (text: string) => void;
}

/** Bad command-line usage: `runMain` prints it and exits with code 2. */
export class CliError extends UserError {
  /** An extra line for the user, e.g. how to see the valid flags. */
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message, { exitCode: 2 });
    this.hint = hint;
  }
}

/**
 * Thrown by `parseFlags` after it printed the usage for `--help`/`-h`:
 * `runMain` exits 0 on it. Callers not using `runMain` should do the same.
 */
export class HelpRequested extends Error {
  /** Always 0: asking for help is a success. */
  readonly exitCode = 0 as const;
  constructor() {
    super("--help was given; usage printed");
    this.name = "HelpRequested";
  }
}

const NAME_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Checks a flag spec once, at definition time (names kebab-case, defaults
 * inside their own ranges, enum defaults among the values), and returns it
 * unchanged with its literal types kept, so `parseFlags` can infer the result.
 * Throws a plain `Error` on a bad spec: that is a bug, not a user error.
 *
 * @example
 * ```ts
 * import { defineFlags } from "./cli.ts";
 * const FLAGS = defineFlags({ factors: { type: "int", default: 50, min: 1, help: "latent factors" } });
 * console.assert(FLAGS.factors.default === 50);
 * ```
 */
export function defineFlags<const S extends FlagsSpec>(spec: S): S {
  for (const [name, f] of Object.entries(spec)) {
    const where = `flag spec --${name}`;
    if (!NAME_RE.test(name)) {
      throw new Error(`${where}: name must be kebab-case`);
    }
    if (name === "help" || name === "debug") {
      throw new Error(`${where}: --${name} is built in`);
    }
    if (f.type === "bool") continue;
    if (f.type === "int" || f.type === "float") {
      for (const k of ["min", "max"] as const) {
        const v = f[k];
        if (v !== undefined && !Number.isFinite(v)) {
          throw new Error(`${where}: ${k} must be finite`);
        }
      }
      if (f.min !== undefined && f.max !== undefined && f.min > f.max) {
        throw new Error(`${where}: min ${f.min} > max ${f.max}`);
      }
      if (f.default !== undefined && checkNumber(f, f.default) !== undefined) {
        throw new Error(
          `${where}: default ${f.default} is not ${expectation(f)}`,
        );
      }
    } else if (f.type === "enum") {
      if (f.values.length === 0) {
        throw new Error(`${where}: enum needs at least one value`);
      }
      if (f.default !== undefined && !f.values.includes(f.default)) {
        throw new Error(
          `${where}: default "${f.default}" is not one of ${
            f.values.join(", ")
          }`,
        );
      }
    } else if (f.default === "") {
      throw new Error(`${where}: default must not be empty`);
    }
  }
  return spec;
}

/**
 * Parses `args` (e.g. `Deno.args`) against `spec`. Accepts `--key=value` and
 * `--key value` (a value may be a negative number); bool flags take no value.
 * Absent flags get their default; a flag with neither default nor `optional`
 * is required.
 *
 * @throws {CliError} on an unknown flag, a missing or malformed value, a
 *   number out of range, a repeated flag or a positional argument.
 * @throws {HelpRequested} after printing the usage when `--help`/`-h` is given.
 *
 * @example
 * ```ts
 * import { defineFlags, parseFlags } from "./cli.ts";
 * const FLAGS = defineFlags({ seed: { type: "int", default: 0, min: 0 } });
 * const flags = parseFlags(FLAGS, ["--seed", "7"], { command: "deno task exp:example" });
 * console.assert(flags.seed === 7);
 * ```
 */
export function parseFlags<const S extends FlagsSpec>(
  spec: S,
  args: readonly string[],
  options: ParseOptions,
): Flags<S> {
  const hint = `run "${options.command} --help" to see the flags`;
  const end0 = args.indexOf("--");
  const debugAt = args.indexOf("--debug");
  if (debugAt >= 0 && (end0 < 0 || debugAt < end0)) {
    debugRequested = true;
    args = args.filter((_a, i) => i !== debugAt);
  }
  const end = args.indexOf("--");
  const flagArgs = end < 0 ? args : args.slice(0, end);
  if (flagArgs.includes("--help") || flagArgs.includes("-h")) {
    (options.stdout ?? console.log)(formatUsage(spec, options));
    throw new HelpRequested();
  }

  // Normalise to `--key=value` so parseArgs never sees an ambiguous "-1" value.
  const normalised: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      if (i + 1 < args.length) {
        throw new CliError(
          `unexpected argument "${args[i + 1]}" after "--"`,
          hint,
        );
      }
      break;
    }
    if (!arg.startsWith("--")) {
      throw new CliError(
        arg.startsWith("-") && arg.length > 1
          ? `unknown flag ${arg} (flags are long, like --${
            Object.keys(spec)[0] ?? "help"
          })`
          : `unexpected argument "${arg}" (this command takes only --flags)`,
        hint,
      );
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const f = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (f === undefined) {
      throw new CliError(unknownFlagMessage(name, spec), hint);
    }
    if (seen.has(name)) {
      throw new CliError(`--${name} was given more than once`, hint);
    }
    seen.add(name);
    if (f.type === "bool") {
      if (eq >= 0) {
        throw new CliError(
          `--${name} is a switch and takes no value, got "${arg}"`,
          hint,
        );
      }
      normalised.push(arg);
      continue;
    }
    if (eq >= 0) {
      normalised.push(arg);
      continue;
    }
    const next = args[i + 1];
    if (next === undefined || next === "--" || next.startsWith("--")) {
      throw new CliError(`--${name} needs a value (${expectation(f)})`, hint);
    }
    if (next.startsWith("-") && !NUMBER_RE.test(next)) {
      throw new CliError(
        `--${name} needs a value (${
          expectation(f)
        }); to pass one starting with "-", write --${name}=${next}`,
        hint,
      );
    }
    normalised.push(`--${name}=${next}`);
    i++;
  }

  let values: Record<string, string | boolean | undefined>;
  try {
    const parseOptions: Record<string, { type: "string" | "boolean" }> = {};
    for (const [name, f] of Object.entries(spec)) {
      parseOptions[name] = { type: f.type === "bool" ? "boolean" : "string" };
    }
    values = parseArgs({
      args: normalised,
      options: parseOptions,
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    // Unreachable after the normalisation above, kept as a safety net.
    throw new CliError(err instanceof Error ? err.message : String(err), hint);
  }

  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(spec)) {
    const raw = values[name];
    if (f.type === "bool") {
      out[name] = raw === true;
      continue;
    }
    if (raw === undefined) {
      if (f.default !== undefined) out[name] = f.default;
      else if (f.optional) out[name] = undefined;
      else {throw new CliError(
          `--${name} is required (${expectation(f)})`,
          hint,
        );}
      continue;
    }
    out[name] = convert(name, f, String(raw), hint);
  }
  for (const [name, f] of Object.entries(spec)) {
    if (f.type === "string" && f.writable && typeof out[name] === "string") {
      checkWritable(name, out[name] as string);
    }
  }
  return out as Flags<S>;
}

/** Fails early, naming the flag, when the process may not write to `path`. */
function checkWritable(name: string, path: string): void {
  const { state } = Deno.permissions.querySync({ name: "write", path });
  if (state !== "granted") {
    throw new CliError(
      `--${name} ${path}: this command may not write there (its deno task allows writing ` +
        "only under data/ and reports/)",
      `choose a folder under reports/, or run the script with deno run and --allow-write=${path}`,
    );
  }
}

function convert(
  name: string,
  f: Exclude<FlagSpec, BoolFlag>,
  raw: string,
  hint: string,
): unknown {
  const fail = (): never => {
    const shown = NUMBER_RE.test(raw) ? raw : JSON.stringify(raw);
    throw new CliError(
      `--${name} must be ${expectation(f)}, got ${shown}`,
      hint,
    );
  };
  switch (f.type) {
    case "int":
    case "float": {
      if (!NUMBER_RE.test(raw)) return fail();
      const v = Number(raw);
      if (checkNumber(f, v) !== undefined) return fail();
      return v;
    }
    case "enum":
      return f.values.includes(raw) ? raw : fail();
    case "string": {
      if (raw === "") return fail();
      const length = [...raw].length;
      if (f.maxLength !== undefined && length > f.maxLength) {
        throw new CliError(
          `--${name} must be at most ${f.maxLength} characters, got ${length}`,
          hint,
        );
      }
      return raw;
    }
  }
}

/** Why `v` does not satisfy `f`, or undefined when it does. */
function checkNumber(f: IntFlag | FloatFlag, v: number): string | undefined {
  if (!Number.isFinite(v)) return "not finite";
  if (f.type === "int" && !Number.isSafeInteger(v)) return "not an integer";
  if (f.min !== undefined) {
    const exclusive = f.type === "float" && f.exclusiveMin === true;
    if (exclusive ? v <= f.min : v < f.min) return "below min";
  }
  if (f.max !== undefined && v > f.max) return "above max";
  return undefined;
}

/** "an integer ≥ 1", "a finite number in [0, 1]", "one of a, b", ... */
function expectation(f: Exclude<FlagSpec, BoolFlag>): string {
  switch (f.type) {
    case "int":
      return `an integer${rangeText(f)}`;
    case "float":
      return `a finite number${rangeText(f)}`;
    case "enum":
      return `one of ${f.values.join(", ")}`;
    case "string":
      return "a non-empty string";
  }
}

function rangeText(f: IntFlag | FloatFlag): string {
  const exclusive = f.type === "float" && f.exclusiveMin === true;
  if (f.min !== undefined && f.max !== undefined) {
    return ` in ${exclusive ? "(" : "["}${f.min}, ${f.max}]`;
  }
  if (f.min !== undefined) return exclusive ? ` > ${f.min}` : ` ≥ ${f.min}`;
  if (f.max !== undefined) return ` ≤ ${f.max}`;
  return "";
}

function unknownFlagMessage(name: string, spec: FlagsSpec): string {
  const valid = [...Object.keys(spec), "debug", "help"];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of valid) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const close = best !== undefined &&
    bestDistance <= Math.max(2, Math.floor(name.length / 3));
  const suggestion = close ? ` (did you mean --${best}?)` : "";
  return `unknown flag --${name}${suggestion}; valid flags: ${
    valid.map((v) => `--${v}`).join(", ")
  }`;
}

/** Levenshtein distance, with an adjacent swap counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Int32Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        d[(i - 1) * cols + j] + 1,
        d[i * cols + j - 1] + 1,
        d[(i - 1) * cols + j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1];
}

/**
 * The `--help` text: a usage line, the description, then one line per flag
 * with its value type, help, default and allowed range.
 */
export function formatUsage(spec: FlagsSpec, options: ParseOptions): string {
  const rows: [string, string][] = [];
  for (const [name, f] of Object.entries(spec)) {
    const left = f.type === "bool"
      ? `--${name}`
      : `--${name} <${f.type === "float" ? "number" : f.type}>`;
    const details: string[] = [];
    if (f.type !== "bool") {
      if (f.default !== undefined) details.push(`default: ${f.default}`);
      else if (!f.optional) details.push("required");
      if (f.type === "int" || f.type === "float") {
        const range = rangeText(f).trim();
        if (range !== "") details.push(range);
      } else if (f.type === "enum") {
        details.push(`one of: ${f.values.join(", ")}`);
      }
    }
    const help = f.help ?? "";
    const detail = details.length > 0 ? `[${details.join("; ")}]` : "";
    rows.push([left, [help, detail].filter((s) => s !== "").join(" ")]);
  }
  rows.push([
    "--debug",
    "on an error, print its full stack trace too (or set CF_DEBUG=1)",
  ]);
  rows.push(["-h, --help", "show this help and exit"]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const lines = [`Usage: ${options.command} [flags]`, ""];
  if (options.description) lines.push(options.description, "");
  lines.push("Flags:");
  for (const [left, right] of rows) {
    lines.push(`  ${left.padEnd(width)}${right}`.trimEnd());
  }
  return lines.join("\n");
}

let debugRequested = false;

/** Whether full stack traces were asked for: `--debug` was parsed, or `CF_DEBUG=1`. */
export function debugEnabled(): boolean {
  if (debugRequested) return true;
  const env = Deno.permissions.querySync({ name: "env", variable: "CF_DEBUG" });
  return env.state === "granted" && Deno.env.get("CF_DEBUG") === "1";
}

/** Operating-system errors a user causes with a path they gave, by Deno error class. */
const OS_ERROR_KINDS: [new (...args: never[]) => Error, string][] = [
  [Deno.errors.PermissionDenied, "permission denied"],
  [Deno.errors.NotFound, "no such file or folder"],
  [Deno.errors.IsADirectory, "is a folder, where a file is needed"],
  [Deno.errors.NotADirectory, "a part of the path is a file, not a folder"],
  [Deno.errors.AlreadyExists, "already exists"],
  [Deno.errors.Busy, "is busy"],
  [Deno.errors.FilesystemLoop, "too many levels of symbolic links"],
];

/** The same by `code`, for errors Deno gives no class of their own (e.g. a full disk). */
const OS_ERROR_CODES: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  ENAMETOOLONG: "file name too long",
  EXDEV: "cannot move across file systems",
  ENOTEMPTY: "folder not empty",
  EBUSY: "is busy",
  ETXTBSY: "is busy",
  EIO: "input/output error",
  EFBIG: "file too large",
};

/**
 * One line for a file-system error a user can cause (permission denied, a
 * missing file, a folder given as a file, a full disk, ...): the path(s)
 * from the error and what is wrong, e.g. `/x/y.csv: permission denied`.
 * Undefined for any other error.
 *
 * @example
 * ```ts
 * import { describeOsError } from "./cli.ts";
 * const err = new Deno.errors.NotFound("No such file or directory (os error 2): open 'a.csv'");
 * console.assert(describeOsError(err) === "a.csv: no such file or folder");
 * ```
 */
export function describeOsError(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  const what = OS_ERROR_KINDS.find(([kind]) => err instanceof kind)?.[1] ??
    (typeof code === "string" ? OS_ERROR_CODES[code] : undefined);
  if (what === undefined) return undefined;
  const paths = [...err.message.matchAll(/'([^'\n]*)'/g)].map((m) => m[1]);
  return paths.length > 0 ? `${paths.join(" -> ")}: ${what}` : what;
}

/**
 * Formats `err` for the user on `write` (one call per line) and returns the
 * exit code: 0 for `HelpRequested`; `error: <message>` and the error's
 * `exitCode` (2 for `CliError`, 1 otherwise) for user errors, i.e. `UserError`,
 * errors flagged `userFacing`, and `Deno.errors.NotCapable` (a missing
 * `--allow-*` permission); `error: <path>: <what>` and 1 for file-system
 * errors a user causes ({@linkcode describeOsError}); the full stack and 1
 * for anything else (a bug). With `debug` (default {@linkcode debugEnabled})
 * the stack follows every message.
 */
export function reportError(
  err: unknown,
  write: (line: string) => void,
  debug: boolean = debugEnabled(),
): number {
  if (err instanceof HelpRequested) return 0;
  const trace = () => {
    if (debug && err instanceof Error && err.stack) write(err.stack);
  };
  if (isUserError(err) || err instanceof Deno.errors.NotCapable) {
    write(`error: ${err.message}`);
    if (err instanceof CliError && err.hint) write(err.hint);
    let cause: unknown = err.cause;
    for (let depth = 0; cause !== undefined && depth < 5; depth++) {
      write(
        `  caused by: ${
          cause instanceof Error ? cause.message : String(cause)
        }`,
      );
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    trace();
    const code = (err as { exitCode?: unknown }).exitCode;
    return typeof code === "number" && Number.isInteger(code) && code > 0
      ? code
      : 1;
  }
  const os = describeOsError(err);
  if (os !== undefined) {
    write(`error: ${os}`);
    trace();
    return 1;
  }
  write(
    err instanceof Error
      ? (err.stack ?? `${err.name}: ${err.message}`)
      : `uncaught: ${String(err)}`,
  );
  return 1;
}

/**
 * Ends this process (exit 1, one line on stderr) soon after its parent
 * process ends, so a killed `deno task` runner takes the run with it rather
 * than leave it writing files for minutes: checks every `intervalMs` that
 * `Deno.ppid` is unchanged (an orphan is adopted by another process). The
 * timer does not keep the process alive. `CF_KEEP_RUNNING=1` turns it off
 * (e.g. for `nohup`). Returns a function that stops watching.
 */
export function exitWithParent(intervalMs = 500): () => void {
  const env = Deno.permissions.querySync({
    name: "env",
    variable: "CF_KEEP_RUNNING",
  });
  if (env.state === "granted" && Deno.env.get("CF_KEEP_RUNNING") === "1") {
    return () => {};
  }
  const parent = Deno.ppid;
  if (parent <= 1) return () => {}; // started by init: nothing to outlive
  const id = setInterval(() => {
    if (Deno.ppid !== parent) {
      console.error(
        `error: the parent process (${parent}) ended; stopping (set CF_KEEP_RUNNING=1 to keep running without it)`,
      );
      Deno.exit(1);
    }
  }, intervalMs);
  Deno.unrefTimer(id);
  return () => clearInterval(id);
}

/**
 * Runs an experiment's `main`, mapping errors to exit codes (see
 * `reportError`; messages go to stderr), and ends the process when its
 * parent does (`exitWithParent`). Returns normally when `main`
 * succeeds, so pending work such as open workers decides when the process ends.
 *
 * @example
 * ```ts
 * import { runMain } from "./cli.ts";
 * if (import.meta.main) {
 *   await runMain(() => {
 *     console.log("work goes here; a UserError exits with code 2 and its message");
 *   });
 * }
 * ```
 */
export async function runMain(main: () => Promise<void> | void): Promise<void> {
  exitWithParent();
  let code: number;
  try {
    await main();
    return;
  } catch (err) {
    code = reportError(err, (line) => console.error(line));
  }
  Deno.exit(code);
}

/**
 * The seeds `seed, seed + 1, …` of `count` repeated runs. Throws a usage
 * error (exit 2) naming both flags when the last one passes 2^32 − 1, the
 * largest seed `RandomState` takes.
 *
 * @example
 * ```ts
 * import { seedRange } from "./cli.ts";
 * console.assert(seedRange(40, 3).join() === "40,41,42");
 * ```
 */
export function seedRange(
  seed: number,
  count: number,
  countFlag = "--repeats",
): number[] {
  if (seed + count - 1 > 0xffffffff) {
    throw new UserError(
      `--seed ${seed} + ${countFlag} ${count} passes 2^32 - 1`,
      { exitCode: 2 },
    );
  }
  return Array.from({ length: count }, (_, r) => seed + r);
}
