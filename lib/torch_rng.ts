/**
 * A bit-exact TypeScript port of PyTorch's CPU random generator
 * (`CPUGeneratorImpl`) and of the float32 `uniform_` and `normal_` kernels,
 * so that `torch.manual_seed(s)` followed by `nn.Embedding(...)` (or
 * `torch.empty(n).normal_()`) can be reproduced value for value without torch.
 *
 * What torch does, as read from ATen (1.13):
 * - Engine: MT19937 seeded with `init_genrand` on the low 32 bits of the
 *   64-bit seed — the same stream as numpy's `RandomState(seed)` for seeds
 *   below 2^32, so this module draws from lib/rng.ts's {@link RandomState}.
 *   `random()` is one 32-bit output, `random64()` two (first = high word).
 *   Re-seeding clears the cached second Box–Muller value.
 * - float32 uniform in [0, 1): the low 24 bits of one `random()` times 2^-24;
 *   [from, to) is then `x·(to − from) + from` in float32.
 * - `normal_` on a float32 tensor of fewer than 16 values: per value, a
 *   double-precision Box–Muller draw (two 53-bit uniforms u1, u2 from
 *   `random64()`; r = √(−2·log(1 − u2)), θ = 2π·u1; returns r·cos θ and keeps
 *   r·sin θ for the next call), times std plus mean, rounded to float32.
 * - `normal_` on 16 or more contiguous float32 values: first every value is a
 *   float32 uniform; then each block of 16 becomes 16 normals, value j and
 *   j + 8 (j < 8) from u1 = 1 − x_j, u2 = x_{j+8}: radius √(−2·log u1),
 *   θ = 2π·u2, x_j = radius·cos θ, x_{j+8} = radius·sin θ. When the length is
 *   not a multiple of 16, the last 16 values are drawn again as uniforms and
 *   transformed once more (overwriting the end of the last full block).
 *   torch's x86-64 builds run this with AVX2, whose log and sincos are the
 *   Cephes single-precision polynomials (avx_mathfun), not libm: this port
 *   evaluates the same polynomials in float32, with the fused multiply-adds
 *   the compiler forms (checked against torch 1.13's output: every value of
 *   data/fixtures/torch/normal_vectors.json and both Google embedding tables
 *   agree bit for bit).
 *
 * @example
 * ```ts
 * import { TorchGenerator } from "./torch_rng.ts";
 * const g = new TorchGenerator(0);
 * g.normal_(new Float32Array(8))[0]; // 1.5409960746765137, as torch.manual_seed(0); torch.empty(8).normal_()
 * ```
 *
 * @module
 */

import { RandomState } from "./rng.ts";

const f32 = Math.fround;

/** torch's default CPU seed (`default_rng_seed_val`), used before any manual_seed. */
export const TORCH_DEFAULT_SEED = 67280421310721n;

/**
 * torch's CPU generator: `torch.Generator()` / the default generator after
 * `torch.manual_seed(seed)`. Every method consumes the MT19937 stream in the
 * same order as torch's CPU kernels.
 */
export class TorchGenerator {
  #engine!: RandomState;
  #seed = 0n;
  #nextNormal: number | null = null;

