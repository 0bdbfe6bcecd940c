// `coinsphere evaluate --symbols BTC,ETH,SOL [--horizon 7 | --horizons 7,14,30] [--fold-days 90] [--window <days>]
// [--jobs 2] [--quick] [--epochs n] [--cache <folder> | --no-cache] [--plan] [--json] [--report <folder>] [--no-save]`: walk-forward evaluation of the LSTM
// beside its baselines, with intervals, calibration, a trading simulation and the specification's targets. The
// result is saved in the database (table `evaluations`), where the API and the dashboard's model card read it.
// Flags → options (evaluateOptions, servedFromFlags) → job (jobs/evaluate-job.ts) → output (printResult).
// `coinsphere evaluate --risk` evaluates the risk model instead (commands/evaluate-risk.ts).
import { DEFAULT_MODEL_CONFIG, resolveTrainingConfig, type ModelConfig } from '@coinsphere/model/core';
import type { Command } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { addDbOption, resolveDbTarget, withDatabase, type DbOption, type OpenHow } from '../cli/database.ts';
import { action, CliError } from '../cli/errors.ts';
import { flag, FlagError, horizonList, intIn, numberIn, oneOf, positiveInt, symbolList, UsageError, type FlagParser } from '../cli/flags.ts';
import { onStop } from '../cli/signals.ts';
import { readTrainerEnv } from '../cli/env.ts';
import { TOP_ASSETS_PRESET, topAssetSymbols } from '../jobs/top-assets-job.ts';
import { evaluateRiskCommand, refuseNonRiskFlags } from './evaluate-risk.ts';
import { formatEvaluationResult } from '../evaluation/format-text.ts';
import { writeReport } from '../evaluation/report.ts';
import { formatEstimate } from '../evaluation/estimate.ts';
import { FoldCache } from '../evaluation/fold-cache.ts';
import type { EvaluateOptions, Log } from '../evaluation/run-evaluation.ts';
import type { EvaluationResult } from '../evaluation/summarize.ts';
import {
  estimateServedJob, evaluateServedJob, evaluateSpecJob, EVALUATE_DEFAULTS, planSpecJob, saveEvaluationResult, servedEvaluation, SERVED_PLAN, type ServedEvaluation,
} from '../jobs/evaluate-job.ts';

export { EVALUATE_DEFAULTS, SERVED_PLAN };


/** A small model and few epochs: minutes instead of an hour; for tests and a first look, not for conclusions. */
export const QUICK_MODEL: ModelConfig = { ...DEFAULT_MODEL_CONFIG, windowBars: 30, lstmUnits: [16, 16, 8], denseUnits: 8 };

/** --symbols: a list, the preset top20, or all ([]: the universe). */
const symbolsOrPreset: FlagParser<string[]> = {
  accepted: 'a comma-separated list of symbols such as BTC,ETH,SOL, or top20, or all',
  parse(text, name) {
    const t = text.trim().toLowerCase();
    if (t === 'top20' || t === 'all') return t === 'top20' ? (TOP_ASSETS_PRESET as string[]) : []; // top20: resolved when the command runs
    try {
      return symbolList.parse(text, name);
    } catch {
      throw new FlagError(name, text, this.accepted);
    }
  },
};

/** The flags of `evaluate`, as the flag parsers typed them. */
export interface EvaluateFlags extends DbOption {
  /** 'served': the served pooled recipe over the universe; 'spec': one specification model per asset. */
  model: 'served' | 'spec';
  /** [] = every asset of the universe. */
  symbols: string[];
  horizon: number;
  horizons?: number[];
  source?: string;
  foldDays?: number;
  window?: number;
  minTrainDays?: number;
  maxFolds?: number;
  gapDays?: number;
  pooled: boolean;
  jobs: number;
  /** pg-boss expireInSeconds of each fold job. */
  foldExpire?: number;
  quick?: boolean;
  epochs?: number;
  patience?: number;
  seed?: number;
  windowBars?: number;
  minConfidence: number;
  feeBps: number;
  slippageBps: number;
  short: boolean;
  bootstrap: number;
  plan?: boolean;
  cache?: string | false;
  json?: boolean;
  report?: string;
  save: boolean;
  /** Evaluate the risk model (evaluate-risk.ts) instead of the LSTM. */
  risk?: boolean;
}

