/**
 * The machine line benchmarks print beside their figures: CPU model, cores
 * and the load average, so seconds measured on a shared machine can be read
 * against its load.
 *
 * @module
 */

import { cpus } from "node:os";

/**
 * The 1, 5 and 15-minute load averages, e.g. "1.23 1.10 0.98": from
 * `Deno.loadavg()` (`--allow-sys=loadavg`), else /proc/loadavg (hidden from
 * a process without full read access), else "unknown".
 */
export function loadAverage(): string {
  try {
    return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch {
    // no --allow-sys=loadavg
  }
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(
      " ",
    );
  } catch {
    return "unknown";
  }
}

/** CPU model and core count, e.g. "AMD EPYC, 2 cores". */
export function machine(): string {
  let model = "unknown CPU";
  try {
    model = cpus()[0]?.model?.trim().replace(/\s+/g, " ") || model;
  } catch {
    // no --allow-sys=cpus
  }
  return `${model}, ${navigator.hardwareConcurrency} cores`;
}
