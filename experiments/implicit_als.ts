/**
 * deno task exp:als            (flags: deno task exp:als --help)
 *
 * Reproduces ../shared/seeds/001_67d3ccacbd252682.txt, "implicit feedback
 * recommender with ALS": implicit's AlternatingLeastSquares (50 factors,
 * regularization 0.01, 15 iterations, conjugate gradient with 3 steps) fitted
 * on MovieLens ml-latest-small (2018) with the star ratings used as
 * confidence; a fuzzy title lookup, the movies most similar to Forrest Gump,
 * and user 95's recommendations. Then what the document could not show: an
 * 80/20 holdout evaluation against a popularity baseline.
 *
 * `--ratings your.csv` (with `--movies movies.csv` for titles, optional) runs
 * the same analysis on a user's own `user,item,rating[,timestamp]` file
 * instead of a MovieLens release.
 *
 * Reads top to bottom: configuration, load, fit, export to ONNX, ask the
 * ONNX model the document's questions, re-run the document's own call,
 * evaluate on a holdout, report.
 *
 * @module
 */

import { basename, join } from "node:path";
import { defineFlags, parseFlags, runMain, seedRange } from "../lib/cli.ts";
import { UserError } from "../lib/errors.ts";
import type { Interactions } from "../lib/data/interactions.ts";
import { loadMovieLens, loadRatingsCsv } from "../lib/data/load.ts";
import {
  maxAbsDiff,
  type RankingMetrics,
  rankingMetricsAtK,
} from "../lib/metrics.ts";
import { type AlsConfig, AlsThreads, fitAls } from "../lib/models/als/als.ts";
import { recommend, similarItems } from "../lib/models/factor_model.ts";
import { itemPopularity, recommendPopular } from "../lib/models/popularity.ts";
import { exportFactorModel } from "../lib/onnx/export.ts";
import { FactorModelSession, onnxruntimeVersion } from "../lib/onnx/infer.ts";
import { Progress } from "../lib/progress.ts";
import { collectEnvironment } from "../lib/report/environment.ts";
import { type Block, paragraph, renderReport } from "../lib/report/html.ts";
import {
  type Comparison,
  comparison,
  exactComparison,
  type MetricValue,
  type Results,
  summarize,
} from "../lib/report/results.ts";
import {
  comparisonTable,
  configurationSection,
  metricsTable,
  reportFacts,
} from "../lib/report/summary.ts";
import { datasetRecord, stopwatch } from "../lib/report/provenance.ts";
import { writeReport } from "../lib/report/write.ts";
import { RandomState } from "../lib/rng.ts";
import { implicitTrainTestSplit, takeRows } from "../lib/split.ts";
import { type Csr, csrFromCoo } from "../lib/sparse.ts";
import { findTitle } from "../lib/title_search.ts";

// -----------------------------------------------------------------------------
// Configuration: the document's own values are the defaults.
// -----------------------------------------------------------------------------

const SEED_FILE = "../shared/seeds/001_67d3ccacbd252682.txt";
const DOCUMENT_TITLE =
  "Implicit feedback recommender with ALS (implicit, ml-latest-small)";
const DOCUMENT_DATASET = "ml-latest-small";
const DOCUMENT_QUERY = "forrest gump";
const DOCUMENT_USER = 95;

/** What the document printed, for the published-vs-reproduced table. */
const PUBLISHED = {
  users: 610,
  items: 9724,
  ratings: 100836,
  user_ratings: 168,
  title_match: "Forrest Gump (1994)",
  title_index: 314,
  /** `model.similar_items(314)` as printed: ids (the query first), then scores. */
  similarIds: [314, 187, 167, 26, 284, 28, 308, 35, 553, 516],
  similarScores: [
    1,
    0.5931347,
    0.49845117,
    0.48768184,
    0.4794307,
    0.45930648,
    0.44614336,
    0.42688155,
    0.4246078,
    0.4230297,
  ],
} as const;

