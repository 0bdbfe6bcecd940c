// Turns fold outcomes into the evaluation result: per asset and horizon the folds (each with intervals), the
// folds pooled, calibration before and after temperature scaling and the trading simulation; per horizon all
// assets pooled; the specification's targets table. Every predictor is scored on exactly the same rows.
import {
  checkTargets,
  simulateTrading,
  summarizeImportance,
  summarizePredictions,
  toIsoDay,
  type AssetResult,
  type EvaluationConfig,
  type EvaluationResult,
  type FoldRow,
  type HorizonResult,
  type PredictionSummary,
  type StrategyStats,
  type TargetCheck,
  type TradingSummary,
  type WalkForwardFold,
  versusBest,
} from '@coinsphere/model/core';
import type { FoldOutcome } from './fold-task.ts';

/** Display order; 'model' is the per-asset LSTM after temperature scaling, the reference of every comparison. */
export const PREDICTORS = ['model', 'pooled', 'uncalibrated', 'logistic', 'momentum', 'persistence', 'majority'] as const;

export type { AssetResult, EvaluationResult, FoldRow, HorizonResult, StrategyStats, TradingSummary } from '@coinsphere/model/core';

interface Rows {
  y: number[];
  dayMs: number[];
  next: number[];
  probs: Record<string, number[]>;
  strata: number[];
}

function gather(parts: { y: number[]; testDayMs: number[]; nextDayReturn: number[]; probs: Record<string, Float32Array> }[], strata?: number[]): Rows {
  const rows: Rows = { y: [], dayMs: [], next: [], probs: {}, strata: strata ?? [] };
  for (const p of parts) {
    rows.y.push(...p.y);
    rows.dayMs.push(...p.testDayMs);
    rows.next.push(...p.nextDayReturn);
    for (const [name, v] of Object.entries(p.probs)) (rows.probs[name] ??= []).push(...v);
  }
  if (!strata) rows.strata = [rows.y.length];
  return rows;
}

