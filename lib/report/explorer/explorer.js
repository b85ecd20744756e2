/**
 * The model explorer's page code (served at /app/explorer.js by
 * tools/serve.ts; the page is written by lib/report/explorer.ts). Runs the
 * experiment's own `.onnx` file with onnxruntime-web (single-threaded wasm,
 * loaded from /ort/, no CDN):
 *
 * - factor graphs (lib/onnx/export.ts: inputs score_user/score_item,
 *   recommend_user/recommend_k, similar_item/similar_k, all six fed on every
 *   run, unused ones empty with k = 0): similar movies for a fuzzy title, a
 *   user's top-N, a user × movie score;
 * - embedding-MLP graphs (lib/onnx/mlp_export.ts: score_user/score_item →
 *   score): a user × movie score and a user's top-N by scoring every movie in
 *   batches.
 *
 * Every string from the model's metadata reaches the DOM through
 * `textContent` (never innerHTML). Elements carry data-* attributes
 * (item ids, full-precision scores) for tools/explorer_browser_test.ts.
 *
 * @module
 */

// The two served packages come by URL from tools/serve.ts, not from the
// repository, so they are imported by a computed specifier: `deno check`
// cannot resolve "/ort/…" and must not try.
const FUZZBALL_URL = "/vendor/fuzzball/fuzzball.esm.min.js";
const ORT_URL = "/ort/ort.wasm.min.mjs";
const fuzz = await import(FUZZBALL_URL);
const ort = await import(ORT_URL);
import { lookupTitle } from "./title_rules.js";
import { digestParts, readOnnxMetadata } from "./onnx_metadata.js";

ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmPaths = "/ort/";
ort.env.logLevel = "error";

/** Pairs scored per run when an MLP ranks every movie for a user. */
const MLP_BATCH = 4096;
/** Samples of the latency measurement (after one warm-up query). */
const LATENCY_SAMPLES = 20;
/**
 * Queries per sample: browsers coarsen performance.now() (to 0.1 ms without
 * cross-origin isolation), finer than one sub-millisecond query, so each
 * sample is the mean of this many consecutive queries.
 */
const QUERIES_PER_SAMPLE = 10;

const $ = (id) => document.getElementById(id);

/** A new element with text content (never parsed as HTML). */
function el(tag, text, attrs = {}) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function setStatus(text, state = "") {
  const s = $("status");
  s.textContent = text;
  s.dataset.state = state;
}

function fail(where, err) {
  const out = $(where);
  out.replaceChildren(el("p", err.message ?? String(err), { class: "error" }));
  out.dataset.state = "error";
}

const config = JSON.parse($("explorer-config").textContent);

/** The model file chosen by ?model=, restricted to the files the page lists. */
function chosenModel() {
  const wanted = new URLSearchParams(location.search).get("model");
  return config.models.find((m) => m.file === wanted) ?? config.models[0];
}

function parseJson(meta, key, what) {
  if (!(key in meta)) return undefined;
  try {
    return JSON.parse(meta[key]);
  } catch (err) {
    throw new Error(`metadata '${key}' (${what}) is not JSON: ${err.message}`);
  }
}

function intArray(meta, key, n) {
  const v = parseJson(meta, key, "ids");
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length !== n || !v.every(Number.isInteger)) {
    throw new Error(`metadata '${key}' is not ${n} integer ids`);
  }
  return v;
}

function titleArray(meta, n) {
  const v = parseJson(meta, "cf.item_titles", "titles");
  if (v === undefined) return undefined;
  if (
    !Array.isArray(v) || v.length !== n ||
    !v.every((t) => t === null || typeof t === "string")
  ) {
    throw new Error(`metadata 'cf.item_titles' is not ${n} titles`);
  }
  return v;
}

