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
 * instead of a MovieLens release (a configuration of its own, written under
 * reports/runs/).
 *
 * @module
 */

import { basename } from "node:path";
import { loadMovieLens, loadRatingsCsv } from "../../lib/data/load.ts";
import { UserError } from "../../lib/errors.ts";
import { AlsThreads, fitAls } from "../../lib/models/als/als.ts";
import { itemPopularity } from "../../lib/models/popularity.ts";
import { exportFactorModel } from "../../lib/onnx/export.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import { PeakRss } from "../../lib/peak_rss.ts";
import { Progress } from "../../lib/progress.ts";
import { datasetRecord } from "../../lib/report/provenance.ts";
import type { MetricValue } from "../../lib/report/results.ts";
import { defineExperiment } from "../../lib/run/experiment.ts";
import { findTitle } from "../../lib/title_search.ts";
import { tolerancesOf } from "../registry.ts";
import { compareWithDocument } from "./compare.ts";
import {
  alsConfigOf,
  checkDataFlags,
  configOf,
  DESCRIPTION,
  DOCUMENT,
  DOCUMENT_DATASET,
  DOCUMENT_QUERY,
  DOCUMENT_USER,
  FLAGS,
  PUBLISHED,
} from "./document.ts";
import { documentCall } from "./document_call.ts";
import {
  holdoutMetrics,
  holdoutParityMetrics,
  holdoutRuns,
} from "./holdout.ts";
import { askModel } from "./queries.ts";
import { rowsOfUser, titleEntries, toCsr } from "./ratings.ts";
import { alsSections, alsSummary } from "./report.ts";

