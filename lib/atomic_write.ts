/**
 * Write-then-rename, so a reader never sees a half-written file and a good
 * file is never replaced by a broken one; and the housekeeping that goes
 * with it: temporaries carry the writer's process id
 * (`.tmp-<pid>-<random>.part`), so the next writer can tell a killed run's
 * debris from a live run's and remove only the former
 * ({@linkcode cleanStaleTemporaries}).
 *
 * @module
 */

import { dirname, join } from "node:path";

/** Mode of the finished file: temporary files are created 0600, results are for reading (0644). */
const FILE_MODE = 0o644;

/** Age (ms) past which a temporary whose writer cannot be identified counts as stale. */
export const STALE_AGE_MS = 60_000;

/**
 * A temporary this project leaves beside its outputs while writing:
 * `.tmp-<pid>-…` files, `.staging-<label>-<pid>-…` and `.verify-<pid>-…`
 * folders (group 1: the pid; absent in the names of older versions).
 */
const TEMP_RE = /^\.(?:tmp|staging-[A-Za-z0-9._-]+?|verify)-(?:(\d+)-)?.+$/;

/** The prefix of a temporary file of this process: `.tmp-<pid>-`. */
export function tempPrefix(): string {
  return `.tmp-${Deno.pid}-`;
}

/**
 * Whether process `pid` is running: `false` when it is known to be gone
 * (Linux: no `/proc/<pid>`, or a zombie), `true` when it runs, `undefined`
 * where this cannot be told (no `/proc`, or no read permission there).
 */
export function pidAlive(pid: number): boolean | undefined {
  if (pid === Deno.pid) return true;
  if (Deno.build.os !== "linux") return undefined;
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // "pid (comm) S ...": the state follows the last ")".
    const state = stat.slice(
      stat.lastIndexOf(")") + 2,
      stat.lastIndexOf(")") + 3,
    );
    return state !== "Z" && state !== "X";
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    return undefined;
  }
}

/**
 * Whether the temporary `name` (an entry of a folder, modified `mtime`) was
 * left by a run that is over: its pid is known to be gone, or it has no
 * readable pid and is older than {@linkcode STALE_AGE_MS}. A temporary of a
 * live process is never stale.
 */
export function isStaleTemporary(
  name: string,
  mtime: Date | null,
  now = Date.now(),
): boolean {
  const m = TEMP_RE.exec(name);
  if (m === null) return false;
  const old = mtime !== null && now - mtime.getTime() > STALE_AGE_MS;
  if (m[1] === undefined) return old;
  const alive = pidAlive(Number(m[1]));
  return alive === false || (alive === undefined && old);
}

/**
 * Removes the stale temporaries ({@linkcode isStaleTemporary}) directly in
 * `dir`: `.tmp-*.part` / `.tmp-*.bak` files and `.staging-*` / `.verify-*`
 * folders of killed runs. A missing folder is fine; a temporary that cannot
 * be removed is left for the next run.
 *
 * @returns the names removed.
 */
export async function cleanStaleTemporaries(dir: string): Promise<string[]> {
  const removed: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return removed;
  }
  const now = Date.now();
  for (const e of entries) {
    if (!TEMP_RE.test(e.name)) continue;
    const path = join(dir, e.name);
    try {
      const { mtime } = await Deno.lstat(path);
      if (!isStaleTemporary(e.name, mtime, now)) continue;
      await Deno.remove(path, { recursive: true });
      removed.push(e.name);
    } catch {
      // gone meanwhile, or not ours to remove: the next run tries again
    }
  }
  return removed;
}

let faultLabel: string | null | undefined;

/**
 * A test hook for crash safety: when the environment variable
 * `CF_TEST_FAULT` equals `label`, the process ends at once with exit code
 * 99, as a `kill -9` at that point would (no `finally`, no clean-up). Does
 * nothing otherwise (nor without permission to read the variable).
 */
export function faultPoint(label: string): void {
  if (faultLabel === undefined) {
    const granted = Deno.permissions.querySync({
      name: "env",
      variable: "CF_TEST_FAULT",
    }).state === "granted";
    faultLabel = granted ? Deno.env.get("CF_TEST_FAULT") ?? null : null;
  }
  if (faultLabel === label) Deno.exit(99);
}

/**
 * Creates a temporary file beside `path`, lets `fill` write it, and renames
 * it over `path`; on any error removes it and leaves `path` untouched.
 * Stale temporaries of killed runs in the same folder are removed first.
 */
async function replaceVia(
  path: string,
  fill: (tmpPath: string) => Promise<void>,
): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  await cleanStaleTemporaries(dir);
  const tmp = await Deno.makeTempFile({
    dir,
    prefix: tempPrefix(),
    suffix: ".part",
  });
  try {
    await fill(tmp);
    await Deno.chmod(tmp, FILE_MODE);
    await Deno.rename(tmp, path);
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
}

/**
 * Writes `content` to `path` atomically: to a temporary file in the same
 * directory first, then renamed over `path`. On any error the temporary file
 * is removed and `path` is left as it was.
 */
export function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
): Promise<void> {
  return replaceVia(
    path,
    (tmp) =>
      typeof content === "string"
        ? Deno.writeTextFile(tmp, content)
        : Deno.writeFile(tmp, content),
  );
}

/**
 * Streams `source` into `path` atomically (see `writeFileAtomic`); `check`
 * runs on the finished temporary file before the rename and may throw to
 * reject it, in which case nothing is left behind.
 */
export function streamToFileAtomic(
  path: string,
  source: ReadableStream<Uint8Array>,
  check?: (tmpPath: string) => Promise<void>,
): Promise<void> {
  return replaceVia(path, async (tmp) => {
    const file = await Deno.open(tmp, { write: true, truncate: true });
    await source.pipeTo(file.writable);
    if (check) await check(tmp);
  });
}
