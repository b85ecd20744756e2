/**
 * The error every data loader throws for bad input: a malformed line, a
 * missing or corrupt archive, a checksum mismatch. Its message always names
 * the file (and the line, when there is one).
 *
 * @module
 */

import { UserError } from "../errors.ts";

/** Where a `DataError` happened: the file and, for a parse error, its 1-based line. */
export interface DataErrorLocation {
  /** Path, URL or `archive.zip:member` of the offending input. */
  readonly file: string;
  /** 1-based line number, when the problem is on one line. */
  readonly line?: number;
}

/**
 * Bad input data. The message starts with `file:line: ` (or `file: `) so a
 * user can jump straight to the problem.
 *
 * @example
 * ```ts
 * import { DataError } from "./data_error.ts";
 * const err = new DataError("ratings.csv", "rating 'x' is not a number", 3);
 * if (err.message !== "ratings.csv:3: rating 'x' is not a number") throw err;
 * ```
 */
export class DataError extends UserError {
  /** Path, URL or `archive.zip:member` of the offending input. */
  readonly file: string;
  /** 1-based line number, or undefined when the problem is not on one line. */
  readonly line: number | undefined;

  constructor(
    file: string,
    problem: string,
    line?: number,
    options?: ErrorOptions,
  ) {
    super(
      line === undefined
        ? `${file}: ${problem}`
        : `${file}:${line}: ${problem}`,
      options,
    );
    this.name = "DataError";
    this.file = file;
    this.line = line;
  }
}
