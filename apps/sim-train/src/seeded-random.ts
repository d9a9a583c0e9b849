/**
 * Reproducible randomness keyed by (seed, text): the same `--seed` and run name give the same
 * noise and the same failure decision on every machine, which keeps the tests deterministic.
 */

/** A uniform [0, 1) stream determined by `seed` and `key`. */
export function seededUniform(seed: number, key: string): () => number {
  // FNV-1a over the key and seed picks the stream; splitmix32 walks it.
  let state = 0x811c9dc5;
  for (const char of `${seed}\u0000${key}`) {
    state = Math.imul(state ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  }
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0;
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0;
    return ((z ^ (z >>> 15)) >>> 0) / 2 ** 32;
  };
}

/** One standard normal draw (Box–Muller) determined by `seed` and `key`. */
export function seededGaussian(seed: number, key: string): number {
  const uniform = seededUniform(seed, key);
  const u1 = 1 - uniform(); // (0, 1]: log stays finite
  const u2 = uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
