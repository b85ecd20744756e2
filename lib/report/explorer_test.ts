import assert from "node:assert/strict";
import { join } from "node:path";
import { exportFactorModel } from "../onnx/export.ts";
import { exportMlpModel } from "../onnx/mlp_export.ts";
import { randomFactorModel } from "../onnx/_fixtures.ts";
import { initMlp } from "../models/mlp/mlp.ts";
import { RandomState } from "../rng.ts";
import {
  type ModelFileSummary,
  planModels,
  renderExplorerPage,
  summarizeModel,
  writeExplorerPage,
} from "./explorer.ts";

const summary = (
  file: string,
  kind: "factor" | "mlp",
  hasIds: boolean,
  checksum?: string,
  n = 3,
): ModelFileSummary => ({ file, kind, nUsers: n, nItems: n, hasIds, checksum });

Deno.test("planModels: model.onnx first, then by name; an MLP without ids borrows them only from a same-size, same-checksum factor model", () => {
  assert.deepEqual(
    planModels([
      summary("mlp.onnx", "mlp", false, "c"),
      summary("mf.onnx", "factor", true, "c"),
      summary("bias.onnx", "factor", true, "other"),
    ]),
    [
      { file: "bias.onnx", kind: "factor" },
      { file: "mf.onnx", kind: "factor" },
      { file: "mlp.onnx", kind: "mlp", idsFrom: "mf.onnx" },
    ],
  );
  assert.deepEqual(
    planModels([
      summary("z.onnx", "factor", true),
      summary("model.onnx", "factor", true),
    ]).map((m) => m.file),
    ["model.onnx", "z.onnx"],
  );
  // No checksum, or different sizes: no donor.
  assert.deepEqual(
    planModels([
      summary("mlp.onnx", "mlp", false, undefined),
      summary("mf.onnx", "factor", true, undefined),
    ])[1],
    { file: "mlp.onnx", kind: "mlp" },
  );
  assert.deepEqual(
    planModels([
      summary("mlp.onnx", "mlp", false, "c", 4),
      summary("mf.onnx", "factor", true, "c", 3),
    ])[1],
    { file: "mlp.onnx", kind: "mlp" },
  );
});

Deno.test("renderExplorerPage: escapes the name and embeds the config so no string closes the script; loads code only from /app/ and /ort/-serving paths", () => {
  const html = renderExplorerPage({
    name: "x</script><script>alert(1)</script>",
    models: [{ file: "m</script>.onnx", kind: "factor" }],
    report: '../a".html',
    commit: "abc",
    commitSource: "x.json",
  });
  assert.ok(!html.includes("<script>alert(1)"));
  assert.equal(html.match(/<\/script>/g)?.length, 2);
  assert.ok(html.includes('href="../a&quot;.html"'));
  const json =
    /<script type="application\/json" id="explorer-config">(.*)<\/script>/
      .exec(html)![1];
  const config = JSON.parse(json);
  assert.equal(config.name, "x</script><script>alert(1)</script>");
  assert.equal(config.models[0].file, "m</script>.onnx");
  assert.equal(config.commit, "abc");
  const srcs = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
  for (const s of srcs) assert.ok(!/^(https?:)?\/\//.test(s), s);
  assert.ok(!/<script(?![^>]*(?:src=|type="application\/json"))/.test(html));
  assert.throws(
    () => renderExplorerPage({ name: "e", models: [] }),
    RangeError,
  );
});

Deno.test("writeExplorerPage: lists the folder's factor and MLP models, commit from <name>.json, link to <name>.html; null without models", async () => {
  const out = await Deno.makeTempDir({ prefix: "explorer-page-" });
  try {
    await Deno.mkdir(join(out, "keras"));
    const fm = randomFactorModel(1, { nUsers: 3, nItems: 4, factors: 2 });
    await Deno.writeFile(
      join(out, "keras", "mf.onnx"),
      exportFactorModel(fm, {
        description: {
          dataChecksum: "sum",
          userIds: [5, 6, 7],
          itemIds: [1, 2, 3, 4],
        },
      }),
    );
    const mlp = initMlp(
      { nUsers: 3, nItems: 4, dim: 2, hidden: [2], dropout: [0, 0] },
      new RandomState(2),
    );
    await Deno.writeFile(
      join(out, "keras", "mlp.onnx"),
      exportMlpModel(mlp, { data_sha256: "sum" }),
    );
    await Deno.writeTextFile(join(out, "keras", "notes.txt"), "not a model");
    await Deno.writeTextFile(
      join(out, "keras.json"),
      JSON.stringify({ environment: { git_commit: "deadbeef" } }),
    );
    await Deno.writeTextFile(join(out, "keras.html"), "<h1>k</h1>");
    const path = await writeExplorerPage(out, "keras");
    assert.equal(path, join(out, "keras", "explorer.html"));
    const html = await Deno.readTextFile(path!);
    const config = JSON.parse(
      /id="explorer-config">(.*)<\/script>/.exec(html)![1],
    );
    assert.deepEqual(config.models, [
      { file: "mf.onnx", kind: "factor" },
      { file: "mlp.onnx", kind: "mlp", idsFrom: "mf.onnx" },
    ]);
    assert.equal(config.commit, "deadbeef");
    assert.equal(config.commitSource, "keras.json");
    assert.ok(html.includes('href="../keras.html"'));
    assert.equal(
      summarizeModel("x", Deno.readFileSync(join(out, "keras", "mlp.onnx")))
        ?.checksum,
      "sum",
    );

    await Deno.mkdir(join(out, "empty"));
    assert.equal(await writeExplorerPage(out, "empty"), null);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
