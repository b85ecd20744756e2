/**
 * Model cards: what a reader needs to use an ONNX file a report ships —
 * its inputs and outputs with types and shapes, how indices map to raw
 * MovieLens ids, that every call feeds every input, and short examples for
 * onnxruntime-web (Deno or a browser) and Python's onnxruntime. Everything
 * is read from the file itself (graph and `metadataProps`), so a card
 * cannot drift from the model.
 *
 * @module
 */

import { onnxProto } from "../onnx/proto.ts";
import type { Block } from "./html.ts";

/** One graph input or output. */
export interface TensorInfo {
  readonly name: string;
  /** "int64", "float32", ... */
  readonly type: string;
  /** Dimensions: numbers or symbolic names ("N"). */
  readonly shape: readonly (number | string)[];
}

/** What a model card shows about one ONNX file. */
export interface ModelSummary {
  /** Path relative to the report page, e.g. "als/model.onnx". */
  readonly path: string;
  /** Size in bytes. */
  readonly bytes: number;
  /** SHA-256 of the file, lowercase hex. */
  readonly sha256: string;
  /** Inputs a caller feeds (initializers left out), in graph order. */
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Metadata keys → values (long values cut to a summary). */
  readonly metadata: Readonly<Record<string, string>>;
  /** How indices map to raw ids, when the file says. */
  readonly idMapping: readonly string[];
}

const ELEM_TYPES: Readonly<Record<number, string>> = {
  1: "float32",
  2: "uint8",
  3: "int8",
  5: "int16",
  6: "int32",
  7: "int64",
  9: "bool",
  10: "float16",
  11: "float64",
};

/** SHA-256 of `bytes`, lowercase hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    bytes as Uint8Array<ArrayBuffer>,
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

function tensorInfo(
  v: Parameters<typeof onnxProto.ValueInfoProto.create>[0] & object,
): TensorInfo {
  const t = v.type?.tensorType;
  return {
    name: v.name ?? "",
    type: ELEM_TYPES[t?.elemType ?? 0] ?? `type ${t?.elemType ?? "?"}`,
    shape: (t?.shape?.dim ?? []).map((d) =>
      d.dimParam ? d.dimParam : Number(d.dimValue ?? 0)
    ),
  };
}

function lengthOfJsonArray(text: string): number | null {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.length : null;
  } catch {
    return null;
  }
}

/**
 * Reads the card's facts from the ONNX bytes.
 *
 * @throws {Error} when the bytes are not an ONNX model.
 */
export async function summarizeModel(
  path: string,
  bytes: Uint8Array,
): Promise<ModelSummary> {
  const model = onnxProto.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new Error(`${path}: not an ONNX model (no graph)`);
  const init = new Set((graph.initializer ?? []).map((t) => t.name ?? ""));
  const props = new Map(
    (model.metadataProps ?? []).map((p) => [p.key ?? "", p.value ?? ""]),
  );
  const metadata: Record<string, string> = {};
  const idMapping: string[] = [];
  for (const [k, v] of props) {
    const n = lengthOfJsonArray(v);
    if (k === "cf.user_ids" && n !== null) {
      idMapping.push(
        `user index i (0 … ${
          n - 1
        }) is the MovieLens userId cf.user_ids[i] (metadata key \`cf.user_ids\`, a JSON array of ${n} ids)`,
      );
    } else if (k === "cf.item_ids" && n !== null) {
      idMapping.push(
        `item index j (0 … ${
          n - 1
        }) is the MovieLens movieId cf.item_ids[j] (metadata key \`cf.item_ids\`, ${n} ids)`,
      );
    } else if (k === "cf.item_titles" && n !== null) {
      idMapping.push(`item titles by index: metadata key \`cf.item_titles\``);
    }
    metadata[k] = v.length > 160
      ? `${n === null ? `${v.length} characters` : `JSON array of ${n}`}`
      : v;
  }
  if (idMapping.length === 0) {
    idMapping.push(
      "indices are the experiment's dense 0-based indices (the file records no raw ids; the report's data section says how they were assigned)",
    );
  }
  return {
    path,
    bytes: bytes.length,
    sha256: await sha256Hex(bytes),
    inputs: (graph.input ?? []).filter((v) => !init.has(v.name ?? "")).map(
      tensorInfo,
    ),
    outputs: (graph.output ?? []).map(tensorInfo),
    metadata,
    idMapping,
  };
}

