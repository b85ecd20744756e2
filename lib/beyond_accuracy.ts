/**
 * Beyond-accuracy metrics of top-k recommendation lists: catalogue coverage,
 * novelty (mean self-information), average recommendation popularity and
 * long-tail share (popularity bias), and intra-list diversity over item
 * factors.
 *
 * Each list is an Int32Array of dense item indices (best first); negative
 * entries are padding and ignored. Popularity is counted on the training
 * interactions.
 *
 * References:
 * - Castells, Vargas & Wang, "Novelty and Diversity Metrics for Recommender
 *   Systems: Choice, Discovery and Relevance" (DDR 2011), and Vargas &
 *   Castells, "Rank and Relevance in Novelty and Diversity Metrics for
 *   Recommender Systems" (RecSys 2011): novelty as expected self-information
 *   −log2 p(seen | i), with p(seen | i) = |users who interacted with i| / |users|;
 *   intra-list diversity as the mean pairwise distance within a list.
 * - Microsoft Recommenders, `recommenders.evaluation.python_evaluation`
 *   (`catalog_coverage`, `novelty`, `diversity`): catalogue coverage = distinct
 *   recommended items / distinct training items; novelty = mean over all
 *   recommended (user, item) pairs of −log2(n_users(i) / n_users); diversity =
 *   mean over users of the mean pairwise (1 − cosine similarity) of the list.
 * - Abdollahpouri, Mansoury, Burke & Mobasher, "The Unfairness of Popularity
 *   Bias in Recommendation" (RMSE workshop, RecSys 2019): average
 *   recommendation popularity (ARP) and average percentage of long-tail
 *   items (APLT).
 *
 * @module
 */

/** Per-item training statistics the metrics need. */
export interface ItemPopularity {
  /** Training interactions per item, length nItems. */
  readonly count: Float64Array;
  /** Distinct training users per item, length nItems. */
  readonly users: Float64Array;
  /** Number of distinct training users. */
  readonly nUsers: number;
  /** Number of items with at least one training interaction. */
  readonly nSeenItems: number;
}

/**
 * Popularity statistics of training interactions (duplicates of a
 * (user, item) pair count once in `users`, every time in `count`).
 *
 * @param users Dense user index per training row; `items` likewise.
 */
export function itemPopularity(
  users: Int32Array,
  items: Int32Array,
  nUsers: number,
  nItems: number,
): ItemPopularity {
  const count = new Float64Array(nItems);
  const distinct = new Float64Array(nItems);
  const userSeen = new Uint8Array(nUsers);
  // Rows grouped by user (a counting sort), then one stamp per item: an item
  // counts a user once however often the pair repeats. Typed arrays only, so
  // tens of millions of rows fit (a Set of pairs stops at 2²⁴ entries).
  const start = new Int32Array(nUsers + 1);
  for (let r = 0; r < users.length; r++) start[users[r] + 1]++;
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  const next = start.slice(0, nUsers);
  const byUser = new Int32Array(items.length);
  for (let r = 0; r < items.length; r++) byUser[next[users[r]]++] = items[r];
  const stamp = new Int32Array(nItems).fill(-1);
  for (let u = 0; u < nUsers; u++) {
    if (start[u + 1] > start[u]) userSeen[u] = 1;
    for (let e = start[u]; e < start[u + 1]; e++) {
      const i = byUser[e];
      count[i]++;
      if (stamp[i] !== u) {
        stamp[i] = u;
        distinct[i]++;
      }
    }
  }
  let nSeenItems = 0;
  for (let i = 0; i < nItems; i++) if (count[i] > 0) nSeenItems++;
  let nu = 0;
  for (let u = 0; u < nUsers; u++) nu += userSeen[u];
  return { count, users: distinct, nUsers: nu, nSeenItems };
}

/**
 * Catalogue coverage: distinct items across all lists / items with training
 * interactions (Microsoft Recommenders' `catalog_coverage`), in [0, 1] when
 * the lists hold training items only.
 */
export function catalogueCoverage(
  lists: readonly Int32Array[],
  pop: ItemPopularity,
): number {
  const distinct = new Set<number>();
  for (const l of lists) for (const i of l) if (i >= 0) distinct.add(i);
  return pop.nSeenItems === 0 ? 0 : distinct.size / pop.nSeenItems;
}

