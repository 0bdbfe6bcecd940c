// Classification metrics over predicted probabilities: accuracy, macro-F1, per-class precision and recall,
// confusion matrix, log loss, Brier score and expected calibration error with its reliability table.
// Pure over typed arrays. Must not import tfjs.
import { CLASS_NAMES, type ClassName } from './labels.ts';

/** Precision, recall and F1 of one class, and how many true samples it has. */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** One confidence bin of the reliability table. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean top-class probability in the bin (0 when empty). */
  meanConfidence: number;
  /** Share of the bin's samples whose top class was right (0 when empty). */
  accuracy: number;
}

/** Everything reported for one predictor on one set of rows. */
export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  perClass: Record<ClassName, ClassMetrics>;
  /** confusion[true][predicted], counts. */
  confusion: number[][];
  /** Mean -ln p(true class), probabilities clipped to [1e-7, 1]. */
  logLoss: number;
  /** Mean over samples of sum_k (p_k - [y = k])^2; 0 is perfect, 2 the worst. */
  brier: number;
  /** Expected calibration error: sum over bins of count/n * |accuracy - meanConfidence|. */
  ece: number;
  reliability: ReliabilityBin[];
}

/** Index of the largest of `k` values starting at `offset` (first on ties). */
export function argmax(p: ArrayLike<number>, offset: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[offset + c]! > p[offset + best]!) best = c;
  return best;
}

/** The smallest probability a log loss reads (a 0 would be an infinite loss). */
export const PROB_FLOOR = 1e-7;

/**
 * Per-class precision, recall and F1, the correct count and macro-F1 of a 3×3 confusion matrix
 * (confusion[true][predicted], counts). Precision of a class never predicted is 0. What computeMetrics reports, for
 * callers that count confusions themselves (a bootstrap resample).
 */
export function confusionMetrics(confusion: readonly (readonly number[])[]): { perClass: Record<ClassName, ClassMetrics>; correct: number; macroF1: number } {
  const perClass = {} as Record<ClassName, ClassMetrics>;
  let correct = 0;
  let f1Sum = 0;
  CLASS_NAMES.forEach((name, c) => {
    const tp = confusion[c]![c]!;
    correct += tp;
    const predicted = confusion.reduce((s, row) => s + row[c]!, 0);
    const support = confusion[c]!.reduce((s, v) => s + v, 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    f1Sum += f1;
    perClass[name] = { precision, recall, f1, support };
  });
  return { perClass, correct, macroF1: f1Sum / CLASS_NAMES.length };
}

/**
 * Metrics of `probs` ([n, 3] row-major, each row summing to 1) against `labels` ([n], 0..2). The predicted class
 * is the argmax. Precision of a class never predicted is 0. ECE uses `bins` equal-width bins of the top-class
 * probability. Throws when the lengths disagree or n is 0.
 */
export function computeMetrics(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): ClassificationMetrics {
  const k = CLASS_NAMES.length;
  const n = labels.length;
  if (n === 0 || probs.length !== n * k) {
    throw new Error(`computeMetrics needs [n, ${k}] probabilities for n > 0 labels; got ${probs.length} values for ${n} labels.`);
  }
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const table = Array.from({ length: bins }, (_, b) => ({ lower: b / bins, upper: (b + 1) / bins, count: 0, conf: 0, hits: 0 }));
  let logLoss = 0;
  let brier = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (!(y >= 0 && y < k)) throw new Error(`Label ${y} at row ${i} is not a class index. Should be 0, 1 or 2.`);
    const pred = argmax(probs, i * k, k);
    confusion[y]![pred]!++;
    logLoss -= Math.log(Math.min(1, Math.max(PROB_FLOOR, probs[i * k + y]!)));
    for (let c = 0; c < k; c++) brier += (probs[i * k + c]! - (c === y ? 1 : 0)) ** 2;
    const conf = probs[i * k + pred]!;
    const bin = table[Math.min(bins - 1, Math.floor(conf * bins))]!;
    bin.count++;
    bin.conf += conf;
    bin.hits += pred === y ? 1 : 0;
  }
  const { perClass, correct, macroF1 } = confusionMetrics(confusion);
  const reliability = table.map((b) => ({
    lower: b.lower,
    upper: b.upper,
    count: b.count,
    meanConfidence: b.count > 0 ? b.conf / b.count : 0,
    accuracy: b.count > 0 ? b.hits / b.count : 0,
  }));
  const ece = reliability.reduce((s, b) => s + (b.count / n) * Math.abs(b.accuracy - b.meanConfidence), 0);
  return { n, accuracy: correct / n, macroF1, perClass, confusion, logLoss: logLoss / n, brier: brier / n, ece, reliability };
}