export const FLAGS = defineFlags({
  dataset: {
    type: "enum",
    values: [
      "ml-latest-small",
      "ml-latest-small-2016",
      "ml-100k",
      "ml-1m",
      "ml-10m",
      "ml-20m",
      "ml-25m",
      "ml-32m",
    ],
    default: "ml-latest-small",
    help: "MovieLens release (the document: ml-latest-small, 2018)",
  },
  ratings: {
    type: "string",
    optional: true,
    help:
      "your own ratings CSV instead of a MovieLens release: user,item,rating[,timestamp] per line, " +
      "integer ids, optional header",
  },
  movies: {
    type: "string",
    optional: true,
    help:
      "titles and genres for --ratings, in MovieLens movies.csv format (movieId,title,genres); " +
      "without it the title lookup and similar-movie list are skipped",
  },
  "data-dir": {
    type: "string",
    optional: true,
    help:
      "folder holding the official zip or the unpacked release (else $MOVIELENS_DIR, data/, download)",
  },
  factors: {
    type: "int",
    default: 50,
    min: 1,
    max: 1024,
    help: "latent factors",
  },
  regularization: { type: "float", default: 0.01, min: 0, help: "L2 weight λ" },
  iterations: {
    type: "int",
    default: 15,
    min: 0,
    max: 1000,
    help: "ALS sweeps",
  },
  alpha: {
    type: "float",
    default: 1,
    min: 0,
    exclusiveMin: true,
    help: "confidence = alpha × rating",
  },
  "cg-steps": {
    type: "int",
    default: 3,
    min: 1,
    help: "conjugate-gradient steps per row (implicit: 3)",
  },
  solver: {
    type: "enum",
    values: ["cg", "cholesky"],
    default: "cg",
    help: "least-squares solver",
  },
  seed: {
    type: "int",
    default: 42,
    min: 0,
    max: 0xffffffff,
    help: "seed of the factor initialisation and the split",
  },
  repeats: {
    type: "int",
    default: 5,
    min: 1,
    max: 100,
    help: "holdout runs, seeds seed, seed+1, ...",
  },
  "train-fraction": {
    type: "float",
    default: 0.8,
    min: 0,
    max: 0.99,
    exclusiveMin: true,
    help: "holdout train share",
  },
  k: {
    type: "int",
    default: 10,
    min: 1,
    max: 1000,
    help: "list length for the ranking metrics and the tables",
  },
  title: {
    type: "string",
    optional: true,
    help:
      `movie whose neighbours are listed (fuzzy; default "${DOCUMENT_QUERY}"; with --ratings needs --movies)`,
  },
  user: {
    type: "int",
    optional: true,
    help:
      `raw user id whose recommendations are listed (default ${DOCUMENT_USER}; with --ratings, the smallest user id)`,
  },
  threads: {
    type: "int",
    default: 2,
    min: 1,
    max: 64,
    help: "ALS threads (results do not depend on it)",
  },
  out: {
    type: "string",
    writable: true,
    default: "reports",
    help: "folder for als.html, als.json and als/model.onnx",
  },
});

const DESCRIPTION =
  `Reproduces ${SEED_FILE}: implicit-feedback ALS on MovieLens (or your own ratings CSV), ` +
  "similar movies, recommendations for one user, and a holdout evaluation.";

