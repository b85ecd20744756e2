/**
 * Writes a report's files, `<dir>/<name>.html`, `<dir>/<name>.json` and the
 * experiment's models, as one set that a crash cannot mix:
 *
 * 1. every file is written into a fresh staging folder
 *    `<root>/.staging-<label>-<pid>-<random>/` (its paths relative to
 *    `<root>`, the folder holding the set), together with a journal
 *    `.fileset.json` listing them;
 * 2. the staging folder is renamed to `<root>/.commit-<label>/`: this one
 *    rename is the commit point;
 * 3. the files are renamed from there into place, and the folder removed.
 *
 * Killed before step 2, the old set is untouched (the staging folder is
 * debris the next writer removes, {@linkcode cleanStaleTemporaries}).
 * Killed after it, the new set is committed: the next writer in `<root>`
 * completes step 3 before anything else ({@linkcode settleFileSets}), and a
 * reader meanwhile takes each file from the commit folder
 * ({@linkcode committedPath}), so it sees the new set whole. Either way no
 * one ever reads new JSON or HTML beside an old model.
 *
 * @module
 */

import { dirname, join, relative, resolve, sep } from "node:path";
import {
  cleanStaleTemporaries,
  faultPoint,
  pidAlive,
  STALE_AGE_MS,
} from "../atomic_write.ts";
import { UserError } from "../errors.ts";
import { type Results, serializeResults } from "./results.ts";

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Name of the journal inside a staging or commit folder. */
const JOURNAL = ".fileset.json";
const COMMIT_PREFIX = ".commit-";

/** What the journal of a file set records. */
interface Journal {
  /** The writing process (a live writer's commit is not completed by another). */
  readonly pid: number;
  /** The files of the set, relative to the set's root, in install order. */
  readonly files: readonly string[];
}

/** One file of a set written together by {@link writeFileSet}. */
export interface OutputFile {
  /** Where to write it. */
  readonly path: string;
  /** Text or bytes to write. */
  readonly content: string | Uint8Array;
}

async function readJournal(dir: string): Promise<Journal | null> {
  try {
    const j = JSON.parse(await Deno.readTextFile(join(dir, JOURNAL)));
    if (
      typeof j?.pid === "number" && Array.isArray(j.files) &&
      j.files.every((f: unknown) => typeof f === "string" && safeRelative(f))
    ) return j as Journal;
    return null;
  } catch {
    return null;
  }
}

/** A relative path that stays inside its root. */
function safeRelative(rel: string): boolean {
  return rel !== "" && !rel.startsWith("/") &&
    !rel.split(/[\\/]/).some((p) => p === ".." || p === "" || p === ".");
}

/** Renames `from` over `to` (creating its folder); false when `from` is gone (already moved). */
async function install(from: string, to: string): Promise<boolean> {
  await Deno.mkdir(dirname(to), { recursive: true });
  try {
    await Deno.rename(from, to);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      try {
        await Deno.lstat(from);
      } catch {
        return false; // moved by an earlier, interrupted completion
      }
    }
    throw err;
  }
}

/** Step 3 for the committed set in `commitDir`: moves its files into `root`, then removes it. */
async function completeCommit(
  root: string,
  commitDir: string,
  journal: Journal,
): Promise<void> {
  for (const [k, rel] of journal.files.entries()) {
    await install(join(commitDir, rel), join(root, rel));
    faultPoint(`installed-${k + 1}`);
  }
  // The journal goes last: while it is there, the commit is not complete.
  await Deno.remove(join(commitDir, JOURNAL));
  await Deno.remove(commitDir, { recursive: true });
}

/**
 * Completes every file set committed in `root` but not yet moved into place
 * (a writer killed during step 3, see the module comment), and removes
 * commit folders whose journal is gone. A live writer's commit younger than
 * a minute is left to it.
 *
 * @returns the commit folders completed or removed.
 * @throws {UserError} when another live process is installing a set there.
 */
export async function settleFileSets(root: string): Promise<string[]> {
  const done: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(root)];
  } catch {
    return done;
  }
  for (const e of entries) {
    if (!e.name.startsWith(COMMIT_PREFIX) || !e.isDirectory) continue;
    const dir = join(root, e.name);
    const journal = await readJournal(dir);
    if (journal === null) {
      // Every file was moved; only the empty folder was left.
      await Deno.remove(dir, { recursive: true });
      done.push(e.name);
      continue;
    }
    if (journal.pid !== Deno.pid && pidAlive(journal.pid) !== false) {
      const { mtime } = await Deno.lstat(join(dir, JOURNAL));
      if (mtime !== null && Date.now() - mtime.getTime() < STALE_AGE_MS) {
        throw new UserError(
          `${root}: process ${journal.pid} is writing ${
            e.name.slice(COMMIT_PREFIX.length)
          }'s files there right now; wait for it to end`,
        );
      }
    }
    await completeCommit(root, dir, journal);
    done.push(e.name);
  }
  return done;
}

