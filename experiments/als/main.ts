/**
 * deno task exp:als            (flags: deno task exp:als --help)
 *
 * Reproduces Jill Cates' "Part 3: Building a Recommender System with Implicit
 * Feedback" (2020): implicit's AlternatingLeastSquares (50 factors,
 * regularization 0.01, 15 iterations, conjugate gradient with 3 steps) fitted
 * on MovieLens ml-latest-small (2018) with the star ratings used as
 * confidence; a fuzzy title lookup, the movies most similar to Forrest Gump,
 * and user 95's recommendations. Then what the document could not show: an
 * 80/20 holdout evaluation (implicit 0.7's split and initial factors) against
 * a popularity baseline and beside a reference re-run of implicit 0.7.3.
 *
 * `--ratings your.csv` (with `--movies movies.csv` for titles, optional) runs
 * the same analysis on a user's own `user,item,rating[,timestamp]` file
 * instead of a MovieLens release (a configuration of its own, written under
 * reports/runs/).
 *
 * @module
 */

import { AlsThreads } from "../../lib/models/als/als.ts";
import type { AlsConfig } from "../../lib/models/als/als.ts";
import type { Interactions } from "../../lib/data/interactions.ts";
import type { Flags } from "../../lib/cli.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import { PeakRss } from "../../lib/peak_rss.ts";
import { datasetRecord } from "../../lib/report/provenance.ts";
import {
  type Comparison,
  type MetricValue,
  otherSettingsNote,
} from "../../lib/report/results.ts";
import {
  defineExperiment,
  type RunContext,
  type RunOutput,
} from "../../lib/run/experiment.ts";
import { tolerancesOf } from "../registry.ts";
import { compareWithDocument } from "./compare.ts";
import {
  alsConfigOf,
  bprSettings,
  checkDataFlags,
  configOf,
  DESCRIPTION,
  DOCUMENT,
  DOCUMENT_DATASET,
  FLAGS,
  PUBLISHED,
} from "./document.ts";
import { documentCall } from "./document_call.ts";
import { exportAlsModel } from "./export.ts";
import { fitAllRatings } from "./fit.ts";
import { type HoldoutRun, holdoutRuns } from "./holdout.ts";
import { loadRatings, locateSubjects, type Subjects } from "./load.ts";
import { alsMetrics } from "./metrics.ts";
import { askModel } from "./queries.ts";
import { rowsOfUser } from "./ratings.ts";
import { alsReportData, alsSections, alsSummary } from "./report.ts";
import { holdoutVersus, type Versus } from "./versus.ts";

/** Model seeds (the first of the run's) the document's call is re-run from. */
const DOCUMENT_CALL_SEEDS = 10;

export const experiment = defineExperiment({
  name: "als",
  task: "exp:als",
  title: "Implicit-feedback ALS on MovieLens",
  document: DOCUMENT,
  description: DESCRIPTION,
  flags: FLAGS,
  tolerances: tolerancesOf("als"),
  checkFlags: checkDataFlags,
  run,
});

/** Runs the experiment with command-line `args`; returns its results. */
export const main = experiment.main;

