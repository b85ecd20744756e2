/**
 * The library's front door: what an experiment needs, from loading MovieLens
 * to writing the report. Everything else under lib/ is reachable by path but
 * is not promised to stay put.
 *
 * - data: {@link loadMovieLens}, {@link loadRatingsCsv}, {@link Interactions}
 * - splits and randomness: {@link RandomState}, {@link randomTrainTestSplit},
 *   {@link sklearnTrainTestSplit}, {@link implicitTrainTestSplit},
 *   {@link perUserHoldout}
 * - sparse matrices: {@link Csr}, {@link csrFromCoo}
 * - metrics: {@link rmse}, {@link mae}, {@link mse}, {@link maxAbsDiff},
 *   {@link rankingMetricsAtK}
 * - factor models: {@link FactorModel}, {@link predictPairs},
 *   {@link recommend}, {@link similarItems}, {@link nearestItems},
 *   {@link itemNorms}, {@link topKExcluding}
 * - fitters: {@link fitAls}, {@link fitBpr} (with {@link bprFactorModel}),
 *   {@link fitEmbeddingMf}, {@link fitMlp}, {@link fitSparseMf}, and
 *   {@link runFits} to spread fits over workers
 * - ONNX: {@link exportFactorModel}, {@link writeFactorModel},
 *   {@link FactorModelSession}, {@link exportMlpModel}, {@link MlpSession}
 * - reports: {@link renderReport}, {@link paragraph}, {@link writeReport},
 *   {@link summarize}, {@link comparison}, {@link metricsTable},
 *   {@link referenceRun}, {@link referenceSummary},
 *   {@link comparisonTable}, {@link configurationSection},
 *   {@link collectEnvironment}
 * - agreement rules (a row's status is always a rule's output):
 *   {@link deterministicRule}, {@link predictionIntervalRule},
 *   {@link welchRule}, {@link welchSummaryRule}, {@link notComparable}
 * - command line: {@link defineFlags}, {@link parseFlags}, {@link runMain},
 *   {@link seedRange}, {@link UserError}, {@link Progress}
 *
 * @example
 * ```ts
 * import { predictPairs, recommend, rmse } from "./mod.ts";
 * const model = { nUsers: 2, nItems: 3, factors: 1, userFactors: Float32Array.of(1, -1), itemFactors: Float32Array.of(1, 2, 3) };
 * const pred = predictPairs(model, Int32Array.of(0, 1), Int32Array.of(2, 0));
 * console.assert(rmse(pred, Float32Array.of(3, -1)) === 0);
 * console.assert(recommend(model.userFactors, model.itemFactors, 1, 0, 2, [2]).items.join() === "1,0");
 * ```
 *
 * @module
 */

export {
  type LoadedData,
  loadMovieLens,
  type LoadOptions,
  loadRatingsCsv,
} from "./data/load.ts";
export type { Interactions } from "./data/interactions.ts";
export { RandomState } from "./rng.ts";
export {
  implicitTrainTestSplit,
  perUserHoldout,
  randomTrainTestSplit,
  sklearnTrainTestSplit,
  type Split,
} from "./split.ts";
export { type Csr, csrFromCoo } from "./sparse.ts";
export {
  mae,
  maxAbsDiff,
  mse,
  type RankingMetrics,
  rankingMetricsAtK,
  rmse,
} from "./metrics.ts";
export {
  type FactorModel,
  itemNorms,
  nearestItems,
  predictPairs,
  recommend,
  similarItems,
  type TopK,
  topKExcluding,
} from "./models/factor_model.ts";
export {
  type AlsConfig,
  type AlsModel,
  AlsThreads,
  fitAls,
} from "./models/als/als.ts";
export {
  BPR_DEFAULTS,
  type BprConfig,
  bprFactorModel,
  type BprIterationInfo,
  type BprModel,
  fitBpr,
  validateBprConfig,
} from "./models/bpr/bpr.ts";
export {
  type EmbeddingMfConfig,
  type EmbeddingMfFit,
  fitEmbeddingMf,
} from "./models/embedding_mf/fit.ts";
export { fitMlp, type MlpConfig, type MlpFit } from "./models/mlp/fit.ts";
export { type MlpModel, predictMlp } from "./models/mlp/mlp.ts";
export {
  fitSparseMf,
  type SparseMfConfig,
} from "./models/sparse_mf/sparse_mf.ts";
export { runFits } from "./train/fit_pool.ts";
export type { FitJob } from "./train/fit_job.ts";
export { exportFactorModel, writeFactorModel } from "./onnx/export.ts";
export { FactorModelSession } from "./onnx/infer.ts";
export { exportMlpModel, MlpSession } from "./onnx/mlp_export.ts";
export {
  type Block,
  type LinksBlock,
  paragraph,
  type Provenance,
  type ProvenanceCommand,
  renderReport,
  type ReportSpec,
  type Section,
} from "./report/html.ts";
export { writeReport } from "./report/write.ts";
export {
  comparison,
  referenceRun,
  referenceSummary,
  type Results,
  summarize,
} from "./report/results.ts";
export {
  deterministicRule,
  notComparable,
  predictionIntervalRule,
  welchRule,
  welchSummaryRule,
} from "./report/agreement.ts";
export {
  comparisonTable,
  configurationSection,
  metricsTable,
} from "./report/summary.ts";
export { collectEnvironment } from "./report/environment.ts";
export { defineFlags, parseFlags, runMain, seedRange } from "./cli.ts";
export { UserError } from "./errors.ts";
export { Progress, type ProgressOptions } from "./progress.ts";

