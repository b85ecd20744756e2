/**
 * What a factor-model ONNX file says about itself, stored as string
 * key/value pairs in `ModelProto.metadataProps` so that a reader needs the
 * `.onnx` file alone: the graph's layout (sizes, biases, output range), raw
 * user and item ids, item titles, and the experiment name, configuration and
 * data checksum that produced it.
 *
 * Keys (values are JSON unless noted):
 * - `cf.layout`: {@link FactorModelLayout}
 * - `cf.experiment`: experiment name (plain string)
 * - `cf.config`: the experiment configuration (any JSON value)
 * - `cf.data_checksum`: checksum of the training data (plain string)
 * - `cf.user_ids`: raw user id per user index (number array, length nUsers)
 * - `cf.item_ids`: raw item id per item index (number array, length nItems)
 * - `cf.item_titles`: title per item index (string or null, length nItems)
 * - `cf.seen_from`: which ratings count as a user's "seen" (already-rated)
 *   items: the ones the model was trained on (plain string, e.g. "the
 *   training split: 80,000 ratings")
 * - `cf.seen`: embedding MLPs only (factor graphs hold theirs as
 *   initializers): `{ indptr, indices }`, the users × items CSR pattern of
 *   those ratings
 * - `cf.weights_sha256`: the integrity digest (./digest.ts), last
 *
 * @module
 */

import { UserError } from "../errors.ts";
import { DIGEST_KEY, modelDigest } from "./digest.ts";
import { onnxProto } from "./proto.ts";

/**
 * Format tag written into `cf.layout.format`.
 *
 * @example
 * ```ts
 * import { LAYOUT_FORMAT } from "./metadata.ts";
 * console.assert(LAYOUT_FORMAT === "cf-factor-model");
 * ```
 */
export const LAYOUT_FORMAT = "cf-factor-model";
/** Version of the graph contract written into `cf.layout.version`. */
export const LAYOUT_VERSION = 1;

/** Metadata keys, in the order they are written. */
export const METADATA_KEYS = {
  layout: "cf.layout",
  experiment: "cf.experiment",
  config: "cf.config",
  dataChecksum: "cf.data_checksum",
  userIds: "cf.user_ids",
  itemIds: "cf.item_ids",
  itemTitles: "cf.item_titles",
  seenFrom: "cf.seen_from",
  seen: "cf.seen",
} as const;

/** Sizes and options of the exported graph (what `FactorModelSession` checks inputs against). */
export interface FactorModelLayout {
  /** Format tag, always {@link LAYOUT_FORMAT}. */
  readonly format: typeof LAYOUT_FORMAT;
  /** Layout version the file was written with. */
  readonly version: number;
  /** Users the model scores (user indices below this). */
  readonly nUsers: number;
  /** Items the model scores (item indices below this). */
  readonly nItems: number;
  /** Latent dimension. */
  readonly factors: number;
  /** True when the score includes per-user, per-item or global biases. */
  readonly biases: boolean;
  /** Sigmoid output range [min, max], or null for raw scores. */
  readonly outputRange: readonly [number, number] | null;
  /** True when `recommend` masks each user's seen items. */
  readonly masksSeen: boolean;
}

/** Descriptive metadata supplied at export; every field optional. */
export interface ModelDescription {
  /** Name of the experiment that trained the model. */
  readonly experiment?: string;
  /** Any JSON-serialisable configuration object. */
  readonly config?: unknown;
  /** SHA-256 of the training data. */
  readonly dataChecksum?: string;
  /** Raw user id (32-bit integer) per user index, length nUsers. */
  readonly userIds?: ArrayLike<number>;
  /** Raw item id (32-bit integer) per item index, length nItems. */
  readonly itemIds?: ArrayLike<number>;
  /** Title per item index (null when unknown), length nItems. */
  readonly itemTitles?: readonly (string | null)[];
  /** Which ratings the seen items are (the ones the model was trained on), in words. */
  readonly seenFrom?: string;
}

/** Metadata read back from a model file, parsed and typed. */
export interface FactorModelInfo {
  /** Sizes and options of the graph. */
  readonly layout: FactorModelLayout;
  /** Name of the experiment that trained the model. */
  readonly experiment?: string;
  /** The training configuration, as exported. */
  readonly config?: unknown;
  /** SHA-256 of the training data. */
  readonly dataChecksum?: string;
  /** Raw user id per user index. */
  readonly userIds?: Int32Array;
  /** Raw item id per item index. */
  readonly itemIds?: Int32Array;
  /** Title per item index (null when unknown). */
  readonly itemTitles?: readonly (string | null)[];
  /** Which ratings the seen items are, in words (`cf.seen_from`). */
  readonly seenFrom?: string;
}

