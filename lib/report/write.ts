/**
 * Writes a report's files, `<dir>/<name>.html`, `<dir>/<name>.json` and the
 * experiment's models, as one set: all are written to temporary files first
 * and only then renamed into place, and a failed rename puts the earlier
 * ones back, so a failure never leaves a half-written file, replaces a good
 * one, or leaves a new report beside an old model.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { type Results, serializeResults } from "./results.ts";

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

async function removeQuietly(path: string | undefined): Promise<void> {
  if (path !== undefined) await Deno.remove(path).catch(() => {});
}

/** Hard-links (or, where links fail, copies) `path` to a fresh temp name; undefined if `path` does not exist. */
async function backup(dir: string, path: string): Promise<string | undefined> {
  try {
    await Deno.lstat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
  const copy = await Deno.makeTempFile({
    dir,
    prefix: ".tmp-",
    suffix: ".bak",
  });
  await Deno.remove(copy);
  try {
    await Deno.link(path, copy);
  } catch {
    await Deno.copyFile(path, copy);
  }
  return copy;
}

/** One file of a set written together by {@link writeFileSet}. */
export interface OutputFile {
  /** Where to write it. */
  readonly path: string;
  /** Text or bytes to write. */
  readonly content: string | Uint8Array;
}

/**
 * Writes every file of `files` or none of them. Each content goes to a
 * temporary file beside its path first (folders are created); only when all
 * are written are they renamed into place, in order. If a rename fails, the
 * files already renamed are put back as they were (from hard links taken
 * just before) or removed if they are new, so either every file is new or
 * every file is as it was. Temporary files are removed in every case.
 *
 * @throws {Error} for two files with the same path (nothing is written),
 *   or the first write or rename error.
 */
export async function writeFileSet(
  files: readonly OutputFile[],
): Promise<void> {
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) {
      throw new Error(`writeFileSet: ${f.path} given twice`);
    }
    seen.add(f.path);
  }
  const temps: (string | undefined)[] = [];
  // Per renamed file: its backup (undefined: there was no file before).
  const renamed: { path: string; backup: string | undefined }[] = [];
  const backups: string[] = [];
  try {
    for (const f of files) {
      const dir = dirname(f.path);
      await Deno.mkdir(dir, { recursive: true });
      const tmp = await Deno.makeTempFile({
        dir,
        prefix: ".tmp-",
        suffix: ".part",
      });
      temps.push(tmp);
      if (typeof f.content === "string") {
        await Deno.writeTextFile(tmp, f.content);
      } else await Deno.writeFile(tmp, f.content);
      // Temporary files are created 0600; reports and models are for reading.
      await Deno.chmod(tmp, 0o644);
    }
    try {
      for (const [k, f] of files.entries()) {
        const old = await backup(dirname(f.path), f.path);
        if (old !== undefined) backups.push(old);
        await Deno.rename(temps[k]!, f.path);
        temps[k] = undefined;
        renamed.push({ path: f.path, backup: old });
      }
    } catch (err) {
      // Put the earlier files back (newest first) so the set stays consistent.
      for (const r of renamed.reverse()) {
        if (r.backup !== undefined) await Deno.rename(r.backup, r.path);
        else await removeQuietly(r.path);
      }
      throw err;
    }
  } finally {
    for (const t of temps) await removeQuietly(t);
    for (const b of backups) await removeQuietly(b);
  }
}

/**
 * Writes `html` to `<dir>/<name>.html` and the validated, serialised
 * `results` to `<dir>/<name>.json` (creating `dir`), together with `extra`
 * files such as the trained models, as one set: either all are new or all
 * are as they were (see {@link writeFileSet}).
 *
 * @returns the two report paths written, `{ html, json }`.
 * @throws {Error} for a `name` that is not a plain file name;
 *   `ResultsError` for invalid results (nothing is written then).
 *
 * @example
 * ```ts
 * import { writeReport } from "./write.ts";
 * import type { Results } from "./results.ts";
 * async function save(html: string, results: Results) {
 *   const written = await writeReport("reports", results.experiment, html, results);
 *   console.log(written.html, written.json);
 * }
 * ```
 */
export async function writeReport(
  dir: string,
  name: string,
  html: string,
  results: Results,
  extra: readonly OutputFile[] = [],
): Promise<{ html: string; json: string }> {
  if (!NAME_RE.test(name)) {
    throw new Error(
      `report name must be a plain file name, got ${JSON.stringify(name)}`,
    );
  }
  const json = serializeResults(results); // validates before anything touches the disk
  const htmlPath = join(dir, `${name}.html`);
  const jsonPath = join(dir, `${name}.json`);
  await writeFileSet([
    { path: jsonPath, content: json },
    { path: htmlPath, content: html },
    ...extra,
  ]);
  return { html: htmlPath, json: jsonPath };
}
