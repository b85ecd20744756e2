/**
 * deno task explorer [--dir reports]
 *
 * Writes an explorer page (`lib/report/explorer.ts`) into every report
 * folder `<dir>/<name>/` that holds exported ONNX models (model.onnx,
 * mf.onnx, bias.onnx, mlp.onnx, ...); `deno task serve` then shows them at
 * `http://127.0.0.1:8642/<name>/explorer.html`.
 *
 * @module
 */

import { join } from "node:path";
import { defineFlags, parseFlags, runMain } from "../lib/cli.ts";
import { UserError } from "../lib/errors.ts";
import { writeExplorerPage } from "../lib/report/explorer.ts";

export const FLAGS = defineFlags({
  dir: {
    type: "string",
    default: "reports",
    writable: true,
    help: "the reports folder whose <name>/ subfolders hold .onnx models",
  },
});

/** Writes the pages; returns their paths, sorted. */
export async function main(
  args: readonly string[],
  print: (line: string) => void = console.log,
): Promise<string[]> {
  const flags = parseFlags(FLAGS, [...args], {
    command: "deno task explorer",
    description:
      "Writes <dir>/<name>/explorer.html for every report folder holding .onnx models; view them with `deno task serve`.",
  });
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(flags.dir)) {
      if (e.isDirectory && !e.name.startsWith(".")) names.push(e.name);
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new UserError(`--dir ${flags.dir}: no such folder`, {
        exitCode: 2,
      });
    }
    throw err;
  }
  const written: string[] = [];
  for (const name of names.sort()) {
    const path = await writeExplorerPage(flags.dir, name);
    if (path) written.push(path);
  }
  if (written.length === 0) {
    print(
      `no .onnx models under ${
        join(flags.dir, "*")
      }/: run an experiment first (e.g. deno task exp:als)`,
    );
  }
  for (const p of written) print(`wrote ${p}`);
  return written;
}

if (import.meta.main) await runMain(() => main(Deno.args).then(() => {}));
