// Seeded random numbers for initialisers, shuffles and dropout: the same seed gives the same stream in
// Node, the browser and a Worker. Must not import anything.

/** A generator of uniform floats in [0, 1). */
export type Rng = () => number;

/** mulberry32: a small, fast 32-bit generator; good enough for initialisation and shuffling. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw by Box-Muller. */
export function randomNormal(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Fisher-Yates shuffle of `0..n-1`. */
export function shuffledIndices(n: number, rng: Rng): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}

/**
 * `k` draws with replacement from `0..weights.length-1`, each index with probability weights[i] / Σ weights
 * (inverse CDF over the cumulative weights, one rng() per draw). Weights must be finite and >= 0 with a positive sum.
 */
export function weightedIndices(weights: ArrayLike<number>, k: number, rng: Rng): Int32Array {
  const n = weights.length;
  const cum = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(Number.isFinite(w) && w >= 0)) throw new Error(`Sampling weight ${i} is ${w}; weights must be finite and >= 0.`);
    total += w;
    cum[i] = total;
  }
  if (!(total > 0)) throw new Error(`The ${n} sampling weights sum to ${total}; at least one must be positive.`);
  const out = new Int32Array(k);
  for (let j = 0; j < k; j++) {
    const u = rng() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    out[j] = lo;
  }
  return out;
}