async function fetchBytes(file) {
  const r = await fetch(file);
  if (!r.ok) throw new Error(`${file}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/**
 * Refuses a model whose bytes no longer match the digest it carries
 * (`cf.weights_sha256`, lib/onnx/digest.ts), as `deno task recommend` does.
 */
async function checkDigest(file, bytes) {
  let parts;
  try {
    parts = digestParts(bytes);
  } catch (err) {
    throw new Error(`${file}: not a readable ONNX model (${err.message})`);
  }
  if (parts.recorded === null) {
    throw new Error(
      `${file}: the model carries no 'cf.weights_sha256' digest: re-run the experiment that writes it`,
    );
  }
  const hash = new Uint8Array(
    await crypto.subtle.digest("SHA-256", parts.body),
  );
  const actual = Array.from(hash, (b) => b.toString(16).padStart(2, "0"))
    .join("");
  if (actual !== parts.recorded) {
    throw new Error(
      `${file}: refused, the file was changed after export (its weights digest records sha256 ${
        parts.recorded.slice(0, 12)
      }…, its bytes give ${
        actual.slice(0, 12)
      }…): re-run the experiment that writes it`,
    );
  }
  return actual;
}

/** The `cf.seen` CSR pattern of an MLP file, or null. */
function seenOf(meta, nUsers, nItems) {
  const v = parseJson(meta, "cf.seen", "seen items");
  if (v === undefined) return null;
  if (
    !Array.isArray(v?.indptr) || !Array.isArray(v?.indices) ||
    v.indptr.length !== nUsers + 1 ||
    v.indptr[nUsers] !== v.indices.length ||
    !v.indices.every((j) => Number.isInteger(j) && j >= 0 && j < nItems)
  ) {
    throw new Error(
      `metadata 'cf.seen' is not a ${nUsers} × ${nItems} CSR pattern`,
    );
  }
  return v;
}

/** What the page knows about the loaded model. */
async function describe(entry, bytes, meta) {
  const d = {
    file: entry.file,
    bytes: bytes.length,
    meta,
    idsSource: entry.file,
  };
  if ("cf.layout" in meta) {
    const l = parseJson(meta, "cf.layout", "layout");
    if (l?.format !== "cf-factor-model" || l.version !== 1) {
      throw new Error(`${entry.file}: unknown layout ${meta["cf.layout"]}`);
    }
    Object.assign(d, {
      kind: "factor",
      layout: l,
      nUsers: l.nUsers,
      nItems: l.nItems,
      experiment: meta["cf.experiment"],
      checksum: meta["cf.data_checksum"],
      config: parseJson(meta, "cf.config", "config"),
    });
  } else if (meta.kind === "embedding-mlp") {
    const a = parseJson(meta, "architecture", "architecture");
    Object.assign(d, {
      kind: "mlp",
      architecture: a,
      nUsers: a.nUsers,
      nItems: a.nItems,
      experiment: meta.experiment ?? meta["cf.experiment"],
      checksum: meta.data_sha256 ?? meta["cf.data_checksum"],
      config: meta.config !== undefined
        ? parseJson(meta, "config", "config")
        : parseJson(meta, "cf.config", "config"),
      seen: seenOf(meta, a.nUsers, a.nItems),
    });
  } else {
    throw new Error(
      `${entry.file}: neither a factor model (no cf.layout) nor an embedding MLP`,
    );
  }
  let idMeta = meta;
  if (!("cf.user_ids" in meta) && entry.idsFrom) {
    // The MLP graph carries no ids: borrow them from a factor model of the
    // same folder with the same sizes and data (chosen by the generator).
    idMeta = readOnnxMetadata(await fetchBytes(entry.idsFrom));
    const l = parseJson(idMeta, "cf.layout", "layout");
    if (l?.nUsers !== d.nUsers || l?.nItems !== d.nItems) {
      throw new Error(`${entry.idsFrom}: sizes differ from ${entry.file}`);
    }
    d.idsSource = entry.idsFrom;
  }
  d.seenFrom = meta["cf.seen_from"];
  d.userIds = intArray(idMeta, "cf.user_ids", d.nUsers);
  d.itemIds = intArray(idMeta, "cf.item_ids", d.nItems);
  d.itemTitles = titleArray(idMeta, d.nItems);
  if (!d.userIds || !d.itemIds) d.idsSource = null;
  // Index ↔ raw id maps; without ids, indices stand for themselves.
  d.userIndex = new Map((d.userIds ?? []).map((id, j) => [id, j]));
  d.itemIndex = new Map((d.itemIds ?? []).map((id, j) => [id, j]));
  return d;
}

const model = { info: null, session: null, queue: Promise.resolve() };

/** One session run at a time (onnxruntime-web allows no concurrent runs); returns [outputs, ms]. */
function run(feeds, fetches) {
  const next = model.queue.then(async () => {
    const t0 = performance.now();
    const out = await model.session.run(feeds, fetches);
    return [out, performance.now() - t0];
  });
  model.queue = next.catch(() => {});
  return next;
}

const i64 = (values) =>
  new ort.Tensor(
    "int64",
    BigInt64Array.from(values, (v) => BigInt(v)),
    [values.length],
  );

/** The six inputs of a factor graph, unused functions empty with k = 0. */
function factorFeeds(f) {
  return {
    score_user: i64(f.scoreUser ?? []),
    score_item: i64(f.scoreItem ?? []),
    recommend_user: i64(f.recommendUser ?? []),
    recommend_k: i64([f.recommendK ?? 0]),
    similar_item: i64(f.similarItem ?? []),
    similar_k: i64([f.similarK ?? 0]),
  };
}

const rawUser = (j) => model.info.userIds ? model.info.userIds[j] : j;
const rawItem = (j) => model.info.itemIds ? model.info.itemIds[j] : j;
const titleOf = (j) => model.info.itemTitles?.[j] ?? "(no title)";

function userIndexOf(text) {
  const v = Number(text);
  const d = model.info;
  if (!Number.isInteger(v)) {
    throw new Error(`user "${text}" is not an integer id`);
  }
  const j = d.userIds
    ? d.userIndex.get(v)
    : (v >= 0 && v < d.nUsers ? v : undefined);
  if (j === undefined) {
    throw new Error(
      d.userIds
        ? `no user ${v} in this model (user ids run from ${d.userIds[0]} to ${
          d.userIds.at(-1)
        })`
        : `user index ${v} is outside 0–${d.nUsers - 1}`,
    );
  }
  return j;
}

/** A movie by raw id (digits) or by fuzzy title (the CLI's rules). */
function itemIndexOf(text) {
  const d = model.info;
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const v = Number(t);
    const j = d.itemIds ? d.itemIndex.get(v) : (v < d.nItems ? v : undefined);
    if (j === undefined) throw new Error(`no movie with id ${v} in this model`);
    return { index: j, how: `movie id ${v}` };
  }
  if (!d.itemTitles || !d.itemIds) {
    throw new Error("the model carries no titles: give a movie id");
  }
  const entries = d.itemIds.map((id, j) => ({
    id,
    title: d.itemTitles[j] ?? "",
    ratings: 0,
  }));
  const r = lookupTitle(fuzz, t, entries);
  if (!r.match) {
    throw new Error(
      r.closest
        ? `no movie title matches "${r.query}" (closest: "${r.closest.title}", score ${r.closest.score} < ${r.minScore})`
        : `no movie title matches "${r.query}"`,
    );
  }
  return {
    index: d.itemIndex.get(r.match.id),
    how: `"${r.match.title}" (fuzzy score ${r.match.score})`,
  };
}

/** A ranked table: rank, score, movie id, title; rows carry data-* for tests. */
function rankedTable(rows, scoreLabel) {
  const table = el("table", undefined, { class: "ranked" });
  const head = el("tr");
  for (const h of ["#", scoreLabel, "movie id", "title"]) {
    head.append(el("th", h));
  }
  const thead = el("thead");
  thead.append(head);
  table.append(thead);
  const body = el("tbody");
  rows.forEach((r, n) => {
    const tr = el("tr", undefined, {
      "data-item-index": r.index,
      "data-item-id": rawItem(r.index),
      "data-score": r.score,
    });
    tr.append(
      el("td", n + 1),
      el("td", Number.isFinite(r.score) ? r.score.toFixed(4) : String(r.score)),
      el("td", rawItem(r.index)),
      el("td", titleOf(r.index)),
    );
    if (r.note) tr.lastChild.append(" ", el("span", r.note, { class: "tag" }));
    body.append(tr);
  });
  table.append(body);
  return table;
}

function topKRows(items, scores) {
  const rows = [];
  for (let r = 0; r < items.length; r++) {
    rows.push({ index: Number(items[r]), score: scores[r] });
  }
  return rows;
}

function latency(where, ms, what) {
  const out = $(where);
  out.dataset.ms = String(ms);
  out.append(el("p", `${what}: ${ms.toFixed(2)} ms in onnxruntime-web`, {
    class: "latency",
  }));
}

async function similar(ev) {
  ev.preventDefault();
  const out = $("similar-out");
  out.dataset.state = "busy";
  try {
    const k = Math.min(Number($("similar-k").value) + 1, model.info.nItems);
    const { index, how } = itemIndexOf($("similar-title").value);
    const [o, ms] = await run(
      factorFeeds({ similarItem: [index], similarK: k }),
      ["similar_items", "similar_scores"],
    );
    const rows = topKRows(o.similar_items.data, o.similar_scores.data);
    out.replaceChildren(
      el(
        "p",
        `Movies most similar to ${how} (cosine of item factors; the movie itself first):`,
      ),
      rankedTable(rows, "cosine"),
    );
    out.dataset.query = String(rawItem(index));
    latency("similar-out", ms, `similar, k = ${k}`);
    out.dataset.state = "done";
  } catch (err) {
    fail("similar-out", err);
  }
}

/** Top k of `scores` (float32) without −∞, higher first, ties to the lower index (ONNX TopK's rule). */
function topK(scores, k) {
  const idx = Array.from(scores.keys()).filter((j) => scores[j] !== -Infinity);
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  return idx.slice(0, k).map((j) => ({ index: j, score: scores[j] }));
}

/** Scores of user u with every item, in batches (MLP graphs). */
async function mlpAllScores(u) {
  const n = model.info.nItems;
  const scores = new Float32Array(n);
  let ms = 0;
  for (let j0 = 0; j0 < n; j0 += MLP_BATCH) {
    const m = Math.min(MLP_BATCH, n - j0);
    const items = Array.from({ length: m }, (_, t) => j0 + t);
    const [o, t] = await run(
      { score_user: i64(new Array(m).fill(u)), score_item: i64(items) },
      ["score"],
    );
    scores.set(o.score.data, j0);
    ms += t;
  }
  return [scores, ms];
}

/** Top-k rows and the run time for user index u. */
async function recommendRows(u, k) {
  if (model.info.kind === "factor") {
    const [o, ms] = await run(
      factorFeeds({ recommendUser: [u], recommendK: k }),
      ["recommend_items", "recommend_scores"],
    );
    const rows = topKRows(o.recommend_items.data, o.recommend_scores.data)
      .filter((r) => r.score !== -Infinity);
    return [rows, ms];
  }
  const [scores, ms] = await mlpAllScores(u);
  const seen = model.info.seen;
  if (seen) {
    for (let p = seen.indptr[u]; p < seen.indptr[u + 1]; p++) {
      scores[seen.indices[p]] = -Infinity;
    }
  }
  return [topK(scores, k), ms];
}

function maskNote() {
  const d = model.info;
  const from = d.seenFrom ? ` (${d.seenFrom})` : "";
  if (d.kind === "factor" && d.layout.masksSeen) {
    return `Already-rated movies are excluded: the graph masks the movies the user rated in the model's training data${from}.`;
  }
  if (d.kind === "mlp" && d.seen) {
    return `Already-rated movies are excluded: every movie is scored, then the ones the user rated in the model's training data${from} are dropped.`;
  }
  return d.kind === "factor"
    ? "Not masked: this graph carries no seen mask, so the list may include movies the user already rated; the model file does not record which movies those are."
    : "Not masked: the model file does not record which movies the user rated, so the list may include them.";
}

