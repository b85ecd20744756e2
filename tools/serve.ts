/**
 * deno task serve [--port 8642] [--dir reports]
 *
 * A read-only static server on 127.0.0.1 for the reports and the model
 * explorers (`lib/report/explorer.ts`): `reports/` at `/`, onnxruntime-web's
 * wasm and module files (from Deno's npm cache) at `/ort/`, the explorer's
 * client code (`lib/report/explorer/`) at `/app/` and fuzzball's ES module
 * (the CLI's title matcher) at `/vendor/fuzzball/`. GET and HEAD only.
 *
 * A request path is decoded segment by segment and refused (403) when a
 * segment is empty (`//etc/passwd`), `.` or `..` (also percent-encoded),
 * holds a NUL, a backslash or a slash, starts with a dot (so no dotfiles),
 * or cannot be decoded; the file's real
 * path (symlinks resolved) must lie inside the real path of the root it was
 * asked under, or the answer is 403. Refusals and misses carry a fixed short
 * body, never a path or file contents.
 *
 * Permissions: `--allow-net=127.0.0.1` and `--allow-read` for the whole file
 * system, because the npm cache's location (DENO_DIR, XDG_CACHE_HOME, the OS)
 * cannot be named in deno.json; the root checks above confine what is served.
 *
 * @module
 */

import { extname, join, resolve, sep as SEPARATOR } from "node:path";
import { fileURLToPath } from "node:url";
import { defineFlags, parseFlags, runMain } from "../lib/cli.ts";
import { UserError } from "../lib/errors.ts";

/** Default port of `deno task serve`. */
export const DEFAULT_PORT = 8642;

export const FLAGS = defineFlags({
  port: {
    type: "int",
    default: DEFAULT_PORT,
    min: 0,
    max: 65535,
    help: "port on 127.0.0.1 (0: any free port)",
  },
  dir: {
    type: "string",
    default: "reports",
    help: "folder served at / (the reports)",
  },
});

/** One served folder: URL prefix (ends with "/") → folder on disk. */
export interface Mount {
  /** URL path prefix, starting and ending with "/", e.g. "/ort/". */
  readonly prefix: string;
  /** Folder whose files are served under `prefix`. */
  readonly dir: string;
}

/** Content types by file extension (lower case, with the dot). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".onnx": "application/octet-stream",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/**
 * CSP of explorer pages (`explorer.html`): scripts only from this origin,
 * wasm compilation allowed, data fetched only from this origin, no inline
 * script, no remote origin anywhere.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * CSP of every other served file: the reports are self-contained pages with
 * inline scripts (Plotly) and styles, so inline code is allowed, but nothing
 * may load from another origin.
 */
export const REPORT_CSP = [
  "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob:",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The folder of onnxruntime-web's dist files in Deno's npm cache. */
export function ortDistDir(): string {
  const entry = import.meta.resolve("onnxruntime-web");
  if (!entry.startsWith("file:")) {
    throw new UserError(
      `onnxruntime-web resolves to ${entry}, not a local file; run \`deno install\` first`,
    );
  }
  return resolve(fileURLToPath(entry), "..");
}

/** The folder of fuzzball's ES module build in Deno's npm cache. */
export function fuzzballDir(): string {
  return resolve(fileURLToPath(import.meta.resolve("fuzzball")), "..");
}

/** The explorer's client code in this repository. */
export const APP_DIR = fileURLToPath(
  new URL("../lib/report/explorer/", import.meta.url),
);

/** The default mounts: `dir` at `/`, ort at `/ort/`, client code at `/app/`, fuzzball at `/vendor/fuzzball/`. */
export function defaultMounts(dir: string): Mount[] {
  return [
    { prefix: "/ort/", dir: ortDistDir() },
    { prefix: "/app/", dir: APP_DIR },
    { prefix: "/vendor/fuzzball/", dir: fuzzballDir() },
    { prefix: "/", dir: resolve(dir) },
  ];
}

/** Why a path was refused, or the mount and decoded segments to look up. */
export type Resolved =
  | { readonly ok: true; readonly mount: Mount; readonly segments: string[] }
  | { readonly ok: false; readonly status: 403 | 404 };

/**
 * Maps a raw (still percent-encoded) URL path to a mount and its decoded
 * segments, refusing anything that could step outside: empty segments,
 * `.`/`..`, NUL, backslash, an encoded slash, undecodable escapes.
 * Longer prefixes win; a trailing "/" means `index.html`.
 */
export function resolveRequestPath(
  rawPath: string,
  mounts: readonly Mount[],
): Resolved {
  if (!rawPath.startsWith("/")) return { ok: false, status: 403 };
  const sorted = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  const mount = sorted.find((m) => rawPath.startsWith(m.prefix));
  if (!mount) return { ok: false, status: 404 };
  let rest = rawPath.slice(mount.prefix.length);
  if (rest === "" || rest.endsWith("/")) rest += "index.html";
  const segments: string[] = [];
  for (const raw of rest.split("/")) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 403 };
    }
    if (
      s === "" || s.startsWith(".") || /[\0\\/]/.test(s) ||
      /^[A-Za-z]:/.test(s)
    ) {
      return { ok: false, status: 403 };
    }
    segments.push(s);
  }
  return { ok: true, mount, segments };
}