/** Runs the experiment with command-line `args`; returns the results written. */
export async function main(args: readonly string[]): Promise<Results> {
  const flags = parseFlags(FLAGS, [...args], {
    command: "deno task exp:als",
    description: DESCRIPTION,
  });
  const timings: Record<string, number> = {};
  const clock = stopwatch(timings);
  const als: AlsConfig = {
    factors: flags.factors,
    regularization: flags.regularization,
    iterations: flags.iterations,
    alpha: flags.alpha,
    solver: flags.solver,
    cgSteps: flags["cg-steps"],
    seed: flags.seed,
    computeLoss: true,
    threads: flags.threads,
  };
  const seeds = seedRange(flags.seed, flags.repeats);

  const ownData = flags.ratings !== undefined;
  if (!ownData && flags.movies !== undefined) {
    throw new UserError(
      "--movies gives the titles of a --ratings file; pass --ratings too",
      { exitCode: 2 },
    );
  }
  if (ownData && flags["data-dir"] !== undefined) {
    throw new UserError(
      "--data-dir is where MovieLens releases are looked for; drop it when --ratings gives the data",
      { exitCode: 2 },
    );
  }
  // Titles come with every MovieLens release; a user's own data has them only with --movies.
  const hasTitles = !ownData || flags.movies !== undefined;
  if (!hasTitles && flags.title !== undefined) {
    throw new UserError(
      `--title needs --movies: ${flags.ratings} has no titles to search`,
      { exitCode: 2 },
    );
  }
  const query = flags.title ?? DOCUMENT_QUERY;

  // ---------------------------------------------------------------------------
  // 1. Load the ratings; check the user and the title before any fitting.
  // ---------------------------------------------------------------------------
  const { data, source } = flags.ratings !== undefined
    ? await loadRatingsCsv(flags.ratings, { itemsPath: flags.movies })
    : await loadMovieLens(flags.dataset, { dataDir: flags["data-dir"] });
  clock("load");
  /** The data set as the report names it: a release, or the CSV's file name. */
  const datasetName = flags.ratings !== undefined
    ? basename(flags.ratings)
    : flags.dataset;
  const isDocumentData = !ownData && flags.dataset === DOCUMENT_DATASET;
  const nUsers = data.nUsers, nItems = data.nItems;
  const user = flags.user ?? (ownData ? data.userIds.raw[0] : DOCUMENT_USER);
  const userIndex = data.userIds.toIndex.get(user);
  if (userIndex === undefined) {
    throw new UserError(
      `--user ${user}: no such user in ${datasetName} (user ids run from ` +
        `${data.userIds.raw[0]} to ${data.userIds.raw[nUsers - 1]})`,
      { exitCode: 2 },
    );
  }
  const all = csrFromCoo(
    data.users,
    data.items,
    data.ratings,
    nUsers,
    nItems,
    "last",
  );
  const popularity = itemPopularity(all);
  const match = hasTitles
    ? findTitle(query, titleEntries(data, popularity))
    : null;
  const titleIndex = match === null
    ? null
    : data.itemIds.toIndex.get(match.id)!;

  // ---------------------------------------------------------------------------
  // 2. Fit ALS on every rating, users × items (the orientation implicit expects).
  // ---------------------------------------------------------------------------
  const progress = new Progress({
    label: "ALS, all ratings",
    total: als.iterations,
    unit: "it",
  });
  // One worker team for every fit below: start-up and JIT warm-up paid once.
  using team = await AlsThreads.start(als.threads ?? 1);
  const full = await fitAls(
    all,
    { ...als, team },
    (it, info) => progress.update(it + 1, lossText(info.loss)),
  );
  progress.finish();
  clock("fit_all");

  // ---------------------------------------------------------------------------
  // 3. Export to ONNX (seen items travel with the model) and load it back:
  //    every list below is the ONNX model's answer.
  // ---------------------------------------------------------------------------
  const titles = Array.from(
    data.itemIds.raw,
    (id) => data.itemInfo.get(id)?.title ?? null,
  );
  const modelBytes = exportFactorModel(
    {
      nUsers,
      nItems,
      factors: als.factors,
      userFactors: full.userFactors,
      itemFactors: full.itemFactors,
    },
    {
      seen: all,
      description: {
        experiment: "als",
        config: { ...als, dataset: datasetName },
        dataChecksum: source.sha256,
        userIds: data.userIds.raw,
        itemIds: data.itemIds.raw,
        itemTitles: titles,
      },
    },
  );
  const session = await FactorModelSession.load(modelBytes, "als/model.onnx");
  clock("export");

  // The movies most similar to the chosen title (the movie itself comes first, similarity 1).
  const similar = titleIndex === null
    ? null
    : await session.similar(titleIndex, flags.k + 1);
  const similarTs = titleIndex === null ? null : similarItems(
    full.itemFactors,
    als.factors,
    titleIndex,
    flags.k + 1,
  );
  // The user's own ratings, best and worst, then recommendations with rated movies removed.
  const userRows = rowsOfUser(data, userIndex);
  const recs = await session.recommend(Int32Array.of(userIndex), flags.k);
  const seenOfUser = all.indices.subarray(
    all.indptr[userIndex],
    all.indptr[userIndex + 1],
  );
  const recsTs = recommend(
    full.userFactors,
    full.itemFactors,
    als.factors,
    userIndex,
    flags.k,
    seenOfUser,
  );
  const parity = {
    similar: similar && similarTs
      ? maxAbsDiff(similar.scores, similarTs.scores)
      : null,
    recommend: maxAbsDiff(recs.scores, recsTs.scores),
    sameLists: sameInts(recs.items, recsTs.items) &&
      (similar === null || similarTs === null ||
        sameInts(similar.items, similarTs.items)),
  };
  clock("query");

  // ---------------------------------------------------------------------------
  // 4. The document's own call, re-run: it passed the items × users matrix to
  //    fit(), which since implicit 0.5 expects users × items, so its "items"
  //    were users and similar_items(314) listed users like the user with index 314.
  //    Only on MovieLens: on a user's own data the document's call means nothing.
  // ---------------------------------------------------------------------------
  const docCall = !ownData && nUsers > PUBLISHED.title_index
    ? await documentCall(data, als, team)
    : null;
  if (docCall) clock("fit_document_call");

  // ---------------------------------------------------------------------------
  // 5. Holdout evaluation (not in the document): implicit's train_test_split,
  //    ALS on train, top-k from the ONNX model with train items masked, and
  //    the popularity baseline on the same split; one run per seed.
  // ---------------------------------------------------------------------------
  const runs: {
    als: RankingMetrics;
    popularity: RankingMetrics;
    train: number;
    test: number;
  }[] = [];
  const evalProgress = new Progress({
    label: "holdout",
    total: seeds.length,
    unit: "seed",
  });
  for (const [r, seed] of seeds.entries()) {
    const split = implicitTrainTestSplit(
      data,
      flags["train-fraction"],
      new RandomState(seed),
    );
    const train = toCsr(takeRows(data, split.train));
    const test = toCsr(takeRows(data, split.test));
    const model = await fitAls(train, {
      ...als,
      seed,
      computeLoss: false,
      team,
    });
    const heldOut = await FactorModelSession.load(
      exportFactorModel(
        {
          nUsers,
          nItems,
          factors: als.factors,
          userFactors: model.userFactors,
          itemFactors: model.itemFactors,
        },
        { seen: train },
      ),
      `holdout model, seed ${seed}`,
    );
    const ranked = await heldOut.recommend(allUsers(nUsers), flags.k);
    await heldOut.release();
    runs.push({
      als: rankingMetricsAtK(ranked.items, test, flags.k, { train }),
      popularity: rankingMetricsAtK(
        recommendPopular(train, flags.k),
        test,
        flags.k,
        { train },
      ),
      train: split.train.length,
      test: split.test.length,
    });
    evalProgress.update(r + 1);
  }
  evalProgress.finish();
  clock("holdout");

  // ---------------------------------------------------------------------------
  // 6. Metrics, published vs reproduced, and the report.
  // ---------------------------------------------------------------------------
  const k = flags.k;
  const metrics: Record<string, MetricValue> = {
    users: nUsers,
    items: nItems,
    ratings: data.users.length,
    user_ratings: userRows.length,
  };
  if (match !== null && titleIndex !== null) {
    metrics.title_match_movie_id = match.id;
    metrics.title_index = titleIndex;
  }
  if (docCall) {
    metrics.document_call_neighbour_overlap = docCall.overlap;
    metrics.document_call_second_score = round7(docCall.similar.scores[1]);
  }
  metrics.final_training_loss = full.loss.at(-1) ?? NaN;
  metrics.onnx_parity_max_abs_diff = Math.max(
    parity.similar ?? 0,
    parity.recommend,
  );
  for (const name of ["precision", "map", "ndcg", "auc"] as const) {
    metrics[`als_${name}_at_${k}`] = summarize(runs.map((x) => x.als[name]));
    metrics[`popularity_${name}_at_${k}`] = summarize(
      runs.map((x) => x.popularity[name]),
    );
  }
  const comparisons = compareWithDocument(metrics, {
    ownData,
    isDocumentData,
    datasetName,
    user,
    query,
    match,
  });
  const published: Record<string, number | string> = {
    users: PUBLISHED.users,
    items: PUBLISHED.items,
    ratings: PUBLISHED.ratings,
    user_ratings: PUBLISHED.user_ratings,
    title_match_movie_id: PUBLISHED.title_match,
    title_index: PUBLISHED.title_index,
    document_call_neighbour_overlap: PUBLISHED.similarIds.length - 1,
    document_call_second_score: PUBLISHED.similarScores[1],
  };

  const environment = await collectEnvironment();
  environment.onnxruntime_web = onnxruntimeVersion();
  const command = ["deno task exp:als", ...args].join(" ");
  const results: Results = {
    schema: "cf-results/1",
    experiment: "als",
    title: "Implicit-feedback ALS on MovieLens",
    command,
    document: {
      seed_file: SEED_FILE,
      title: DOCUMENT_TITLE,
      published,
    },
    dataset: datasetRecord(
      source,
      data,
      datasetName,
      ownData ? "given with --ratings" : undefined,
    ),
    config: {
      ...alsJson(als),
      ...(flags.ratings === undefined ? { dataset: flags.dataset } : {
        ratings: basename(flags.ratings),
        movies: flags.movies === undefined ? null : basename(flags.movies),
      }),
      seeds,
      train_fraction: flags["train-fraction"],
      split:
        "implicit.evaluation.train_test_split semantics, one RandomState(seed) draw per user–item pair",
      k,
      title: hasTitles ? query : null,
      user,
    },
    seeds,
    metrics,
    comparisons,
    timings_s: timings,
    environment,
  };

  const html = renderReport({
    title: "Implicit-feedback ALS on MovieLens",
    subtitle: `Reproduces ${DOCUMENT_TITLE}`,
    command,
    facts: reportFacts(results),
    sections: [
      {
        heading: "Published vs reproduced",
        blocks: [comparisonTable(comparisons, null)],
      },
      {
        heading: "What the document did, and what changed here",
        blocks: documentNotes(),
      },
      match !== null && similar !== null
        ? {
          heading: `Movies most similar to ${match.title}`,
          blocks: [
            paragraph(
              `Cosine similarity of item factors, from the ONNX model's \`similar\` output (the movie itself first, as implicit returns it). ` +
                `"${query}" matched ${match.title} with WRatio ${match.score}; the match ignores the "(year)" suffix so that ` +
                `"Forrest (2001)" does not tie with it.`,
            ),
            movieTable(
              data,
              popularity,
              similar.items,
              similar.scores,
              "cosine",
            ),
          ],
        }
        : {
          heading: "Similar movies",
          blocks: [
            paragraph(
              `Skipped: ${datasetName} comes without titles, so there is no title to look up. ` +
                "Pass --movies with a movies.csv-format file (movieId,title,genres) to list the movies most " +
                "similar to --title. Tables below show item ids only.",
            ),
          ],
        },
      {
        heading: `User ${user}`,
        blocks: [
          paragraph(
            `User ${user}${
              ownData && flags.user === undefined
                ? ` (the smallest user id in ${datasetName}; choose another with --user)`
                : ""
            } rated ${userRows.length} movies. Best and worst rated, as the document lists them ` +
              "(equal ratings in file order; the document's pandas sort orders ties its own way):",
          ),
          ratedTable(data, userRows.slice(0, 5)),
          ratedTable(
            data,
            userRows.filter((r) => data.ratings[r] < 3).slice(-5),
          ),
          paragraph(
            `Top ${k} recommendations from the ONNX model's \`recommend\` output, with the user's ${userRows.length} rated movies masked in the graph.`,
          ),
          movieTable(data, popularity, recs.items, recs.scores, "score"),
        ],
      },
      {
        heading: "The document's call, re-run",
        blocks: docCall === null
          ? [paragraph(
            ownData
              ? `Skipped: the document's call asks about index ${PUBLISHED.title_index} of MovieLens ml-latest-small, which means nothing on a user's own data.`
              : `Skipped: ${datasetName} has ${nUsers} users, and the document's call asks about user index ${PUBLISHED.title_index}.`,
          )]
          : [
            paragraph(
              `Fitted on the items × users matrix as the document did, \`similar_items(${PUBLISHED.title_index})\` ` +
                `returns user indices, the query's own index first. Ours beside the document's: of its ` +
                `${
                  PUBLISHED.similarIds.length - 1
                } neighbours after the query, ${docCall.overlap} are among ours. ` +
                `The lists cannot agree exactly: ${UNSEEDED_CAUSE}.`,
            ),
            {
              kind: "table",
              header: [
                "rank",
                "document: user index",
                "document: cosine",
                "re-run: user index",
                "re-run: cosine",
              ],
              rows: PUBLISHED.similarIds.map((
                id,
                j,
              ) => [
                j + 1,
                id,
                PUBLISHED.similarScores[j],
                docCall.similar.items[j],
                docCall.similar.scores[j],
              ]),
              precision: [null, null, 4, null, 4],
            },
          ],
      },
      {
        heading: `Holdout evaluation at k = ${k}`,
        blocks: [
          paragraph(
            `${Math.round(flags["train-fraction"] * 100)}/${
              Math.round((1 - flags["train-fraction"]) * 100)
            } split with implicit's ` +
              `train_test_split semantics (one uniform draw per user–movie pair; ${
                runs[0].train
              } train / ${runs[0].test} test ratings for seed ${seeds[0]}), ` +
              `ALS fitted on train, top ${k} from the ONNX model with train items masked; mean ± std over seeds ${
                seeds.join(", ")
              }. ` +
              `Metrics as implicit's ranking_metrics_at_k defines them (precision divides the hits by min(k, |test items|)).`,
          ),
          metricsTable(
            Object.fromEntries(
              Object.entries(metrics).filter(([m]) => m.endsWith(`_at_${k}`)),
            ),
            4,
          ),
          metricsFigure(runs, k),
        ],
      },
      {
        heading: "Training loss",
        blocks: [lossFigure(full.loss)],
      },
      {
        heading: "ONNX parity",
        blocks: [
          paragraph(
            `Largest absolute difference between the ONNX model's scores and the TypeScript computation: ` +
              (parity.similar === null
                ? ""
                : `similar ${parity.similar.toExponential(2)}, `) +
              `recommend ${parity.recommend.toExponential(2)}; ` +
              `the ranked lists are ${
                parity.sameLists ? "identical" : "NOT identical"
              }.`,
          ),
        ],
      },
      configurationSection(results),
    ],
  });

  // Report and model as one set: bad results or a failed write leave the
  // previous run's files as they were (lib/report/write.ts).
  await writeReport(flags.out, "als", html, results, [
    { path: join(flags.out, "als", "model.onnx"), content: modelBytes },
  ]);
  await session.release();
  console.log(summaryText(results, k, flags.out));
  return results;
}