const tradingOf = (f: EvaluateFlags) => ({ minConfidence: f.minConfidence, feeBps: f.feeBps, slippageBps: f.slippageBps, allowShort: f.short });

/** The per-asset (--model spec) evaluation's options from the flags. */
export function evaluateOptions(f: EvaluateFlags): EvaluateOptions {
  if (f.symbols.length === 0) throw new UsageError('--model spec needs --symbols, e.g. BTC,ETH,SOL (one model per asset).');
  const quick = Boolean(f.quick);
  const base = quick ? QUICK_MODEL : DEFAULT_MODEL_CONFIG;
  const overrides = { epochs: f.epochs ?? (quick ? 4 : undefined), patience: f.patience ?? (quick ? 2 : undefined), seed: f.seed };
  return {
    symbols: f.symbols, horizons: f.horizons ?? [f.horizon], source: f.source,
    foldDays: f.foldDays ?? EVALUATE_DEFAULTS.foldDays, windowDays: f.window, minTrainDays: f.minTrainDays ?? EVALUATE_DEFAULTS.minTrainDays,
    maxFolds: f.maxFolds, gapDays: f.gapDays, pooled: f.pooled, jobs: f.jobs,
    modelConfig: { ...base, windowBars: f.windowBars ?? base.windowBars },
    training: resolveTrainingConfig(Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))),
    trading: tradingOf(f), bootstrapIterations: f.bootstrap, preset: quick ? 'quick' : 'spec',
  };
}

/** The served recipe's evaluation from the flags (--epochs and --seed change the recipe, the rest its plan). */
export function servedFromFlags(f: EvaluateFlags): ServedEvaluation {
  return servedEvaluation({
    symbols: f.symbols, horizons: f.horizons ?? [f.horizon], epochs: f.epochs, seed: f.seed, foldDays: f.foldDays, minTrainDays: f.minTrainDays,
    windowDays: f.window, maxFolds: f.maxFolds, trading: tradingOf(f), bootstrapIterations: f.bootstrap, jobs: f.jobs,
  });
}

/** --cache, else `fold-cache` beside an embedded database's folder, else `.coinsphere/fold-cache` under the cwd. */
export function foldCacheDir(f: Pick<EvaluateFlags, 'cache' | 'db'>): string {
  if (typeof f.cache === 'string') return resolve(f.cache);
  const target = resolveDbTarget(f);
  return /^postgres(ql)?:\/\//.test(target) ? resolve('.coinsphere/fold-cache') : join(dirname(resolve(target)), 'fold-cache');
}

/** Saves (unless --no-save), writes the report (--report) and prints the result. */
async function finish(f: EvaluateFlags, opts: EvaluateOptions, result: EvaluationResult, log: Log): Promise<void> {
  if (f.save) {
    const id = await withDatabase(f, (db) => saveEvaluationResult(db, opts, result));
    log(`Saved as evaluation ${id}; the dashboard's model card shows it (GET /v1/evaluations/<symbol>/<horizon>/latest).`);
  }
  if (f.report) log(`Report: ${await writeReport(f.report, result)}`);
  process.stdout.write(f.json ? `${JSON.stringify(result)}\n` : `${formatEvaluationResult(result)}\n`);
}

async function evaluateServedCommand(f: EvaluateFlags, log: Log): Promise<void> {
  const served = servedFromFlags(f);
  if (f.plan) {
    const estimate = await withDatabase(f, (db) => estimateServedJob(db, served));
    process.stdout.write(f.json ? `${JSON.stringify({ estimate })}\n` : `${formatEstimate(estimate)}\n`);
    return;
  }
  const stop = new AbortController();
  const stopListening = onStop(() => {
    log('Interrupted; the fold jobs not yet done are cancelled.');
    stop.abort();
    setTimeout(() => process.exit(130), 10_000).unref(); // should cancelling hang
  }, ['SIGINT']);
  try {
    const { opts, result } = await withDatabase(f, async (db) => evaluateServedJob(db, served, log, { ...queueSettings(f), signal: stop.signal }), openHow(f)).catch((error: unknown) => {
      if (stop.signal.aborted) process.exit(130);
      throw error;
    });
    await finish(f, opts, result, log);
  } finally {
    stopListening();
  }
}

