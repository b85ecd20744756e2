/**
 * deno task recommend --model reports/als/model.onnx --user 95
 * deno task recommend --model reports/als/model.onnx --similar "forrest gump"
 *
 * Answers from an exported model file alone (ids, titles and the training
 * ratings travel in it): a user's top-k without the movies the user rated
 * in the model's training data (a factor graph masks them in-graph; an
 * embedding MLP, `mlp.onnx` / `nn.onnx`, scores every movie in batches and
 * drops them), or the movies most similar to a fuzzy-matched title (factor
 * models only). The heading says whether rated movies were left out, as
 * the file's metadata records. A file whose bytes no longer match its
 * `cf.weights_sha256` digest is refused. Models are generated, not
 * committed: before the first `deno task exp:als` there is none, and the
 * command says which experiment to run.
 *
 * @module
 */

import { basename, dirname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError, defineFlags, parseFlags, runMain } from "../lib/cli.ts";
import { UserError } from "../lib/errors.ts";
import { FactorModelSession, type TopK } from "../lib/onnx/infer.ts";
import { MlpSession, readMlpMetadata } from "../lib/onnx/mlp_export.ts";
import { readMetadata } from "../lib/onnx/metadata.ts";
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

/** One listed movie. */
export interface AnswerRow {
  /** Dense item index in the model. */
  readonly itemIndex: number;
  /** Raw movie id. */
  readonly itemId: number;
  /** Score (or cosine similarity), float32. */
  readonly score: number;
  readonly title: string;
}

/** What the command prints: a heading and ranked rows. */
export interface Answer {
  readonly heading: string;
  readonly rows: AnswerRow[];
  /** True when the user's training movies were left out (recommend only). */
  readonly masked: boolean;
}

/** The question: a user's top k, or the movies similar to a title. */
export type Question =
  | { readonly user: number; readonly k: number }
  | { readonly similar: string; readonly k: number };

interface Loaded {
  readonly userIds: Int32Array;
  readonly itemIds: Int32Array;
  readonly itemTitles?: readonly (string | null)[];
  readonly nItems: number;
  readonly masked: boolean;
  readonly seenFrom?: string;
  readonly recommend: (u: number, k: number) => Promise<TopK>;
  readonly similar?: (item: number, k: number) => Promise<TopK>;
  readonly release: () => Promise<void>;
}

async function loadModel(path: string): Promise<Loaded> {
  // A model whose file set is committed but not yet in place (a run killed
  // while installing it) is read from the commit: never an old model beside
  // the new report.
  const bytes = await Deno.readFile(committedPath(path));
  const isMlp = readMetadata(bytes, path).kind === "embedding-mlp";
  const noIds = () =>
    new UserError(
      `${path}: the model carries no user/item ids in its metadata`,
    );
  if (isMlp) {
    readMlpMetadata(bytes, path); // digest and metadata first: one-line errors
    const s = await MlpSession.load(bytes, path);
    const { userIds, itemIds, itemTitles, seenFrom } = s.info;
    if (!userIds || !itemIds) {
      await s.release();
      throw noIds();
    }
    return {
      userIds,
      itemIds,
      itemTitles,
      nItems: s.nItems,
      masked: s.masksSeen,
      seenFrom,
      recommend: (u, k) => s.recommend(Int32Array.of(u), k),
      release: () => s.release(),
    };
  }
  const s = await FactorModelSession.load(bytes, path);
  const { userIds, itemIds, itemTitles, seenFrom } = s.info;
  if (!userIds || !itemIds) {
    await s.release();
    throw noIds();
  }
  return {
    userIds,
    itemIds,
    itemTitles,
    nItems: s.layout.nItems,
    masked: s.layout.masksSeen,
    seenFrom,
    recommend: (u, k) => s.recommend(Int32Array.of(u), k),
    similar: (j, k) => s.similar(j, k),
    release: () => s.release(),
  };
}

/**
 * The heading of a user's top-k: whether the movies the user rated in the
 * model's training data were left out (from the file's metadata), and what
 * those are (`cf.seen_from`).
 */