// -----------------------------------------------------------------------------
// Helpers of this experiment only.
// -----------------------------------------------------------------------------

function lossText(loss: number | undefined): string {
  return loss === undefined ? "" : `loss ${loss.toExponential(4)}`;
}

function toCsr(d: Interactions): Csr {
  return csrFromCoo(d.users, d.items, d.ratings, d.nUsers, d.nItems, "last");
}

function allUsers(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, u) => u);
}

function titleEntries(data: Interactions, popularity: Float32Array) {
  const rated = new Map<number, number>();
  data.itemIds.raw.forEach((id, j) => rated.set(id, popularity[j]));
  // Only rated movies can be looked up: an unrated one has no factors.
  return [...data.itemInfo].filter(([id]) => rated.has(id)).map((
    [id, info],
  ) => ({
    id,
    title: info.title,
    ratings: rated.get(id)!,
  }));
}

/** What a run's comparison rows depend on besides its metrics. */
export interface RunContext {
  /** The data came from --ratings. */
  readonly ownData: boolean;
  /** The document's release (ml-latest-small, 2018). */
  readonly isDocumentData: boolean;
  /** Release name or CSV file name. */
  readonly datasetName: string;
  readonly user: number;
  /** The title query (default the document's). */
  readonly query: string;
  /** The title it matched; null without titles. */
  readonly match: { id: number; title: string; score: number } | null;
}