function openFoldCache(f: EvaluateFlags, log: Log): FoldCache | undefined {
  const cache = f.cache === false ? undefined : new FoldCache(foldCacheDir(f), log);
  if (cache && !f.plan) {
    try {
      cache.ensureWritable();
    } catch (error) {
      throw new CliError((error as Error).message, 2);
    }
  }
  return cache;
}

async function evaluateSpecCommand(f: EvaluateFlags, log: Log): Promise<void> {
  const opts = evaluateOptions(f);
  const cache = openFoldCache(f, log);
  const withDb = <T>(fn: Parameters<typeof withDatabase<T>>[1]) => withDatabase(f, fn);
  if (f.plan) {
    const { data, tasks, skipped, cached, estimate, folds } = await planSpecJob(withDb, opts, cache, log);
    if (cache) log(`${cached.size} of ${tasks.length} fold models are already in ${cache.dir}; the estimate is for the other ${tasks.length - cached.size}.`);
    for (const s of skipped) log(`${s.symbol} at ${s.horizonDays} days is left out: ${s.reason}`);
    process.stdout.write(f.json ? `${JSON.stringify({ config: opts, data, skipped, estimate, folds })}\n` : `${formatEstimate(estimate)}\n`);
    return;
  }
  const stop = new AbortController();
  const progress = { done: 0, total: 0 };
  // Ctrl-C: say what is kept and how to go on; the run's jobs left in the queue are cancelled first.
  const stopListening = onStop(() => {
    const kept = cache ? `they are kept in ${cache.dir}: run the same command again to go on from there.` : 'nothing was kept (--no-cache).';
    log(`Interrupted after ${progress.done} of ${progress.total} fold models to train; ${kept}`);
    stop.abort();
    setTimeout(() => process.exit(130), 10_000).unref(); // should cancelling hang
  }, ['SIGINT']);
  try {
    const result = await withDatabase(f, async (db) => {
      const queue = { ...queueSettings(f), signal: stop.signal };
      return evaluateSpecJob(db, { ...opts, jobs: queue.localWorkers }, cache, log, queue, (done, total) => Object.assign(progress, { done, total }));
    }, openHow(f)).catch((error: unknown) => {
      if (stop.signal.aborted) process.exit(130);
      throw error;
    });
    await finish(f, opts, result, log);
  } finally {
    stopListening();
  }
}

/** How this machine takes part in the run: --jobs local workers, --fold-expire. */
function queueSettings(f: EvaluateFlags) {
  return { localWorkers: f.jobs, expireInSeconds: f.foldExpire, dbTarget: resolveDbTarget(f) };
}

/** Other processes work the folds unless --jobs 1: an embedded folder is then shared with them (pglite-share.ts). */
function openHow(f: EvaluateFlags): OpenHow {
  return { share: f.jobs !== 1 };
}

