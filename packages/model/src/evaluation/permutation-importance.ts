// Global feature importance by permutation (issue #18), measured on a walk-forward fold's test rows: for each input
// feature, which window's whole sequence of that feature goes with which window is shuffled (seeded), the same
// calibrated ensemble predicts again, and each row's log loss and correctness are compared with the unpermuted
// predictions. A feature the model does not use costs nothing when shuffled; one it leans on costs log loss. Then
// summarised over every fold's rows with the evaluation's block bootstrap over calendar days. Pure; the predictor is
// passed in (the trainer's fused engine); no tfjs, no node:*.
import { argmax, PROB_FLOOR } from '../metrics.ts';
import { makeRng, shuffledIndices } from '../random.ts';
import { blockBootstrap, type ConfidenceInterval } from './bootstrap.ts';

/** Calibrated probabilities [n, 3] of windows x [n, windowBars, nFeatures]. */
export type WindowPredictor = (x: Float32Array, n: number) => Float32Array | Promise<Float32Array>;

/** Options of permutationImportance. */
export interface PermutationOptions {
  /** Seed of the shuffles (and of the row subsample); the same seed gives the same result. Default 18. */
  seed?: number;
  /** Shuffles per feature, their row changes averaged (default 1). */
  repeats?: number;
  /** At most this many test rows, a seeded subsample kept in order (default all). */
  maxRows?: number;
}