/** A feed for the example: score pairs get one index, other functions empty vectors and k = 0. */
function exampleFeed(t: TensorInfo, scoring: boolean): number[] {
  if (/_k$/.test(t.name)) return [0];
  if (!scoring || t.name.startsWith("score_")) return [0];
  return [];
}

function jsFeeds(inputs: readonly TensorInfo[]): string {
  const scoring = inputs.some((t) => t.name.startsWith("score_"));
  return inputs.map((t) => {
    const v = exampleFeed(t, scoring);
    const ctor = t.type === "int64"
      ? `BigInt64Array.from([${v.map((x) => `${x}n`).join(", ")}])`
      : t.type === "int32"
      ? `Int32Array.from([${v.join(", ")}])`
      : `Float32Array.from([${v.join(", ")}])`;
    return `  ${t.name}: new ort.Tensor("${t.type}", ${ctor}, [${v.length}]),`;
  }).join("\n");
}

function pyFeeds(inputs: readonly TensorInfo[]): string {
  const scoring = inputs.some((t) => t.name.startsWith("score_"));
  return inputs.map((t) => {
    const v = exampleFeed(t, scoring);
    const dtype = t.type === "float32" ? "np.float32" : `np.${t.type}`;
    return `    "${t.name}": np.array([${v.join(", ")}], dtype=${dtype}),`;
  }).join("\n");
}

const shapeText = (s: readonly (number | string)[]) => `[${s.join(", ")}]`;

/**
 * The model-card blocks of `model`: a table of inputs and outputs, the id
 * mapping and metadata, and examples for onnxruntime-web and Python.
 */
export function modelCardBlocks(model: ModelSummary): Block[] {
  const scoring = model.inputs.some((t) => t.name.startsWith("score_"));
  const rows = [
    ...model.inputs.map((t) => ["input", t.name, t.type, shapeText(t.shape)]),
    ...model.outputs.map((t) => ["output", t.name, t.type, shapeText(t.shape)]),
  ];
  const call = scoring
    ? "The example scores user index 0 with item index 0; the other functions get empty index vectors and k = 0, so they do no work."
    : "The example feeds index 0 to every input.";
  return [
    {
      kind: "paragraph",
      text: `\`${model.path}\` (${
        (model.bytes / 1024).toFixed(0)
      } KiB, SHA-256 \`${model.sha256}\`). ONNX Runtime does not let a call leave an input out: every call feeds all ${model.inputs.length} inputs. ${call}`,
    },
    {
      kind: "table",
      caption:
        `Inputs and outputs of ${model.path} (symbolic dimensions are sizes chosen per call).`,
      header: ["", "name", "type", "shape"],
      rows,
    },
    {
      kind: "paragraph",
      text: `Ids: ${model.idMapping.join("; ")}.${
        Object.keys(model.metadata).length > 0
          ? ` Metadata keys: ${
            Object.keys(model.metadata).map((k) => `\`${k}\``).join(", ")
          }.`
          : ""
      }`,
    },
    {
      kind: "pre",
      text: [
        `// Deno (npm:onnxruntime-web) or a browser`,
        `import * as ort from "onnxruntime-web";`,
        `const bytes = await Deno.readFile("reports/${model.path}"); // browser: new Uint8Array(await (await fetch("${model.path}")).arrayBuffer())`,
        `const session = await ort.InferenceSession.create(bytes);`,
        `const out = await session.run({`,
        jsFeeds(model.inputs),
        `});`,
        ...model.outputs.slice(0, 1).map((o) =>
          `console.log(out.${o.name}.data);`
        ),
      ].join("\n"),
    },
    {
      kind: "pre",
      text: [
        `# Python: pip install onnxruntime numpy`,
        `import numpy as np, onnxruntime as ort`,
        `session = ort.InferenceSession("reports/${model.path}")`,
        `out = session.run(None, {`,
        pyFeeds(model.inputs),
        `})`,
        `print(dict(zip([o.name for o in session.get_outputs()], out))${
          model.outputs.length > 0 ? `["${model.outputs[0].name}"]` : ""
        })`,
      ].join("\n"),
    },
  ];
}