/** Raised when a file is not a readable factor-model ONNX file. */
export class ModelFileError extends UserError {}

function checkLength(key: string, length: number, n: number): void {
  if (length !== n) {
    throw new RangeError(
      `encodeMetadata: ${key} has ${length} entries, the model has ${n}`,
    );
  }
}

/**
 * The metadata record for `layout` and `description`, ready for
 * `GraphBuilder.encodeModel`. Checks id and title arrays against the layout's
 * sizes.
 */
export function encodeMetadata(
  layout: FactorModelLayout,
  description: ModelDescription,
): Record<string, string> {
  return {
    [METADATA_KEYS.layout]: JSON.stringify(layout),
    ...encodeDescription(description, layout.nUsers, layout.nItems),
  };
}

/**
 * The metadata entries of `description` alone (no layout), for a model of
 * `nUsers` × `nItems`: what factor graphs and embedding MLPs share.
 *
 * @throws {RangeError} When an id or title array has the wrong length.
 */
export function encodeDescription(
  description: ModelDescription,
  nUsers: number,
  nItems: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  const d = description;
  if (d.experiment !== undefined) out[METADATA_KEYS.experiment] = d.experiment;
  if (d.config !== undefined) {
    out[METADATA_KEYS.config] = JSON.stringify(d.config);
  }
  if (d.dataChecksum !== undefined) {
    out[METADATA_KEYS.dataChecksum] = d.dataChecksum;
  }
  const ids = [
    ["userIds", d.userIds, nUsers],
    ["itemIds", d.itemIds, nItems],
  ] as const;
  for (const [key, values, n] of ids) {
    if (values === undefined) continue;
    checkLength(key, values.length, n);
    const list = Array.from(values);
    const bad = list.findIndex((x) => (x | 0) !== x);
    if (bad >= 0) {
      throw new RangeError(
        `encodeMetadata: ${key}[${bad}] = ${list[bad]} is not a 32-bit integer`,
      );
    }
    out[METADATA_KEYS[key]] = JSON.stringify(list);
  }
  if (d.itemTitles !== undefined) {
    checkLength("itemTitles", d.itemTitles.length, nItems);
    out[METADATA_KEYS.itemTitles] = JSON.stringify(d.itemTitles);
  }
  if (d.seenFrom !== undefined) out[METADATA_KEYS.seenFrom] = d.seenFrom;
  return out;
}

/**
 * The `metadataProps` of an ONNX model as a key → value record.
 *
 * @param bytes The `.onnx` file contents.
 * @param source Path or label named in errors.
 * @throws {ModelFileError} When `bytes` is not a decodable ONNX model.
 */
export function readMetadata(
  bytes: Uint8Array,
  source: string,
): Record<string, string> {
  let model;
  try {
    model = onnxProto.ModelProto.decode(bytes);
  } catch (err) {
    throw new ModelFileError(
      `${source}: not a readable ONNX model (${(err as Error).message})`,
      { cause: err },
    );
  }
  if (!model.graph) {
    throw new ModelFileError(`${source}: ONNX model has no graph`);
  }
  const out: Record<string, string> = {};
  for (const { key, value } of model.metadataProps) {
    if (key) out[key] = value ?? "";
  }
  return out;
}

/**
 * Refuses a model file whose bytes are not the ones exported: it must carry
 * the `cf.weights_sha256` digest (lib/onnx/digest.ts) and every other byte
 * must hash to it. One-line errors name the file.
 *
 * @param bytes The `.onnx` file contents.
 * @param source Path or label named in errors.
 * @throws {ModelFileError} When the digest is missing or does not match.
 */
