/**
 * A bit-exact TypeScript port of numpy's `np.random.default_rng(seed)`: the
 * `SeedSequence` that turns an integer seed into generator state, the PCG64
 * bit generator (128-bit LCG, XSL-RR output) and the `Generator.random`
 * methods for float64 and float32, so that seeded draws made by Python code
 * that uses numpy's new-style API (for instance implicit ≥ 0.5) can be
 * reproduced draw for draw. The legacy `np.random.RandomState` lives in
 * `rng.ts`.
 *
 * The 128-bit state is held as four 32-bit limbs and multiplied with exact
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

// PCG64 multiplier 0x2360ed051fc65da4_4385df649fccf645 as 32-bit limbs
// (M0 least significant); the three low limbs also split into 16-bit halves
// for exact 32 × 32 → 64-bit products in doubles.
const M0 = 0x9fccf645;
const M1 = 0x4385df64;
const M2 = 0x1fc65da4;
const M3 = 0x2360ed05;
const M0_HI = M0 >>> 16, M0_LO = M0 & 0xffff;
const M1_HI = M1 >>> 16, M1_LO = M1 & 0xffff;
const M2_HI = M2 >>> 16, M2_LO = M2 & 0xffff;

const TWO32 = 4294967296;
const TWO16 = 65536;
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
 * numpy's PCG64 bit generator (`np.random.PCG64(seed)`): a 128-bit LCG
 * (multiplier 0x2360ed051fc65da44385df649fccf645, odd increment from the
 * seed) whose 64-bit output is the XSL-RR permutation of the state *after*
 * each step. State and increment are held as four uint32 limbs each.
 */