function declareFlags(command: Command): Command {
  const d = EVALUATE_DEFAULTS;
  flag(command, '--model <kind>', 'served: the served pooled recipe over the universe (default); spec: one specification model per asset', oneOf(['served', 'spec'] as const), 'served');
  flag(command, '--symbols <list>', 'comma-separated assets, e.g. BTC,ETH,SOL, top20 (the top 20 by market cap the database holds; offline, its largest), or all (the universe)', symbolsOrPreset, [], 'all');
  flag(command, '--horizon <days>', 'label horizon in days', positiveInt, d.horizon);
  flag(command, '--horizons <list>', 'several horizons, e.g. 7,14,30 (overrides --horizon)', horizonList);
  command.option('--source <source>', 'candle source (default: the longest history of each symbol)');
  flag(command, '--fold-days <n>', `days per test block (default: ${SERVED_PLAN.foldDays} served, ${d.foldDays} spec)`, positiveInt);
  flag(command, '--window <days>', 'rolling history: train on at most this many days before each block (default: all of it)', intIn(30));
  flag(command, '--min-train-days <n>', `fewest training days a fold may have; older blocks are not tested (default: ${SERVED_PLAN.minTrainDays} served, ${d.minTrainDays} spec)`, intIn(30));
  flag(command, '--max-folds <n>', 'test only the newest n blocks', positiveInt);
  flag(command, '--gap-days <n>', 'purge gap (at least the horizon, which is the default)', intIn(0));
  command.option('--no-pooled', 'skip the pooled multi-asset model');
  flag(command, '--jobs <n>', 'fold models trained at once on this machine, each by a worker of the job queue (0: leave them to `coinsphere worker`s, here or on other machines against one PostgreSQL)', intIn(0), d.jobs);
  flag(command, '--fold-expire <seconds>', 'how long one fold may run before another worker takes it over (default: 10 times the average fold\'s estimate, at least 600)', intIn(1));
  command.option('--quick', 'small model (30-day window, 16-16-8 units), 4 epochs: for tests and a first look');
  flag(command, '--epochs <n>', 'maximum epochs (default: the specification\'s 100)', positiveInt);
  flag(command, '--patience <n>', 'early-stopping patience (default 10)', positiveInt);
  flag(command, '--seed <n>', 'seed for weights, shuffles and dropout (default 42)', intIn(0));
  flag(command, '--window-bars <n>', 'days per input window (default 90; 30 with --quick)', intIn(2));
  flag(command, '--min-confidence <p>', 'trading: smallest top-class probability that opens a position', numberIn(0, 1), d.minConfidence);
  flag(command, '--fee-bps <bps>', 'trading: fee per side in basis points', numberIn(0), d.feeBps);
  flag(command, '--slippage-bps <bps>', 'trading: slippage per side in basis points', numberIn(0), d.slippageBps);
  command.option('--no-short', 'trading: bearish means flat instead of short');
  flag(command, '--bootstrap <n>', 'bootstrap resamples', intIn(100), d.bootstrap);
  return command
    .option('--cache <folder>', 'keep each finished fold model here, so a stopped run resumes where it stopped (default: fold-cache beside an embedded database, else .coinsphere/fold-cache)')
    .option('--no-cache', 'train every fold model, keep none')
    .option('--plan', 'print the folds and the time they should take on this machine, then stop without training')
    .option('--json', 'print one JSON object with everything and nothing else on stdout')
    .option('--report <folder>', 'write report.html, report.json and the plots (SVG) into this folder')
    .option('--no-save', 'do not store the result in the database (by default the dashboard\'s model card shows the latest)')
    .option('--risk', 'evaluate the risk model (the Degen Risk Score) walk-forward instead of the LSTM: takes only --db, --symbols, --bootstrap, --json and --report');
}

/** Registers `evaluate`. */
export function register(program: Command): void {
  const command = program
    .command('evaluate')
    .description('Walk-forward evaluation: the LSTM beside majority, persistence, momentum and logistic baselines, with 95% block-bootstrap intervals, calibration, a trading simulation and the spec targets; with --risk, the risk model beside naive forecasts and climatology');
  addDbOption(declareFlags(command)).action(
    action(async (f: EvaluateFlags, self: Command) => {
      const log = (m: string) => void process.stderr.write(`${m}\n`);
      if (f.symbols === TOP_ASSETS_PRESET) f.symbols = await withDatabase(f, (db) => topAssetSymbols(db, readTrainerEnv(), log));
      if (f.risk) {
        refuseNonRiskFlags(self);
        return evaluateRiskCommand(f, log);
      }
      await (f.model === 'served' ? evaluateServedCommand(f, log) : evaluateSpecCommand(f, log));
    }),
  );
}