async function recommend(ev) {
  ev.preventDefault();
  const out = $("rec-out");
  out.dataset.state = "busy";
  try {
    const u = userIndexOf($("rec-user").value);
    const k = Math.min(Number($("rec-k").value), model.info.nItems);
    const [rows, ms] = await recommendRows(u, k);
    const mine = el("div", undefined, { class: "aside" });
    mine.append(
      el("h3", `User ${rawUser(u)}'s own highest-rated movies`),
      el(
        "p",
        "Not available: the model file carries no ratings, only weights" +
          (model.info.kind === "factor" && model.info.layout.masksSeen ||
              model.info.seen
            ? " and, inside the graph, which movies each user rated (not how)."
            : "."),
      ),
    );
    const main = el("div");
    main.append(
      el("p", `Top ${k} for user ${rawUser(u)}:`),
      el("p", maskNote(), { class: "note", id: "rec-mask-note" }),
      rankedTable(rows, model.info.kind === "mlp" ? "predicted" : "score"),
    );
    const pair = el("div", undefined, { class: "pair" });
    pair.append(main, mine);
    out.replaceChildren(pair);
    out.dataset.user = String(rawUser(u));
    latency(
      "rec-out",
      ms,
      model.info.kind === "mlp"
        ? `top ${k} from ${model.info.nItems} scores in batches of ${MLP_BATCH}`
        : `recommend, k = ${k}`,
    );
    out.dataset.state = "done";
  } catch (err) {
    fail("rec-out", err);
  }
}

