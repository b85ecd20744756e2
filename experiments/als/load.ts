/**
 * Step 1 of `exp:als`: load the ratings (a MovieLens release or the user's
 * own CSV), check them, and find the user and the title the document's
 * questions are about, before any fitting.
 *
 * @module
 */

import { basename } from "node:path";
import {
  type LoadedData,
  loadMovieLens,
  loadRatingsCsv,
} from "../../lib/data/load.ts";
import type { Interactions } from "../../lib/data/interactions.ts";
import { assertUsable } from "../../lib/data/usable.ts";
import { UserError } from "../../lib/errors.ts";
import { itemPopularity } from "../../lib/models/popularity.ts";
import { bytesProgress } from "../../lib/progress.ts";
import type { Flags } from "../../lib/cli.ts";
import type { Csr } from "../../lib/sparse.ts";
import { findTitle, type TitleMatch } from "../../lib/title_search.ts";
import {
  DOCUMENT_DATASET,
  DOCUMENT_QUERY,
  DOCUMENT_USER,
  type FLAGS,
} from "./document.ts";
import { titleEntries, toCsr } from "./ratings.ts";

/** What the run asks about in the loaded data, and the data's names. */
export interface Subjects {
  /** The data came from --ratings. */
  readonly ownData: boolean;
  /** The data has movie titles (every MovieLens release; own data only with --movies). */
  readonly hasTitles: boolean;
  /** Release name or CSV file name. */
  readonly datasetName: string;
  /** The document's release (ml-latest-small, 2018). */
  readonly isDocumentData: boolean;
  /** Raw user id asked about, and its dense index. */
  readonly user: number;
  readonly userIndex: number;
  /** Every rating as a users × items CSR matrix. */
  readonly all: Csr;
  /** Ratings per dense item, length nItems. */
  readonly popularity: Float32Array;
  /** The title query (default the document's). */
  readonly query: string;
  /** The title it matched, and its dense index; null without titles. */
  readonly match: TitleMatch | null;
  readonly titleIndex: number | null;
}

/**
 * Loads the ratings `flags` name: `--ratings` (with `--movies`) or a MovieLens
 * release, with a progress line for a large file. Without their timestamps,
 * which nothing in exp:als reads (200 MB at ML-25M size).
 */
export async function loadRatings(
  flags: Flags<typeof FLAGS>,
): Promise<LoadedData> {
  const progress = bytesProgress("load ratings");
  const options = { timestamps: false, onProgress: progress.onProgress };
  const loaded = flags.ratings !== undefined
    ? await loadRatingsCsv(flags.ratings, {
      ...options,
      itemsPath: flags.movies,
    })
    : await loadMovieLens(flags.dataset, {
      ...options,
      dataDir: flags["data-dir"],
    });
  progress.finish();
  return loaded;
}

/**
 * Checks `data` is usable and finds the user and the title of `flags` in it.
 *
 * @throws {UserError} (exit 2) for a user not in the data; the title search
 *   throws its own for a title it cannot match.
 */
export function locateSubjects(
  data: Interactions,
  flags: Flags<typeof FLAGS>,
): Subjects {
  const ownData = flags.ratings !== undefined;
  // Titles come with every MovieLens release; a user's own data has them only with --movies.
  const hasTitles = !ownData || flags.movies !== undefined;
  const query = flags.title ?? DOCUMENT_QUERY;
  const datasetName = flags.ratings !== undefined
    ? basename(flags.ratings)
    : flags.dataset;
  const isDocumentData = !ownData && flags.dataset === DOCUMENT_DATASET;
  assertUsable(data, {
    name: datasetName,
    positiveRatings: true,
    k: { value: flags.k, flag: "--k" },
  });
  const user = flags.user ?? (ownData ? data.userIds.raw[0] : DOCUMENT_USER);
  const userIndex = data.userIds.toIndex.get(user);
  if (userIndex === undefined) {
    throw new UserError(
      `--user ${user}: no such user in ${datasetName} (user ids run from ` +
        `${data.userIds.raw[0]} to ${data.userIds.raw[data.nUsers - 1]})`,
      { exitCode: 2 },
    );
  }
  const all = toCsr(data);
  const popularity = itemPopularity(all);
  const match = hasTitles
    ? findTitle(query, titleEntries(data, popularity))
    : null;
  const titleIndex = match === null
    ? null
    : data.itemIds.toIndex.get(match.id)!;
  return {
    ownData,
    hasTitles,
    datasetName,
    isDocumentData,
    user,
    userIndex,
    all,
    popularity,
    query,
    match,
    titleIndex,
  };
}