/**
 * Novelty: mean self-information −log2(n_users(i) / n_users) over every
 * recommended (user, item) pair (Vargas & Castells 2011; Microsoft
 * Recommenders' `novelty`), in bits. Items no training user saw are skipped
 * (their self-information is unbounded).
 */
export function novelty(
  lists: readonly Int32Array[],
  pop: ItemPopularity,
): number {
  let sum = 0, n = 0;
  for (const l of lists) {
    for (const i of l) {
      if (i < 0 || pop.users[i] === 0) continue;
      sum += -Math.log2(pop.users[i] / pop.nUsers);
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

/**
 * Average recommendation popularity (ARP, Abdollahpouri et al. 2019): for
 * each non-empty list the mean training count of its items, averaged over
 * lists; in interactions per item.
 */
export function averagePopularity(
  lists: readonly Int32Array[],
  pop: ItemPopularity,
): number {
  let total = 0, nLists = 0;
  for (const l of lists) {
    let s = 0, n = 0;
    for (const i of l) {
      if (i < 0) continue;
      s += pop.count[i];
      n++;
    }
    if (n > 0) {
      total += s / n;
      nLists++;
    }
  }
  return nLists === 0 ? NaN : total / nLists;
}

/**
 * The short head: the most popular items (by training count, ties by lower
 * index) that together hold `headShare` of the training interactions;
 * every other item is long tail. The cut is the analyst's: papers differ
 * (some take a share of the items instead), and Elliot's `Popularity`
 * metric uses 0.8 of the interactions (`pop_ratio`), as exp:als does.
 *
 * @returns 1 for head items, 0 for long-tail items; length nItems.
 */
export function shortHead(
  pop: ItemPopularity,
  headShare: number,
): Uint8Array {
  const n = pop.count.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    pop.count[b] - pop.count[a] || a - b
  );
  let total = 0;
  for (let i = 0; i < n; i++) total += pop.count[i];
  const head = new Uint8Array(n);
  let acc = 0;
  for (const i of order) {
    if (acc >= headShare * total || pop.count[i] === 0) break;
    head[i] = 1;
    acc += pop.count[i];
  }
  return head;
}

/**
 * Average percentage of long-tail items (APLT, Abdollahpouri et al. 2019):
 * per non-empty list the share of its items outside the short head,
 * averaged over lists; in [0, 1].
 */
export function longTailShare(
  lists: readonly Int32Array[],
  head: Uint8Array,
): number {
  let total = 0, nLists = 0;
  for (const l of lists) {
    let tail = 0, n = 0;
    for (const i of l) {
      if (i < 0) continue;
      tail += head[i] ? 0 : 1;
      n++;
    }
    if (n > 0) {
      total += tail / n;
      nLists++;
    }
  }
  return nLists === 0 ? NaN : total / nLists;
}

/**
 * Intra-list diversity over item factors: per list with ≥ 2 items the mean
 * over unordered pairs of the cosine distance 1 − cos(q_i, q_j), averaged
 * over those lists (Ziegler et al. 2005; Castells et al. 2011; Microsoft
 * Recommenders' `diversity` with item-feature cosine similarity). Items with
 * an all-zero factor vector count as cosine 0 (distance 1).
 *
 * @param factors Item factors, row-major nItems × dim.
 * @returns In [0, 2]; NaN when no list has two items.
 */
export function intraListDiversity(
  lists: readonly Int32Array[],
  factors: Float32Array | Float64Array,
  dim: number,
): number {
  const nItems = Math.floor(factors.length / dim);
  const norm = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let f = 0; f < dim; f++) s += factors[i * dim + f] ** 2;
    norm[i] = Math.sqrt(s);
  }
  let total = 0, nLists = 0;
  for (const l of lists) {
    const items = [...l].filter((i) => i >= 0);
    if (items.length < 2) continue;
    let s = 0, pairs = 0;
    for (let a = 0; a < items.length; a++) {
      for (let b = a + 1; b < items.length; b++) {
        const i = items[a], j = items[b];
        let dot = 0;
        for (let f = 0; f < dim; f++) {
          dot += factors[i * dim + f] * factors[j * dim + f];
        }
        const d = norm[i] * norm[j];
        s += 1 - (d === 0 ? 0 : dot / d);
        pairs++;
      }
    }
    total += s / pairs;
    nLists++;
  }
  return nLists === 0 ? NaN : total / nLists;
}
