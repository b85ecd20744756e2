/**
 * deno task synth --shape ml-25m --out data/synthetic/ml-25m.csv
 *
 * Writes a seeded synthetic ratings CSV of a MovieLens release's shape (no
 * repeated user–item pairs, skewed popularity and activity; see
 * lib/data/synthetic_ratings.ts) for scale runs such as
 * `deno task exp:als --ratings data/synthetic/ml-25m.csv`. The same flags give
 * the same bytes. `--rows` scales the shape down (users and items shrink by
 * the square root of the ratio).
 *
 * @module
 */

import { dirname } from "node:path";
import { defineFlags, parseFlags, runMain } from "../lib/cli.ts";
import { Progress } from "../lib/progress.ts";
import {
  scaledShape,
  SYNTHETIC_SHAPES,
  writeSyntheticRatingsCsv,
} from "../lib/data/synthetic_ratings.ts";

const SHAPES = Object.keys(SYNTHETIC_SHAPES);

export const FLAGS = defineFlags({
  shape: {
    type: "enum",
    values: SHAPES,
    default: "ml-25m",
    help: "the release whose shape to copy",
  },
  out: {
    type: "string",
    optional: true,
    help: "CSV to write (default data/synthetic/<shape>[-<rows>].csv)",
  },
  rows: {
    type: "int",
    optional: true,
    min: 1,
    help: "fewer ratings than the release (shape scaled down)",
  },
  seed: { type: "int", default: 0, min: 0, help: "generator seed" },
});

/** Writes the file; returns its path and size in bytes. */
export async function main(
  args: readonly string[],
  print: (line: string) => void = console.log,
): Promise<{ path: string; bytes: number }> {
  const flags = parseFlags(FLAGS, [...args], {
    command: "deno task synth",
    description:
      "Writes a seeded synthetic ratings CSV shaped like a MovieLens release.",
  });
  const base = SYNTHETIC_SHAPES[flags.shape];
  const shape = flags.rows === undefined ? base : scaledShape(base, flags.rows);
  const path = flags.out ??
    `data/synthetic/${flags.shape}${
      flags.rows === undefined ? "" : `-${flags.rows}`
    }.csv`;
  await Deno.mkdir(dirname(path), { recursive: true });
  const progress = new Progress({
    label: `synth ${flags.shape}`,
    total: shape.users,
    unit: "users",
  });
  const t0 = performance.now();
  const bytes = await writeSyntheticRatingsCsv(
    path,
    { ...shape, seed: flags.seed },
    (done) => progress.update(done),
  );
  progress.finish();
  print(
    `${path}: ${shape.rows} ratings, ${shape.users} users, ≤ ${shape.items} items ` +
      `(${(bytes / 2 ** 20).toFixed(1)} MiB) in ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s`,
  );
  return { path, bytes };
}

if (import.meta.main) await runMain(() => main(Deno.args).then(() => {}));
