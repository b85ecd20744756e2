/**
 * deno task recommend --model reports/als/model.onnx --user 95
 * deno task recommend --model reports/als/model.onnx --similar "forrest gump"
 *
 * Answers from an exported model file alone (ids and titles travel in its
 * metadata): a user's top-k with already-rated movies masked, or the movies
 * most similar to a fuzzy-matched title. Models are generated, not
 * committed: before the first `deno task exp:als` there is none, and the
 * command says which experiment to run.
 *
 * @module
 */

import { basename, dirname, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError, defineFlags, parseFlags, runMain } from "../lib/cli.ts";
import { UserError } from "../lib/errors.ts";
import { FactorModelSession, type TopK } from "../lib/onnx/infer.ts";
import { findTitle, MAX_QUERY_CHARS } from "../lib/title_search.ts";
import { committedPath } from "../lib/report/write.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";

const REPORTS = fileURLToPath(new URL("../reports", import.meta.url));

/**
 * The message for a model file that does not exist: an experiment writes its
 * models to `<out>/<name>/`, so `reports/als/model.onnx` asks for
 * `deno task exp:als` and `reports/x/als/model.onnx` for
 * `deno task exp:als --out reports/x`; any other path gets the default's.
 */
export function missingModelMessage(model: string): string {
  const folder = dirname(normalize(model));
  const entry = EXPERIMENTS.find((e) => e.name === basename(folder));
  if (entry === undefined) {
    return `${model} not found: give --model a model an experiment wrote, ` +
      "e.g. reports/als/model.onnx, which `deno task exp:als` writes";
  }
  const out = dirname(folder);
  const isDefault = resolve(out) === REPORTS || normalize(out) === "reports";
  return `${model} not found: run \`deno task ${entry.task}${
    isDefault ? "" : ` --out ${out}`
  }\` first`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (err) {
    if (
      err instanceof Deno.errors.NotFound ||
      err instanceof Deno.errors.NotADirectory
    ) return false;
    throw err;
  }
}

export const FLAGS = defineFlags({
  model: {
    type: "string",
    default: "reports/als/model.onnx",
    help: "an exported model (.onnx)",
  },
  user: {
    type: "int",
    optional: true,
    help: "raw user id: recommend for this user",
  },
  similar: {
    type: "string",
    optional: true,
    help: "movie title (fuzzy): list similar movies",
    maxLength: MAX_QUERY_CHARS,
  },
  k: { type: "int", default: 10, min: 1, max: 1000, help: "how many to list" },
});

/** Runs the command; returns the printed table as lines (for tests). */
export async function main(
  args: readonly string[],
  print: (line: string) => void = console.log,
): Promise<string[]> {
  const flags = parseFlags(FLAGS, [...args], {
    command: "deno task recommend",
    description:
      "Recommendations or similar movies from an exported ONNX model. Give exactly one of --user and --similar.",
  });
  if ((flags.user === undefined) === (flags.similar === undefined)) {
    throw new CliError("give exactly one of --user <id> and --similar <title>");
  }
  if (!(await exists(flags.model))) {
    throw new UserError(missingModelMessage(flags.model));
  }
  // A model whose file set is committed but not yet in place (a run killed
  // while installing it) is read from the commit: never an old model beside
  // the new report.
  const session = await FactorModelSession.load(committedPath(flags.model));
  try {
    const { itemIds, itemTitles, userIds } = session.info;
    if (itemIds === undefined || userIds === undefined) {
      throw new UserError(
        `${flags.model}: the model carries no user/item ids in its metadata`,
      );
    }
    const nItems = session.layout.nItems;
    const k = Math.min(flags.k, nItems);
    const titleOf = (j: number) => itemTitles?.[j] ?? "(no title)";
    let heading: string;
    let result: TopK;
    if (flags.user !== undefined) {
      const u = userIds.indexOf(flags.user);
      if (u < 0) {
        throw new UserError(
          `--user ${flags.user}: no such user in ${flags.model} (user ids run from ${
            userIds[0]
          } to ${userIds.at(-1)})`,
          { exitCode: 2 },
        );
      }
      result = await session.recommend(Int32Array.of(u), k);
      heading =
        `Top ${k} for user ${flags.user} (already-rated movies excluded):`;
    } else {
      const entries = Array.from(
        itemIds,
        (id, j) => ({ id, title: itemTitles?.[j] ?? "", ratings: 0 }),
      );
      const match = findTitle(flags.similar!, entries);
      result = await session.similar(
        itemIds.indexOf(match.id),
        Math.min(k + 1, nItems),
      );
      heading =
        `Movies most similar to ${match.title} (cosine of item factors; the movie itself first):`;
    }
    const lines = [heading];
    for (let r = 0; r < result.items.length; r++) {
      const j = result.items[r];
      if (j < 0) break;
      lines.push(
        `${String(r + 1).padStart(3)}  ${
          result.scores[r].toFixed(4).padStart(8)
        }  ${String(itemIds[j]).padStart(7)}  ${titleOf(j)}`,
      );
    }
    lines.forEach((l) => print(l));
    return lines;
  } finally {
    await session.release();
  }
}

if (import.meta.main) await runMain(() => main(Deno.args).then(() => {}));
