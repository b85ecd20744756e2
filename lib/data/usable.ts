/**
 * Whether loaded ratings can be fitted and evaluated at all, checked right
 * after loading (before any fitting), so degenerate data — one row, one
 * user, one item, no usable rating — ends in one line naming the file
 * rather than a `RangeError` deep inside a model or a metric, and a list
 * length larger than the items ends in one line naming the flag.
 *
 * @module
 */

import { UserError } from "../errors.ts";
import { DataError } from "./data_error.ts";
import type { Interactions } from "./interactions.ts";

/** What a computation needs of its data. */
export interface UsableOptions {
  /** Named in errors: the file or release the data came from. */
  readonly name: string;
  /** Fewest distinct users (default 2: a holdout split needs someone to hold out). */
  readonly minUsers?: number;
  /** Fewest distinct items (default 2: a ranking needs a choice). */
  readonly minItems?: number;
  /**
   * The ratings are used as confidences (implicit feedback): at least one
   * must be positive, since a zero confidence is no interaction at all.
   */
  readonly positiveRatings?: boolean;
  /** A list length and the flag that set it, which must not exceed the items. */
  readonly k?: { readonly value: number; readonly flag: string };
}

/**
 * Throws when `data` cannot serve the computation described by `options`.
 *
 * @throws {DataError} (exit 1) naming the file for too few users, items or
 *   rows, or no positive rating where ratings are confidences.
 * @throws {UserError} (exit 2) naming the flag when `k` exceeds the items.
 */
export function assertUsable(data: Interactions, options: UsableOptions): void {
  const { name } = options;
  const n = data.users.length;
  const minUsers = options.minUsers ?? 2;
  const minItems = options.minItems ?? 2;
  const need = `at least ${minUsers} users and ${minItems} items are needed`;
  if (n < 2) {
    throw new DataError(name, `has only ${n} rating row; ${need}`);
  }
  if (data.nUsers < minUsers) {
    throw new DataError(
      name,
      `has ratings of only ${data.nUsers} user${
        data.nUsers === 1 ? ` (id ${data.userIds.raw[0]})` : "s"
      }; ${need}`,
    );
  }
  if (data.nItems < minItems) {
    throw new DataError(
      name,
      `has ratings of only ${data.nItems} item${
        data.nItems === 1 ? ` (id ${data.itemIds.raw[0]})` : "s"
      }; ${need}`,
    );
  }
  if (options.positiveRatings) {
    let positive = 0;
    for (let r = 0; r < n; r++) if (data.ratings[r] > 0) positive++;
    if (positive === 0) {
      throw new DataError(
        name,
        "has no positive rating: ratings are used as confidences, and a confidence of 0 is no interaction, so there is nothing to fit",
      );
    }
  }
  if (options.k !== undefined && options.k.value > data.nItems) {
    throw new UserError(
      `${options.k.flag} ${options.k.value} is larger than the ${data.nItems} items of ${name}; give ${options.k.flag} ${data.nItems} or less`,
      { exitCode: 2 },
    );
  }
}
