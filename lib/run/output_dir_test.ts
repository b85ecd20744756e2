import assert from "node:assert/strict";
import { join } from "node:path";
import { checkOutputDir, isInside, realPathBeyond } from "./output_dir.ts";

Deno.test("realPathBeyond resolves links of existing folders, dangling links and keeps the missing rest", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(join(root, "real"));
    await Deno.symlink(join(root, "real"), join(root, "link"));
    await Deno.symlink(join(root, "nowhere", "deep"), join(root, "dangling"));
    assert.equal(realPathBeyond(join(root, "link")), join(root, "real"));
    assert.equal(
      realPathBeyond(join(root, "link", "a", "b")),
      join(root, "real", "a", "b"),
    );
    assert.equal(
      realPathBeyond(join(root, "dangling", "x")),
      join(root, "nowhere", "deep", "x"),
    );
    assert.equal(
      realPathBeyond(join(root, "new", "..", "real")),
      join(root, "real"),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("isInside: the folder itself and paths below it, not a sibling sharing a prefix", () => {
  assert.ok(isInside("/r/reports", "/r/reports"));
  assert.ok(isInside("/r/reports/runs/x", "/r/reports"));
  assert.ok(!isInside("/r/reports-old/x", "/r/reports"));
  assert.ok(!isInside("/r", "/r/reports"));
});

Deno.test("checkOutputDir accepts a new folder under a writable one, leaves no probe behind and returns the real path", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(join(root, "reports"));
    const out = join(root, "reports", "runs", "new");
    assert.equal(
      checkOutputDir(out, { flag: "--out", roots: [join(root, "reports")] }),
      out,
    );
    assert.deepEqual([...Deno.readDirSync(join(root, "reports"))], []);
    await Deno.symlink(root, join(root, "reports", "up"));
    assert.throws(
      () =>
        checkOutputDir(join(root, "reports", "up"), {
          flag: "--out",
          roots: [join(root, "reports")],
        }),
      /^UserError: --out .*up: its real path .* leaves/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
