/**
 * numpy's KFold shuffle of 100,000 rows, for the tests of lib/kfold.ts and
 * exp:surprise (Surprise's KFold(5, random_state=0) on ML-100K): the
 * expected folds and the checksum they are compared with.
 *
 * @module
 */

/**
 * numpy 2.4: `idx = np.arange(100000); np.random.RandomState(0).shuffle(idx)`,
 * folds of 20,000 (Surprise's KFold(5) test slices are idx[20000 f : 20000 (f
 * + 1)]); head of each test slice, its last two rows, and Σ t[p]·(p + 1) mod
 * 1e9+7 over the slice.
 */
export const NUMPY_100K_FOLDS: readonly {
  readonly head: readonly number[];
  readonly tail: readonly number[];
  readonly sum: number;
}[] = [
  {
    head: [3582, 60498, 53227, 21333, 3885, 51521],
    tail: [71345, 77687],
    sum: 877673534,
  },
  {
    head: [10382, 73171, 30938, 99310, 58959, 2893],
    tail: [83456, 41250],
    sum: 837880911,
  },
  {
    head: [81136, 79804, 34903, 63752, 51129, 28794],
    tail: [27371, 8729],
    sum: 873297797,
  },
  {
    head: [89105, 45026, 72533, 43472, 309, 63164],
    tail: [4539, 51018],
    sum: 269972873,
  },
  {
    head: [71407, 91891, 96831, 88925, 52259, 52564],
    tail: [43567, 68268],
    sum: 493824212,
  },
];

/** Σ t[p]·(p + 1) mod 1e9+7 (exact in BigInt). */
export function positionChecksum(t: Int32Array): number {
  let s = 0n;
  t.forEach((v, p) => s += BigInt(v) * BigInt(p + 1));
  return Number(s % 1000000007n);
}
