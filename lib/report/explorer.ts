/**
 * Writes a model explorer page, `<out>/<name>/explorer.html`, for the ONNX
 * files an experiment wrote into `<out>/<name>/` (model.onnx, or mf.onnx,
 * bias.onnx, mlp.onnx, ...). One page per report folder, with a model picker
 * (`explorer.html?model=mf.onnx`; only the files listed in the page are
 * accepted), so each report needs one link and the keras/fastai models sit
 * side by side.
 *
 * The page is a small static HTML file with its data (the folder's model
 * list, the commit from `<out>/<name>.json`) in a JSON data block; its code
 * (`lib/report/explorer/explorer.js`), onnxruntime-web and fuzzball come from
 * `tools/serve.ts` (`/app/`, `/ort/`, `/vendor/fuzzball/`), so the server can
 * give it a CSP without 'unsafe-inline' and the code is one linted file
 * rather than a string per page. It needs that server: a model cannot be
 * fetched from file:// URLs.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../atomic_write.ts";
import { readMetadata } from "../onnx/metadata.ts";
import { escapeHtml, jsonForScript } from "./escape.ts";

/** Name of the page written into each report folder. */
export const EXPLORER_FILE = "explorer.html";

/** One model the page offers. */
export interface ExplorerModel {
  /** File name inside the report folder, e.g. "model.onnx". */
  readonly file: string;
  /** "factor": lib/onnx/export.ts graph; "mlp": lib/onnx/mlp_export.ts graph. */
  readonly kind: "factor" | "mlp";
  /**
   * For a graph without ids in its metadata (the MLP): a factor model of the
   * same folder, same sizes and same data checksum whose ids and titles the
   * page borrows (and says so in the model card).
   */
  readonly idsFrom?: string;
}

/** Everything the page is generated from. */
export interface ExplorerPage {
  /** Report name, e.g. "als". */
  readonly name: string;
  /** Models of the folder; the first is shown by default. */
  readonly models: readonly ExplorerModel[];
  /** Link to the report page, relative to the explorer (e.g. "../als.html"). */
  readonly report?: string;
  /** Git commit of the run, and where it was read from. */
  readonly commit?: string;
  readonly commitSource?: string;
}

/** What a model file's metadata says, for choosing `kind` and `idsFrom`. */
export interface ModelFileSummary {
  readonly file: string;
  readonly kind: "factor" | "mlp";
  readonly nUsers: number;
  readonly nItems: number;
  readonly hasIds: boolean;
  readonly checksum?: string;
}

/**
 * Reads one `.onnx` file's metadata: its kind, sizes, whether it carries ids,
 * its data checksum. Null when it is neither a factor model nor an MLP.
 *
 * @throws {ModelFileError} when the file is not a readable ONNX model.
 */
export function summarizeModel(
  file: string,
  bytes: Uint8Array,
): ModelFileSummary | null {
  const meta = readMetadata(bytes, file);
  if ("cf.layout" in meta) {
    const l = JSON.parse(meta["cf.layout"]);
    return {
      file,
      kind: "factor",
      nUsers: l.nUsers,
      nItems: l.nItems,
      hasIds: "cf.user_ids" in meta && "cf.item_ids" in meta,
      checksum: meta["cf.data_checksum"],
    };
  }
  if (meta.kind === "embedding-mlp" && meta.architecture) {
    const a = JSON.parse(meta.architecture);
    return {
      file,
      kind: "mlp",
      nUsers: a.nUsers,
      nItems: a.nItems,
      hasIds: "cf.user_ids" in meta && "cf.item_ids" in meta,
      checksum: meta.data_sha256 || meta["cf.data_checksum"],
    };
  }
  return null;
}

/**
 * The models of a folder in page order (model.onnx first, then by name),
 * each MLP without ids pointed at a factor model with the same sizes and the
 * same (non-empty) data checksum, when there is one.
 */
export function planModels(
  summaries: readonly ModelFileSummary[],
): ExplorerModel[] {
  const sorted = [...summaries].sort((a, b) =>
    a.file === "model.onnx"
      ? -1
      : b.file === "model.onnx"
      ? 1
      : a.file < b.file
      ? -1
      : 1
  );
  return sorted.map((s) => {
    if (s.hasIds) return { file: s.file, kind: s.kind };
    const donor = sorted.find((d) =>
      d.kind === "factor" && d.hasIds && d.nUsers === s.nUsers &&
      d.nItems === s.nItems && s.checksum !== undefined && s.checksum !== "" &&
      d.checksum === s.checksum
    );
    return donor
      ? { file: s.file, kind: s.kind, idsFrom: donor.file }
      : { file: s.file, kind: s.kind };
  });
}

