// The walk-forward evaluation of the served pooled recipe (`coinsphere evaluate`, the default): per horizon, test
// blocks laid by calendar day over every asset of the universe, each predicted by the recipe's ensemble trained
// only on the history before it (fitPooledEnsemble, the same code that trains the served model; by a PooledFoldRunner: here, or as queue jobs), then summarised
// like every evaluation (summarizeEvaluation: per asset, pooled, intervals, calibration, trading, targets).
import {
  MARKET_SYMBOL,
  planCalendarFolds,
  prepareAssetFrame,
  toIsoDay,
  type EvaluationConfig,
  type PlanEstimate,
  type PooledFoldDays,
  type PooledRecipe,
  type RowImportance,
  type SeriesCandidate,
  type WalkForwardFold,
} from '@coinsphere/model/core';
import { availableParallelism } from 'node:os';
import { formatEstimate, measureWindowCost } from './estimate.ts';
import type { FoldOutcome } from './fold-task.ts';
import { runPooledFold, type PooledFoldOutcome } from './pooled-fold.ts';
import { summarizeEvaluation, type EvaluationResult } from './summarize.ts';

/** The calendar plan of a pooled evaluation. */
export interface PooledPlan {
  foldDays: number;
  valDays: number;
  minTrainDays: number;
  windowDays?: number;
  maxFolds?: number;
}

/** The folds of one horizon over `series` (test blocks back from the newest sample day). */
export function pooledFolds(series: readonly SeriesCandidate[], recipe: PooledRecipe, horizonDays: number, plan: PooledPlan) {
  const data = { ...recipe, horizonDays };
  const market = series.find((s) => s.symbol === MARKET_SYMBOL)?.candles;
  const frames = series.map((s) => prepareAssetFrame(s.symbol, s.candles, data, { market }));
  const days = frames.flatMap((f) => (f.sampleRows.length ? [f.features.dayMs[f.sampleRows[0]!]!, f.features.dayMs[f.sampleRows.at(-1)!]!] : []));
  const folds = planCalendarFolds(Math.min(...days), Math.max(...days), { horizonDays, ...plan });
  return { frames, folds, data };
}

/** Training and validation windows of each fold (counted from the frames, without building the windows). */
function foldWindows(frames: ReturnType<typeof pooledFolds>['frames'], folds: PooledFoldDays[]): Array<{ train: number; val: number }> {
  const count = (from: number | undefined, to: number) => frames.reduce((n, f) => n + f.sampleRows.filter((r) => { const d = f.features.dayMs[r]!; return (from === undefined || d >= from) && d <= to; }).length, 0);
  return folds.map((d) => ({ train: count(d.trainStartDayMs, d.trainEndDayMs), val: count(d.valStartDayMs, d.valEndDayMs) }));
}

/**
 * What the pooled walk-forward should cost here: every fold's networks × epochs × (the windows drawn per epoch ×
 * the engine's time per training window + the validation windows × its time per forward window), the engine
 * timed on this machine just before. The engine runs on every core, so wall time is CPU time over the cores.
 */
export function estimatePooledEvaluation(series: readonly SeriesCandidate[], recipe: PooledRecipe, plan: PooledPlan, horizons: readonly number[]): Promise<PlanEstimate> {
  return estimateFromFolds(recipe, horizons.map((h) => pooledFolds(series, recipe, h, plan)));
}