// Types the functions above take or return.
export type {
  BoolFlag,
  EnumFlag,
  FlagBase,
  Flags,
  FlagSpec,
  FlagsSpec,
  FlagValue,
  FloatFlag,
  IntFlag,
  ParseOptions,
  StringFlag,
} from "./cli.ts";
export type { IdMap, ItemInfo } from "./data/interactions.ts";
export type { CsvLoadOptions, DataSource, SourceFile } from "./data/load.ts";
export type { DuplicatePolicy } from "./data/duplicates.ts";
export type {
  ItemsFormat,
  MemberChecksum,
  MovieLensRelease,
  RatingsFormat,
  ReleaseCounts,
  ReleaseName,
  TextEncoding,
} from "./data/registry.ts";
export type { LocateOptions } from "./data/resolve.ts";
export type { FloatVector, RankingOptions } from "./metrics.ts";
export type { AlsIterationInfo } from "./models/als/als.ts";
export type {
  L2Penalty,
  PointwiseLoss,
  RatingTriples,
} from "./models/embedding_mf/embedding_mf.ts";
export type {
  EpochLoss,
  LrPiece,
  Schedule,
} from "./models/embedding_mf/fit.ts";
export type { Neighbors, Similarity } from "./models/factor_model.ts";
export type { DenseLayer, MlpArchitecture } from "./models/mlp/mlp.ts";
export type {
  SparseMfCallback,
  SparseMfCurves,
  SparseMfFit,
} from "./models/sparse_mf/sparse_mf.ts";
export type { ExportOptions } from "./onnx/export.ts";
export type { TopK as BatchTopK } from "./onnx/infer.ts";
export type { MlpExportOptions, MlpInfo } from "./onnx/mlp_export.ts";
export {
  type DescriptionInfo,
  type FactorModelInfo,
  type FactorModelLayout,
  LAYOUT_FORMAT,
  type ModelDescription,
} from "./onnx/metadata.ts";
export type { FigureBlock } from "./report/figure.ts";
export type { LinkBlock, ParagraphBlock, PreBlock } from "./report/html.ts";
export type {
  Comparison,
  ComparisonStatus,
  DataFile,
  Environment,
  Json,
  JsonObject,
  MetricSummary,
  MetricValue,
  ModelFileRecord,
  ReferenceRun,
  ReferenceStatistics,
} from "./report/results.ts";
export type {
  AgreementRecord,
  AgreementRecordBase,
  AgreementStatus,
  Cause,
  DeterministicOptions,
  FloatType,
  NotComparableRecord,
  PredictionIntervalOptions,
  PredictionIntervalRecord,
  ReferenceStats,
  ToleranceRecord,
  WelchOptions,
  WelchRecord,
} from "./report/agreement.ts";
export type { TableBlock, TableCell, TextCell } from "./report/table.ts";
export type { OutputFile } from "./report/write.ts";
export type { Duplicates } from "./sparse.ts";
export type { ImplicitSplitOptions, PerUserHoldoutOptions } from "./split.ts";
export type {
  EmbeddingMfJobConfig,
  FitJobData,
  FitJobEpoch,
  FitJobResult,
  MlpJobConfig,
} from "./train/fit_job.ts";
export type { RunFitsOptions } from "./train/fit_pool.ts";
