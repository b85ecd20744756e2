/**
 * A bit-exact TypeScript port of numpy's `np.random.default_rng(seed)`: the
 * `SeedSequence` that turns an integer seed into generator state, the PCG64
 * bit generator (128-bit LCG, XSL-RR output) and the `Generator.random`
 * methods for float64 and float32, so that seeded draws made by Python code
 * that uses numpy's new-style API (for instance implicit ≥ 0.5) can be
 * reproduced draw for draw. The legacy `np.random.RandomState` lives in
 * `rng.ts`.
 *
 * The 128-bit state is held as six 24-bit limbs and multiplied with exact
 * double-precision partial products, with no BigInt in the draw loop.
 *
 * @example
 * ```ts
 * import { defaultRng } from "./default_rng.ts";
 * const rng = defaultRng(42);
 * rng.random(2); // Float64Array [0.7739560485559633, 0.4388784397520523]
 * ```
 *
 * @module
 */

// SeedSequence hashing constants (32-bit words, pool of four words).
const POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;

// PCG64 multiplier 0x2360ed051fc65da4_4385df649fccf645 in six 24-bit limbs,
// least significant first. The 128-bit state and increment are held the same
// way (the top limb has 8 bits): every limb product is below 2^48 and every
// column sum of at most six of them plus a carry is below 2^51, so the LCG
// multiply-add is exact in double arithmetic, with no BigInt.
const B0 = 0xccf645;
const B1 = 0xdf649f;
const B2 = 0xa44385;
const B3 = 0x1fc65d;
const B4 = 0x60ed05;
const B5 = 0x23;

const TWO24 = 16777216;
/** Outputs generated per block in the bulk fills. */
const CHUNK = 1024;
const INV24 = 1 / TWO24;
/** 2^-53: the float64 spacing of `(next_uint64 >> 11)` mapped into [0, 1). */
const TWO_M53 = 1 / 9007199254740992;
/** 2^-24: the float32 spacing of `(next_uint32 >> 8)` mapped into [0, 1). */
const TWO_M24 = 1 / 16777216;

/** A seed as numpy accepts it for `default_rng` / `SeedSequence`: a non-negative integer. */
export type Seed = number | bigint;

/**
 * The 32-bit words of a non-negative integer seed, least significant first,
 * as numpy's `SeedSequence` reads an int entropy (0 gives one word, `[0]`).
 *
 * @throws {RangeError} When `seed` is negative, fractional or not finite.
 */
export function seedWords(seed: Seed): Uint32Array {
  let v: bigint;
  if (typeof seed === "bigint") {
    v = seed;
  } else {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(
        `seed ${seed} must be a non-negative safe integer (pass larger seeds as bigint)`,
      );
    }
    v = BigInt(seed);
  }
  if (v < 0n) throw new RangeError(`seed ${seed} must be non-negative`);
  const words: number[] = [];
  do {
    words.push(Number(v & 0xffffffffn));
    v >>= 32n;
  } while (v > 0n);
  return Uint32Array.from(words);
}

/**
 * numpy's `np.random.SeedSequence(entropy)` for an integer entropy (no spawn
 * key, pool size 4): hashes the entropy words into a 4-word pool, from which
 * {@link SeedSequence.generateState} derives any number of state words.
 */
export class SeedSequence {
  /** The mixed entropy pool: 4 uint32 words. */
  readonly pool: Uint32Array;

  /**
   * @param entropy A non-negative integer (bigint for values above 2^53 − 1).
   * @throws {RangeError} When `entropy` is negative or not an integer.
   */
  constructor(entropy: Seed) {
    const ent = seedWords(entropy);
    const pool = new Uint32Array(POOL_SIZE);
    let hashConst = INIT_A;
    const hashmix = (value: number): number => {
      let v = (value ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_A) >>> 0;
      v = Math.imul(v, hashConst) >>> 0;
      return (v ^ (v >>> XSHIFT)) >>> 0;
    };
    const mix = (x: number, y: number): number => {
      const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
      return (r ^ (r >>> XSHIFT)) >>> 0;
    };
    for (let i = 0; i < POOL_SIZE; i++) {
      pool[i] = hashmix(i < ent.length ? ent[i] : 0);
    }
    for (let src = 0; src < POOL_SIZE; src++) {
      for (let dst = 0; dst < POOL_SIZE; dst++) {
        if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
      }
    }
    for (let src = POOL_SIZE; src < ent.length; src++) {
      for (let dst = 0; dst < POOL_SIZE; dst++) {
        pool[dst] = mix(pool[dst], hashmix(ent[src]));
      }
    }
    this.pool = pool;
  }