export function recommendHeading(
  user: number,
  k: number,
  masked: boolean,
  seenFrom: string | undefined,
): string {
  return masked
    ? `Top ${k} for user ${user} (movies the user rated in the model's training data left out${
      seenFrom ? `; ${seenFrom}` : ""
    }):`
    : `Top ${k} for user ${user} (NOT masked: the model file records no rated movies, so movies the user already rated may be listed):`;
}

/**
 * Answers `question` from the model at `path` (see the module comment).
 *
 * @throws {UserError} for a missing or changed file, an unknown user, a
 *   title with no match, or `similar` asked of an MLP (naming what to run).
 */
export async function answer(
  path: string,
  question: Question,
): Promise<Answer> {
  if (!(await exists(path))) throw new UserError(missingModelMessage(path));
  const m = await loadModel(path);
  try {
    const { itemIds, itemTitles, userIds } = m;
    const k = Math.min(question.k, m.nItems);
    const titleOf = (j: number) => itemTitles?.[j] ?? "(no title)";
    let heading: string;
    let result: TopK;
    let masked = false;
    if ("user" in question) {
      const u = userIds.indexOf(question.user);
      if (u < 0) {
        throw new UserError(
          `--user ${question.user}: no such user in ${path} (user ids run from ${
            userIds[0]
          } to ${userIds.at(-1)})`,
          { exitCode: 2 },
        );
      }
      result = await m.recommend(u, k);
      masked = m.masked;
      heading = recommendHeading(question.user, k, m.masked, m.seenFrom);
    } else {
      if (m.similar === undefined) {
        const folder = dirname(path);
        throw new UserError(
          `--similar: ${path} is an embedding MLP, which scores user × movie pairs and has no similar-movies function; ask a factor model instead (e.g. ${
            join(folder, basename(folder) === "fastai" ? "dot.onnx" : "mf.onnx")
          }), or give --user for this model's top-k`,
          { exitCode: 2 },
        );
      }
      const entries = Array.from(
        itemIds,
        (id, j) => ({ id, title: itemTitles?.[j] ?? "", ratings: 0 }),
      );
      const match = findTitle(question.similar, entries);
      result = await m.similar(
        itemIds.indexOf(match.id),
        Math.min(k + 1, m.nItems),
      );
      heading =
        `Movies most similar to ${match.title} (cosine of item factors; the movie itself first):`;
    }
    const rows: AnswerRow[] = [];
    for (let r = 0; r < result.items.length; r++) {
      const j = result.items[r];
      if (j < 0 || result.scores[r] === -Infinity) break;
      rows.push({
        itemIndex: j,
        itemId: itemIds[j],
        score: result.scores[r],
        title: titleOf(j),
      });
    }
    return { heading, rows, masked };
  } finally {
    await m.release();
  }
}

/** Runs the command; returns the printed table as lines (for tests). */
export async function main(
  args: readonly string[],
  print: (line: string) => void = console.log,
): Promise<string[]> {
  const flags = parseFlags(FLAGS, [...args], {
    command: "deno task recommend",
    description:
      "Recommendations or similar movies from an exported ONNX model (factor model or embedding MLP). Give exactly one of --user and --similar.",
  });
  if ((flags.user === undefined) === (flags.similar === undefined)) {
    throw new CliError("give exactly one of --user <id> and --similar <title>");
  }
  const a = await answer(
    flags.model,
    flags.user !== undefined
      ? { user: flags.user, k: flags.k }
      : { similar: flags.similar!, k: flags.k },
  );
  const lines = [a.heading];
  a.rows.forEach((row, r) =>
    lines.push(
      `${String(r + 1).padStart(3)}  ${row.score.toFixed(4).padStart(8)}  ${
        String(row.itemId).padStart(7)
      }  ${row.title}`,
    )
  );
  lines.forEach((l) => print(l));
  return lines;
}

if (import.meta.main) await runMain(() => main(Deno.args).then(() => {}));
