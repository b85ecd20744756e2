/**
 * Output folders, checked before any work: a run finds out that it may not
 * write its report at the start, not after computing it. The rules:
 * - paths are judged by their real path (symbolic links resolved, also
 *   those of folders not created yet): a folder named inside a root such as
 *   `reports/` whose real path leaves that root (`reports/<link to /tmp>`)
 *   is refused, whatever the permissions;
 * - Deno's write permission is asked for the real path, so a link cannot
 *   widen `--allow-write=data,reports`;
 * - the folder is probed: a temporary file is created and removed in it (or,
 *   when it does not exist yet, in its nearest existing ancestor), so a
 *   read-only folder, a file in its place or a parent that may not be
 *   created fails now, with one line naming the path.
 *
 * @module
 */

import { basename, dirname, join, resolve, sep } from "node:path";
import { tempPrefix } from "../atomic_write.ts";
import { UserError } from "../errors.ts";

/**
 * The real path `path` has or would have once created: its longest
 * existing prefix with every symbolic link resolved (also a link whose
 * target does not exist yet), then the rest as written.
 */
export function realPathBeyond(path: string, depth = 0): string {
  const abs = resolve(path);
  const tail: string[] = [];
  let head = abs;
  for (;;) {
    try {
      return join(Deno.realPathSync(head), ...tail);
    } catch (err) {
      if (
        !(err instanceof Deno.errors.NotFound ||
          err instanceof Deno.errors.NotADirectory)
      ) throw err;
    }
    let link: string | null = null;
    try {
      if (Deno.lstatSync(head).isSymlink) link = Deno.readLinkSync(head);
    } catch {
      // does not exist: go up
    }
    if (link !== null && depth < 40) {
      // A link to something missing: follow it to where it would create.
      return realPathBeyond(
        join(resolve(dirname(head), link), ...tail),
        depth + 1,
      );
    }
    const parent = dirname(head);
    if (parent === head) return abs;
    tail.unshift(basename(head));
    head = parent;
  }
}

/** True when `child` is `parent` or lies under it (both absolute). */
export function isInside(child: string, parent: string): boolean {
  return child === parent ||
    child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/** What {@linkcode checkOutputDir} needs besides the folder. */
export interface OutputDirOptions {
  /** The flag that named the folder (`--out`), for messages and exit code 2; absent for a default folder. */
  readonly flag?: string;
  /** Folders an output named inside of must really stay inside of (e.g. `reports/`, `data/`). */
  readonly roots?: readonly string[];
  /** Entries the run will create in the folder: each must be absent or of that kind. */
  readonly entries?: readonly { name: string; kind: "file" | "folder" }[];
}

const OS_REASONS: [new (...args: never[]) => Error, string][] = [
  [Deno.errors.PermissionDenied, "permission denied"],
  [Deno.errors.NotADirectory, "a part of the path is a file, not a folder"],
  [Deno.errors.NotFound, "a part of the path cannot be created"],
  [Deno.errors.AlreadyExists, "something is in the way"],
];

/**
 * Checks, before any work, that the run may write its outputs into `dir`
 * (see the module comment) and returns the folder's real path.
 *
 * @throws {UserError} naming the flag and path (exit 2 with a flag, else 1).
 */
export function checkOutputDir(
  dir: string,
  options: OutputDirOptions = {},
): string {
  const named = options.flag ? `${options.flag} ${dir}` : dir;
  const fail = (why: string): never => {
    throw new UserError(`${named}: ${why}`, {
      exitCode: options.flag ? 2 : 1,
    });
  };
  const abs = resolve(dir);
  const real = realPathBeyond(dir);
  for (const root of options.roots ?? []) {
    const rootAbs = resolve(root);
    const rootReal = realPathBeyond(root);
    if (
      (isInside(abs, rootAbs) || isInside(abs, rootReal)) &&
      !isInside(real, rootReal)
    ) {
      fail(
        `its real path ${real} leaves ${root} (a symbolic link leads out); outputs stay inside ${root}`,
      );
    }
  }
  if (
    Deno.permissions.querySync({ name: "write", path: real }).state !==
      "granted"
  ) {
    fail(
      `this command may not write there${
        real === abs ? "" : ` (its real path is ${real})`
      } (its deno task allows writing only under data/ and reports/)`,
    );
  }
  // The nearest existing folder on the way: it must be a folder we may write in.
  let existing = real;
  for (;;) {
    try {
      const info = Deno.statSync(existing);
      if (!info.isDirectory) {
        fail(
          existing === real
            ? "is a file, not a folder"
            : `${existing} is a file, not a folder`,
        );
      }
      break;
    } catch (err) {
      if (err instanceof UserError) throw err;
      if (
        !(err instanceof Deno.errors.NotFound ||
          err instanceof Deno.errors.NotADirectory)
      ) {
        fail(`${existing}: ${reason(err)}`);
      }
      const parent = dirname(existing);
      if (parent === existing) break;
      existing = parent;
    }
  }
  try {
    const probe = Deno.makeTempFileSync({
      dir: existing,
      prefix: tempPrefix(),
      suffix: ".probe",
    });
    Deno.removeSync(probe);
  } catch (err) {
    fail(
      `cannot write in ${existing}${
        existing === real ? "" : " (to create it)"
      }: ${reason(err)}`,
    );
  }
  if (existing === real) {
    for (const e of options.entries ?? []) {
      try {
        const info = Deno.lstatSync(join(real, e.name));
        if (e.kind === "file" && info.isDirectory) {
          fail(`${e.name} there is a folder, where the run writes a file`);
        }
        if (e.kind === "folder" && !info.isDirectory && !info.isSymlink) {
          fail(`${e.name} there is a file, where the run writes a folder`);
        }
        const entryReal = realPathBeyond(join(real, e.name));
        if (e.kind === "folder" && !isInside(entryReal, real)) {
          fail(
            `${e.name} there leads to ${entryReal} (a symbolic link); the run's files stay inside the output folder`,
          );
        }
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
    }
  }
  return real;
}

/** A short reason for an OS error: its kind, or the OS's own words without the path. */
function reason(err: unknown): string {
  for (const [kind, text] of OS_REASONS) if (err instanceof kind) return text;
  if (err instanceof Error) {
    return err.message.replace(/\s*\(os error \d+\).*$/, "").toLowerCase();
  }
  return String(err);
}