  /**
   * `generate_state(nWords, np.uint32)`: `nWords` uint32 words cycled out of
   * the pool and hashed.
   *
   * @param nWords Number of 32-bit words, a non-negative integer.
   * @returns Uint32Array of length `nWords`.
   */
  generateState(nWords: number): Uint32Array {
    if (!Number.isSafeInteger(nWords) || nWords < 0) {
      throw new RangeError(
        `generateState: nWords ${nWords} must be a non-negative integer`,
      );
    }
    const out = new Uint32Array(nWords);
    let hashConst = INIT_B;
    for (let i = 0; i < nWords; i++) {
      let v = (this.pool[i % POOL_SIZE] ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_B) >>> 0;
      v = Math.imul(v, hashConst) >>> 0;
      out[i] = (v ^ (v >>> XSHIFT)) >>> 0;
    }
    return out;
  }

  /**
   * `generate_state(nWords, np.uint64)`: twice as many uint32 words, paired
   * little-endian (word 2k is the low half of 64-bit word k).
   *
   * @param nWords Number of 64-bit words.
   * @returns BigUint64Array of length `nWords`.
   */
  generateState64(nWords: number): BigUint64Array {
    const w = this.generateState(2 * nWords);
    const out = new BigUint64Array(nWords);
    for (let k = 0; k < nWords; k++) {
      out[k] = (BigInt(w[2 * k + 1]) << 32n) | BigInt(w[2 * k]);
    }
    return out;
  }
}

/**
 * `n` PCG64 steps on limb arrays, each followed by its output: state ←
 * state · M + increment (mod 2^128), then the XSL-RR output of the new
 * state, rotr64(hi64 ^ lo64, state >> 122), written to `raw` as uint32
 * pairs [low, high]. The state lives in locals during the loop.
 *
 * @param st State, six 24-bit limbs (least significant first), updated.
 * @param inc Increment, six 24-bit limbs.
 * @param raw Receives the outputs: length ≥ 2n, output k at 2k (low), 2k + 1 (high).
 * @param n Number of steps.
 */
function pcgFill(
  st: Float64Array,
  inc: Float64Array,
  raw: Uint32Array,
  n: number,
): void {
  let a0 = st[0], a1 = st[1], a2 = st[2], a3 = st[3], a4 = st[4], a5 = st[5];
  const i0 = inc[0], i1 = inc[1], i2 = inc[2], i3 = inc[3], i4 = inc[4];
  const i5 = inc[5];
  for (let k = 0; k < n; k++) {
    // Column j sums the limb products a_i · B_(j−i), the increment limb and
    // the carry q from column j − 1.
    let c = a0 * B0 + i0;
    let q = Math.floor(c * INV24);
    const n0 = c - q * TWO24;
    c = a0 * B1 + a1 * B0 + i1 + q;
    q = Math.floor(c * INV24);
    const n1 = c - q * TWO24;
    c = a0 * B2 + a1 * B1 + a2 * B0 + i2 + q;
    q = Math.floor(c * INV24);
    const n2 = c - q * TWO24;
    c = a0 * B3 + a1 * B2 + a2 * B1 + a3 * B0 + i3 + q;
    q = Math.floor(c * INV24);
    const n3 = c - q * TWO24;
    c = a0 * B4 + a1 * B3 + a2 * B2 + a3 * B1 + a4 * B0 + i4 + q;
    q = Math.floor(c * INV24);
    const n4 = c - q * TWO24;
    c = a0 * B5 + a1 * B4 + a2 * B3 + a3 * B2 + a4 * B1 + a5 * B0 + i5 + q;
    const n5 = c - Math.floor(c * (1 / 256)) * 256; // bits 120..127 only
    a0 = n0;
    a1 = n1;
    a2 = n2;
    a3 = n3;
    a4 = n4;
    a5 = n5;
    // 32-bit words of the new state (four 24-bit limbs = three words).
    const w0 = n0 | (n1 << 24);
    const w1 = (n1 >>> 8) | (n2 << 16);
    const w2 = (n2 >>> 16) | (n3 << 8);
    const w3 = n4 | (n5 << 24);
    let hi = w3 ^ w1; // high word of hi64 ^ lo64
    let lo = w2 ^ w0; // low word
    const rot = n5 >>> 2; // state >> 122
    if (rot & 32) {
      const t = hi;
      hi = lo;
      lo = t;
    }
    const r = rot & 31;
    if (r === 0) {
      raw[2 * k] = lo;
      raw[2 * k + 1] = hi;
    } else {
      raw[2 * k] = (lo >>> r) | (hi << (32 - r));
      raw[2 * k + 1] = (hi >>> r) | (lo << (32 - r));
    }
  }
  st[0] = a0;
  st[1] = a1;
  st[2] = a2;
  st[3] = a3;
  st[4] = a4;
  st[5] = a5;
}

