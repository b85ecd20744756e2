/**
 * Escaping for the two contexts the report writes user text into: HTML text
 * and attribute values, and JSON embedded inside a `<script>` element.
 *
 * @module
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes `& < > " '` so `text` is safe as HTML text or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * `JSON.stringify(value)` made safe inside `<script>`: `<`, `>`, `&`, U+2028
 * and U+2029 become `\uXXXX` escapes (still the same JSON), so no string can
 * close the element or open a comment. Typed arrays become plain arrays;
 * non-finite numbers become `null`, as JSON requires.
 *
 * @throws {TypeError} when `value` is not representable as JSON (undefined,
 *   a function, a symbol, a bigint).
 */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(
    value,
    (_key, v) =>
      ArrayBuffer.isView(v) && !(v instanceof DataView)
        ? Array.from(v as unknown as ArrayLike<number>)
        : v,
  );
  if (json === undefined) {
    throw new TypeError(`cannot embed ${typeof value} as JSON`);
  }
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Checks that JavaScript `source` can sit verbatim inside `<script>...</script>`:
 * it must not contain `</script` and must not contain both `<!--` and
 * `<script` (which would switch the HTML parser into its double-escaped
 * state). Returns `source` unchanged.
 *
 * @throws {Error} naming the offending sequence.
 */
export function checkInlineScript(source: string): string {
  if (/<\/script/i.test(source)) {
    throw new Error("inline script contains '</script'");
  }
  if (source.includes("<!--") && /<script/i.test(source)) {
    throw new Error("inline script contains both '<!--' and '<script'");
  }
  return source;
}

const URL_RE = /https?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]]/g;

function linkUrls(text: string): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    out += escapeHtml(text.slice(last, m.index));
    const url = escapeHtml(m[0]);
    out += `<a href="${url}">${url}</a>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/**
 * `text` as escaped HTML with light inline markup: `backquoted` spans become
 * `<code>` (an unmatched backquote is left as text) and http(s) URLs outside
 * them become links.
 *
 * @example
 * ```ts
 * import { inlineMarkup } from "./escape.ts";
 * console.assert(inlineMarkup("run `a<b`") === "run <code>a&lt;b</code>");
 * ```
 */
export function inlineMarkup(text: string): string {
  const parts = text.split("`");
  if (parts.length % 2 === 0) return linkUrls(text);
  return parts.map((part, i) =>
    i % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : linkUrls(part)
  ).join("");
}