/** True when `path` is `root` or lies below it (both real, absolute paths). */
function inside(root: string, path: string): boolean {
  return path === root ||
    path.startsWith(root.endsWith(SEPARATOR) ? root : root + SEPARATOR);
}

function plain(
  status: number,
  text: string,
  extra: HeadersInit = {},
): Response {
  return new Response(`${text}\n`, {
    status,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
      ...extra,
    },
  });
}

/**
 * The request handler over `mounts` (see the module doc for what is
 * refused). Each mount's folder is resolved to its real path once, lazily.
 */
export function makeHandler(
  mounts: readonly Mount[],
): (req: Request) => Promise<Response> {
  const realRoots = new Map<Mount, Promise<string | null>>();
  const realRoot = (m: Mount) => {
    let p = realRoots.get(m);
    if (!p) {
      p = Deno.realPath(m.dir).catch(() => null);
      realRoots.set(m, p);
    }
    return p;
  };
  return async (req) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return plain(405, "method not allowed", { allow: "GET, HEAD" });
    }
    // Deno's URL parser already removes dot segments; the checks below
    // catch what survives (encoded slashes, backslashes, empty segments).
    const rawPath = new URL(req.url).pathname;
    const r = resolveRequestPath(rawPath, mounts);
    if (!r.ok) {
      return plain(r.status, r.status === 403 ? "forbidden" : "not found");
    }
    const root = await realRoot(r.mount);
    if (root === null) return plain(404, "not found");
    let real: string;
    try {
      real = await Deno.realPath(join(root, ...r.segments));
    } catch {
      return plain(404, "not found");
    }
    if (!inside(root, real)) return plain(403, "forbidden");
    let file: Deno.FsFile;
    try {
      file = await Deno.open(real, { read: true });
    } catch {
      return plain(404, "not found");
    }
    const info = await file.stat();
    if (!info.isFile) {
      file.close();
      return plain(404, "not found");
    }
    const name = r.segments.at(-1)!;
    const headers: Record<string, string> = {
      "content-type": CONTENT_TYPES[extname(name).toLowerCase()] ??
        "application/octet-stream",
      "content-length": String(info.size),
      "x-content-type-options": "nosniff",
      "cache-control": "no-cache",
      "referrer-policy": "no-referrer",
      "content-security-policy": name === "explorer.html"
        ? EXPLORER_CSP
        : REPORT_CSP,
    };
    if (req.method === "HEAD") {
      file.close();
      return new Response(null, { status: 200, headers });
    }
    return new Response(file.readable, { status: 200, headers });
  };
}

/** A running server. */
export interface RunningServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
  /** Stops the server (idempotent) and waits for it. */
  shutdown(): Promise<void>;
}

/**
 * Serves `mounts` on 127.0.0.1:`port` (0 = any free port) until `signal`
 * aborts or `shutdown` is called; listening when it returns.
 *
 * @throws {UserError} when the port is taken.
 */
export function startServer(
  mounts: readonly Mount[],
  options: { port?: number; signal?: AbortSignal } = {},
): RunningServer {
  const ac = new AbortController();
  options.signal?.addEventListener("abort", () => ac.abort(), { once: true });
  if (options.signal?.aborted) ac.abort();
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: "127.0.0.1",
      port: options.port ?? DEFAULT_PORT,
      signal: ac.signal,
      onListen: () => {},
      onError: () => plain(500, "internal error"),
    }, makeHandler(mounts));
  } catch (err) {
    if (err instanceof Deno.errors.AddrInUse) {
      throw new UserError(
        `port ${options.port} is in use; pick another with --port (0: any free port)`,
        { cause: err },
      );
    }
    throw err;
  }
  const port = server.addr.port;
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    finished: server.finished,
    async shutdown() {
      ac.abort();
      await server.finished;
    },
  };
}

/** Runs `deno task serve`: serves until SIGINT or SIGTERM. */
export async function main(
  args: readonly string[],
  print: (line: string) => void = console.log,
): Promise<void> {
  const flags = parseFlags(FLAGS, [...args], {
    command: "deno task serve",
    description:
      "Serves the reports and the model explorers (onnxruntime-web in the page) on 127.0.0.1, read-only.",
  });
  const mounts = defaultMounts(flags.dir);
  try {
    if (!(await Deno.stat(mounts.at(-1)!.dir)).isDirectory) throw new Error();
  } catch {
    throw new UserError(`--dir ${flags.dir}: no such folder`, { exitCode: 2 });
  }
  const ac = new AbortController();
  const stop = () => ac.abort();
  const signals: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT"]
    : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, stop);
  try {
    const server = startServer(mounts, {
      port: flags.port,
      signal: ac.signal,
    });
    for (const m of mounts) print(`  ${m.prefix.padEnd(18)} ${m.dir}`);
    print(`serving ${server.url}`);
    await server.finished;
    print("stopped");
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, stop);
  }
}

if (import.meta.main) await runMain(() => main(Deno.args));