/** Six 24-bit limbs (least significant first) of a value in [0, 2^128). */
function toLimbs(v: bigint): Float64Array {
  const limbs = new Float64Array(6);
  for (let i = 0; i < 6; i++) {
    limbs[i] = Number((v >> BigInt(24 * i)) & 0xffffffn);
  }
  return limbs;
}

/** The value in [0, 2^128) of six 24-bit limbs. */
function fromLimbs(limbs: Float64Array): bigint {
  let v = 0n;
  for (let i = 5; i >= 0; i--) v = (v << 24n) | BigInt(limbs[i]);
  return v;
}

/**
 * numpy's PCG64 bit generator (`np.random.PCG64(seed)`): a 128-bit LCG
 * (multiplier 0x2360ed051fc65da44385df649fccf645, odd increment from the
 * seed) whose 64-bit output is the XSL-RR permutation of the state *after*
 * each step. State and increment are held as six 24-bit limbs each.
 */
export class Pcg64 {
  readonly #st: Float64Array;
  readonly #inc: Float64Array;
  /** Scratch for one 64-bit output: [low, high] uint32. */
  readonly #out = new Uint32Array(2);
  // Buffered upper half for next_uint32 (numpy hands out the low half first).
  #hasUint32 = false;
  #uint32 = 0;

