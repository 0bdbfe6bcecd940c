// Commonsense baselines, evaluated on the same rows as the model so that no model number stands alone.
// Must not import tfjs.
import { CLASS_NAMES } from './labels.ts';
import { type ClassificationMetrics, computeMetrics } from './metrics.ts';

/**
 * Majority-class baseline as probabilities [n, 3]: every row gets the training split's class frequencies, so its
 * top class is the training majority and its log loss is that of the prior.
 */
export function majorityBaseline(trainLabels: ArrayLike<number>, n: number): Float32Array {
  const k = CLASS_NAMES.length;
  const freq = new Array<number>(k).fill(0);
  let total = 0;
  for (let i = 0; i < trainLabels.length; i++) {
    const y = trainLabels[i]!;
    if (y >= 0 && y < k) {
      freq[y]!++;
      total++;
    }
  }
  if (total === 0) throw new Error('majorityBaseline got no training labels. Provide the training split labels.');
  const out = new Float32Array(n * k); // [n, 3]
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = freq[c]! / total;
  return out;
}

/**
 * Persistence baseline as one-hot probabilities [n, 3]: "the last horizon's direction", the class of
 * close[t] / close[t - horizon] - 1 under the same thresholds. A hard rule has no probabilities, so its log
 * loss is that of certainty (wrong rows cost -ln 1e-7 ≈ 16.1) and its ECE equals its error rate.
 */
export function persistenceBaseline(persistenceClasses: ArrayLike<number>): Float32Array {
  const k = CLASS_NAMES.length;
  const out = new Float32Array(persistenceClasses.length * k); // [n, 3]
  for (let i = 0; i < persistenceClasses.length; i++) {
    const c = persistenceClasses[i]!;
    if (!(c >= 0 && c < k)) throw new Error(`Persistence class ${c} at row ${i} is not a class index (0, 1 or 2).`);
    out[i * k + c] = 1;
  }
  return out;
}

/** The model and its two baselines on the same rows. */
export interface EvaluationReport {
  n: number;
  model: ClassificationMetrics;
  majority: ClassificationMetrics;
  persistence: ClassificationMetrics;
}

/** The rows to evaluate on: true labels and the persistence class of each (a DatasetPart satisfies it). */
export interface EvaluationRows {
  y: ArrayLike<number>;
  persistence: ArrayLike<number>;
}

/**
 * Metrics of the model's probabilities ([n, 3]) and of both baselines on the same rows. `trainLabels` are the
 * training split's labels (for the majority class).
 */
export function evaluateOnRows(
  modelProbs: ArrayLike<number>,
  rows: EvaluationRows,
  trainLabels: ArrayLike<number>,
  bins = 10,
): EvaluationReport {
  const n = rows.y.length;
  return {
    n,
    model: computeMetrics(modelProbs, rows.y, bins),
    majority: computeMetrics(majorityBaseline(trainLabels, n), rows.y, bins),
    persistence: computeMetrics(persistenceBaseline(rows.persistence), rows.y, bins),
  };
}