/** The explorer page's HTML (static markup; explorer.js fills it in). */
export function renderExplorerPage(page: ExplorerPage): string {
  if (page.models.length === 0) {
    throw new RangeError(`explorer page for ${page.name}: no models`);
  }
  const name = escapeHtml(page.name);
  const report = page.report
    ? ` · <a href="${escapeHtml(page.report)}">the report</a>`
    : "";
  const config = jsonForScript({
    name: page.name,
    models: page.models,
    commit: page.commit ?? null,
    commitSource: page.commitSource ?? null,
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Explorer: ${name}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app/explorer.css">
<script type="application/json" id="explorer-config">${config}</script>
<script type="module" src="/app/explorer.js"></script>
</head>
<body>
<h1>Ask the ${name} model</h1>
<p>The experiment's own ONNX file, run in this page by onnxruntime-web (wasm, one thread, nothing fetched from another site)${report} · <a href="/">all reports</a></p>
<p><label>model <select id="model-pick"></select></label></p>
<p id="status" data-state="busy">loading…</p>
<p id="mlp-note" hidden>This graph scores user × movie pairs only: a user's top-N scores every movie in batches; there is no similar-movies function.</p>
<section id="similar">
<h2>Similar movies</h2>
<form id="similar-form">
<label>movie title (fuzzy, as <code>deno task recommend --similar</code>)<input id="similar-title" value="forrest gump" size="32"></label>
<label>how many<input id="similar-k" class="narrow" type="number" min="1" max="100" value="10"></label>
<button type="submit" disabled>find</button>
</form>
<div id="similar-out" data-state="idle"></div>
</section>
<section id="recommend">
<h2>Top movies for a user</h2>
<form id="rec-form">
<label>user id<input id="rec-user" class="narrow" value="95"></label>
<label>how many<input id="rec-k" class="narrow" type="number" min="1" max="100" value="10"></label>
<button type="submit" disabled>recommend</button>
</form>
<div id="rec-out" data-state="idle"></div>
</section>
<section id="predict">
<h2>Predicted score for a user and a movie</h2>
<form id="predict-form">
<label>user id<input id="predict-user" class="narrow" value="95"></label>
<label>movie (title or id)<input id="predict-movie" value="forrest gump" size="32"></label>
<button type="submit" disabled>predict</button>
</form>
<div id="predict-out" data-state="idle"></div>
</section>
<section id="latency">
<h2>Latency</h2>
<p><button id="measure" type="button" disabled>time top-10 queries</button> for the user above: 20 samples of 10 queries, after one warm-up query.</p>
<div id="latency-out" data-state="idle"></div>
</section>
<section id="card"><h2>Model card</h2><p>loading…</p></section>
</body>
</html>
`;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

/**
 * Writes `<out>/<name>/explorer.html` for the `.onnx` files in
 * `<out>/<name>/`; reads the commit from `<out>/<name>.json`
 * (`environment.git_commit`) and links `<out>/<name>.html` when present.
 *
 * @returns The page's path, or null when the folder holds no usable model.
 */
export async function writeExplorerPage(
  out: string,
  name: string,
): Promise<string | null> {
  const dir = join(out, name);
  const summaries: ModelFileSummary[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || !e.name.endsWith(".onnx")) continue;
    const s = summarizeModel(e.name, await Deno.readFile(join(dir, e.name)));
    if (s) summaries.push(s);
  }
  if (summaries.length === 0) return null;
  const results = await readIfExists(join(out, `${name}.json`));
  let commit: string | undefined;
  if (results !== undefined) {
    const c = JSON.parse(results)?.environment?.git_commit;
    if (typeof c === "string" && c !== "") commit = c;
  }
  const hasReport = await Deno.stat(join(out, `${name}.html`)).then(
    (s) => s.isFile,
    () => false,
  );
  const page = renderExplorerPage({
    name,
    models: planModels(summaries),
    report: hasReport ? `../${name}.html` : undefined,
    commit,
    commitSource: commit ? `${name}.json` : undefined,
  });
  const path = join(dir, EXPLORER_FILE);
  await writeFileAtomic(path, page);
  return path;
}