function summarize(rows: Rows, horizonDays: number, iterations: number, seed: number): PredictionSummary {
  const probs: Record<string, Float32Array> = {};
  for (const name of PREDICTORS) if (rows.probs[name]?.length === rows.y.length * 3) probs[name] = Float32Array.from(rows.probs[name]!);
  // Blocks of calendar days, every asset's rows of a day together: assets move together (crypto follows BTC), so
  // pooling them must not count them as independent evidence.
  return summarizePredictions({ y: rows.y, probs }, { blockLength: horizonDays, iterations, days: rows.dayMs, seed });
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

function trade(rows: Rows, opts: EvaluationConfig): TradingSummary {
  const strategies: Record<string, StrategyStats> = {};
  const equity: Record<string, number[]> = {};
  for (const name of ['model', 'pooled', 'logistic', 'momentum'] as const) {
    const p = rows.probs[name];
    if (!p || p.length !== rows.y.length * 3) continue;
    const sim = simulateTrading(p, rows.next, opts.trading);
    const { equity: curve, ...stats } = sim.strategy;
    strategies[name] = stats;
    equity[name] = curve.map(round4);
    if (!strategies.buyAndHold) {
      const { equity: bh, ...bhStats } = sim.buyAndHold;
      strategies.buyAndHold = bhStats;
      equity.buyAndHold = bh.map(round4);
    }
  }
  return { days: rows.y.length, start: toIsoDay(rows.dayMs[0]!), end: toIsoDay(rows.dayMs.at(-1)!), strategies, equity, dayMs: rows.dayMs };
}

/** The permutation importance of the model at horizon `h` over every asset's folds (the bootstrap as the metrics'). */
function importanceOf(outcomes: FoldOutcome[], h: number, iterations: number) {
  const parts = outcomes.filter((o) => o.kind === 'asset' && o.horizonDays === h).flatMap((o) =>
    o.assets.flatMap((a) => (a.importance ? [{ fold: `${o.foldIndex}`, dayMs: a.testDayMs, importance: a.importance }] : [])),
  );
  return summarizeImportance(parts, { blockLength: h, iterations, seed: 18 });
}

/** Builds the result from every task's outcome (asset and pooled tasks of every horizon). */
export function summarizeEvaluation(
  outcomes: FoldOutcome[],
  plans: Record<string, Record<string, WalkForwardFold[]>>,
  opts: EvaluationConfig,
  data: EvaluationResult['data'],
): EvaluationResult {
  const iterations = opts.bootstrapIterations;
  const horizons: HorizonResult[] = [];
  const targets: TargetCheck[] = [];
  for (const h of opts.horizons) {
    const assets: Record<string, AssetResult> = {};
    const assetRows: Rows[] = [];
    for (const symbol of opts.symbols) {
      const own = outcomes.filter((o) => o.kind === 'asset' && o.horizonDays === h && o.assets[0]!.symbol === symbol).sort((a, b) => a.foldIndex - b.foldIndex);
      if (own.length === 0) continue; // no fold fits this asset's history at this horizon (listed in `skipped`)
      const parts = own.map((o) => {
        const part = o.assets[0]!;
        // The pooled model's predictions of this asset on the same test block, when there was one.
        const pooled = outcomes.find((p) => p.kind === 'pooled' && p.horizonDays === h && p.assets.some((a) => a.symbol === symbol && a.testDayMs[0] === part.testDayMs[0]));
        const pooledPart = pooled?.assets.find((a) => a.symbol === symbol);
        return { ...part, probs: pooledPart ? { ...part.probs, ...pooledPart.probs } : part.probs };
      });
      const folds: FoldRow[] = own.map((o, k) => {
        const s = summarize(gather([parts[k]!]), h, Math.min(iterations, 500), 17 + k);
        const predictors = Object.fromEntries(Object.entries(s.predictors).map(([name, p]) => [name, { accuracy: p.intervals.accuracy, logLoss: p.intervals.logLoss, ece: p.intervals.ece }]));
        const fold = plans[h]![symbol]![o.foldIndex]!;
        return { index: o.foldIndex, testStart: toIsoDay(fold.testStartDayMs), testEnd: toIsoDay(fold.testEndDayMs), n: parts[k]!.y.length, nTrain: parts[k]!.nTrain, temperature: o.temperature, epochsRun: o.epochsRun, predictors };
      });
      // Drop a predictor missing on some folds (pooled where a block had one asset) from the pooled summary.
      const rows = gather(parts);
      const overall = summarize(rows, h, iterations, 7);
      assetRows.push(rows);
      assets[symbol] = {
        symbol, horizonDays: h, folds, overall,
        calibration: {
          temperatures: own.map((o) => o.temperature),
          eceUncalibrated: overall.predictors.uncalibrated!.intervals.ece,
          eceCalibrated: overall.predictors.model!.intervals.ece,
        },
        trading: trade(rows, opts),
      };
      targets.push(...checkTargets(symbol, h, overall.predictors.model!.intervals.accuracy, overall.predictors.model!.intervals.ece));
    }
    const all = gather(assetRows.map((r) => ({ y: r.y, testDayMs: r.dayMs, nextDayReturn: r.next, probs: Object.fromEntries(Object.entries(r.probs).map(([k, v]) => [k, Float32Array.from(v)])) })), assetRows.map((r) => r.y.length));
    const pooledAssets = summarize(all, h, iterations, 11);
    horizons.push({ horizonDays: h, assets, pooledAssets, versusBest: versusBest(pooledAssets), importance: importanceOf(outcomes, h, iterations) });
  }
  return {
    generatedAt: new Date().toISOString(),
    preset: opts.preset,
    config: { ...opts },
    data,
    horizons,
    targets,
    notes: opts.preset === 'served' ? SERVED_NOTES : NOTES,
  };
}

const IMPORTANCE_NOTE = 'Importance (per horizon): each feature\'s window sequences shuffled across each fold\'s test windows (seeded, one shuffle), the same calibrated model predicting again; the mean rise in log loss and fall in accuracy over every asset\'s test rows, with the block bootstrap\'s 95% interval. An interval holding 0: no clear use; below 0: shuffling it helped.';

/** How to read the numbers; printed in the report and kept in the JSON. */
export const NOTES = [
  'model: the per-asset LSTM after temperature scaling (T fitted on each fold\'s validation part); uncalibrated: the same before it. pooled: one LSTM per test block trained on every asset (each asset normalised and labelled with its own training statistics).',
  'Baselines on exactly the same rows: majority (training class frequencies), persistence (class of the last horizon\'s return), momentum (EMA 20 > EMA 50 → bullish, else bearish; it never says neutral), logistic (softmax regression with L2 on the last day\'s 20 features).',
  'Walk-forward: each fold trains on the history before its test block (expanding, or --window days), validates on the newest 15% of that history, and purges a gap of at least the horizon before validation and before the test block.',
  'Intervals: 95% moving-block bootstrap over calendar days (block = horizon days; every asset\'s rows of a day are drawn together, since assets move together), 1000 resamples pooled, 500 per fold. Differences "model − baseline" come from the same resamples.',
  'Trading: every day at the close the position is set from that day\'s forecast (long if bullish, short if bearish, flat if neutral or top probability < min confidence) and earns the next day\'s return; each change of position pays fee + slippage per side. Buy-and-hold over the same days pays one entry.',
  'Calibration target: the specification\'s "±x%" read as expected calibration error (10 bins) at most x.',
  'change_1h is neutral (no hourly candles) in evaluation, so every asset and fold sees the same feature set.',
  IMPORTANCE_NOTE,
];

/** How to read the numbers of the served (pooled) recipe's walk-forward. */
export const SERVED_NOTES = [
  'model: the served recipe, one pooled model over every asset of the universe per test block (an ensemble of networks averaged, then temperature-scaled on the block\'s validation part), trained only on the history before the block; uncalibrated: the same before temperature scaling.',
  ...NOTES.slice(1, 5).map((n) => n.replace('Walk-forward: each fold trains on the history before its test block (expanding, or --window days), validates on the newest 15% of that history,', 'Walk-forward: test blocks are laid by calendar day over every asset; each trains on all assets\' history before its validation block (expanding, or --window days), validates on the block before the test block,')),
  NOTES[5]!,
  IMPORTANCE_NOTE,
];
