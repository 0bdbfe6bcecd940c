// Platt scaling of a raw probability on past outcomes: P(event) = σ(a + b · logit(p_raw)), fitted by Newton's method
// on the binned sufficient statistics (rows and events per bin of logit p_raw), so a walk-forward refit over every
// past row costs one pass over 200 bins. Hand-written because fitLogistic (evaluation/logistic.ts) is a
// multi-class gradient descent over unweighted rows, which would refit from every row each time.
// Pure; must not import tfjs or node:*.

const P_CLIP = 1e-4;
const LOGIT_MAX = Math.log((1 - P_CLIP) / P_CLIP); // 9.21
const N_BINS = 200;

/** Rows and events per bin of clipped logit(p_raw). */
export interface PlattBins {
  rows: Float64Array; // [N_BINS]
  events: Float64Array; // [N_BINS]
  n: number;
  nEvents: number;
}

/** A Platt map. */
export interface PlattFit {
  a: number;
  b: number;
  /** Rows and events it was fitted on. */
  n: number;
  nEvents: number;
}

export function createPlattBins(): PlattBins {
  return { rows: new Float64Array(N_BINS), events: new Float64Array(N_BINS), n: 0, nEvents: 0 };
}

const clippedLogit = (p: number) => {
  const q = Math.min(1 - P_CLIP, Math.max(P_CLIP, p));
  return Math.log(q / (1 - q));
};
const binOf = (p: number) => Math.min(N_BINS - 1, Math.floor(((clippedLogit(p) + LOGIT_MAX) / (2 * LOGIT_MAX)) * N_BINS));
const binCentre = (b: number) => -LOGIT_MAX + ((b + 0.5) / N_BINS) * 2 * LOGIT_MAX;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Adds one past row: its raw probability and whether the event happened. */
export function addPlattRow(bins: PlattBins, rawProbability: number, event: boolean): void {
  const b = binOf(rawProbability);
  bins.rows[b] = bins.rows[b]! + 1;
  bins.n++;
  if (event) {
    bins.events[b] = bins.events[b]! + 1;
    bins.nEvents++;
  }
}

/**
 * Newton's method on the binned log-likelihood with a tiny ridge (1e-6) for the all-one-side bins. Null unless
 * at least `minEach` events and `minEach` non-events have been seen (a rate fitted on 3 events is noise).
 */
export function fitPlatt(bins: PlattBins, minEach = 20): PlattFit | null {
  if (bins.nEvents < minEach || bins.n - bins.nEvents < minEach) return null;
  let a = Math.log(bins.nEvents / (bins.n - bins.nEvents));
  let b = 0;
  for (let it = 0; it < 50; it++) {
    let ga = -1e-6 * a, gb = -1e-6 * b, haa = 1e-6, hab = 0, hbb = 1e-6;
    for (let k = 0; k < N_BINS; k++) {
      const n = bins.rows[k]!;
      if (n === 0) continue;
      const x = binCentre(k);
      const p = sigmoid(a + b * x);
      const r = bins.events[k]! - n * p;
      const w = n * p * (1 - p);
      ga += r;
      gb += r * x;
      haa += w;
      hab += w * x;
      hbb += w * x * x;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a, b, n: bins.n, nEvents: bins.nEvents };
}

/** The calibrated probability of a raw one. */
export function applyPlatt(fit: PlattFit, rawProbability: number): number {
  return sigmoid(fit.a + fit.b * binCentre(binOf(rawProbability)));
}