export class Pcg64 {
  // State limbs, s0 least significant; increment limbs likewise.
  #s0 = 0;
  #s1 = 0;
  #s2 = 0;
  #s3 = 0;
  #i0 = 0;
  #i1 = 0;
  #i2 = 0;
  #i3 = 0;
  // Last 64-bit output, as two uint32 halves.
  #outHi = 0;
  #outLo = 0;
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
    // uint32 words: [s0 lo, s0 hi, s1 lo, s1 hi, s2 lo, s2 hi, s3 lo, s3 hi].
    const w = ss.generateState(8);
    // initseq limbs (least significant first): s3 lo, s3 hi, s2 lo, s2 hi.
    const q0 = w[6], q1 = w[7], q2 = w[4], q3 = w[5];
    // increment = (initseq << 1) | 1, mod 2^128.
    this.#i0 = ((q0 << 1) | 1) >>> 0;
    this.#i1 = ((q1 << 1) | (q0 >>> 31)) >>> 0;
    this.#i2 = ((q2 << 1) | (q1 >>> 31)) >>> 0;
    this.#i3 = ((q3 << 1) | (q2 >>> 31)) >>> 0;
    this.#step();
    // state += initstate (limbs: s1 lo, s1 hi, s0 lo, s0 hi).
    let c = this.#s0 + w[2];
    this.#s0 = c >>> 0;
    c = this.#s1 + w[3] + (c >= TWO32 ? 1 : 0);
    this.#s1 = c >>> 0;
    c = this.#s2 + w[0] + (c >= TWO32 ? 1 : 0);
    this.#s2 = c >>> 0;
    this.#s3 = (this.#s3 + w[1] + (c >= TWO32 ? 1 : 0)) >>> 0;
    this.#step();
  }

  /** The 128-bit LCG state, as a bigint in [0, 2^128) (for inspection and tests). */
  get state(): bigint {
    return (BigInt(this.#s3) << 96n) | (BigInt(this.#s2) << 64n) |
      (BigInt(this.#s1) << 32n) | BigInt(this.#s0);
  }

  /** The 128-bit odd increment, as a bigint in [0, 2^128). */
  get increment(): bigint {
    return (BigInt(this.#i3) << 96n) | (BigInt(this.#i2) << 64n) |
      (BigInt(this.#i1) << 32n) | BigInt(this.#i0);
  }

  /** state ← state · M + increment (mod 2^128), with exact double arithmetic. */
  #step(): void {
    const s0 = this.#s0, s1 = this.#s1, s2 = this.#s2, s3 = this.#s3;
    // High 32 bits of the six full products needed below limb 3:
    // hi(a·b) = floor((a·b_hi + floor(a·b_lo / 2^16)) / 2^16), all < 2^53.
    const h00 = Math.floor(
      (s0 * M0_HI + Math.floor(s0 * M0_LO / TWO16)) / TWO16,
    );
    const h01 = Math.floor(
      (s0 * M1_HI + Math.floor(s0 * M1_LO / TWO16)) / TWO16,
    );
    const h10 = Math.floor(
      (s1 * M0_HI + Math.floor(s1 * M0_LO / TWO16)) / TWO16,
    );
    const h02 = Math.floor(
      (s0 * M2_HI + Math.floor(s0 * M2_LO / TWO16)) / TWO16,
    );
    const h11 = Math.floor(
      (s1 * M1_HI + Math.floor(s1 * M1_LO / TWO16)) / TWO16,
    );
    const h20 = Math.floor(
      (s2 * M0_HI + Math.floor(s2 * M0_LO / TWO16)) / TWO16,
    );
    // Column sums (each < 2^36), carries passed up exactly.
    let c = (Math.imul(s0, M0) >>> 0) + this.#i0;
    const n0 = c >>> 0;
    c = (c - n0) / TWO32 + h00 + (Math.imul(s0, M1) >>> 0) +
      (Math.imul(s1, M0) >>> 0) + this.#i1;
    const n1 = c >>> 0;
    c = (c - n1) / TWO32 + h01 + h10 + (Math.imul(s0, M2) >>> 0) +
      (Math.imul(s1, M1) >>> 0) + (Math.imul(s2, M0) >>> 0) + this.#i2;
    const n2 = c >>> 0;
    c = (c - n2) / TWO32 + h02 + h11 + h20 + Math.imul(s0, M3) +
      Math.imul(s1, M2) + Math.imul(s2, M1) + Math.imul(s3, M0) + this.#i3;
    this.#s0 = n0;
    this.#s1 = n1;
    this.#s2 = n2;
    this.#s3 = c >>> 0;
  }

  /** Steps and stores the XSL-RR output rotr64(hi64 ^ lo64, state >> 122). */
  #next(): void {
    this.#step();
    const s3 = this.#s3;
    let a = (s3 ^ this.#s1) >>> 0; // high half of hi64 ^ lo64
    let b = (this.#s2 ^ this.#s0) >>> 0; // low half
    const rot = s3 >>> 26;
    if (rot & 32) {
      const t = a;
      a = b;
      b = t;
    }
    const r = rot & 31;
    if (r === 0) {
      this.#outHi = a;
      this.#outLo = b;
    } else {
      this.#outHi = ((a >>> r) | (b << (32 - r))) >>> 0;
      this.#outLo = ((b >>> r) | (a << (32 - r))) >>> 0;
    }
  }

  /** `next_uint64` as a bigint in [0, 2^64) (convenient, not fast). */
  nextUint64(): bigint {
    this.#next();
    return (BigInt(this.#outHi) << 32n) | BigInt(this.#outLo);
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
    this.#next();
    this.#hasUint32 = true;
    this.#uint32 = this.#outHi;
    return this.#outLo;
  }

  /** `next_double`: `(next_uint64 >> 11) · 2^-53`, in [0, 1) with 53 random bits. */
  nextDouble(): number {
    this.#next();
    return (this.#outHi * 2097152 + (this.#outLo >>> 11)) * TWO_M53;
  }

  /**
   * `next_float`: `(next_uint32 >> 8) · 2^-24`, in [0, 1) with 24 random bits
   * (exactly representable in float32).
   */
  nextFloat(): number {
    return (this.nextUint32() >>> 8) * TWO_M24;
  }

  /**
   * Fills `out` with `next_double` draws (as {@link nextDouble}, state kept in
   * locals for speed).
   */
  fillDouble(out: Float64Array): void {
    for (let k = 0; k < out.length; k++) {
      this.#next();
      out[k] = (this.#outHi * 2097152 + (this.#outLo >>> 11)) * TWO_M53;
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
      const bg = this.bitGenerator;
      for (let k = 0; k < n; k++) out[k] = bg.nextFloat();
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
 * numpy's `float32_array * python_float`: the scalar is rounded to float32
 * and each product is rounded to float32 (the float32 multiply loop; a
 * double product rounded once to float32 gives the same bits). implicit's
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
