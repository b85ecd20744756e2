/**
 * Where a result was produced: runtime versions, OS, CPU, and the git commit
 * (read from `.git` directly, no subprocess). Reads only what the granted
 * permissions allow, so it never triggers a permission prompt: anything it
 * may not read is reported as "unknown".
 *
 * @module
 */

import { isAbsolute, join, resolve } from "node:path";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import type { Environment } from "./results.ts";

/** The project root: the folder holding `deno.json`, two levels above this file. */
export const PROJECT_ROOT: string = fileURLToPath(
  new URL("../../", import.meta.url),
);

async function canRead(path: string): Promise<boolean> {
  const status = await Deno.permissions.query({ name: "read", path });
  return status.state === "granted";
}

async function readText(path: string): Promise<string | undefined> {
  try {
    if (!(await canRead(path))) return undefined;
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

/**
 * The commit checked out in the git repository at `root`: follows `HEAD`
 * through loose refs and `packed-refs` (and a worktree's `.git` file and
 * `commondir`). Returns "unknown" outside a checkout or before the first
 * commit. Uncommitted changes are `gitDirty`'s business.
 */
export async function gitCommit(root: string): Promise<string> {
  const dotGit = join(root, ".git");
  let gitDir = dotGit;
  const pointer = await readText(dotGit); // a worktree or submodule: "gitdir: <path>"
  if (pointer !== undefined) {
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(pointer);
    if (!m) return "unknown";
    gitDir = isAbsolute(m[1]) ? m[1] : resolve(root, m[1]);
  }
  const common = (await readText(join(gitDir, "commondir")))?.trim();
  const commonDir = common
    ? (isAbsolute(common) ? common : resolve(gitDir, common))
    : gitDir;

  const head = (await readText(join(gitDir, "HEAD")))?.trim();
  if (head === undefined) return "unknown";
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref:\s*(refs\/\S+)$/.exec(head)?.[1];
  if (ref === undefined || ref.split("/").includes("..")) return "unknown";
  for (const dir of [gitDir, commonDir]) {
    const loose = (await readText(join(dir, ref)))?.trim();
    if (loose !== undefined && /^[0-9a-f]{40}$/.test(loose)) return loose;
  }
  const packed = await readText(join(commonDir, "packed-refs"));
  for (const line of packed?.split("\n") ?? []) {
    const [sha, name] = line.trim().split(" ");
    if (name === ref && /^[0-9a-f]{40}$/.test(sha)) return sha;
  }
  return "unknown";
}

/**
 * Whether tracked files outside `reports/` differ from the commit checked out
 * (`git status --porcelain --untracked-files=no`), so a results file can say
 * it was not produced by that commit alone. Needs `--allow-run=git`; without
 * it, or without git, returns undefined ("cannot tell").
 */
export async function gitDirty(root: string): Promise<boolean | undefined> {
  const { state } = await Deno.permissions.query({
    name: "run",
    command: "git",
  });
  if (state !== "granted") return undefined;
  try {
    const { code, stdout } = await new Deno.Command("git", {
      args: [
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        ".",
        ":(exclude)reports",
      ],
      cwd: root,
      stdout: "piped",
      stderr: "null",
    }).output();
    if (code !== 0) return undefined;
    return new TextDecoder().decode(stdout).trim().length > 0;
  } catch {
    return undefined;
  }
}

/** The version of `pkg` pinned in the `deno.json` import map (`npm:pkg@1.2.3`), or "unknown". */
export async function pinnedNpmVersion(
  root: string,
  pkg: string,
): Promise<string> {
  const text = await readText(join(root, "deno.json"));
  if (text === undefined) return "unknown";
  try {
    const imports =
      (JSON.parse(text) as { imports?: Record<string, unknown> }).imports ?? {};
    for (const target of Object.values(imports)) {
      if (typeof target !== "string") continue;
      const m = /^npm:\/?(@?[^@/]+(?:\/[^@/]+)?)@([^/]+)/.exec(target);
      if (m && m[1] === pkg) return m[2];
    }
  } catch {
    // an unreadable deno.json just means we cannot tell
  }
  return "unknown";
}

/**
 * The CPU model from `os.cpus()` (needs `--allow-sys=cpus`; Deno 2.9 refuses
 * /proc/cpuinfo to anything but --allow-all), else "unknown".
 */
async function cpuModel(): Promise<string> {
  const { state } = await Deno.permissions.query({ name: "sys", kind: "cpus" });
  if (state !== "granted") return "unknown";
  const model = cpus()[0]?.model?.trim();
  return model ? model.replace(/\s+/g, " ") : "unknown";
}

async function osName(): Promise<string> {
  const release = (await readText("/proc/sys/kernel/osrelease"))?.trim();
  return [Deno.build.os, release, Deno.build.arch].filter((s) => s).join(" ");
}

/**
 * Collects the `environment` block of a results file. `root` is the project
 * folder (default `PROJECT_ROOT`), used for `.git` and `deno.json`.
 * `generated_at` is left out: it would make the pinned file change on every run.
 *
 * @example
 * ```ts
 * import { collectEnvironment } from "./environment.ts";
 * async function where() {
 *   const env = await collectEnvironment();
 *   return `${env.deno} on ${env.os}, commit ${env.git_commit}`;
 * }
 * ```
 */
export async function collectEnvironment(
  root: string = PROJECT_ROOT,
): Promise<Environment> {
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    onnxruntime_web: await pinnedNpmVersion(root, "onnxruntime-web"),
    os: await osName(),
    cpu_model: await cpuModel(),
    cores: navigator.hardwareConcurrency,
    // "<sha>-dirty", as `git describe --dirty` says it, when the code was not
    // the commit's alone; `deno task verify` refuses such a pinned file.
    git_commit: (await gitCommit(root)) +
      ((await gitDirty(root)) ? "-dirty" : ""),
  };
}