/**
 * The path to read for `path`: the committed copy when a file set holding
 * `path` is committed but not yet moved into place (see the module
 * comment), else `path` itself. Needs only read permission, so a reader
 * such as `deno task recommend` never sees a half-installed set.
 */
export function committedPath(path: string): string {
  const abs = resolve(path);
  // A set's root is the file's folder or one above it (`<dir>/<name>/model.onnx`).
  for (let root = dirname(abs), up = 0; up < 2; up++, root = dirname(root)) {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(root)];
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!e.name.startsWith(COMMIT_PREFIX) || !e.isDirectory) continue;
      const candidate = join(root, e.name, relative(root, abs));
      try {
        Deno.lstatSync(join(root, e.name, JOURNAL));
        Deno.lstatSync(candidate);
        return candidate;
      } catch {
        // not committed there, or already installed
      }
    }
  }
  return path;
}

/** The deepest folder holding every path of `paths`. */
function commonRoot(paths: readonly string[]): string {
  let root = dirname(resolve(paths[0]));
  for (const p of paths) {
    const abs = resolve(p);
    while (
      abs !== root && !abs.startsWith(root.endsWith(sep) ? root : root + sep)
    ) {
      root = dirname(root);
    }
  }
  return root;
}

/**
 * Writes every file of `files` or none of them, crash-safe (see the module
 * comment): staged, committed by one folder rename, then moved into place.
 * A failure before the commit leaves every file as it was and no
 * temporary behind. Before writing, it completes an earlier interrupted
 * set and removes killed runs' temporaries in the set's folders.
 *
 * `label` (a plain name, e.g. the experiment's) names the staging and
 * commit folders: one set per label and folder is written at a time.
 *
 * @throws {Error} for two files with the same path or a bad label (nothing
 *   is written); `UserError` when a target is a folder; the first write error.
 */
export async function writeFileSet(
  files: readonly OutputFile[],
  label = "files",
): Promise<void> {
  if (!NAME_RE.test(label)) {
    throw new Error(
      `writeFileSet: label must be a plain name, got ${JSON.stringify(label)}`,
    );
  }
  if (files.length === 0) return;
  const seen = new Set<string>();
  for (const f of files) {
    const abs = resolve(f.path);
    if (seen.has(abs)) {
      throw new Error(`writeFileSet: ${f.path} given twice`);
    }
    seen.add(abs);
  }
  const root = commonRoot(files.map((f) => f.path));
  // A folder where a file goes cannot be replaced by a rename: refuse before writing.
  for (const f of files) {
    try {
      if ((await Deno.lstat(f.path)).isDirectory) {
        throw new UserError(
          `${f.path} is a folder; the report cannot replace it`,
        );
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  await Deno.mkdir(root, { recursive: true });
  await settleFileSets(root);
  for (
    const d of new Set([
      root,
      ...files.map((f) => dirname(resolve(f.path))),
    ])
  ) {
    await cleanStaleTemporaries(d);
  }
  const staging = await Deno.makeTempDir({
    dir: root,
    prefix: `.staging-${label}-${Deno.pid}-`,
  });
  let committed = false;
  try {
    const rels = files.map((f) => relative(root, resolve(f.path)));
    for (const [k, f] of files.entries()) {
      const path = join(staging, rels[k]);
      await Deno.mkdir(dirname(path), { recursive: true });
      const file = await Deno.open(path, {
        write: true,
        createNew: true,
        mode: 0o644, // reports and models are for reading
      });
      try {
        const bytes = typeof f.content === "string"
          ? new TextEncoder().encode(f.content)
          : f.content;
        for (let off = 0; off < bytes.length;) {
          off += await file.write(bytes.subarray(off));
        }
        await file.syncData();
      } finally {
        file.close();
      }
      await Deno.chmod(path, 0o644);
    }
    faultPoint("staged");
    const journal: Journal = { pid: Deno.pid, files: rels };
    await Deno.writeTextFile(join(staging, JOURNAL), JSON.stringify(journal));
    faultPoint("journaled");
    const commitDir = join(root, `${COMMIT_PREFIX}${label}`);
    await Deno.rename(staging, commitDir);
    committed = true;
    faultPoint("committed");
    await completeCommit(root, commitDir, journal);
  } finally {
    if (!committed) {
      await Deno.remove(staging, { recursive: true }).catch(() => {});
    }
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
  ], name);
  return { html: htmlPath, json: jsonPath };
}
