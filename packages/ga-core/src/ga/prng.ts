import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { GaInputError } from '../ga-input-error.js';

/** The randomness the GA consumes. Implementations are stateful: each call advances the stream. */
export interface Rng {
  /** Uniform on [0, 1) with 53 random bits (every double k·2^-53). */
  next(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
}

const MASK64 = (1n << 64n) - 1n;

/**
 * SplitMix64's finalizer (Stafford's Mix13): a bijection on 64-bit words with full avalanche,
 * so nearby inputs (seed 1 and 2, trial 7 and 8) land on unrelated outputs.
 */
function mix64(x: bigint): bigint {
  let z = x & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

function requireSafeInteger(value: number, name: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new GaInputError(
      `${name} must be a safe integer ≥ ${min}, got ${String(value)}`,
      { where: name },
    );
  }
}

/**
 * The PRNG stream for one candidate, from (campaign seed, trial index).
 *
 * Why streams are independent: (seed, index) is mapped BIJECTIVELY onto a 128-bit
 * xoroshiro128+ state — a = mix(seed), b = mix(index ⊕ a), s0 = a ⊕ mix(b), s1 = b, each step
 * invertible — so distinct pairs always start at distinct states, and thanks to the
 * avalanching mixer those states behave like independent uniform points on the generator's
 * single cycle of length 2^128 − 1. Two streams of L draws overlap only if their starts lie
 * within L of each other: for N streams that has probability ≤ N²·L / 2^128 (≈ 2^-68 for a
 * million trials of a thousand draws each), and xoroshiro128+ passes standard statistical
 * batteries between such distant points. (Seeding every trial with `jump()` would also work
 * but costs 128 steps per jump and grows linearly with the trial index.)
 *
 * @param campaignSeed any safe integer (negative allowed).
 * @param trialIndex a safe integer ≥ 0.
 */
export function trialRng(campaignSeed: number, trialIndex: number): Rng {
  requireSafeInteger(campaignSeed, 'campaignSeed', Number.MIN_SAFE_INTEGER);
  requireSafeInteger(trialIndex, 'trialIndex', 0);
  const a = mix64(BigInt.asUintN(64, BigInt(campaignSeed)));
  const b = mix64(BigInt(trialIndex) ^ a);
  let s0 = a ^ mix64(b);
  const s1 = b;
  // The all-zero state is xoroshiro's only fixed point; exactly one input pair maps there.
  if (s0 === 0n && s1 === 0n) s0 = 0x9e3779b97f4a7c15n;
  return new XoroshiroRng(
    xoroshiro128plusFromState([hi32(s0), lo32(s0), hi32(s1), lo32(s1)]),
  );
}

function hi32(x: bigint): number {
  return Number(BigInt.asIntN(32, x >> 32n));
}
function lo32(x: bigint): number {
  return Number(BigInt.asIntN(32, x));
}

class XoroshiroRng implements Rng {
  readonly #gen: RandomGenerator;
  /** Marsaglia's polar method yields normals in pairs; the second waits here. */
  #spareNormal: number | undefined;

  constructor(gen: RandomGenerator) {
    this.#gen = gen;
  }

  next(): number {
    // pure-rand's xoroshiro128+ yields the low 32 bits of each 64-bit output; their lowest
    // bits are the weakest, so keep the top 27 and 26 bits of two outputs: 53 bits in all.
    const high = this.#gen.next() >>> 5;
    const low = this.#gen.next() >>> 6;
    return (high * 67_108_864 + low) / 9_007_199_254_740_992; // (high·2^26 + low) / 2^53
  }

  normal(): number {
    const spare = this.#spareNormal;
    if (spare !== undefined) {
      this.#spareNormal = undefined;
      return spare;
    }
    for (;;) {
      const x = 2 * this.next() - 1;
      const y = 2 * this.next() - 1;
      const s = x * x + y * y;
      if (s > 0 && s < 1) {
        const scale = Math.sqrt((-2 * Math.log(s)) / s);
        this.#spareNormal = y * scale;
        return x * scale;
      }
    }
  }
}