export const experiment = defineExperiment({
  name: "als",
  task: "exp:als",
  title: "Implicit-feedback ALS on MovieLens",
  document: DOCUMENT,
  description: DESCRIPTION,
  flags: FLAGS,
  tolerances: tolerancesOf("als"),
  checkFlags: checkDataFlags,
  async run({ flags, seeds, clock, timings }) {
    // Peak resident memory, sampled by a thread of its own (recorded for
    // runs on other data than the document's).
    const isDocumentData = flags.ratings === undefined &&
      flags.dataset === DOCUMENT_DATASET;
    using peak = isDocumentData ? undefined : await PeakRss.start();
    const als = alsConfigOf(flags);
    const ownData = flags.ratings !== undefined;
    // Titles come with every MovieLens release; a user's own data has them only with --movies.
    const hasTitles = !ownData || flags.movies !== undefined;
    const query = flags.title ?? DOCUMENT_QUERY;
    const k = flags.k;

    // 1. Load the ratings; check the user and the title before any fitting.
    const { data, source } = flags.ratings !== undefined
      ? await loadRatingsCsv(flags.ratings, { itemsPath: flags.movies })
      : await loadMovieLens(flags.dataset, { dataDir: flags["data-dir"] });
    clock("load");
    const datasetName = flags.ratings !== undefined
      ? basename(flags.ratings)
      : flags.dataset;
    const { nUsers, nItems } = data;
    const user = flags.user ?? (ownData ? data.userIds.raw[0] : DOCUMENT_USER);
    const userIndex = data.userIds.toIndex.get(user);
    if (userIndex === undefined) {
      throw new UserError(
        `--user ${user}: no such user in ${datasetName} (user ids run from ` +
          `${data.userIds.raw[0]} to ${data.userIds.raw[nUsers - 1]})`,
        { exitCode: 2 },
      );
    }
    const all = toCsr(data);
    const popularity = itemPopularity(all);
    const match = hasTitles
      ? findTitle(query, titleEntries(data, popularity))
      : null;
    const titleIndex = match === null
      ? null
      : data.itemIds.toIndex.get(match.id)!;

    // 2. Fit ALS on every rating, users × items (the orientation implicit expects),
    //    with one worker team for every fit below (start-up and JIT warm-up paid once).
    const progress = new Progress({
      label: "ALS, all ratings",
      total: als.iterations,
      unit: "it",
    });
    using team = await AlsThreads.start(als.threads ?? 1);
    const full = await fitAls(
      all,
      { ...als, team },
      (it, info) =>
        progress.update(
          it + 1,
          info.loss === undefined ? "" : `loss ${info.loss.toExponential(4)}`,
        ),
    );
    progress.finish();
    clock("fit_all");

    // 3. Export to ONNX (seen items travel with the model) and load it back:
    //    every list below is the ONNX model's answer.
    const factorModel = {
      nUsers,
      nItems,
      factors: als.factors,
      userFactors: full.userFactors,
      itemFactors: full.itemFactors,
    };
    const modelBytes = exportFactorModel(factorModel, {
      seen: all,
      description: {
        experiment: "als",
        config: { ...als, dataset: datasetName },
        dataChecksum: source.sha256,
        userIds: data.userIds.raw,
        itemIds: data.itemIds.raw,
        itemTitles: Array.from(
          data.itemIds.raw,
          (id) => data.itemInfo.get(id)?.title ?? null,
        ),
      },
    });
    const session = await FactorModelSession.load(modelBytes, "als/model.onnx");
    clock("export");

    // The movies most similar to the chosen title (itself first, similarity 1), and the
    // user's recommendations with rated movies removed; each beside the TypeScript answer.
    const { similar, recs, parity } = await askModel(
      session,
      { ...factorModel, seen: all },
      { titleIndex, userIndex, k },
    );
    await session.release();
    const userRows = rowsOfUser(data, userIndex);
    clock("query");

    // 4. The document's own call, re-run on the items × users matrix it passed to fit()
    //    (see document_call.ts). Only on MovieLens: on a user's own data it means nothing.
    const docCall = !ownData && nUsers > PUBLISHED.title_index
      ? await documentCall(data, als, team)
      : null;
    if (docCall) clock("fit_document_call");

    // 5. Holdout evaluation (not in the document): implicit's train_test_split, ALS on
    //    train, top-k from the ONNX model with train items masked, and the popularity
    //    baseline on the same split; one run per seed.
    const runs = await holdoutRuns(data, {
      als,
      team,
      seeds,
      trainFraction: flags["train-fraction"],
      k,
    });
    clock("holdout");
    if (!isDocumentData) {
      timings.holdout_fit = runs.reduce((a, r) => a + r.fitSeconds, 0);
      timings.holdout_rank = runs.reduce((a, r) => a + r.rankSeconds, 0);
    }

    // 6. Metrics and published vs reproduced.
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
      // Rounded to the 7 decimals the document printed.
      metrics.document_call_second_score =
        Math.round(docCall.similar.scores[1] * 1e7) / 1e7;
    }
    metrics.final_training_loss = full.loss.at(-1) ?? NaN;
    metrics.onnx_parity_max_abs_diff = Math.max(
      parity.similar ?? 0,
      parity.recommend,
    );
    Object.assign(metrics, holdoutMetrics(runs, k));
    if (!isDocumentData) {
      // Not in the pinned default run: how the run went at this size.
      Object.assign(metrics, holdoutParityMetrics(runs));
      metrics.peak_rss_mib = Math.round(peak!.bytes() / 2 ** 20);
    }
    const comparisons = compareWithDocument(metrics, {
      ownData,
      isDocumentData,
      datasetName,
      user,
      query,
      match,
    });
    return {
      dataset: datasetRecord(
        source,
        data,
        datasetName,
        ownData ? "given with --ratings" : undefined,
      ),
      config: configOf(flags, als, {
        seeds,
        title: hasTitles ? query : null,
        user,
      }),
      metrics,
      comparisons,
      sections: (results) =>
        alsSections(results, {
          data,
          popularity,
          ownData,
          datasetName,
          query,
          match,
          similar,
          user,
          userGiven: flags.user !== undefined,
          userRows,
          recs,
          docCall,
          trainFraction: flags["train-fraction"],
          k,
          runs,
          loss: full.loss,
          parity,
        }),
      files: [{ name: "model.onnx", content: modelBytes }],
      summary: alsSummary(metrics, k, seeds.length),
    };
  },
});

/** Runs the experiment with command-line `args`; returns its results. */
export const main = experiment.main;

if (import.meta.main) await experiment.cli();
