// Metrics of several predictors on the same rows, each with block-bootstrap intervals, and the model's accuracy
// difference to each baseline with its interval (the honest question is "does it beat them", not "how high is
// it"). Pure; no tfjs, no node:*.
import { argmax, computeMetrics, type ClassificationMetrics } from '../metrics.ts';
import { NEUTRAL } from '../labels.ts';
import { blockBootstrap, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.ts';

/** Rows to summarise: labels [n] and each predictor's probabilities [n, 3] on exactly those rows. */
export interface PredictionSet {
  y: ArrayLike<number>;
  probs: Record<string, Float32Array>;
}

/** One predictor's metrics and intervals. */
export interface PredictorSummary {
  metrics: ClassificationMetrics;
  /** Accuracy on the rows where the predictor called bullish or bearish, and the share of such rows. */
  nonNeutral: { accuracy: number; coverage: number };
  intervals: { accuracy: ConfidenceInterval; macroF1: ConfidenceInterval; logLoss: ConfidenceInterval; ece: ConfidenceInterval; nonNeutralAccuracy: ConfidenceInterval; brier: ConfidenceInterval };
}

/** All predictors on one set of rows. */
export interface PredictionSummary {
  n: number;
  predictors: Record<string, PredictorSummary>;
  /** `reference` accuracy minus each other predictor's accuracy, with intervals from the same resamples. */
  accuracyDifference: Record<string, ConfidenceInterval>;
  /** The same for macro-F1, and for Brier (reference minus other: below 0 means the reference is better). */
  macroF1Difference: Record<string, ConfidenceInterval>;
  brierDifference: Record<string, ConfidenceInterval>;
  reference: string;
}

interface Rowwise {
  pred: Int32Array;
  nll: Float64Array;
  conf: Float64Array;
  brier: Float64Array;
}

function rowwise(probs: Float32Array, y: ArrayLike<number>): Rowwise {
  const n = y.length;
  const pred = new Int32Array(n);
  const nll = new Float64Array(n);
  const conf = new Float64Array(n);
  const brier = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    pred[i] = argmax(probs, i * 3, 3);
    conf[i] = probs[i * 3 + pred[i]!]!;
    nll[i] = -Math.log(Math.min(1, Math.max(1e-7, probs[i * 3 + y[i]!]!)));
    for (let c = 0; c < 3; c++) brier[i] = brier[i]! + (probs[i * 3 + c]! - (c === y[i] ? 1 : 0)) ** 2;
  }
  return { pred, nll, conf, brier };
}

/** Statistics per predictor, in this order, over the rows `idx`. */
const STATS = 6; // accuracy, macro-F1, log loss, ECE (10 bins), non-neutral accuracy, Brier
function stats(r: Rowwise, y: ArrayLike<number>, idx: Int32Array): number[] {
  const conf = new Float64Array(9);
  const bins = new Float64Array(30); // [10, count / confidence sum / hits]
  let hits = 0;
  let nll = 0;
  let calls = 0;
  let callHits = 0;
  let brier = 0;
  for (let t = 0; t < idx.length; t++) {
    const i = idx[t]!;
    const p = r.pred[i]!;
    const hit = p === y[i] ? 1 : 0;
    hits += hit;
    nll += r.nll[i]!;
    brier += r.brier[i]!;
    conf[y[i]! * 3 + p]!++;
    const b = Math.min(9, Math.floor(r.conf[i]! * 10));
    bins[b * 3]!++;
    bins[b * 3 + 1] = bins[b * 3 + 1]! + r.conf[i]!;
    bins[b * 3 + 2] = bins[b * 3 + 2]! + hit;
    if (p !== NEUTRAL) {
      calls++;
      callHits += hit;
    }
  }
  let f1 = 0;
  for (let c = 0; c < 3; c++) {
    const tp = conf[c * 3 + c]!;
    const predicted = conf[c]! + conf[3 + c]! + conf[6 + c]!;
    const support = conf[c * 3]! + conf[c * 3 + 1]! + conf[c * 3 + 2]!;
    f1 += tp > 0 ? (2 * tp) / (predicted + support) : 0;
  }
  let ece = 0;
  for (let b = 0; b < 10; b++) ece += Math.abs(bins[b * 3 + 2]! - bins[b * 3 + 1]!) / idx.length;
  return [hits / idx.length, f1 / 3, nll / idx.length, ece, calls > 0 ? callHits / calls : 0, brier / idx.length];
}

/**
 * Summarises every predictor on the same rows with block-bootstrap intervals (blocks of `blockLength` rows,
 * within `strata`). `reference` (default 'model') is compared with each of the others. Throws when a predictor's
 * probabilities do not have [n, 3] values.
 */
export function summarizePredictions(set: PredictionSet, opts: BootstrapOptions & { reference?: string } = {}): PredictionSummary {
  const n = set.y.length;
  const names = Object.keys(set.probs);
  const reference = opts.reference ?? 'model';
  const rows = names.map((name) => {
    const p = set.probs[name]!;
    if (p.length !== n * 3) throw new Error(`Predictor "${name}" has ${p.length} probabilities for ${n} rows; expected ${n * 3}.`);
    return rowwise(p, set.y);
  });
  const refIndex = names.indexOf(reference);
  const intervals = blockBootstrap(
    n,
    (idx) => {
      const all = rows.map((r) => stats(r, set.y, idx));
      const diff = (k: number) => (refIndex >= 0 ? all.map((s) => all[refIndex]![k]! - s[k]!) : []);
      return [...all.flat(), ...diff(0), ...diff(1), ...diff(5)];
    },
    opts,
  );
  const predictors: Record<string, PredictorSummary> = {};
  names.forEach((name, j) => {
    const [accuracy, macroF1, logLoss, ece, nonNeutralAccuracy, brier] = intervals.slice(j * STATS, j * STATS + STATS) as [ConfidenceInterval, ConfidenceInterval, ConfidenceInterval, ConfidenceInterval, ConfidenceInterval, ConfidenceInterval];
    const r = rows[j]!;
    const calls = r.pred.reduce((s, p) => s + (p !== NEUTRAL ? 1 : 0), 0);
    predictors[name] = {
      metrics: computeMetrics(set.probs[name]!, set.y),
      nonNeutral: { accuracy: nonNeutralAccuracy.estimate, coverage: calls / n },
      intervals: { accuracy, macroF1, logLoss, ece, nonNeutralAccuracy, brier },
    };
  });
  const differences = (k: number): Record<string, ConfidenceInterval> => {
    const out: Record<string, ConfidenceInterval> = {};
    if (refIndex >= 0) names.forEach((name, j) => name !== reference && (out[name] = intervals[names.length * (STATS + k) + j]!));
    return out;
  };
  return { n, predictors, accuracyDifference: differences(0), macroF1Difference: differences(1), brierDifference: differences(2), reference };
}