  /**
   * Seeds like `PCG64(SeedSequence(seed))`: with `s = generate_state(4,
   * uint64)`, initstate = s0·2^64 + s1, initseq = s2·2^64 + s3; increment =
   * 2·initseq + 1; state = 0, step, state += initstate, step.
   *
   * @param seed A non-negative integer, or an existing {@link SeedSequence}.
   */
  constructor(seed: Seed | SeedSequence) {
    const ss = seed instanceof SeedSequence ? seed : new SeedSequence(seed);
    const s = ss.generateState64(4);
    const mask = (1n << 128n) - 1n;
    const initState = (s[0] << 64n) | s[1];
    const initSeq = (s[2] << 64n) | s[3];
    this.#inc = toLimbs(((initSeq << 1n) | 1n) & mask);
    this.#st = new Float64Array(6);
    pcgFill(this.#st, this.#inc, this.#out, 1);
    this.#st.set(toLimbs((fromLimbs(this.#st) + initState) & mask));
    pcgFill(this.#st, this.#inc, this.#out, 1);
  }

  /** The 128-bit LCG state, as a bigint in [0, 2^128) (for inspection and tests). */
  get state(): bigint {
    return fromLimbs(this.#st);
  }

  /** The 128-bit odd increment, as a bigint in [0, 2^128). */
  get increment(): bigint {
    return fromLimbs(this.#inc);
  }

  /** `next_uint64` as a bigint in [0, 2^64) (convenient, not fast). */
  nextUint64(): bigint {
    const out = this.#out;
    pcgFill(this.#st, this.#inc, out, 1);
    return (BigInt(out[1]) << 32n) | BigInt(out[0]);
  }

  /**
   * `next_uint32`, an integer in [0, 2^32): each 64-bit output serves two
   * calls, its low half first, then its high half.
   */
  nextUint32(): number {
    if (this.#hasUint32) {
      this.#hasUint32 = false;
      return this.#uint32;
    }
    const out = this.#out;
    pcgFill(this.#st, this.#inc, out, 1);
    this.#hasUint32 = true;
    this.#uint32 = out[1];
    return out[0];
  }

  /** `next_double`: `(next_uint64 >> 11) · 2^-53`, in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const out = this.#out;
    pcgFill(this.#st, this.#inc, out, 1);
    return (out[1] * 2097152 + (out[0] >>> 11)) * TWO_M53;
  }

  /**
   * `next_float`: `(next_uint32 >> 8) · 2^-24`, in [0, 1) with 24 random bits
   * (exactly representable in float32).
   */
  nextFloat(): number {
    return (this.nextUint32() >>> 8) * TWO_M24;
  }

  /** Fills `out` with `next_double` draws, as {@link nextDouble} `out.length` times. */
  fillDouble(out: Float64Array): void {
    const raw = new Uint32Array(2 * Math.min(out.length, CHUNK));
    for (let k0 = 0; k0 < out.length; k0 += CHUNK) {
      const m = Math.min(CHUNK, out.length - k0);
      pcgFill(this.#st, this.#inc, raw, m);
      for (let k = 0; k < m; k++) {
        out[k0 + k] = (raw[2 * k + 1] * 2097152 + (raw[2 * k] >>> 11)) *
          TWO_M53;
      }
    }
  }

  /**
   * Fills `out` with `next_float` draws, as {@link nextFloat} `out.length`
   * times: a buffered high half first, then the halves of fresh outputs (low,
   * high); an odd leftover high half stays buffered.
   */
  fillFloat(out: Float32Array): void {
    const n = out.length;
    let k = 0;
    if (n > 0 && this.#hasUint32) {
      this.#hasUint32 = false;
      out[k++] = (this.#uint32 >>> 8) * TWO_M24;
    }
    const raw = new Uint32Array(2 * Math.min(CHUNK, Math.ceil((n - k) / 2)));
    while (k < n) {
      const pairs = Math.min(CHUNK, Math.ceil((n - k) / 2));
      pcgFill(this.#st, this.#inc, raw, pairs);
      const words = Math.min(2 * pairs, n - k);
      for (let j = 0; j < words; j++) out[k + j] = (raw[j] >>> 8) * TWO_M24;
      k += words;
      if (words < 2 * pairs) {
        this.#hasUint32 = true;
        this.#uint32 = raw[2 * pairs - 1];
      }
    }
  }
}

/**
 * numpy's `np.random.default_rng(seed)`: a `Generator` over
 * `PCG64(SeedSequence(seed))`. Only the draws implicit needs are ported:
 * uniform floats in [0, 1) in float64 and float32.
 */
export class DefaultRng {
  /** The underlying bit generator (numpy's `rng.bit_generator`). */
  readonly bitGenerator: Pcg64;

  /** @param seed A non-negative integer (bigint above 2^53 − 1). */
  constructor(seed: Seed) {
    this.bitGenerator = new Pcg64(seed);
  }

  /**
   * `rng.random(n)` (float64) or `rng.random(n, dtype=np.float32)`.
   * A numpy shape (r, c) in row-major order is the same stream: pass r·c.
   *
   * @param n Number of draws, a non-negative integer.
   * @param dtype `"float64"` (default; one 64-bit output per draw) or
   *   `"float32"` (one 32-bit half per draw, low half first).
   * @returns Float64Array or Float32Array of length `n`, values in [0, 1).
   */
  random(n: number, dtype?: "float64"): Float64Array;
  random(n: number, dtype: "float32"): Float32Array;
  random(
    n: number,
    dtype: "float64" | "float32" = "float64",
  ): Float64Array | Float32Array {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`random: n ${n} must be a non-negative integer`);
    }
    if (dtype === "float64") {
      const out = new Float64Array(n);
      this.bitGenerator.fillDouble(out);
      return out;
    }
    if (dtype === "float32") {
      const out = new Float32Array(n);
      this.bitGenerator.fillFloat(out);
      return out;
    }
    throw new RangeError(`random: dtype "${dtype}" must be float64 or float32`);
  }

  /** One float64 draw, `rng.random()`, in [0, 1). */
  randomScalar(): number {
    return this.bitGenerator.nextDouble();
  }
}

/**
 * `np.random.default_rng(seed)`.
 *
 * @param seed A non-negative integer (bigint above 2^53 − 1).
 */
export function defaultRng(seed: Seed): DefaultRng {
  return new DefaultRng(seed);
}

/**
 * numpy's `float32_array * python_float` (numpy 1.x and 2.x alike): the
 * scalar is rounded to float32 and each product is rounded to float32 (the
 * float32 multiply loop; the double product of two float32 values is exact,
 * so rounding it once to float32 gives the same bits). implicit's
 * ALS initial factors are `scaleFloat32(rng.random(n · factors, "float32"),
 * 0.01)`.
 *
 * @param a float32 values, any length.
 * @param scale The Python float.
 * @returns A new Float32Array of `a.length` products.
 */
export function scaleFloat32(a: Float32Array, scale: number): Float32Array {
  const s = Math.fround(scale);
  const out = new Float32Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = a[k] * s;
  return out;
}

/** Indices of a mask split: ascending positions in the entry order, disjoint. */
export interface DefaultRngSplit {
  /** Positions whose draw is < trainPercentage. */
  readonly train: Int32Array;
  /** Positions whose draw is ≥ trainPercentage (and, with values, value > 0). */
  readonly test: Int32Array;
}

/**
 * The selection made by implicit 0.7's
 * `evaluation.train_test_split(ratings, train_percentage, random_state=seed)`:
 * `ratings.tocoo()`, then `default_rng(seed).random(nnz)` (one float64 per
 * stored entry, in COO order), entries with draw `< trainPercentage` train,
 * the others (`>=`) test. For a CSR input (canonical: no duplicates, columns
 * ascending in each row) the COO order is row-major, so position k is the
 * k-th stored entry in row-major order.
 *
 * implicit then sets negative test values to 0 and drops zeros from test
 * (`test.data[test.data < 0] = 0; test.eliminate_zeros()`): pass `values`
 * (the entries' values in the same order) to drop test entries whose value
 * is ≤ 0 as well; they then appear in neither side. Train keeps everything.
 *
 * @param nnz Number of stored entries, a non-negative integer.
 * @param trainPercentage Share for train, in [0, 1].
 * @param seed The int `random_state`.
 * @param values Optional entry values (length `nnz`) for implicit's test filter.
 * @returns Ascending positions in [0, nnz), which is also row-major order.
 */
export function implicitDefaultRngSplit(
  nnz: number,
  trainPercentage: number,
  seed: Seed,
  values?: ArrayLike<number>,
): DefaultRngSplit {
  if (!Number.isSafeInteger(nnz) || nnz < 0) {
    throw new RangeError(
      `implicitDefaultRngSplit: nnz ${nnz} must be a non-negative integer`,
    );
  }
  if (!(trainPercentage >= 0 && trainPercentage <= 1)) {
    throw new RangeError(
      `implicitDefaultRngSplit: trainPercentage ${trainPercentage} must be in [0, 1]`,
    );
  }
  if (values !== undefined && values.length !== nnz) {
    throw new RangeError(
      `implicitDefaultRngSplit: values has length ${values.length}, expected nnz ${nnz}`,
    );
  }
  const draws = defaultRng(seed).random(nnz);
  let nTrain = 0;
  for (let k = 0; k < nnz; k++) if (draws[k] < trainPercentage) nTrain++;
  const train = new Int32Array(nTrain);
  const testAll = new Int32Array(nnz - nTrain);
  let p = 0, q = 0;
  for (let k = 0; k < nnz; k++) {
    if (draws[k] < trainPercentage) train[p++] = k;
    else if (values === undefined || !(values[k] <= 0)) testAll[q++] = k;
  }
  return { train, test: testAll.slice(0, q) };
}