/**
 * Published-vs-reproduced rows for the metrics present. Each status follows
 * from the comparison itself: equal values are "reproduced"; a difference is
 * "explained" when the run differs from the document's (another data set,
 * user or query; a random start the document did not fix) and
 * "not-reproduced" when it does not.
 */
export function compareWithDocument(
  metrics: Readonly<Record<string, MetricValue>>,
  run: RunContext,
): Comparison[] {
  const otherData = run.ownData
    ? `a user's own data (${run.datasetName}), not the document's ${DOCUMENT_DATASET}`
    : `run on ${run.datasetName}, not the document's ${DOCUMENT_DATASET}`;
  /** A numeric row: equal → reproduced; else explained by `why` when the run differs, not-reproduced otherwise. */
  const row = (
    metric: string,
    published: number,
    why: string | null,
    sameRun: string,
    note = "",
  ): Comparison =>
    exactComparison(metric, metrics, published, why, sameRun, note);
  const sameData =
    `the document's ${DOCUMENT_DATASET} with verified checksums, yet another count`;
  const rows = [
    row(
      "users",
      PUBLISHED.users,
      run.isDocumentData ? null : otherData,
      sameData,
    ),
    row(
      "items",
      PUBLISHED.items,
      run.isDocumentData ? null : otherData,
      sameData,
    ),
    row(
      "ratings",
      PUBLISHED.ratings,
      run.isDocumentData ? null : otherData,
      sameData,
    ),
    row(
      "user_ratings",
      PUBLISHED.user_ratings,
      run.isDocumentData && run.user === DOCUMENT_USER
        ? null
        : `user ${run.user} on ${run.datasetName}; the document used user ${DOCUMENT_USER} on ${DOCUMENT_DATASET}`,
      `the document's user ${DOCUMENT_USER} on its ${DOCUMENT_DATASET}, yet another number of ratings`,
    ),
  ];
  const match = run.match;
  if (match !== null) {
    const sameQuery = run.isDocumentData && run.query === DOCUMENT_QUERY;
    const found =
      `"${run.query}" → ${match.title} (movie id ${match.id}, WRatio ${match.score})`;
    const otherQuery = [
      run.query === DOCUMENT_QUERY
        ? ""
        : `another query than the document's "${DOCUMENT_QUERY}"`,
      run.isDocumentData ? "" : otherData,
    ].filter((x) => x !== "").join("; ");
    rows.push(
      match.title === PUBLISHED.title_match
        ? comparison(
          "title_match_movie_id",
          metrics,
          PUBLISHED.title_match,
          "reproduced",
          found,
        )
        : comparison(
          "title_match_movie_id",
          metrics,
          PUBLISHED.title_match,
          sameQuery ? "not-reproduced" : "explained",
          sameQuery
            ? `${found}: the document's query on its data matched another title`
            : `${found}: ${otherQuery}`,
        ),
      row(
        "title_index",
        PUBLISHED.title_index,
        run.isDocumentData && match.title === PUBLISHED.title_match
          ? null
          : "another title or data set than the document's",
        "the document's movie in its data set, yet another dense index",
        "dense index of the movie in sorted-id order, as np.unique gives",
      ),
    );
  }
  if (Object.hasOwn(metrics, "document_call_neighbour_overlap")) {
    const cause = run.isDocumentData
      ? UNSEEDED_CAUSE
      : `${otherData}; besides, ${UNSEEDED_CAUSE}`;
    rows.push(
      row(
        "document_call_neighbour_overlap",
        PUBLISHED.similarIds.length - 1,
        "of the 9 neighbours the document's similar_items(314) printed after the query itself, how many " +
          "ours shares when re-run the document's way (items × users); these ids are users, not movies. " +
          `They differ because ${cause}`,
        "",
      ),
      row(
        "document_call_second_score",
        PUBLISHED.similarScores[1],
        "cosine of the first neighbour after the query in the document's call; same cause as the overlap",
        "",
      ),
    );
  }
  return rows;
}

