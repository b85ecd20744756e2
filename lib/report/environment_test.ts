import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleResults } from "./_fixtures.ts";
import {
  collectEnvironment,
  gitCommit,
  gitDirty,
  pinnedNpmVersion,
  PROJECT_ROOT,
} from "./environment.ts";
import { validateResults } from "./results.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("gitCommit follows HEAD to a loose ref, then to packed-refs", async () => {
  await withDir(async (root) => {
    await Deno.mkdir(join(root, ".git/refs/heads"), { recursive: true });
    await Deno.writeTextFile(join(root, ".git/HEAD"), "ref: refs/heads/main\n");
    await Deno.writeTextFile(
      join(root, ".git/packed-refs"),
      `# pack-refs with: peeled\n${B} refs/heads/main\n`,
    );
    assert.equal(await gitCommit(root), B);
    await Deno.writeTextFile(join(root, ".git/refs/heads/main"), `${A}\n`);
    assert.equal(await gitCommit(root), A);
  });
});

Deno.test("gitCommit reads a detached HEAD and a worktree's .git file", async () => {
  await withDir(async (root) => {
    await Deno.mkdir(join(root, "main/.git/refs/heads"), { recursive: true });
    await Deno.writeTextFile(join(root, "main/.git/HEAD"), `${A}\n`);
    assert.equal(await gitCommit(join(root, "main")), A);

    // a linked worktree: .git is a file pointing at its own git dir, refs live in the common dir
    await Deno.mkdir(join(root, "main/.git/worktrees/wt"), { recursive: true });
    await Deno.writeTextFile(
      join(root, "main/.git/worktrees/wt/HEAD"),
      "ref: refs/heads/feature\n",
    );
    await Deno.writeTextFile(
      join(root, "main/.git/worktrees/wt/commondir"),
      "../..\n",
    );
    await Deno.writeTextFile(
      join(root, "main/.git/refs/heads/feature"),
      `${B}\n`,
    );
    await Deno.mkdir(join(root, "wt"));
    await Deno.writeTextFile(
      join(root, "wt/.git"),
      "gitdir: ../main/.git/worktrees/wt\n",
    );
    assert.equal(await gitCommit(join(root, "wt")), B);
  });
});

Deno.test("gitCommit is unknown outside a checkout and before the first commit", async () => {
  await withDir(async (root) => {
    assert.equal(await gitCommit(root), "unknown");
    await Deno.mkdir(join(root, ".git"));
    await Deno.writeTextFile(join(root, ".git/HEAD"), "ref: refs/heads/main\n");
    assert.equal(await gitCommit(root), "unknown");
    await Deno.writeTextFile(
      join(root, ".git/HEAD"),
      "ref: refs/../../etc/passwd\n",
    );
    assert.equal(await gitCommit(root), "unknown");
  });
});

Deno.test("pinnedNpmVersion reads the version from the deno.json import map", async () => {
  await withDir(async (root) => {
    assert.equal(await pinnedNpmVersion(root, "onnxruntime-web"), "unknown");
    await Deno.writeTextFile(
      join(root, "deno.json"),
      JSON.stringify({
        imports: {
          ort: "npm:onnxruntime-web@1.30.0",
          "p/": "npm:/plotly.js-dist-min@4.1.2/",
        },
      }),
    );
    assert.equal(await pinnedNpmVersion(root, "onnxruntime-web"), "1.30.0");
    assert.equal(await pinnedNpmVersion(root, "plotly.js-dist-min"), "4.1.2");
    assert.equal(await pinnedNpmVersion(root, "fflate"), "unknown");
  });
});

Deno.test("collectEnvironment fills a block the results schema accepts, without generated_at", async () => {
  const env = await collectEnvironment(PROJECT_ROOT);
  assert.equal(env.deno, Deno.version.deno);
  assert.equal(env.cores, navigator.hardwareConcurrency);
  assert.equal(
    env.onnxruntime_web,
    await pinnedNpmVersion(PROJECT_ROOT, "onnxruntime-web"),
  );
  assert.ok(!("generated_at" in env));
  validateResults({ ...sampleResults(), environment: env }, "collected");
});

Deno.test("gitDirty sees a changed tracked file outside reports/ and ignores reports/", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gitdirty-" });
  const git = (...args: string[]) =>
    new Deno.Command("git", { args, cwd: dir, stdout: "null", stderr: "null" })
      .output();
  try {
    await git("init", "-q");
    await Deno.mkdir(`${dir}/reports`);
    await Deno.writeTextFile(`${dir}/a.ts`, "1");
    await Deno.writeTextFile(`${dir}/reports/x.json`, "{}");
    await git("add", ".");
    await git(
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@t",
      "commit",
      "-qm",
      "c",
    );
    assert.equal(await gitDirty(dir), false);
    await Deno.writeTextFile(`${dir}/reports/x.json`, '{"new":1}');
    assert.equal(await gitDirty(dir), false);
    await Deno.writeTextFile(`${dir}/a.ts`, "2");
    assert.equal(await gitDirty(dir), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