/** estimatePooledEvaluation over the folds of each horizon, already laid out. */
async function estimateFromFolds(recipe: PooledRecipe, perHorizon: ReadonlyArray<ReturnType<typeof pooledFolds>>): Promise<PlanEstimate> {
  const config = { ...recipe.modelConfig, windowBars: recipe.windowBars };
  const cost = await measureWindowCost(config, recipe.training.batchSize);
  let trainWindows = 0;
  let valWindows = 0;
  let tasks = 0;
  for (const { frames, folds } of perHorizon) {
    for (const w of foldWindows(frames, folds)) {
      trainWindows += recipe.seeds.length * (recipe.training.samplesPerEpoch > 0 ? Math.min(recipe.training.samplesPerEpoch, w.train) : w.train);
      valWindows += recipe.seeds.length * w.val;
      tasks++;
    }
  }
  const epochs = { min: Math.min(recipe.training.epochs, recipe.training.patience + 1), typical: recipe.training.epochs };
  const perEpochMs = trainWindows * cost.trainMs + valWindows * cost.validateMs;
  const cores = availableParallelism();
  const cpuMs = { min: perEpochMs * epochs.min, typical: perEpochMs * epochs.typical };
  return { tasks, pooledTasks: tasks, trainWindows, valWindows, cost, epochs, parallel: cores, cpuMs, wallMs: { min: cpuMs.min / cores, typical: cpuMs.typical / cores } };
}

/** The part of a fold's importance on the test rows `rows` (ascending), re-indexed into them. */
function assetImportance(imp: RowImportance, rows: readonly number[]): RowImportance {
  const at = new Map(rows.map((r, k) => [r, k]));
  const kept = imp.rows.flatMap((r, j) => (at.has(r) ? [j] : []));
  const cut = (perFeature: number[][]) => perFeature.map((v) => kept.map((j) => v[j]!));
  return { ...imp, rows: kept.map((j) => at.get(imp.rows[j]!)!), logLoss: cut(imp.logLoss), accuracy: cut(imp.accuracy) };
}

/** One pooled fold outcome as the per-asset outcomes summarizeEvaluation reads (one per asset in the block). */
function asAssetOutcomes(o: PooledFoldOutcome, h: number, foldIndex: number): FoldOutcome[] {
  return o.symbols.flatMap((symbol, a) => {
    const rows = o.asset.flatMap((x, i) => (x === a ? [i] : []));
    if (rows.length === 0) return [];
    const pick = (p: Float32Array) => Float32Array.from(rows.flatMap((i) => [p[i * 3]!, p[i * 3 + 1]!, p[i * 3 + 2]!]));
    const importance = o.importance && assetImportance(o.importance, rows);
    return [{
      id: `${symbol}-${h}d-f${foldIndex}`, kind: 'asset' as const, horizonDays: h, foldIndex,
      assets: [{
        symbol, testDayMs: rows.map((i) => o.dayMs[i]!), y: rows.map((i) => o.y[i]!), nextDayReturn: rows.map((i) => o.nextDayReturn[i]!),
        probs: Object.fromEntries(Object.entries(o.probs).map(([k, p]) => [k, pick(p)])), nTrain: o.nTrain, nVal: o.nVal,
        ...(importance ? { importance } : {}),
      }],
      temperature: o.temperature, valEce: o.valEce, epochsRun: Math.max(...o.epochs), bestEpoch: -1, wallMs: o.wallMs, cpuMs: 0,
    }];
  });
}

/** The walk-forward fold of one asset, as the summary's fold rows name it. */
function walkForwardFold(d: PooledFoldDays, index: number): WalkForwardFold {
  const none = { start: 0, end: 0 };
  return { index, train: none, val: none, test: none, trainStartDayMs: d.trainStartDayMs ?? 0, trainEndDayMs: d.trainEndDayMs, valEndDayMs: d.valEndDayMs, testStartDayMs: d.testStartDayMs, testEndDayMs: d.testEndDayMs };
}

/** One fold to train: its id, horizon and index, the assets' frames and its days, and the recipe at that horizon. */
export interface PooledFoldRequest {
  id: string;
  horizonDays: number;
  foldIndex: number;
  frames: ReturnType<typeof pooledFolds>['frames'];
  fold: PooledFoldDays;
  data: ReturnType<typeof pooledFolds>['data'];
}

/** Trains `folds` (somewhere) and resolves with their outcomes in order; `onDone` hears each as it finishes. */
export type PooledFoldRunner = (folds: PooledFoldRequest[], onDone: (o: PooledFoldOutcome, r: PooledFoldRequest) => void, estimate: PlanEstimate) => Promise<PooledFoldOutcome[]>;

