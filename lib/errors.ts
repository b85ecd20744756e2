/**
 * The one error base class that means "the user gave us something wrong"
 * (a bad flag, a malformed file, a missing data directory): `runMain` in
 * `lib/cli.ts` prints its message without a stack trace and exits with its
 * `exitCode`, while any other error is treated as a bug and shows its stack.
 *
 * Layers extend it for their own failures:
 *
 * @example
 * ```ts
 * import { UserError } from "./errors.ts";
 * class BadRatingsFile extends UserError {}
 * const err = new BadRatingsFile("ratings.csv:3: rating 'x' is not a number");
 * if (!err.userFacing || err.exitCode !== 1) throw new Error("unexpected");
 * ```
 *
 * @module
 */

/** Options for `UserError`: the standard `cause` plus the process exit code. */
export interface UserErrorOptions extends ErrorOptions {
  /** Exit code `runMain` uses for this error (default 1; 2 means bad usage). */
  readonly exitCode?: number;
}

/**
 * An error caused by the user's input or environment rather than a bug: its
 * message alone must say what is wrong and where (file and line, or flag).
 *
 * @example
 * ```ts
 * import { UserError } from "./errors.ts";
 * const err = new UserError("--factors must be at least 1");
 * console.assert(err instanceof Error);
 * ```
 */
export class UserError extends Error {
  /** Always `true`; lets code that cannot import this class recognise it. */
  readonly userFacing = true as const;
  /** Exit code for `runMain`: 1 for bad data or environment, 2 for bad usage. */
  readonly exitCode: number;

  /** An error with `message` (shown to the user) and optional cause and hint. */
  constructor(message: string, options?: UserErrorOptions) {
    super(
      message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.exitCode = options?.exitCode ?? 1;
  }
}

/**
 * True when `err` should be reported to the user as a plain message: an
 * instance of `UserError`, or any `Error` carrying `userFacing: true`.
 */
export function isUserError(err: unknown): err is Error & { userFacing: true } {
  if (err instanceof UserError) return true;
  return err instanceof Error &&
    (err as Error & { userFacing?: unknown }).userFacing === true;
}