/** Why no run can repeat the document's factors, for notes and prose. */
const UNSEEDED_CAUSE =
  "the document called AlternatingLeastSquares(factors=50) without random_state, so its starting " +
  "factors were an unseeded random draw no one can repeat, and implicit solves in float32 BLAS " +
  "arithmetic where we use float64; ALS is not convex, so different starts end in different factors";

/** The document's call re-run, and what it shares with the document's printed list. */
interface DocumentCall {
  /** `similar_items(314)` of the items × users fit: the query's index first, then 10 user indices. */
  readonly similar: { items: Int32Array; scores: Float32Array };
  /** Of the document's 9 neighbours (the query excluded), how many our first 9 neighbours share. */
  readonly overlap: number;
}

/**
 * Fits ALS on the items × users matrix as the document did (implicit ≥ 0.5
 * reads it as users × items) and asks `similar_items(314)`, which then lists
 * user indices.
 */
async function documentCall(
  data: Interactions,
  als: AlsConfig,
  team: AlsThreads,
): Promise<DocumentCall> {
  const transposed = csrFromCoo(
    data.items,
    data.users,
    data.ratings,
    data.nItems,
    data.nUsers,
    "last",
  );
  const model = await fitAls(transposed, { ...als, computeLoss: false, team });
  const query = PUBLISHED.title_index;
  // One more than printed, so that 9 neighbours remain even if the query is not first.
  const similar = similarItems(model.itemFactors, als.factors, query, 11);
  const published = new Set<number>(
    PUBLISHED.similarIds.filter((u) => u !== query),
  );
  const ours = [...similar.items].filter((u) => u !== query).slice(
    0,
    published.size,
  );
  return {
    similar: {
      items: similar.items.subarray(0, 10),
      scores: similar.scores.subarray(0, 10),
    },
    overlap: ours.filter((u) => published.has(u)).length,
  };
}

