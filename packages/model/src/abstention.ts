// Abstention: a prediction whose calibrated top probability does not clear a threshold is published as "no clear
// signal" (its probabilities still shown). The threshold is fitted on validation rows, never on test rows, and
// accuracy is reported by coverage so that the cost of abstaining is visible. Pure; no tfjs, no node:*.
import { argmax } from './metrics.ts';

/** The fitted threshold and what it did on the rows it was fitted on. */
export interface AbstentionFit {
  /** Calibrated top probability at or above which the model speaks; 1 means it never does. */
  threshold: number;
  coverage: number;
  accuracy: number;
  /** Accuracy of always answering the most frequent class of these rows (the bar a call must clear). */
  baseRate: number;
}

/**
 * Chooses the threshold that maximises the excess of correct calls over what answering the most frequent class
 * would get on the same covered rows: Σ_covered (hit − baseRate). So the model speaks only where its calls beat
 * the base rate; when no threshold gives a positive excess it never speaks (threshold 1). `probs` [n, 3] are
 * calibrated probabilities, `labels` [n]. Throws on no rows.
 */
export function fitAbstention(probs: ArrayLike<number>, labels: ArrayLike<number>, k = 3): AbstentionFit {
  const n = labels.length;
  if (n === 0 || probs.length !== n * k) throw new Error(`fitAbstention needs [n, ${k}] probabilities for n > 0 labels; got ${probs.length} values for ${n} labels.`);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) counts[labels[i]!]!++;
  const baseRate = Math.max(...counts) / n;
  const rows = Array.from({ length: n }, (_, i) => {
    const top = argmax(probs, i * k, k);
    return { conf: probs[i * k + top]!, hit: top === labels[i] ? 1 : 0 };
  }).sort((a, b) => b.conf - a.conf);
  let best = { threshold: 1, excess: 0, covered: 0, hits: 0 };
  let excess = 0;
  let hits = 0;
  for (let j = 0; j < n; j++) {
    excess += rows[j]!.hit - baseRate;
    hits += rows[j]!.hit;
    const tiedWithNext = j + 1 < n && rows[j + 1]!.conf === rows[j]!.conf;
    if (!tiedWithNext && excess > best.excess) best = { threshold: rows[j]!.conf, excess, covered: j + 1, hits };
  }
  return { threshold: best.threshold, coverage: best.covered / n, accuracy: best.covered > 0 ? best.hits / best.covered : 0, baseRate };
}

/** Accuracy of the most confident `coverage` share of rows, for each coverage asked (1 = every row). */
export function accuracyByCoverage(probs: ArrayLike<number>, labels: ArrayLike<number>, coverages: readonly number[] = [1, 0.75, 0.5, 0.25, 0.1], k = 3): Array<{ coverage: number; n: number; accuracy: number }> {
  const n = labels.length;
  const rows = Array.from({ length: n }, (_, i) => {
    const top = argmax(probs, i * k, k);
    return { conf: probs[i * k + top]!, hit: top === labels[i] ? 1 : 0 };
  }).sort((a, b) => b.conf - a.conf);
  return coverages.map((coverage) => {
    const m = Math.max(1, Math.round(coverage * n));
    const hits = rows.slice(0, m).reduce((s, r) => s + r.hit, 0);
    return { coverage, n: m, accuracy: n > 0 ? hits / m : 0 };
  });
}
