/**
 * Writes a report's two files, `<dir>/<name>.html` and `<dir>/<name>.json`,
 * as a pair: both are written to temporary files first and only then renamed
 * into place, so a failure never leaves a half-written file or replaces a
 * good one.
 *
 * @module
 */

import { join } from "node:path";
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

/**
 * Writes `html` to `<dir>/<name>.html` and the validated, serialised
 * `results` to `<dir>/<name>.json` (creating `dir`). Both contents go to
 * temporary files in `dir` first; then the JSON and the HTML are renamed
 * into place. If the second rename fails, the first file is restored from a
 * hard link taken beforehand, so either both files are new or both are as
 * they were. Temporary files are removed in every case.
 *
 * @returns the two paths written, `{ html, json }`.
 * @throws {Error} for a `name` that is not a plain file name;
 *   `ResultsError` for invalid results (nothing is written then).
 */
export async function writeReport(
  dir: string,
  name: string,
  html: string,
  results: Results,
): Promise<{ html: string; json: string }> {
  if (!NAME_RE.test(name)) {
    throw new Error(
      `report name must be a plain file name, got ${JSON.stringify(name)}`,
    );
  }
  const json = serializeResults(results); // validates before anything touches the disk
  const htmlPath = join(dir, `${name}.html`);
  const jsonPath = join(dir, `${name}.json`);
  await Deno.mkdir(dir, { recursive: true });

  let htmlTmp: string | undefined;
  let jsonTmp: string | undefined;
  let jsonBackup: string | undefined;
  try {
    htmlTmp = await Deno.makeTempFile({
      dir,
      prefix: ".tmp-",
      suffix: ".html.part",
    });
    jsonTmp = await Deno.makeTempFile({
      dir,
      prefix: ".tmp-",
      suffix: ".json.part",
    });
    await Deno.writeTextFile(htmlTmp, html);
    await Deno.writeTextFile(jsonTmp, json);
    // Temporary files are created 0600; reports are for reading.
    await Deno.chmod(htmlTmp, 0o644);
    await Deno.chmod(jsonTmp, 0o644);
    jsonBackup = await backup(dir, jsonPath);
    await Deno.rename(jsonTmp, jsonPath);
    jsonTmp = undefined;
    try {
      await Deno.rename(htmlTmp, htmlPath);
      htmlTmp = undefined;
    } catch (err) {
      // Put the old JSON back (or remove the new one) so the pair stays consistent.
      if (jsonBackup !== undefined) {
        await Deno.rename(jsonBackup, jsonPath);
        jsonBackup = undefined;
      } else {
        await removeQuietly(jsonPath);
      }
      throw err;
    }
  } finally {
    await removeQuietly(htmlTmp);
    await removeQuietly(jsonTmp);
    await removeQuietly(jsonBackup);
  }
  return { html: htmlPath, json: jsonPath };
}
