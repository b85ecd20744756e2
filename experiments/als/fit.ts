/**
 * Step 2 of `exp:als`: ALS on every rating, users × items (the orientation
 * implicit expects), from implicit 0.7's initial factors, with a progress
 * line showing the training loss.
 *
 * @module
 */

import {
  type AlsConfig,
  type AlsModel,
  type AlsThreads,
  fitAls,
} from "../../lib/models/als/als.ts";
import { implicitInitialFactors } from "../../lib/models/als/init.ts";
import { Progress } from "../../lib/progress.ts";
import type { Csr } from "../../lib/sparse.ts";

/**
 * Fits ALS (`als`, on `team`) to `all`, the users × items ratings (nUsers ×
 * nItems CSR), starting from implicit 0.7's factors for `als.seed`.
 */
export async function fitAllRatings(
  all: Csr,
  als: AlsConfig,
  team: AlsThreads,
): Promise<AlsModel> {
  const progress = new Progress({
    label: "ALS, all ratings",
    total: als.iterations,
    unit: "it",
  });
  const full = await fitAls(
    all,
    {
      ...als,
      team,
      initialFactors: implicitInitialFactors(
        all.nRows,
        all.nCols,
        als.factors,
        als.seed,
      ),
    },
    (it, info) =>
      progress.update(
        it + 1,
        info.loss === undefined ? "" : `loss ${info.loss.toExponential(4)}`,
      ),
  );
  progress.finish();
  return full;
}
