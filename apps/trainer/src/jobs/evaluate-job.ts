// The evaluation jobs (`coinsphere evaluate`, and the main job's evaluation step): the served recipe walked
// forward over the universe, or (--model spec) one specification model per asset; each returns the result and
// its settings, and prints nothing: progress goes to `log`. Storing a result is its own small job, so a caller
// decides whether to save. Must not import a command.
import { readUniverse, saveEvaluation, type Database } from '@coinsphere/data';
import { SERVED_RECIPE, type PlanEstimate, type PooledRecipe, type SeriesCandidate } from '@coinsphere/model/core';
import { taskKey, type FoldCache } from '../evaluation/fold-cache.ts';
import { estimateEvaluation, loadSeries, runEvaluation, type EvaluateOptions, type FoldRunner, type Log } from '../evaluation/run-evaluation.ts';
import { runFoldsOnQueue, runOnQueue, type FoldRunOptions } from '../queue/fold-runner.ts';
import { candleRef } from '../queue/fold-job.ts';
import { decodePooledOutcome } from '../queue/pooled-fold-job.ts';
import { availableParallelism } from 'node:os';
import { estimatePooledEvaluation, runPooledEvaluation, type PooledFoldRunner, type PooledPlan } from '../evaluation/run-pooled-evaluation.ts';
import type { EvaluationResult } from '../evaluation/summarize.ts';
import { windowsOf } from '../evaluation/estimate.ts';
import { CliError } from '../cli/errors.ts';

/** The defaults of evaluate's settings (the flags show them; `start` evaluates on them too). */
export const EVALUATE_DEFAULTS = {
  horizon: 7,
  foldDays: 90,
  minTrainDays: 365,
  jobs: 2,
  minConfidence: 0.4,
  feeBps: 10,
  slippageBps: 5,
  bootstrap: 1000,
} as const;

/** The calendar plan of the served recipe's walk-forward by default: half-year test blocks, half a year of
 *  validation before each, at least two years of training history. */
export const SERVED_PLAN: PooledPlan = { foldDays: 182, valDays: 182, minTrainDays: 730 };

/** A served-recipe evaluation: the shared settings (assets, horizons, trading, bootstrap), the recipe and its plan. */
export interface ServedEvaluation {
  settings: EvaluateOptions;
  recipe: PooledRecipe;
  plan: PooledPlan;
}

/** What a served evaluation may change from the defaults ([] symbols: the whole universe). */
export interface ServedEvaluationChoice {
  symbols: string[];
  horizons: number[];
  epochs?: number;
  seed?: number;
  foldDays?: number;
  minTrainDays?: number;
  windowDays?: number;
  maxFolds?: number;
  trading?: EvaluateOptions['trading'];
  bootstrapIterations?: number;
  jobs?: number;
}

/** The served recipe (with --epochs and --seed applied) and its plan, over the defaults for everything else. */
export function servedEvaluation(c: ServedEvaluationChoice): ServedEvaluation {
  const d = EVALUATE_DEFAULTS;
  const recipe: PooledRecipe = {
    ...SERVED_RECIPE,
    training: { ...SERVED_RECIPE.training, ...(c.epochs ? { epochs: c.epochs } : {}) },
    seeds: c.seed === undefined ? SERVED_RECIPE.seeds : SERVED_RECIPE.seeds.map((s) => s + c.seed!),
  };
  const plan: PooledPlan = {
    foldDays: c.foldDays ?? SERVED_PLAN.foldDays, valDays: SERVED_PLAN.valDays, minTrainDays: c.minTrainDays ?? SERVED_PLAN.minTrainDays, windowDays: c.windowDays, maxFolds: c.maxFolds,
  };
  const settings: EvaluateOptions = {
    symbols: c.symbols, horizons: c.horizons, foldDays: plan.foldDays, windowDays: plan.windowDays, minTrainDays: plan.minTrainDays, maxFolds: plan.maxFolds,
    pooled: true, jobs: c.jobs ?? d.jobs, modelConfig: { ...recipe.modelConfig, windowBars: recipe.windowBars }, training: recipe.training,
    trading: c.trading ?? { minConfidence: d.minConfidence, feeBps: d.feeBps, slippageBps: d.slippageBps, allowShort: true },
    bootstrapIterations: c.bootstrapIterations ?? d.bootstrap, preset: 'served',
  };
  return { settings, recipe, plan };
}

/** What the served recipe's walk-forward would cost here (evaluate --plan). */
export async function estimateServedJob(db: Database, e: ServedEvaluation) {
  const universe = await readUniverse(db, e.settings.symbols.length ? { symbols: e.settings.symbols } : {});
  return estimatePooledEvaluation(universe.series, e.recipe, e.plan, e.settings.horizons);
}

/** Settings of an evaluation's fold jobs: FoldRunOptions, the expiry defaulting to foldExpireSeconds. */
export type QueueSettings = Omit<FoldRunOptions, 'log' | 'expireInSeconds' | 'keyOf'> & { expireInSeconds?: number };