/** The folds one after another in this process, on every core (the default runner). */
export const runPooledFoldsHere: PooledFoldRunner = async (folds, onDone) => {
  const out: PooledFoldOutcome[] = [];
  for (const r of folds) {
    out.push(await runPooledFold(r.frames, r.fold, r.data, availableParallelism()));
    onDone(out.at(-1)!, r);
  }
  return out;
};

/** Runs the pooled walk-forward of `recipe` over `series` at `config.horizons`, its folds by `runFolds`. */
export async function runPooledEvaluation(
  series: readonly SeriesCandidate[],
  recipe: PooledRecipe,
  plan: PooledPlan,
  config: EvaluationConfig,
  log: (line: string) => void,
  runFolds: PooledFoldRunner = runPooledFoldsHere,
): Promise<EvaluationResult> {
  const perHorizon = config.horizons.map((h) => pooledFolds(series, recipe, h, plan)); // each asset's frame, once per horizon
  const estimate = await estimateFromFolds(recipe, perHorizon);
  log(formatEstimate(estimate).replace(/ Fewer or smaller folds:.*$/, ' Fewer folds: --max-folds, --fold-days, --window.'));
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const outcomes: FoldOutcome[] = [];
  const plans: Record<string, Record<string, WalkForwardFold[]>> = {};
  const perTask: NonNullable<EvaluationResult['timing']>['perTask'] = [];
  const requests: PooledFoldRequest[] = [];
  for (const [i, h] of config.horizons.entries()) {
    const { frames, folds, data } = perHorizon[i]!;
    plans[h] = Object.fromEntries(series.map((s) => [s.symbol, folds.map((f, k) => walkForwardFold(f, k))]));
    log(`${h}d: ${folds.length} pooled folds of ${plan.foldDays} days over ${frames.length} assets (${toIsoDay(folds[0]!.testStartDayMs)}..${toIsoDay(folds.at(-1)!.testEndDayMs)}), ${recipe.seeds.length} network(s) each.`);
    requests.push(...folds.map((fold, k) => ({ id: `pooled-${h}d-f${k}`, horizonDays: h, foldIndex: k, frames, fold, data })));
  }
  const counts = new Map(config.horizons.map((h, i) => [h, perHorizon[i]!.folds.length]));
  const trained = await runFolds(requests, (o, r) => {
    log(`[${r.horizonDays}d ${r.foldIndex + 1}/${counts.get(r.horizonDays)}] ${toIsoDay(r.fold.testStartDayMs)}..${toIsoDay(r.fold.testEndDayMs)}: train ${o.nTrain}, test ${o.y.length}, epochs ${o.epochs.join('/')}, T ${o.temperature.toFixed(2)}, ${(o.wallMs / 1000).toFixed(0)} s`);
  }, estimate);
  for (const [i, o] of trained.entries()) {
    const r = requests[i]!;
    outcomes.push(...asAssetOutcomes(o, r.horizonDays, r.foldIndex));
    perTask.push({ id: r.id, nTrain: o.nTrain, epochsRun: Math.max(...o.epochs), wallMs: Math.round(o.wallMs), cpuMs: 0 });
  }
  const data: EvaluationResult['data'] = Object.fromEntries(series.map((s) => [s.symbol, { source: s.source, first: toIsoDay(s.candles[0]!.openTimeMs), last: toIsoDay(s.candles.at(-1)!.openTimeMs), days: s.candles.length }]));
  const result = summarizeEvaluation(outcomes, plans, { ...config, symbols: series.map((s) => s.symbol) }, data);
  const cpu = process.cpuUsage(cpu0);
  result.timing = {
    wallMs: Date.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, tasks: perTask.length, taskWallMs: perTask.reduce((s, t) => s + t.wallMs, 0),
    jobs: config.jobs, cores: availableParallelism(), perTask, estimate, importanceMs: trained.reduce((s, o) => s + (o.importanceMs ?? 0), 0),
  };
  return result;
}