  /** A generator seeded like `torch.manual_seed(seed)` (default: torch's own default seed). */
  constructor(seed: number | bigint = TORCH_DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /**
   * Re-seeds like `torch.manual_seed(seed)`: an integer in [−2^63, 2^64),
   * negatives taken modulo 2^64 as torch does; the engine uses its low 32
   * bits. Clears the cached Box–Muller value.
   *
   * @throws {RangeError} when `seed` is not an integer in that range.
   */
  manualSeed(seed: number | bigint): this {
    if (typeof seed === "number" && !Number.isSafeInteger(seed)) {
      throw new RangeError(
        `TorchGenerator: seed ${seed} must be a safe integer or a bigint`,
      );
    }
    const s = BigInt(seed);
    if (s < -(2n ** 63n) || s >= 2n ** 64n) {
      throw new RangeError(
        `TorchGenerator: seed ${seed} must lie in [-2**63, 2**64)`,
      );
    }
    this.#seed = BigInt.asUintN(64, s);
    this.#engine = new RandomState(Number(this.#seed & 0xffffffffn));
    this.#nextNormal = null;
    return this;
  }

  /** The seed last set, as torch's `initial_seed()` reports it (in [0, 2^64)). */
  initialSeed(): bigint {
    return this.#seed;
  }

  /** One raw 32-bit engine output, an integer in [0, 2^32) (`CPUGeneratorImpl::random`). */
  random(): number {
    return this.#engine.nextUint32();
  }

  /** Two engine outputs as one 64-bit integer, the first as the high word (`random64`). */
  random64(): bigint {
    const hi = this.#engine.nextUint32();
    const lo = this.#engine.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** One float32 uniform in [0, 1) with 24 random bits (torch's `uniform_real_distribution<float>`). */
  uniformFloat32(): number {
    return (this.#engine.nextUint32() & 0xffffff) / 16777216;
  }

  /** One double uniform in [0, 1) with 53 random bits (torch's `uniform_real_distribution<double>`). */
  uniformFloat64(): number {
    const hi = this.#engine.nextUint32();
    const lo = this.#engine.nextUint32();
    return ((hi & 0x1fffff) * 4294967296 + lo) / 9007199254740992;
  }

  /**
   * One N(mean, std²) draw in double precision as torch's scalar
   * `normal_distribution<double>` makes it: Box–Muller on two double
   * uniforms, the second value cached for the next call.
   */
  normalFloat64(mean = 0, std = 1): number {
    let z: number;
    if (this.#nextNormal !== null) {
      z = this.#nextNormal;
      this.#nextNormal = null;
    } else {
      const u1 = this.uniformFloat64();
      const u2 = this.uniformFloat64();
      const r = Math.sqrt(-2 * Math.log(1 - u2));
      const theta = 2 * Math.PI * u1;
      this.#nextNormal = r * Math.sin(theta);
      z = r * Math.cos(theta);
    }
    return z * std + mean;
  }

  /**
   * Fills `out` in place like `tensor.uniform_(from, to)` on a contiguous
   * float32 tensor of `out.length` values; returns `out`.
   *
   * @throws {RangeError} unless from ≤ to (both finite).
   */
  uniform_(out: Float32Array, from = 0, to = 1): Float32Array {
    const a = f32(from), b = f32(to);
    if (!(a <= b) || !Number.isFinite(a) || !Number.isFinite(b)) {
      throw new RangeError(
        `TorchGenerator.uniform_: need finite from ≤ to, got ${from}, ${to}`,
      );
    }
    const width = f32(b - a);
    for (let i = 0; i < out.length; i++) {
      out[i] = fmaF32(this.uniformFloat32(), width, a);
    }
    return out;
  }

  /**
   * Fills `out` in place like `tensor.normal_(mean, std)` on a contiguous
   * float32 tensor of `out.length` values (torch's scalar path below 16
   * values, its 16-wide Box–Muller at 16 and above); returns `out`.
   *
   * @throws {RangeError} unless std ≥ 0 and both are finite.
   */
  normal_(out: Float32Array, mean = 0, std = 1): Float32Array {
    if (!(std >= 0) || !Number.isFinite(std) || !Number.isFinite(mean)) {
      throw new RangeError(
        `TorchGenerator.normal_: need finite mean and std ≥ 0, got ${mean}, ${std}`,
      );
    }
    const n = out.length;
    if (n < 16) {
      for (let i = 0; i < n; i++) out[i] = this.normalFloat64(mean, std);
      return out;
    }
    const m = f32(mean), s = f32(std);
    for (let i = 0; i < n; i++) out[i] = this.uniformFloat32();
    for (let i = 0; i + 16 <= n; i += 16) boxMuller16(out, i, m, s);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) out[i] = this.uniformFloat32();
      boxMuller16(out, n - 16, m, s);
    }
    return out;
  }
}

/**
 * The initial weights of `nn.Embedding(rows, cols)` tables created one after
 * another right after `torch.manual_seed(seed)`: for each [rows, cols] shape,
 * `rows × cols` N(0, 1) float32 values in row-major order (the weight tensor's
 * `normal_()`), all from one generator in the order given.
 *
 * @example
 * ```ts
 * import { torchEmbeddingInit } from "./torch_rng.ts";
 * const [users, items] = torchEmbeddingInit(0, [[943, 30], [1682, 30]]);
 * users.length; // 28290
 * ```
 */
export function torchEmbeddingInit(
  seed: number | bigint,
  shapes: ReadonlyArray<readonly [rows: number, cols: number]>,
): Float32Array[] {
  const g = new TorchGenerator(seed);
  return shapes.map(([rows, cols]) => {
    if (
      !Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0
    ) {
      throw new RangeError(
        `torchEmbeddingInit: shape [${rows}, ${cols}] must be two integers ≥ 0`,
      );
    }
    return g.normal_(new Float32Array(rows * cols));
  });
}

// ------------------------------------------------------- float32 arithmetic

const scratch = new DataView(new ArrayBuffer(8));

/**
 * fma(a, b, c) rounded once to float32, for float32 a, b, c: a·b is exact in
 * double; the double sum is made "round to odd" (its last bit set when
 * inexact) so that the final rounding to float32 is the single correct one.
 */
export function fmaF32(a: number, b: number, c: number): number {
  const p = a * b;
  let s = p + c;
  if (!Number.isFinite(s)) return f32(s);
  const bv = s - p;
  const err = (p - (s - bv)) + (c - bv);
  if (err !== 0) {
    scratch.setFloat64(0, s);
    let hi = scratch.getUint32(0);
    let lo = scratch.getUint32(4);
    if ((lo & 1) === 0) {
      // One double ulp toward the exact sum: away from zero when err has s's sign.
      if ((err > 0) === (s > 0)) {
        lo += 1;
      } else if (lo === 0) {
        lo = 0xffffffff;
        hi -= 1;
      } else {
        lo -= 1;
      }
      scratch.setUint32(0, hi);
      scratch.setUint32(4, lo);
      s = scratch.getFloat64(0);
    }
  }
  return f32(s);
}

// Cephes single-precision constants (as avx_mathfun.h spells them).
const SQRT_HALF = f32(0.707106781186547524);
const LOG_P = [
  7.0376836292e-2,
  -1.1514610310e-1,
  1.1676998740e-1,
  -1.2420140846e-1,
  1.4249322787e-1,
  -1.6668057665e-1,
  2.0000714765e-1,
  -2.4999993993e-1,
  3.3333331174e-1,
].map(f32);
const LOG_Q1 = f32(-2.12194440e-4);
const LOG_Q2 = f32(0.693359375);
const MIN_NORMAL_F32 = 1.1754943508222875e-38;
const FOUR_OVER_PI = f32(1.27323954473516);
const DP1 = f32(-0.78515625);
const DP2 = f32(-2.4187564849853515625e-4);
const DP3 = f32(-3.77489497744594108e-8);
const SIN_P = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(f32);
const COS_P = [
  2.443315711809948e-5,
  -1.388731625493765e-3,
  4.166664568298827e-2,
].map(f32);
const TWO_PI_F32 = f32(2 * Math.PI);

/**
 * Natural log of a float32 x > 0 as AVX2 torch computes it (Cephes logf:
 * x = m·2^e with m in [√½, √2), a degree-9 polynomial in m − 1, float32
 * arithmetic with the compiler's fused multiply-adds).
 */
export function cephesLogF32(x: number): number {
  x = Math.max(x, MIN_NORMAL_F32);
  scratch.setFloat32(0, x);
  const bits = scratch.getUint32(0);
  let e = (bits >>> 23) - 126;
  scratch.setUint32(0, (bits & 0x807fffff) | 0x3f000000);
  const m = scratch.getFloat32(0); // in [0.5, 1)
  let t = m - 1; // exact
  if (m < SQRT_HALF) {
    e -= 1;
    t = f32(t + m);
  }
  const z = f32(t * t);
  let y = LOG_P[0];
  for (let k = 1; k < LOG_P.length; k++) y = fmaF32(y, t, LOG_P[k]);
  y = f32(y * t);
  y = fmaF32(y, z, f32(e * LOG_Q1));
  y = f32(y - z * 0.5);
  return fmaF32(e, LOG_Q2, f32(t + y));
}

/**
 * [sin x, cos x] of a float32 x as AVX2 torch computes them (Cephes sincosf:
 * octant reduction by 4/π with a three-part π/4, two short polynomials,
 * float32 arithmetic with the compiler's fused multiply-adds).
 */
export function cephesSinCosF32(x: number): [sin: number, cos: number] {
  const negative = x < 0 || Object.is(x, -0); // the sign bit
  let r = Math.abs(x);
  let j = Math.trunc(f32(r * FOUR_OVER_PI));
  j = (j + 1) & ~1;
  r = fmaF32(j, DP1, r);
  r = fmaF32(j, DP2, r);
  r = fmaF32(j, DP3, r);
  const z = f32(r * r);
  let c = fmaF32(COS_P[0], z, COS_P[1]);
  c = fmaF32(c, z, COS_P[2]);
  c = f32(c * z);
  c = fmaF32(c, z, -f32(z * 0.5));
  c = f32(c + 1);
  let s = fmaF32(SIN_P[0], z, SIN_P[1]);
  s = fmaF32(s, z, SIN_P[2]);
  s = f32(s * z);
  s = fmaF32(s, r, r);
  const swap = (j & 2) !== 0;
  let sin = swap ? c : s, cos = swap ? s : c;
  if (negative !== ((j & 4) !== 0)) sin = -sin;
  if (((j - 2) & 4) === 0) cos = -cos;
  return [sin, cos];
}

/** torch's 16-value Box–Muller step over out[at .. at+16) (float32, AVX2 arithmetic). */
function boxMuller16(
  out: Float32Array,
  at: number,
  mean: number,
  std: number,
): void {
  for (let j = at; j < at + 8; j++) {
    const u1 = f32(1 - out[j]);
    const u2 = out[j + 8];
    const radius = f32(Math.sqrt(f32(-2 * cephesLogF32(u1))));
    const [sin, cos] = cephesSinCosF32(f32(TWO_PI_F32 * u2));
    out[j] = fmaF32(f32(radius * cos), std, mean);
    out[j + 8] = fmaF32(f32(radius * sin), std, mean);
  }
}