/** The served folds as jobs of the queue: each names the universe's candles, the recipe and plan, and its index. */
function servedFoldsOnQueue(db: Database, series: readonly SeriesCandidate[], e: ServedEvaluation, queue: QueueSettings, log: Log): PooledFoldRunner {
  return (folds, onDone, estimate) => {
    const assets = series.map((s) => candleRef(s.symbol, s.source, s.candles));
    const threads = Math.max(1, Math.floor(availableParallelism() / Math.max(1, queue.localWorkers)));
    const byId = new Map(folds.map((r) => [r.id, r]));
    const items = folds.map((r) => ({
      id: r.id,
      data: (key: string) => ({ kind: 'pooled', key, task: { id: r.id, horizonDays: r.horizonDays, foldIndex: r.foldIndex, testStartDayMs: r.fold.testStartDayMs, recipe: e.recipe, plan: e.plan, threads, assets } }),
    }));
    return runOnQueue(db, items, decodePooledOutcome, { ...queue, expireInSeconds: queue.expireInSeconds ?? foldExpireSeconds(estimate), log }, (o, _done, _total, id) => onDone(o, byId.get(id)!));
  };
}

/**
 * Runs the served recipe's walk-forward on the universe of `db` (or the chosen symbols of it): its folds as jobs
 * of the queue when `queue` is given (evaluate), else one after another in this process (the main job).
 */
export async function evaluateServedJob(db: Database, e: ServedEvaluation, log: Log, queue?: QueueSettings): Promise<{ opts: EvaluateOptions; result: EvaluationResult }> {
  const universe = await readUniverse(db, e.settings.symbols.length ? { symbols: e.settings.symbols } : {});
  if (universe.series.length === 0) throw new CliError('No daily candles to evaluate. Load some: coinsphere ingest --snapshot.', 2);
  for (const x of universe.excluded) log(`${x.symbol} is left out: ${x.reason} (${x.detail}).`);
  const opts = { ...e.settings, symbols: universe.series.map((s) => s.symbol) };
  const runFolds = queue ? servedFoldsOnQueue(db, universe.series, e, queue, log) : undefined;
  const result = await runPooledEvaluation(universe.series, e.recipe, e.plan, { ...opts, jobs: queue?.localWorkers ?? 1 }, log, runFolds);
  return { opts, result };
}

/** Stores a result where the API and the dashboard's model card read it; returns its id. */
export function saveEvaluationResult(db: Database, opts: EvaluateOptions, result: EvaluationResult): Promise<number> {
  return saveEvaluation(db.orm, { symbols: opts.symbols, horizons: opts.horizons, config: { ...result.config }, report: { ...result } });
}

/**
 * A fold job's expiry (s) when --fold-expire is not given: 10 times the average fold's estimated wall time on this
 * machine (folds differ in size, and a fold that outlives its expiry while alive is trained twice), at least
 * 10 minutes, below pg-boss's 24-hour limit.
 */
export function foldExpireSeconds(estimate: PlanEstimate): number {
  const perFoldS = estimate.wallMs.typical * estimate.parallel / Math.max(1, estimate.tasks) / 1000;
  return Math.round(Math.min(23 * 3600, Math.max(600, 10 * perFoldS)));
}

/** Opens the database for `fn` and closes it after: an embedded one serves a single process at a time, so the
 *  per-asset job keeps it closed while its fold processes train. */
export type WithDatabase = <T>(fn: (db: Database) => Promise<T>) => Promise<T>;

/** The folds of a per-asset evaluation, which are cached already, and what the rest should cost (--plan). */
export async function planSpecJob(withDb: WithDatabase, opts: EvaluateOptions, cache: FoldCache | undefined, log: Log) {
  const loaded = await withDb((db) => loadSeries(db, opts, log));
  const { tasks, skipped, cached, estimate } = await estimateEvaluation(loaded.series, opts, cache);
  const folds = tasks.map((t) => ({ id: t.id, cached: cached.has(t), trainWindows: windowsOf(t, 'train') }));
  return { data: loaded.data, tasks, skipped, cached, estimate, folds };
}

/**
 * Runs a per-asset evaluation (the specification's models) on `db`, its fold models as jobs of the queue: `queue`
 * says how many this machine trains at once and when a fold is given up as abandoned (then retried elsewhere).
 */
export async function evaluateSpecJob(
  db: Database,
  opts: EvaluateOptions,
  cache: FoldCache | undefined,
  log: Log,
  queue: QueueSettings,
  onFoldDone?: (done: number, total: number) => void,
): Promise<EvaluationResult> {
  const loaded = await loadSeries(db, opts, log);
  const sources = new Map(Object.entries(loaded.data).map(([symbol, d]) => [symbol, d.source]));
  const runFolds: FoldRunner = (tasks, onDone, estimate) => {
    const expireInSeconds = queue.expireInSeconds ?? foldExpireSeconds(estimate);
    if (queue.expireInSeconds === undefined && tasks.length > 0) log(`A fold left by its worker is taken over after ${expireInSeconds} s (10 times the average fold's estimate; --fold-expire to change).`);
    return runFoldsOnQueue(db, tasks, sources, { ...queue, expireInSeconds, log, keyOf: cache ? (task) => taskKey(task, cache.code) : undefined }, onDone);
  };
  return runEvaluation(loaded, opts, log, runFolds, cache, onFoldDone);
}