async function predict(ev) {
  ev.preventDefault();
  const out = $("predict-out");
  out.dataset.state = "busy";
  try {
    const u = userIndexOf($("predict-user").value);
    const { index, how } = itemIndexOf($("predict-movie").value);
    const feeds = model.info.kind === "factor"
      ? factorFeeds({ scoreUser: [u], scoreItem: [index] })
      : { score_user: i64([u]), score_item: i64([index]) };
    const [o, ms] = await run(feeds, ["score"]);
    const s = o.score.data[0];
    const range = model.info.kind === "factor"
      ? model.info.layout.outputRange
      : model.info.architecture.outputRange;
    const what = range
      ? `predicted rating (range ${range[0]}–${range[1]})`
      : model.info.kind === "factor" && !model.info.layout.biases
      ? "score (dot product of user and movie factors)"
      : "predicted rating";
    const p = el("p", undefined, {
      "data-score": s,
      "data-item-id": rawItem(index),
    });
    p.append(
      `User ${rawUser(u)} × ${how}, ${titleOf(index)}: ${what} `,
      el("strong", s.toFixed(4)),
    );
    out.replaceChildren(p);
    latency("predict-out", ms, "score");
    out.dataset.state = "done";
  } catch (err) {
    fail("predict-out", err);
  }
}

