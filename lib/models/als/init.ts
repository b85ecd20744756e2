/**
 * implicit 0.7's starting factors for a `random_state`, bit for bit, to pass
 * to `fitAls` as `initialFactors`.
 *
 * @module
 */

import { defaultRng, scaleFloat32 } from "../../default_rng.ts";

/**
 * The initial factors implicit 0.7's CPU `AlternatingLeastSquares.fit` draws
 * for an integer `random_state = seed`: one `np.random.default_rng(seed)`,
 * users first, `rng.random((nUsers, factors), dtype=float32) * 0.01`, then
 * items from the same generator, `rng.random((nItems, factors),
 * dtype=float32) * 0.01` (products rounded to float32, as numpy does).
 *
 * @param nUsers Rows of the user table, an integer ≥ 0.
 * @param nItems Rows of the item table, an integer ≥ 0.
 * @param factors Latent factors per row, an integer ≥ 1.
 * @param seed The integer random_state, ≥ 0.
 * @returns Row-major float32 tables: users nUsers × factors, items nItems × factors.
 *
 * @example
 * ```ts
 * import { implicitInitialFactors } from "./init.ts";
 * const f = implicitInitialFactors(2, 3, 4, 0);
 * console.assert(f.users.length === 8 && f.items.length === 12);
 * ```
 */
export function implicitInitialFactors(
  nUsers: number,
  nItems: number,
  factors: number,
  seed: number,
): { users: Float32Array; items: Float32Array } {
  for (
    const [name, v, min] of [["nUsers", nUsers, 0], ["nItems", nItems, 0], [
      "factors",
      factors,
      1,
    ]] as const
  ) {
    if (!Number.isSafeInteger(v) || v < min) {
      throw new RangeError(
        `implicitInitialFactors: ${name} ${v} must be an integer ≥ ${min}`,
      );
    }
  }
  const rng = defaultRng(seed);
  const users = scaleFloat32(rng.random(nUsers * factors, "float32"), 0.01);
  const items = scaleFloat32(rng.random(nItems * factors, "float32"), 0.01);
  return { users, items };
}
