// `coinsphere evaluate` end to end: read candles, plan walk-forward folds per asset and horizon, train every fold
// (per-asset models and one pooled model per test block) through the job queue (queue/fold-runner.ts, passed in
// as a FoldRunner), then summarise the model beside
// its baselines on the same rows: per fold, pooled over folds, pooled over assets, with block-bootstrap intervals,
// calibration, the trading simulation and the specification's targets.
import { readCandles, type Database } from '@coinsphere/data';
import {
  planWalkForward,
  sampleDays,
  toIsoDay,
  type Candle,
  type EvaluationConfig,
  type PlanEstimate,
  type WalkForwardFold,
} from '@coinsphere/model/core';
import { availableParallelism } from 'node:os';
import { estimatePlan, formatEstimate, measureWindowCost } from './estimate.ts';
import type { FoldCache } from './fold-cache.ts';
import type { FoldOutcome, FoldTask } from './fold-task.ts';
import { summarizeEvaluation, type EvaluationResult } from './summarize.ts';

/** Everything an evaluation needs; the CLI fills it from flags (the result keeps it as `config`). */
export type EvaluateOptions = EvaluationConfig;

/** Progress lines; the CLI prints them on stderr. */
export type Log = (message: string) => void;

/** Trains `tasks` (somewhere) and resolves with their outcomes in task order; `onDone` hears each as it finishes;
 *  `estimate` is what they should cost here (the queue sizes a fold's expiry from it). */
export type FoldRunner = (tasks: FoldTask[], onDone: (o: FoldOutcome, done: number, total: number) => void, estimate: PlanEstimate) => Promise<FoldOutcome[]>;

/** Plans the tasks: one per asset and fold, plus one pooled task per test block shared by two or more assets. */
export function planTasks(
  series: Map<string, Candle[]>,
  opts: EvaluateOptions,
): { tasks: FoldTask[]; plans: Record<string, Record<string, WalkForwardFold[]>>; skipped: NonNullable<EvaluationResult['skipped']> } {
  const tasks: FoldTask[] = [];
  const skipped: NonNullable<EvaluationResult['skipped']> = [];
  const plans: Record<string, Record<string, WalkForwardFold[]>> = {};
  const threads = Math.max(1, Math.floor(availableParallelism() / Math.max(1, opts.jobs)));
  const base = { modelConfig: opts.modelConfig, training: opts.training, threads };
  for (const h of opts.horizons) {
    const gapDays = Math.max(opts.gapDays ?? h, h);
    const byBlock = new Map<number, FoldTask['assets']>();
    plans[h] = {};
    for (const [symbol, candles] of series) {
      let folds: WalkForwardFold[];
      try {
        folds = planWalkForward(sampleDays(candles, h, opts.modelConfig.windowBars), {
          horizonDays: h, foldDays: opts.foldDays, gapDays, minTrainDays: opts.minTrainDays, windowDays: opts.windowDays, maxFolds: opts.maxFolds,
        });
      } catch (error) {
        // One asset with too short a history (SOL in the Kaggle files) must not stop the others: it is reported.
        skipped.push({ symbol, horizonDays: h, reason: (error as Error).message });
        continue;
      }
      plans[h]![symbol] = folds;
      for (const fold of folds) {
        tasks.push({ ...base, id: `${symbol}-${h}d-f${fold.index}`, kind: 'asset', horizonDays: h, foldIndex: fold.index, gapDays, assets: [{ symbol, candles, fold }] });
        byBlock.set(fold.testStartDayMs, [...(byBlock.get(fold.testStartDayMs) ?? []), { symbol, candles, fold }]);
      }
    }
    if (opts.pooled && series.size > 1) {
      [...byBlock.entries()].sort(([a], [b]) => a - b).forEach(([day, assets], k) => {
        if (assets.length > 1) tasks.push({ ...base, id: `pooled-${h}d-${toIsoDay(day)}`, kind: 'pooled', horizonDays: h, foldIndex: k, gapDays, assets });
      });
    }
  }
  // Longest first (the biggest training sets), so no process is left alone with a big fold at the end.
  if (tasks.length === 0) throw new Error(skipped[0]?.reason ?? 'No walk-forward fold to evaluate.');
  return { tasks: tasks.sort((a, b) => b.assets.reduce((s, x) => s + x.fold.train.end, 0) - a.assets.reduce((s, x) => s + x.fold.train.end, 0)), plans, skipped };
}

/** The candles of every symbol and where they came from. */
export interface LoadedSeries {
  series: Map<string, Candle[]>;
  data: EvaluationResult['data'];
}

