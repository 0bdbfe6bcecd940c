// Pooled walk-forward results over many folds and assets: every predictor on the same rows with intervals from a
// bootstrap over blocks of calendar days (all assets of a day move together, so they are resampled together), the
// model against the best baseline of each metric, accuracy by coverage and the validation-fitted abstention.
import { accuracyByCoverage, argmax, BASELINES, summarizePredictions, versusBest, type ConfidenceInterval, type PredictionSummary, type VersusBestSummary } from '@coinsphere/model/core';
import type { PooledFoldOutcome } from './pooled-fold.ts';

/** What BENCHMARKS.md's experiments table shows. */
export interface PooledBrief extends VersusBestSummary {
  days: number;
  eceUncalibrated: ConfidenceInterval;
  /** With each fold's validation threshold: share of rows the model spoke on, its accuracy there, and the best
   *  baseline's accuracy on the same rows. */
  abstention: { coverage: number; accuracy: number; baselineAccuracy: number; baseline: string };
  coverage: Array<{ coverage: number; n: number; accuracy: number }>;
  classShares: [number, number, number];
}

/** The full summary and its brief. */
export interface PooledSummary {
  summary: PredictionSummary;
  brief: PooledBrief;
  perAsset: Record<string, { n: number; accuracy: number; macroF1: number; best: string; bestAccuracy: number }>;
}

function concat(outcomes: PooledFoldOutcome[]) {
  const y: number[] = [];
  const days: number[] = [];
  const asset: string[] = [];
  const probs: Record<string, number[]> = {};
  const speaks: boolean[] = [];
  for (const o of outcomes) {
    y.push(...o.y);
    days.push(...o.dayMs);
    asset.push(...o.asset.map((a) => o.symbols[a]!));
    for (const [name, p] of Object.entries(o.probs)) (probs[name] ??= []).push(...p);
    for (let i = 0; i < o.y.length; i++) speaks.push(o.probs.model![i * 3 + argmax(o.probs.model!, i * 3, 3)]! >= o.abstainBelow);
  }
  return { y, days, asset, probs: Object.fromEntries(Object.entries(probs).map(([k, v]) => [k, Float32Array.from(v)])), speaks };
}

function accuracyOn(p: Float32Array, y: number[], rows: number[]): number {
  return rows.length === 0 ? 0 : rows.reduce((s, i) => s + (argmax(p, i * 3, 3) === y[i] ? 1 : 0), 0) / rows.length;
}

/** Summarises the test rows of `outcomes` (h: the horizon, the bootstrap's block length in days). */
export function summarizePooled(outcomes: PooledFoldOutcome[], horizonDays: number, iterations = 1000): PooledSummary {
  const rows = concat(outcomes);
  const summary = summarizePredictions({ y: rows.y, probs: rows.probs }, { blockLength: horizonDays, iterations, days: rows.days, seed: 7 });
  const spoken = rows.speaks.flatMap((s, i) => (s ? [i] : []));
  const vs = versusBest(summary);
  const accuracyBest = vs.accuracy;
  const shares = [0, 1, 2].map((c) => rows.y.filter((v) => v === c).length / rows.y.length) as [number, number, number];
  const perAsset: PooledSummary['perAsset'] = {};
  for (const symbol of new Set(rows.asset)) {
    const idx = rows.asset.flatMap((a, i) => (a === symbol ? [i] : []));
    const accs = Object.fromEntries(Object.entries(rows.probs).map(([name, p]) => [name, accuracyOn(p, rows.y, idx)]));
    const best = BASELINES.filter((b) => accs[b] !== undefined).reduce((a, b) => (accs[b]! > accs[a]! ? b : a));
    const s = summarizePredictions({ y: idx.map((i) => rows.y[i]!), probs: { model: Float32Array.from(idx.flatMap((i) => [0, 1, 2].map((c) => rows.probs.model![i * 3 + c]!))) } }, { iterations: 1 });
    perAsset[symbol] = { n: idx.length, accuracy: accs.model!, macroF1: s.predictors.model!.metrics.macroF1, best, bestAccuracy: accs[best]! };
  }
  return {
    summary,
    perAsset,
    brief: {
      ...vs,
      days: new Set(rows.days).size,
      eceUncalibrated: summary.predictors.uncalibrated!.intervals.ece,
      abstention: {
        coverage: spoken.length / rows.y.length,
        accuracy: accuracyOn(rows.probs.model!, rows.y, spoken),
        baselineAccuracy: accuracyOn(rows.probs[accuracyBest.best.name]!, rows.y, spoken),
        baseline: accuracyBest.best.name,
      },
      coverage: accuracyByCoverage(rows.probs.model!, rows.y),
      classShares: shares,
    },
  };
}