export function checkModelDigest(bytes: Uint8Array, source: string): void {
  let d;
  try {
    d = modelDigest(bytes);
  } catch (err) {
    throw new ModelFileError(
      `${source}: not a readable ONNX model (${(err as Error).message})`,
      { cause: err },
    );
  }
  if (d.recorded === null) {
    throw new ModelFileError(
      `${source}: the model carries no '${DIGEST_KEY}' digest (written before models were sealed, or not by this project): re-run the experiment that writes it`,
    );
  }
  if (d.recorded !== d.actual) {
    throw new ModelFileError(
      `${source}: refused, the file was changed after export (its weights digest records sha256 ${
        d.recorded.slice(0, 12)
      }…, its bytes give ${
        d.actual.slice(0, 12)
      }…): re-run the experiment that writes it`,
    );
  }
}

function parseJson(
  record: Record<string, string>,
  key: string,
  source: string,
): unknown {
  try {
    return JSON.parse(record[key]);
  } catch (err) {
    throw new ModelFileError(
      `${source}: metadata '${key}' is not valid JSON (${
        (err as Error).message
      })`,
      { cause: err },
    );
  }
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

function parseLayout(
  record: Record<string, string>,
  source: string,
): FactorModelLayout {
  if (!(METADATA_KEYS.layout in record)) {
    throw new ModelFileError(
      `${source}: no '${METADATA_KEYS.layout}' metadata; not a factor model exported by lib/onnx/export.ts`,
    );
  }
  const l = parseJson(record, METADATA_KEYS.layout, source) as Record<
    string,
    unknown
  >;
  const range = l?.outputRange;
  const ok = l !== null && typeof l === "object" &&
    l.format === LAYOUT_FORMAT && l.version === LAYOUT_VERSION &&
    isCount(l.nUsers) && isCount(l.nItems) && isCount(l.factors) &&
    typeof l.biases === "boolean" && typeof l.masksSeen === "boolean" &&
    (range === null ||
      (Array.isArray(range) && range.length === 2 &&
        range.every((x) => typeof x === "number")));
  if (!ok) {
    throw new ModelFileError(
      `${source}: metadata '${METADATA_KEYS.layout}' is not a ${LAYOUT_FORMAT} version ${LAYOUT_VERSION} layout: ${
        record[METADATA_KEYS.layout]
      }`,
    );
  }
  return l as unknown as FactorModelLayout;
}

function parseNumbers(
  record: Record<string, string>,
  key: string,
  n: number,
  source: string,
): Int32Array | undefined {
  if (!(key in record)) return undefined;
  const v = parseJson(record, key, source);
  if (
    !Array.isArray(v) || v.length !== n ||
    !v.every((x) => Number.isInteger(x) && (x | 0) === x)
  ) {
    throw new ModelFileError(
      `${source}: metadata '${key}' is not an array of ${n} 32-bit integers`,
    );
  }
  return Int32Array.from(v);
}

/**
 * Parses a metadata record (from `readMetadata`) into typed fields.
 *
 * @throws {ModelFileError} When the layout is missing or malformed, or an id
 *   or title array has the wrong length or type.
 */
export function parseMetadata(
  record: Record<string, string>,
  source: string,
): FactorModelInfo {
  const layout = parseLayout(record, source);
  return {
    layout,
    ...parseDescription(record, layout.nUsers, layout.nItems, source),
  };
}

/** What {@link parseDescription} reads: every description field, typed. */
export type DescriptionInfo = Omit<FactorModelInfo, "layout">;

/**
 * The description entries of a metadata record (see
 * {@link encodeDescription}) for a model of `nUsers` × `nItems`.
 *
 * @throws {ModelFileError} When an id or title array has the wrong length or type.
 */
export function parseDescription(
  record: Record<string, string>,
  nUsers: number,
  nItems: number,
  source: string,
): DescriptionInfo {
  const K = METADATA_KEYS;
  let itemTitles: (string | null)[] | undefined;
  if (K.itemTitles in record) {
    const v = parseJson(record, K.itemTitles, source);
    if (
      !Array.isArray(v) || v.length !== nItems ||
      !v.every((x) => x === null || typeof x === "string")
    ) {
      throw new ModelFileError(
        `${source}: metadata '${K.itemTitles}' is not an array of ${nItems} titles`,
      );
    }
    itemTitles = v;
  }
  return {
    experiment: record[K.experiment],
    config: K.config in record
      ? parseJson(record, K.config, source)
      : undefined,
    dataChecksum: record[K.dataChecksum],
    userIds: parseNumbers(record, K.userIds, nUsers, source),
    itemIds: parseNumbers(record, K.itemIds, nItems, source),
    itemTitles,
    seenFrom: record[K.seenFrom],
  };
}