/** Each feature's cost on each scored test row of one fold, as the fold outcome stores it (plain JSON). */
export interface RowImportance {
  /** Feature names in input order. */
  features: string[];
  /** Indices of the scored test rows, ascending (all rows unless subsampled). */
  rows: number[];
  /** Per feature, per scored row: log loss with the feature shuffled minus without (nats, mean over repeats). */
  logLoss: number[][];
  /** Per feature, per scored row: right without minus right with the feature shuffled (1, 0, -1; mean over repeats). */
  accuracy: number[][];
  repeats: number;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
const rowLoss = (p: Float32Array, i: number, y: number) => -Math.log(Math.min(1, Math.max(PROB_FLOOR, p[i * 3 + y]!)));
const rowRight = (p: Float32Array, i: number, y: number) => (argmax(p, i * 3, 3) === y ? 1 : 0);

/** The seeded subsample of `maxRows` of 0..n-1 (ascending), or all of them. */
function scoredRows(n: number, maxRows: number | undefined, seed: number): Int32Array {
  if (maxRows === undefined || maxRows >= n) return Int32Array.from({ length: n }, (_, i) => i);
  if (!(Number.isInteger(maxRows) && maxRows >= 1)) throw new Error(`maxRows ${maxRows} is invalid. Should be a positive integer such as 1000.`);
  return shuffledIndices(n, makeRng(seed ^ 0x5eed)).subarray(0, maxRows).sort();
}

/**
 * Permutation importance of every feature on windows x [n, windowBars, nFeatures] with labels y [n], under
 * `predict` (the calibrated ensemble). A shuffle moves a window's whole windowBars-long sequence of feature f to
 * another window and leaves every other feature in place. `predict` is called once for the unpermuted rows and
 * once per feature and repeat, each time on every scored row.
 * @throws when the shapes disagree or the options are invalid.
 */
export async function permutationImportance(predict: WindowPredictor, test: { x: Float32Array; y: ArrayLike<number>; n: number }, windowBars: number, names: readonly string[], opts: PermutationOptions = {}): Promise<RowImportance> {
  const F = names.length, T = windowBars, W = T * F;
  if (test.x.length !== test.n * W) throw new Error(`The test windows hold ${test.x.length} values; expected n × windowBars × nFeatures = ${test.n} × ${T} × ${F}.`);
  const repeats = opts.repeats ?? 1;
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw new Error(`repeats ${repeats} is invalid. Should be a positive integer such as 1.`);
  const seed = opts.seed ?? 18;
  const rows = scoredRows(test.n, opts.maxRows, seed);
  const m = rows.length;
  const xs = new Float32Array(m * W); // [m, T, F]: the scored windows
  rows.forEach((r, i) => xs.set(test.x.subarray(r * W, (r + 1) * W), i * W));
  const y = Array.from(rows, (r) => test.y[r]!);
  const base = await predict(xs, m);
  const rng = makeRng(seed);
  const logLoss: number[][] = [], accuracy: number[][] = [];
  const xp = new Float32Array(xs.length);
  for (let f = 0; f < F; f++) {
    const dLoss = new Float64Array(m), dRight = new Float64Array(m);
    for (let rep = 0; rep < repeats; rep++) {
      const perm = shuffledIndices(m, rng);
      xp.set(xs);
      for (let i = 0; i < m; i++) for (let t = 0; t < T; t++) xp[i * W + t * F + f] = xs[perm[i]! * W + t * F + f]!;
      const p = await predict(xp, m);
      for (let i = 0; i < m; i++) {
        dLoss[i] = dLoss[i]! + (rowLoss(p, i, y[i]!) - rowLoss(base, i, y[i]!)) / repeats;
        dRight[i] = dRight[i]! + (rowRight(base, i, y[i]!) - rowRight(p, i, y[i]!)) / repeats;
      }
    }
    logLoss.push(Array.from(dLoss, round6));
    accuracy.push(Array.from(dRight, round6));
  }
  return { features: [...names], rows: Array.from(rows), logLoss, accuracy, repeats };
}

/** One feature's importance over every fold: mean rise in log loss and fall in accuracy, each with its interval. */
export interface FeatureImportance {
  name: string;
  /** Mean rise in log loss (nats) when the feature is shuffled; 0 = not used. */
  logLoss: ConfidenceInterval;
  /** Mean fall in accuracy (0.01 = one point) when the feature is shuffled. */
  accuracy: ConfidenceInterval;
}

/** How a feature's importance reads: its whole interval above 0 (the model relies on it), below 0 (shuffling it
 *  helped: it did the model harm on these rows), or holding 0 (no clear use). */
export type ImportanceReading = 'relied on' | 'harmful' | 'unclear';

/** The reading of `f` by its log-loss interval; the one rule the model card, the text output and report.html use. */
export function importanceReading(f: Pick<FeatureImportance, 'logLoss'>): ImportanceReading {
  return f.logLoss.lower > 0 ? 'relied on' : f.logLoss.upper < 0 ? 'harmful' : 'unclear';
}

/** Each reading in words for a user. */
export const IMPORTANCE_READING_WORDS: Record<ImportanceReading, string> = {
  'relied on': 'relied on',
  harmful: 'worse than useless here: shuffling it helped',
  unclear: 'not clearly used (interval includes 0)',
};

/** The importance of a horizon's walk-forward, as EvaluationResult holds it. */
export interface ImportanceSummary {
  method: 'permutation';
  /** How the intervals were drawn. */
  interval: 'block bootstrap over calendar days';
  /** Scored test rows over all folds, their distinct days, the folds, and shuffles per feature. */
  rows: number;
  days: number;
  folds: number;
  repeats: number;
  /** Largest rise in log loss first. */
  features: FeatureImportance[];
}

/**
 * Every fold's row importances pooled: per feature, the mean over all scored rows with a 95% moving-block
 * bootstrap over calendar days (block = `blockLength` days; every row of a day drawn together, as the evaluation's
 * other intervals), ranked by the rise in log loss. `fold` names the fold a part comes from (a fold may come in
 * several parts, one per asset). Parts must share their feature names. Null when there are none.
 */
export function summarizeImportance(parts: ReadonlyArray<{ fold: string; dayMs: ArrayLike<number>; importance: RowImportance }>, opts: { blockLength: number; iterations: number; seed?: number }): ImportanceSummary | null {
  if (parts.length === 0) return null;
  const names = parts[0]!.importance.features;
  const other = parts.find((p) => p.importance.features.join() !== names.join());
  if (other) throw new Error(`Fold importances disagree on the features (${names.join(', ')} against ${other.importance.features.join(', ')}); they come from different feature sets.`);
  const days: number[] = [];
  const loss: number[][] = names.map(() => []), right: number[][] = names.map(() => []);
  for (const { dayMs, importance: imp } of parts) {
    for (const r of imp.rows) days.push(dayMs[r]!);
    names.forEach((_, f) => { loss[f]!.push(...imp.logLoss[f]!); right[f]!.push(...imp.accuracy[f]!); });
  }
  const columns = [...loss, ...right].map((c) => Float64Array.from(c));
  const n = days.length;
  const mean = (c: Float64Array, idx: Int32Array) => { let s = 0; for (const i of idx) s += c[i]!; return s / n; };
  const intervals = blockBootstrap(n, (idx) => columns.map((c) => mean(c, idx)), { blockLength: opts.blockLength, iterations: opts.iterations, days, seed: opts.seed ?? 18 });
  const features = names.map((name, f) => ({ name, logLoss: intervals[f]!, accuracy: intervals[names.length + f]! }));
  return {
    method: 'permutation', interval: 'block bootstrap over calendar days',
    rows: n, days: new Set(days).size, folds: new Set(parts.map((p) => p.fold)).size, repeats: parts[0]!.importance.repeats,
    features: features.sort((a, b) => b.logLoss.estimate - a.logLoss.estimate),
  };
}