/** Reads the daily candles of every symbol (the database can be closed afterwards: training takes long). */
export async function loadSeries(db: Database, opts: Pick<EvaluateOptions, 'symbols' | 'source'>, log: Log): Promise<LoadedSeries> {
  const series = new Map<string, Candle[]>();
  const data: EvaluationResult['data'] = {};
  for (const symbol of opts.symbols) {
    const { source, candles } = await readCandles(db, { symbol, interval: '1d', source: opts.source });
    series.set(symbol, candles);
    data[symbol] = { source, first: toIsoDay(candles[0]!.openTimeMs), last: toIsoDay(candles.at(-1)!.openTimeMs), days: candles.length };
    log(`${symbol}: ${candles.length} daily candles from "${source}" (${data[symbol]!.first}..${data[symbol]!.last}).`);
  }
  return { series, data };
}

/** The tasks of a plan, which of them an earlier run finished (in `cache`), and what the rest should cost here
 * (the engine is timed first, ~0.5 s). */
export async function estimateEvaluation(
  series: Map<string, Candle[]>,
  opts: EvaluateOptions,
  cache?: FoldCache,
): Promise<ReturnType<typeof planTasks> & { cached: Map<FoldTask, FoldOutcome>; estimate: PlanEstimate }> {
  const planned = planTasks(series, opts);
  const cached = new Map<FoldTask, FoldOutcome>();
  for (const task of planned.tasks) {
    const outcome = cache?.get(task);
    if (outcome) cached.set(task, outcome);
  }
  const cost = await measureWindowCost(opts.modelConfig, opts.training.batchSize);
  const toTrain = planned.tasks.filter((t) => !cached.has(t));
  return { ...planned, cached, estimate: estimatePlan(toTrain, opts.training, cost, opts.jobs, availableParallelism()) };
}

/**
 * Runs the evaluation and returns the one result object that --json prints and the report renders. With `cache`,
 * fold models an earlier run finished are taken from it and every newly finished one is stored there at once.
 */
export async function runEvaluation(
  { series, data }: LoadedSeries,
  opts: EvaluateOptions,
  log: Log,
  runFolds: FoldRunner,
  cache?: FoldCache,
  onFoldDone?: (done: number, total: number) => void,
): Promise<EvaluationResult> {
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const { tasks, plans, skipped, cached, estimate } = await estimateEvaluation(series, opts, cache);
  for (const s of skipped) log(`${s.symbol} at ${s.horizonDays} days is left out: ${s.reason}`);
  const toTrain = tasks.filter((t) => !cached.has(t));
  if (cache) log(`${cached.size} of ${tasks.length} fold models come from ${cache.dir} (finished by an earlier run with the same data and settings).`);
  log(`${toTrain.length} fold models to train (${toTrain.filter((t) => t.kind === 'pooled').length} pooled) through the job queue, ${opts.jobs} at a time on this machine${opts.jobs === 0 ? ' (none: workers elsewhere take them)' : ''}, ${tasks[0]?.threads ?? 1} engine thread(s) each.`);
  if (toTrain.length > 0) log(formatEstimate(estimate));
  const taskById = new Map(toTrain.map((t) => [t.id, t]));
  const trained = await runFolds(toTrain, (o, done, total) => {
    cache?.put(taskById.get(o.id)!, o);
    log(`[${done}/${total}] ${o.id}: ${o.epochsRun} epochs, T = ${o.temperature.toFixed(2)}, ${(o.wallMs / 1000).toFixed(1)}s`);
    onFoldDone?.(done, total);
  }, estimate);
  const byId = new Map(trained.map((o) => [o.id, o]));
  const outcomes = tasks.map((t) => cached.get(t) ?? byId.get(t.id)!);
  const cpu = process.cpuUsage(cpu0);
  const result = summarizeEvaluation(outcomes, plans, opts, data);
  if (skipped.length > 0) result.skipped = skipped;
  result.timing = {
    wallMs: Date.now() - started,
    cpuMs: (cpu.user + cpu.system) / 1000, // this process only: folds trained by other workers are not counted
    tasks: outcomes.length,
    cachedTasks: cached.size,
    taskWallMs: outcomes.reduce((s, o) => s + o.wallMs, 0),
    jobs: opts.jobs,
    cores: availableParallelism(),
    estimate,
    perTask: outcomes.map((o) => ({
      id: o.id, nTrain: o.assets.reduce((n, a) => n + a.nTrain, 0), epochsRun: o.epochsRun, wallMs: Math.round(o.wallMs), cpuMs: Math.round(o.cpuMs),
    })),
  };
  return result;
}