/** Rows of one user, best rating first (ties in file order), as the document sorts them. */
function rowsOfUser(data: Interactions, user: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r < data.users.length; r++) {
    if (data.users[r] === user) rows.push(r);
  }
  return rows.sort((a, b) => data.ratings[b] - data.ratings[a] || a - b);
}

function sameInts(a: Int32Array, b: Int32Array): boolean {
  return a.length === b.length && a.every((v, j) => v === b[j]);
}

function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

function alsJson(c: AlsConfig) {
  return {
    factors: c.factors,
    regularization: c.regularization,
    iterations: c.iterations,
    alpha: c.alpha,
    solver: c.solver,
    cg_steps: c.cgSteps,
    threads: c.threads ?? 1,
  };
}

function movieTable(
  data: Interactions,
  popularity: Float32Array,
  items: Int32Array,
  scores: Float32Array,
  label: string,
): Block {
  if (data.itemInfo.size === 0) {
    // A user's own data without --movies: ids only.
    return {
      kind: "table",
      header: ["rank", "item id", "ratings", label],
      rows: [...items].map((j, rank) => [
        rank + 1,
        data.itemIds.raw[j],
        popularity[j],
        scores[rank],
      ]),
      precision: [null, null, null, 4],
    };
  }
  return {
    kind: "table",
    header: ["rank", "movie id", "title", "genres", "ratings", label],
    rows: [...items].map((j, rank) => {
      const id = data.itemIds.raw[j];
      const info = data.itemInfo.get(id);
      return [
        rank + 1,
        id,
        info?.title ?? "(unknown)",
        info?.genres.join(", ") ?? "",
        popularity[j],
        scores[rank],
      ];
    }),
    precision: [null, null, null, null, null, 4],
  };
}

function ratedTable(data: Interactions, rows: number[]): Block {
  if (data.itemInfo.size === 0) {
    return {
      kind: "table",
      header: ["item id", "rating"],
      rows: rows.map((r) => [data.itemIds.raw[data.items[r]], data.ratings[r]]),
      precision: [null, 1],
    };
  }
  return {
    kind: "table",
    header: ["movie id", "title", "rating"],
    rows: rows.map((r) => {
      const id = data.itemIds.raw[data.items[r]];
      return [id, data.itemInfo.get(id)?.title ?? "(unknown)", data.ratings[r]];
    }),
    precision: [null, null, 1],
  };
}