/**
 * Median time per top-10 query for the recommend form's user: one warm-up
 * query, then LATENCY_SAMPLES samples, each the mean of QUERIES_PER_SAMPLE
 * consecutive queries, timed from building the feeds to the ranked rows.
 */
async function measure() {
  const out = $("latency-out");
  out.dataset.state = "busy";
  try {
    const u = userIndexOf($("rec-user").value);
    const k = Math.min(10, model.info.nItems);
    await recommendRows(u, k);
    const times = [];
    for (let r = 0; r < LATENCY_SAMPLES; r++) {
      const t0 = performance.now();
      for (let q = 0; q < QUERIES_PER_SAMPLE; q++) await recommendRows(u, k);
      times.push((performance.now() - t0) / QUERIES_PER_SAMPLE);
    }
    times.sort((a, b) => a - b);
    const mid = times.length / 2;
    const median =
      (times[Math.floor(mid - 0.5)] + times[Math.ceil(mid - 0.5)]) / 2;
    out.dataset.medianMs = String(median);
    out.dataset.minMs = String(times[0]);
    out.dataset.maxMs = String(times.at(-1));
    out.replaceChildren(el(
      "p",
      `top-10 for user ${rawUser(u)}: median ${
        median.toFixed(3)
      } ms per query ` +
        `(${LATENCY_SAMPLES} samples of ${QUERIES_PER_SAMPLE} queries each; ` +
        `sample means ${times[0].toFixed(3)}–${times.at(-1).toFixed(3)} ms; ` +
        `onnxruntime-web ${ort.env.versions.web}, single-threaded wasm, ` +
        `timed from building the inputs to the ranked list)`,
    ));
    out.dataset.state = "done";
  } catch (err) {
    fail("latency-out", err);
  }
}

