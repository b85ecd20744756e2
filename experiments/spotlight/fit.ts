/**
 * The fits of `exp:spotlight`: one per model seed, with a progress line each.
 *
 * @module
 */

import {
  type EmbeddingMfConfig,
  type EmbeddingMfFit,
  fitEmbeddingMf,
} from "../../lib/models/embedding_mf/fit.ts";
import { Progress } from "../../lib/progress.ts";
import type { takeTriples } from "../../lib/split.ts";

/** Rating triples of a split. */
export type Triples = ReturnType<typeof takeTriples>;

/** One fit per seed, with a progress line each; the first seed's losses are printed as the document printed them. */
export function fitSeeds(
  train: Triples,
  all: { nUsers: number; nItems: number },
  model: Omit<EmbeddingMfConfig, "seed">,
  seeds: readonly number[],
): { fits: EmbeddingMfFit[]; fitSeconds: number[] } {
  const fits: EmbeddingMfFit[] = [];
  const fitSeconds: number[] = [];
  for (const seed of seeds) {
    const progress = new Progress({
      label: `fit, seed ${seed}`,
      total: model.epochs,
      unit: "epochs",
    });
    const t0 = performance.now();
    const onEpoch = (
      epoch: number,
      e: { sumLoss: number; meanLoss: number },
    ) => {
      if (seed === seeds[0]) console.log(`Epoch ${epoch}: loss ${e.sumLoss}`);
      progress.update(
        epoch + 1,
        `loss ${e.sumLoss.toFixed(2)} (mean ${e.meanLoss.toFixed(4)})`,
      );
    };
    fits.push(
      fitEmbeddingMf(
        train,
        all.nUsers,
        all.nItems,
        { ...model, seed },
        onEpoch,
      ),
    );
    fitSeconds.push((performance.now() - t0) / 1000);
    progress.finish();
  }
  return { fits, fitSeconds };
}