/** The notebook's steps, top to bottom: load, fit, export and ask, the document's call, holdout, metrics. */
async function run(
  { flags, args, seeds, clock, timings }: RunContext<typeof FLAGS>,
): Promise<RunOutput> {
  const als = alsConfigOf(flags);
  const k = flags.k;
  // Peak memory, on other data than the document's (not in the pinned run).
  using peak = await peakSampler(flags);

  // 1. Load the ratings; check the user and the title before any fitting.
  const { data, source } = await loadRatings(flags);
  clock("load");
  const s = locateSubjects(data, flags);

  // 2. Fit ALS on every rating, users × items (the orientation implicit expects),
  //    with one worker team for every fit below (start-up and JIT warm-up paid once).
  using team = await AlsThreads.start(als.threads ?? 1);
  const full = await fitAllRatings(s.all, als, team);
  clock("fit_all");

  // 3. Export to ONNX (seen items travel with the model) and load it back:
  //    every list below is the ONNX model's answer.
  const exported = exportAlsModel(full, als, { data, source }, s);
  const { modelBytes } = exported;
  const session = await FactorModelSession.load(modelBytes, "als/model.onnx");
  clock("export");

  // The movies most similar to the chosen title (itself first, similarity 1), and the
  // user's recommendations with rated movies removed; each beside the TypeScript answer.
  const answers = await askModel(
    session,
    { ...exported.factorModel, seen: s.all },
    { titleIndex: s.titleIndex, userIndex: s.userIndex, k },
  );
  await session.release();
  const userRows = rowsOfUser(data, s.userIndex);
  clock("query");

  // 4. The document's own call, re-run on the items × users matrix it passed to fit()
  //    (see document_call.ts). Only on MovieLens: on a user's own data it means nothing.
  const docCall = !s.ownData && data.nUsers > PUBLISHED.title_index
    ? await documentCall(data, als, team, seeds.slice(0, DOCUMENT_CALL_SEEDS))
    : null;
  if (docCall) clock("fit_document_call");

  // 5. Holdout evaluation (not in the document): implicit 0.7's train_test_split
  //    (one split, --split-seed), ALS on train from implicit 0.7's start for each
  //    model seed, top-k from the ONNX model with train items masked, and the
  //    popularity baseline on the same split; then ALS − popularity with its
  //    uncertainty over seeds and over test users (see holdout.ts for ML-25M size).
  const evaluation = { flags, als, team, seeds, timings: peak && timings };
  const { runs, versus } = await holdout(data, s, evaluation);
  clock("holdout");

  // 6. Metrics and published vs reproduced.
  const outcomes = { ...answers, userRows, docCall, full, runs, versus, k };
  const metrics = alsMetrics(data, s, outcomes);
  if (peak) metrics.peak_rss_mib = Math.round(peak.bytes() / 2 ** 20);
  return {
    dataset: datasetRecord(
      source,
      data,
      s.datasetName,
      s.ownData ? "given with --ratings" : undefined,
    ),
    config: configOf(flags, als, {
      seeds,
      title: s.hasTitles ? s.query : null,
      user: s.user,
    }),
    metrics,
    comparisons: alsComparisons(metrics, { flags, args, als, data, s }),
    sections: (results) =>
      alsSections(results, alsReportData(data, s, flags, outcomes)),
    files: [{ name: "model.onnx", content: modelBytes }],
    summary: alsSummary(metrics, k, seeds.length),
  };
}

/** A peak memory sampler (lib/peak_rss.ts) for runs on other data than the document's, else undefined. */
async function peakSampler(
  flags: Flags<typeof FLAGS>,
): Promise<PeakRss | undefined> {
  const documentData = flags.ratings === undefined &&
    flags.dataset === DOCUMENT_DATASET;
  return documentData ? undefined : await PeakRss.start();
}

/**
 * Step 5: the holdout runs (one split, one fit per seed) and ALS − popularity
 * (two seeds or more); the holdout's fit and rank seconds go to `timings`
 * when given (holdout_fit, holdout_rank).
 */
async function holdout(
  data: Interactions,
  s: Subjects,
  r: {
    flags: Flags<typeof FLAGS>;
    als: AlsConfig;
    team: AlsThreads;
    seeds: readonly number[];
    timings?: Record<string, number>;
  },
): Promise<{ runs: HoldoutRun[]; versus: Versus[] }> {
  const { runs } = await holdoutRuns(data, {
    als: r.als,
    team: r.team,
    seeds: r.seeds,
    splitSeed: r.flags["split-seed"],
    trainFraction: r.flags["train-fraction"],
    k: r.flags.k,
    all: s.all,
    ...bprSettings(r.flags, r.als),
  });
  if (r.timings) {
    r.timings.holdout_fit = runs.reduce((a, x) => a + x.fitSeconds, 0);
    r.timings.holdout_rank = runs.reduce((a, x) => a + x.rankSeconds, 0);
  }
  const versus = runs.length >= 2 ? holdoutVersus(runs) : [];
  return { runs, versus };
}

/** Published vs reproduced for `metrics`, given what the run was run on and with. */
function alsComparisons(
  metrics: Record<string, MetricValue>,
  r: {
    flags: Flags<typeof FLAGS>;
    args: readonly string[];
    als: AlsConfig;
    data: Interactions;
    s: Subjects;
  },
): Comparison[] {
  const { flags, als, data, s } = r;
  const alsIsDocument = als.factors === 50 && als.regularization === 0.01 &&
    als.iterations === 15 && als.alpha === 1 && als.solver === "cg" &&
    als.cgSteps === 3;
  const publishedTitle = [...data.itemInfo].find(([id, info]) =>
    info.title === PUBLISHED.title_match && data.itemIds.toIndex.has(id)
  );
  return compareWithDocument(metrics, {
    ownData: s.ownData,
    isDocumentData: s.isDocumentData,
    datasetName: s.datasetName,
    user: s.user,
    query: s.query,
    match: s.match,
    publishedTitleId: publishedTitle === undefined ? null : publishedTitle[0],
    alsSettings: alsIsDocument ? true : otherSettingsNote(r.args),
    holdoutIsReference: alsIsDocument && flags["split-seed"] === 42 &&
      flags["train-fraction"] === 0.8 && flags.k === 10,
  });
}

if (import.meta.main) await experiment.cli();