function card(d, session) {
  const dl = el("dl");
  const add = (k, v) => dl.append(el("dt", k), el("dd", v));
  const ins = session.inputNames.join(", ");
  add("file", `${d.file} (${d.bytes.toLocaleString("en")} bytes)`);
  add("experiment", d.experiment ?? "(not recorded)");
  add(
    "kind",
    d.kind === "factor"
      ? "matrix factorisation (lib/onnx/export.ts): score, recommend, similar in one graph"
      : "embedding MLP (lib/onnx/mlp_export.ts): scores user × movie pairs",
  );
  add("inputs", ins);
  add("outputs", session.outputNames.join(", "));
  if (d.kind === "factor") {
    const l = d.layout;
    add(
      "layout",
      `${l.nUsers} users × ${l.nItems} movies, ${l.factors} factors; biases ${
        l.biases ? "yes" : "no"
      }; ` +
        `output range ${
          l.outputRange ? l.outputRange.join("–") : "none (raw scores)"
        }; ` +
        `seen mask ${l.masksSeen ? "yes" : "no"}`,
    );
  } else {
    add("architecture", JSON.stringify(d.architecture));
  }
  add(
    "id mapping",
    d.idsSource === null
      ? "none in the file: users and movies are dense indices"
      : `index → raw id from ${
        d.idsSource === d.file ? "this file's" : `${d.idsSource}'s`
      } metadata ` +
        `(cf.user_ids: ${d.userIds.length} users, ids ${d.userIds[0]}…${
          d.userIds.at(-1)
        }; ` +
        `cf.item_ids: ${d.itemIds.length} movies; titles ${
          d.itemTitles ? "yes" : "no"
        })`,
  );
  add("data checksum", d.checksum ?? "(not recorded)");
  add(
    "weights digest",
    `${d.digest} (cf.weights_sha256: SHA-256 of the file without this entry, checked on load)`,
  );
  add(
    "seen items",
    d.kind === "factor" && d.layout.masksSeen || d.kind === "mlp" && d.seen
      ? `yes: ${d.seenFrom ?? "the training ratings"}`
      : "none recorded",
  );
  add(
    "commit",
    config.commit
      ? `${config.commit} (from ${config.commitSource}; the model file records none)`
      : "(not recorded)",
  );
  add(
    "configuration",
    d.config === undefined ? "(not recorded)" : JSON.stringify(d.config),
  );
  add("runtime", `onnxruntime-web ${ort.env.versions.web}, wasm, 1 thread`);
  $("card").replaceChildren(el("h2", "Model card"), dl);
}

async function start() {
  const entry = chosenModel();
  const pick = $("model-pick");
  for (const m of config.models) {
    const o = el("option", `${m.file} (${m.kind})`, { value: m.file });
    if (m === entry) o.selected = true;
    pick.append(o);
  }
  pick.addEventListener("change", () => {
    location.search = `?model=${encodeURIComponent(pick.value)}`;
  });
  setStatus(`loading ${entry.file}…`, "busy");
  const t0 = performance.now();
  const bytes = await fetchBytes(entry.file);
  const digest = await checkDigest(entry.file, bytes);
  const meta = readOnnxMetadata(bytes);
  const info = await describe(entry, bytes, meta);
  info.digest = digest;
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ["wasm"],
    logSeverityLevel: 3,
  });
  const need = info.kind === "factor"
    ? [
      "score_user",
      "score_item",
      "recommend_user",
      "recommend_k",
      "similar_item",
      "similar_k",
    ]
    : ["score_user", "score_item"];
  const missing = need.filter((n) => !session.inputNames.includes(n));
  if (missing.length) {
    throw new Error(`${entry.file}: graph lacks inputs ${missing.join(", ")}`);
  }
  model.info = info;
  model.session = session;
  card(info, session);
  document.title = `Explorer: ${config.name} / ${entry.file}`;
  $("similar").hidden = info.kind !== "factor";
  $("mlp-note").hidden = info.kind !== "mlp";
  $("similar-form").addEventListener("submit", similar);
  $("rec-form").addEventListener("submit", recommend);
  $("predict-form").addEventListener("submit", predict);
  $("measure").addEventListener("click", measure);
  for (const b of document.querySelectorAll("button")) b.disabled = false;
  setStatus(
    `${entry.file} loaded in ${(performance.now() - t0).toFixed(0)} ms: ` +
      `${info.nUsers} users, ${info.nItems} movies.`,
    "ready",
  );
  document.body.dataset.ready = "1";
}

start().catch((err) => {
  setStatus(`could not load the model: ${err.message ?? err}`, "error");
  document.body.dataset.ready = "error";
});
