/**
 * Progress lines for long loops (epochs, users evaluated, rows parsed), on
 * stderr only so stdout stays clean for results. On a terminal one line is
 * redrawn in place with `\r`; elsewhere (CI logs, files) plain lines are
 * written at most once every `intervalS` seconds, and the final line always.
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 * const lines: string[] = [];
 * const p = new Progress({ label: "als", total: 3, unit: "epochs", write: (s) => lines.push(s), isTerminal: false });
 * for (let epoch = 1; epoch <= 3; epoch++) p.update(epoch);
 * p.finish("loss 0.12");
 * if (!lines.at(-1)!.startsWith("als: 3/3 epochs (100%) in ")) throw new Error(lines.join(""));
 * ```
 *
 * @module
 */

/** Settings of a `Progress`; everything but `label` has a default. */
export interface ProgressOptions {
  /** Prefix of every line, e.g. "als" or "evaluate". */
  readonly label: string;
  /** Number of steps when known; enables the percentage and the time left. */
  readonly total?: number;
  /** Name of a step, e.g. "epochs" or "users" (default: none). */
  readonly unit?: string;
  /** Off a terminal: minimum seconds between two lines (default 10). */
  readonly intervalS?: number;
  /** On a terminal: minimum seconds between two redraws (default 0.1). */
  readonly redrawS?: number;
  /** Receives the text to print (default: a synchronous write to stderr). */
  readonly write?: (text: string) => void;
  /** Whether the output is a terminal (default: `Deno.stderr.isTerminal()`). */
  readonly isTerminal?: boolean;
  /** Clock in milliseconds (default: `performance.now`). */
  readonly now?: () => number;
  /** Clock reading (ms) the elapsed time counts from (default: when constructed). */
  readonly startMs?: number;
}

const encoder = new TextEncoder();

function writeStderr(text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) {
    written += Deno.stderr.writeSync(bytes.subarray(written));
  }
}

/** Formats a rate (steps per second) with three significant digits, e.g. "0.412", "12.3", "4,518". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond < 0) return "?";
  if (perSecond >= 1000) return Math.round(perSecond).toLocaleString("en-US");
  return perSecond.toPrecision(3);
}

/** Formats seconds as "0.4s", "12.3s", "4m05s" or "1h02m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const total = Math.round(seconds);
  if (total < 3600) {
    return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, "0")}s`;
  }
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h${
    String(minutes % 60).padStart(2, "0")
  }m`;
}

/**
 * Reports the progress of one loop. Call `update(done)` after each step
 * (cheap: it only prints when the throttle allows) and `finish()` once at the
 * end, which always prints the final line with the total time.
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 * const lines: string[] = [];
 * const p = new Progress({ label: "fit", total: 2, unit: "epochs", write: (s) => lines.push(s), isTerminal: false });
 * p.update(2);
 * p.finish();
 * console.assert(lines.length > 0);
 * ```
 */
export class Progress {
  readonly #label: string;
  readonly #total?: number;
  readonly #unit: string;
  readonly #write: (text: string) => void;
  readonly #terminal: boolean;
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #start: number;
  #lastPrint: number;
  #finished = false;
  #done = 0;

  /** A progress line for `options.total` units labelled `options.label`. */
  constructor(options: ProgressOptions) {
    const { total } = options;
    if (total !== undefined && !(Number.isFinite(total) && total >= 0)) {
      throw new RangeError(
        `Progress "${options.label}": total must be a finite number ≥ 0, got ${total}`,
      );
    }
    this.#label = options.label;
    this.#total = total;
    this.#unit = options.unit ? ` ${options.unit}` : "";
    this.#write = options.write ?? writeStderr;
    this.#terminal = options.isTerminal ?? Deno.stderr.isTerminal();
    this.#now = options.now ?? (() => performance.now());
    this.#intervalMs = 1000 *
      (this.#terminal ? options.redrawS ?? 0.1 : options.intervalS ?? 10);
    this.#start = options.startMs ?? this.#now();
    this.#lastPrint = this.#terminal ? -Infinity : this.#start;
  }

  /**
   * Records that `done` steps are complete; `detail` (e.g. "loss 0.123") is
   * appended to the line. Prints only when the throttle interval has passed.
   */
  update(done: number, detail?: string): void {
    if (this.#finished) {
      throw new Error(`Progress "${this.#label}": update() after finish()`);
    }
    this.#done = done;
    const t = this.#now();
    if (t - this.#lastPrint < this.#intervalMs) return;
    this.#lastPrint = t;
    const line = this.#line(done, t, detail, false);
    this.#write(this.#terminal ? `\r${line}\x1b[K` : `${line}\n`);
  }

  /** Prints the final line (steps done, total time, `detail`); later calls do nothing. */
  finish(detail?: string): void {
    if (this.#finished) return;
    this.#finished = true;
    const line = this.#line(
      this.#total ?? this.#done,
      this.#now(),
      detail,
      true,
    );
    this.#write(this.#terminal ? `\r${line}\x1b[K\n` : `${line}\n`);
  }

  #line(
    done: number,
    t: number,
    detail: string | undefined,
    final: boolean,
  ): string {
    const elapsedS = (t - this.#start) / 1000;
    const parts: string[] = [];
    const total = this.#total;
    if (total !== undefined) {
      const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
      parts.push(`${done}/${total}${this.#unit} (${pct}%)`);
    } else {
      parts.push(`${done}${this.#unit}`);
    }
    if (final) {
      parts[0] += ` in ${formatDuration(elapsedS)}`;
      if (done > 0 && elapsedS > 0) {
        parts.push(`${formatRate(done / elapsedS)}${this.#unit}/s`);
      }
    } else {
      parts.push(`${formatDuration(elapsedS)} elapsed`);
      if (done > 0 && elapsedS > 0) {
        parts.push(`${formatRate(done / elapsedS)}${this.#unit}/s`);
      }
      if (total !== undefined && done > 0 && done < total && elapsedS > 0) {
        parts.push(
          `~${formatDuration((elapsedS * (total - done)) / done)} left`,
        );
      }
    }
    if (detail) parts.push(detail);
    return `${this.#label}: ${parts.join(", ")}`;
  }
}

/**
 * Progress of reading a file, in MiB, for a loader's `onProgress(bytesRead,
 * totalBytes)`: nothing is printed for files under `minBytes` (default
 * 64 MiB), which read in well under a second.
 */
export function bytesProgress(
  label: string,
  options: Omit<ProgressOptions, "label" | "total" | "unit" | "startMs"> & {
    readonly minBytes?: number;
  } = {},
): {
  readonly onProgress: (bytesRead: number, totalBytes: number) => void;
  readonly finish: () => void;
} {
  const MiB = 2 ** 20;
  const { minBytes = 64 * MiB, ...rest } = options;
  const startMs = (rest.now ?? performance.now.bind(performance))();
  let p: Progress | undefined;
  return {
    onProgress: (bytesRead, totalBytes) => {
      if (totalBytes < minBytes) return;
      p ??= new Progress({
        ...rest,
        label,
        total: Math.round(totalBytes / MiB),
        unit: "MiB",
        startMs,
      });
      p.update(Math.round(bytesRead / MiB));
    },
    finish: () => p?.finish(),
  };
}
