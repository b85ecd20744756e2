/**
 * Fixed report prose kept as Markdown beside an experiment instead of in
 * string literals: `## Heading` lines open a part, blank lines separate
 * paragraphs, lines of one paragraph are joined with a space, and
 * `{{name}}` is replaced by the value given for it. Inline Markdown is left
 * to the report (`backquoted` spans become code).
 *
 * @example
 * ```ts
 * import { prose } from "./prose.ts";
 * const parts = prose("## Notes\nSplit with\n`RandomState({{seed}})`.\n\nSecond.", { seed: 42 });
 * const blocks = parts.get("Notes")!;
 * if (blocks.length !== 2 || blocks[0].text !== "Split with `RandomState(42)`.") throw new Error();
 * ```
 *
 * @module
 */

import { paragraph, type ParagraphBlock } from "./html.ts";

/**
 * The parts of `markdown` by heading, each a list of paragraph blocks, in
 * order. Text before the first heading is under "".
 *
 * @throws {Error} naming a `{{name}}` with no value in `vars` (a bug).
 */
export function prose(
  markdown: string,
  vars: Readonly<Record<string, string | number>> = {},
): Map<string, ParagraphBlock[]> {
  const parts = new Map<string, ParagraphBlock[]>();
  let heading = "";
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const text = lines.join(" ").replace(
      /\{\{([a-z_][a-z0-9_]*)\}\}/gi,
      (_, name) => {
        if (!Object.hasOwn(vars, name)) {
          throw new Error(`prose: no value for {{${name}}}`);
        }
        return String(vars[name]);
      },
    );
    if (!parts.has(heading)) parts.set(heading, []);
    parts.get(heading)!.push(paragraph(text));
    lines = [];
  };
  for (const raw of markdown.split(/\r?\n/)) {
    const line = raw.trim();
    const h = /^##\s+(.*)$/.exec(line);
    if (h !== null) {
      flush();
      heading = h[1];
      if (!parts.has(heading)) parts.set(heading, []);
    } else if (line === "") flush();
    else lines.push(line);
  }
  flush();
  return parts;
}

/** The paragraphs under `heading` in `parts`. @throws {Error} when there is no such part (a bug). */
export function proseUnder(
  parts: ReadonlyMap<string, ParagraphBlock[]>,
  heading: string,
): ParagraphBlock[] {
  const blocks = parts.get(heading);
  if (blocks === undefined) throw new Error(`prose: no part "## ${heading}"`);
  return blocks;
}