function documentNotes(): Block[] {
  const titleIndex = PUBLISHED.title_index;
  return [
    paragraph(
      "The document built the rating matrix as movies × users and passed it to `fit()`. Since implicit 0.5, " +
        '`fit()` takes users × items, so the fitted "users" were movies and the "items" were users: ' +
        `its \`similar_items(${titleIndex})\` returned user indices (the first, ${titleIndex}, is the query's own index ` +
        "reused as a user index), not movies. Here the model is fitted on users × movies.",
    ),
    paragraph(
      "Its printing loop iterated over the (ids, scores) tuple and looked up `r[0]` of each array: the first id " +
        '(the query) and the first score, 1.0, taken as movie index 1, which is why it printed only "Jumanji (1995)".',
    ),
    paragraph(
      'Its `model.recommend(user_idx, X_t)` failed with "user_items must contain 1 row for every user in userids": ' +
        "implicit ≥ 0.5 wants the user's own row of the user × item matrix, not the whole matrix. Here the " +
        "user's rated movies travel inside the ONNX model and are masked in the graph.",
    ),
    paragraph(
      "Ratings are used as confidence (c = alpha × rating, alpha = 1) with preference 1 for every rated movie, as implicit does. " +
        "Factors start from a seeded draw, numpy's RandomState(seed).rand (MT19937) as implicit ≤ 0.6 draws them, so a run " +
        `here can be repeated exactly. The document's cannot: ${UNSEEDED_CAUSE}. Individual factors and the ` +
        "document's similarity lists therefore differ from ours while the method and configuration are the same.",
    ),
  ];
}

function metricsFigure(
  runs: { als: RankingMetrics; popularity: RankingMetrics }[],
  k: number,
): Block {
  const names = ["precision", "map", "ndcg", "auc"] as const;
  const bar = (
    label: string,
    pick: (r: (typeof runs)[number]) => RankingMetrics,
  ) => {
    const s = names.map((n) => summarize(runs.map((r) => pick(r)[n])));
    return {
      type: "bar",
      name: label,
      x: names.map((n) => `${n}@${k}`),
      y: s.map((v) => v.mean),
      error_y: { type: "data", array: s.map((v) => v.std), visible: true },
    };
  };
  return {
    kind: "figure",
    data: [bar("ALS", (r) => r.als), bar("popularity", (r) => r.popularity)],
    layout: {
      barmode: "group",
      xaxis: { title: { text: "metric" } },
      yaxis: {
        title: { text: "value (mean ± std over seeds)" },
        range: [0, 1],
      },
    },
    caption:
      `Holdout ranking metrics at k = ${k}: ALS against the popularity baseline.`,
  };
}

function lossFigure(loss: readonly number[]): Block {
  return {
    kind: "figure",
    data: [{
      type: "scatter",
      mode: "lines+markers",
      x: loss.map((_, j) => j + 1),
      y: loss,
      name: "loss",
    }],
    layout: {
      xaxis: { title: { text: "iteration" }, dtick: 1 },
      yaxis: {
        title: {
          text: "training loss (implicit's definition)",
        },
      },
    },
    caption: "Training loss after each ALS iteration, all ratings.",
  };
}

function summaryText(results: Results, k: number, out: string): string {
  const m = results.metrics;
  const fmt = (v: MetricValue) =>
    typeof v === "number"
      ? String(v)
      : `${v.mean.toFixed(4)} ± ${v.std.toFixed(4)}`;
  const c = results.dataset.counts;
  return [
    `als: ${c.users} users × ${c.items} items, ${c.ratings} ratings; holdout metrics at k = ${k}, mean ± std over ${results.seeds.length} seeds`,
    `  ALS        precision ${fmt(m[`als_precision_at_${k}`])}  map ${
      fmt(m[`als_map_at_${k}`])
    }  ndcg ${fmt(m[`als_ndcg_at_${k}`])}`,
    `  popularity precision ${fmt(m[`popularity_precision_at_${k}`])}  map ${
      fmt(m[`popularity_map_at_${k}`])
    }  ndcg ${fmt(m[`popularity_ndcg_at_${k}`])}`,
    `wrote ${join(out, "als.html")}, ${join(out, "als.json")} and ${
      join(out, "als", "model.onnx")
    }`,
  ].join("\n");
}

if (import.meta.main) await runMain(() => main(Deno.args).then(() => {}));
