import assert from "node:assert/strict";
import {
  checkInlineScript,
  escapeHtml,
  inlineMarkup,
  jsonForScript,
} from "./escape.ts";

Deno.test("escapeHtml escapes the five HTML-special characters", () => {
  assert.equal(
    escapeHtml(`<script>alert(1)</script> & "quotes" 'single'`),
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39;",
  );
  assert.equal(escapeHtml("plain ≥ text"), "plain ≥ text");
});

Deno.test("jsonForScript escapes < > & and line separators but stays the same JSON", () => {
  const value = { title: "</script><!-- & \u2028 \u2029", n: [1, 2.5] };
  const json = jsonForScript(value);
  assert.ok(
    !json.includes("<") && !json.includes(">") && !json.includes("&"),
    json,
  );
  assert.ok(!json.includes("\u2028") && !json.includes("\u2029"));
  assert.match(
    json,
    /\\u003c\/script\\u003e\\u003c!-- \\u0026 \\u2028 \\u2029/,
  );
  assert.deepEqual(JSON.parse(json), value);
});

Deno.test("jsonForScript embeds typed arrays as plain arrays and non-finite numbers as null", () => {
  assert.equal(
    jsonForScript({
      y: new Float64Array([0.5, NaN]),
      x: new Int32Array([1, 2]),
    }),
    '{"y":[0.5,null],"x":[1,2]}',
  );
  assert.throws(() => jsonForScript(undefined), TypeError);
});

Deno.test("checkInlineScript rejects sources that could end or confuse a script element", () => {
  assert.equal(checkInlineScript("var a = '<!--';"), "var a = '<!--';");
  assert.throws(() => checkInlineScript("x = '</SCRIPT>'"), /<\/script/);
  assert.throws(
    () => checkInlineScript("x = '<!--<script>'"),
    /double-escaped|both/,
  );
});

Deno.test("inlineMarkup codes backquoted spans, links URLs and escapes the rest", () => {
  assert.equal(
    inlineMarkup("see https://example.org/a?b=1&c. Run `x < y`."),
    'see <a href="https://example.org/a?b=1&amp;c">https://example.org/a?b=1&amp;c</a>. Run <code>x &lt; y</code>.',
  );
  assert.equal(inlineMarkup("odd ` quote <"), "odd ` quote &lt;");
  assert.equal(inlineMarkup("`https://x.org`"), "<code>https://x.org</code>");
});
