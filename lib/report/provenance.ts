/**
 * Small pieces every experiment needs for its results file: the data files it
 * read with their checksums, and wall-clock timings per phase.
 *
 * @module
 */

import { basename, dirname, relative } from "node:path";
import type { Interactions } from "../data/interactions.ts";
import type { DataSource } from "../data/load.ts";
import { type DataFile, median, type Results } from "./results.ts";

/**
 * The archive (or a folder's ratings file) and every member read, with their
 * checksums, named relative to the folder holding the data so the pinned file
 * does not depend on where a user keeps MovieLens.
 */
export function dataFiles(source: DataSource): DataFile[] {
  const base = dirname(source.path);
  const entry = (name: string, sha256: string, md5?: string): DataFile =>
    md5 ? { name, sha256, md5 } : { name, sha256 };
  const files = source.files.map((f) =>
    entry(relative(base, f.name), f.sha256, f.md5)
  );
  const own = relative(base, source.path);
  return files.some((f) => f.name === own)
    ? files
    : [entry(own, source.sha256, source.md5), ...files];
}

/**
 * The results' `dataset` record: the release (`source.release`, else
 * `name`), the file read and how it was found (`how`, default "found via"
 * its origin), every file read with its checksums, the counts of `data`,
 * and, for a user's own file, the repeated-pair policy and how many rows it
 * dropped.
 */
export function datasetRecord(
  source: DataSource,
  data: Pick<Interactions, "nUsers" | "nItems" | "users">,
  name: string,
  how = `found via ${source.origin}`,
): Results["dataset"] {
  return {
    release: source.release ?? name,
    source: `${basename(source.path)} (${how})`,
    files: dataFiles(source),
    counts: {
      users: data.nUsers,
      items: data.nItems,
      ratings: data.users.length,
    },
    ...(source.duplicates === undefined ? {} : {
      duplicates: {
        policy: source.duplicates.policy,
        dropped: source.duplicates.dropped,
      },
    }),
  };
}

/**
 * A phase timer: each call `clock("fit")` records the seconds since the
 * previous call (or since creation) under that name in `timings`, rounded to
 * milliseconds.
 */
export function stopwatch(
  timings: Record<string, number>,
  now: () => number = () => performance.now(),
): (phase: string) => void {
  let last = now();
  return (phase) => {
    const t = now();
    timings[phase] = Math.round(t - last) / 1000;
    last = t;
  };
}

/** The median of durations in seconds, rounded to milliseconds as `stopwatch` records them. */
export function medianSeconds(seconds: readonly number[]): number {
  return Math.round(median(seconds) * 1000) / 1000;
}
