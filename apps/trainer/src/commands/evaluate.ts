// `coinsphere evaluate --symbols BTC,ETH,SOL [--horizon 7 | --horizons 7,14,30] [--fold-days 90] [--window <days>]
// [--jobs 2] [--quick] [--epochs n] [--cache <folder> | --no-cache] [--plan] [--json] [--report <folder>] [--no-save]`: walk-forward evaluation of the LSTM
// beside its baselines, with intervals, calibration, a trading simulation and the specification's targets. The
// result is saved in the database (table `evaluations`), where the API and the dashboard's model card read it.
import { readUniverse, saveEvaluation, type Database } from '@coinsphere/data';
import { DEFAULT_MODEL_CONFIG, resolveTrainingConfig, SERVED_RECIPE, type ModelConfig, type PooledRecipe } from '@coinsphere/model';
import type { Command } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { addDbOption, resolveDbTarget, withDatabase, type DbOption } from '../cli/database.ts';
import { action, CliError } from '../cli/errors.ts';
import { formatEvaluationResult } from '../evaluation/format-text.ts';
import { writeReport } from '../evaluation/report.ts';
import { formatEstimate, windowsOf } from '../evaluation/estimate.ts';
import { FoldCache } from '../evaluation/fold-cache.ts';
import { estimateEvaluation, loadSeries, runEvaluation, type EvaluateOptions } from '../evaluation/run-evaluation.ts';
import { estimatePooledEvaluation, runPooledEvaluation, type PooledPlan } from '../evaluation/run-pooled-evaluation.ts';
import type { EvaluationResult } from '../evaluation/summarize.ts';
import { numberFlag } from './train.ts';

/** The specification's roadmap "top 20", a named preset for --symbols. */
export const TOP20 = ['BTC', 'ETH', 'BNB', 'XRP', 'SOL', 'ADA', 'DOGE', 'TRX', 'DOT', 'LINK', 'LTC', 'XLM', 'ATOM', 'UNI', 'XMR', 'EOS', 'ETC', 'BCH', 'AVAX', 'MATIC'];

/** The defaults of evaluate's flags, as commander passes them (strings); `start` builds its plan on them too. */
export const EVALUATE_DEFAULTS = {
  horizon: '7',
  foldDays: '90',
  minTrainDays: '365',
  jobs: '2',
  minConfidence: '0.4',
  feeBps: '10',
  slippageBps: '5',
  bootstrap: '1000',
} as const;

/** A small model and few epochs: minutes instead of an hour; for tests and a first look, not for conclusions. */
export const QUICK_MODEL: ModelConfig = { ...DEFAULT_MODEL_CONFIG, windowBars: 30, lstmUnits: [16, 16, 8], denseUnits: 8 };

/** The calendar plan of the served recipe's walk-forward by default: half-year test blocks, half a year of
 *  validation before each, at least two years of training history. */
export const SERVED_PLAN: PooledPlan = { foldDays: 182, valDays: 182, minTrainDays: 730 };

/** The flags of `evaluate`, as commander passes them. */
export interface EvaluateFlags extends DbOption {
  /** 'served': the served pooled recipe over the universe; 'spec': one specification model per asset. */
  model?: string;
  symbols: string;
  horizon?: string;
  horizons?: string;
  source?: string;
  foldDays: string;
  window?: string;
  minTrainDays: string;
  maxFolds?: string;
  gapDays?: string;
  pooled: boolean;
  jobs: string;
  quick?: boolean;
  epochs?: string;
  patience?: string;
  seed?: string;
  windowBars?: string;
  minConfidence: string;
  feeBps: string;
  slippageBps: string;
  short: boolean;
  bootstrap: string;
  plan?: boolean;
  cache?: string | false;
  json?: boolean;
  report?: string;
  save: boolean;
}

function list(value: string, flag: string): string[] {
  const items = value.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (items.length === 0) throw new CliError(`Bad ${flag} "${value}". Should be a comma-separated list such as BTC,ETH,SOL or the preset top20.`, 2);
  return items;
}

/** EvaluateOptions from the flags; throws CliError naming a bad flag. */
export function evaluateOptions(f: EvaluateFlags): EvaluateOptions {
  const symbols = f.symbols.trim().toLowerCase() === 'top20' ? TOP20 : f.symbols.trim().toLowerCase() === 'all' ? [] : list(f.symbols, '--symbols');
  const horizons = (f.horizons ? list(f.horizons, '--horizons') : [f.horizon ?? '7']).map((h) => numberFlag(h, '--horizon', 'int', 1)!);
  const quick = Boolean(f.quick);
  const base = quick ? QUICK_MODEL : DEFAULT_MODEL_CONFIG;
  const windowBars = numberFlag(f.windowBars, '--window-bars', 'int', 2) ?? base.windowBars;
  const overrides = {
    epochs: numberFlag(f.epochs, '--epochs', 'int', 1) ?? (quick ? 4 : undefined),
    patience: numberFlag(f.patience, '--patience', 'int', 1) ?? (quick ? 2 : undefined),
    seed: numberFlag(f.seed, '--seed', 'int', 0),
  };
  const training = resolveTrainingConfig(Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)));
  return {
    symbols, horizons, source: f.source,
    foldDays: numberFlag(f.foldDays, '--fold-days', 'int', 1)!,
    windowDays: numberFlag(f.window, '--window', 'int', 30),
    minTrainDays: numberFlag(f.minTrainDays, '--min-train-days', 'int', 30)!,
    maxFolds: numberFlag(f.maxFolds, '--max-folds', 'int', 1),
    gapDays: numberFlag(f.gapDays, '--gap-days', 'int', 0),
    pooled: f.pooled,
    jobs: numberFlag(f.jobs, '--jobs', 'int', 1)!,
    modelConfig: { ...base, windowBars },
    training,
    trading: {
      minConfidence: numberFlag(f.minConfidence, '--min-confidence', 'float', 0)!,
      feeBps: numberFlag(f.feeBps, '--fee-bps', 'float', 0)!,
      slippageBps: numberFlag(f.slippageBps, '--slippage-bps', 'float', 0)!,
      allowShort: f.short,
    },
    bootstrapIterations: numberFlag(f.bootstrap, '--bootstrap', 'int', 100)!,
    preset: quick ? 'quick' : 'spec',
  };
}

/** The served recipe with the flags' training overrides (--epochs, --seed), and its calendar plan. */
export function servedEvaluation(f: EvaluateFlags): { recipe: PooledRecipe; plan: PooledPlan } {
  const epochs = numberFlag(f.epochs, '--epochs', 'int', 1);
  const seed = numberFlag(f.seed, '--seed', 'int', 0);
  const recipe: PooledRecipe = {
    ...SERVED_RECIPE,
    training: { ...SERVED_RECIPE.training, ...(epochs ? { epochs } : {}) },
    seeds: seed === undefined ? SERVED_RECIPE.seeds : SERVED_RECIPE.seeds.map((s) => s + seed),
  };
  const plan: PooledPlan = {
    foldDays: numberFlag(f.foldDays, '--fold-days', 'int', 1) ?? SERVED_PLAN.foldDays,
    valDays: SERVED_PLAN.valDays,
    minTrainDays: numberFlag(f.minTrainDays, '--min-train-days', 'int', 30) ?? SERVED_PLAN.minTrainDays,
    windowDays: numberFlag(f.window, '--window', 'int', 30),
    maxFolds: numberFlag(f.maxFolds, '--max-folds', 'int', 1),
  };
  return { recipe, plan };
}

/** What the served recipe's walk-forward would cost here (evaluate --plan). */
export async function estimateServed(db: Database, f: EvaluateFlags) {
  const opts = evaluateOptions({ ...EVALUATE_DEFAULTS, ...f });
  const { recipe, plan } = servedEvaluation(f);
  const universe = await readUniverse(db, opts.symbols.length ? { symbols: opts.symbols } : {});
  return estimatePooledEvaluation(universe.series, recipe, plan, opts.horizons);
}

/** Runs the served recipe's walk-forward on the universe of `db` (or --symbols of it). */
export async function evaluateServed(db: Database, f: EvaluateFlags, log: (line: string) => void) {
  const opts = evaluateOptions({ ...EVALUATE_DEFAULTS, ...f });
  const { recipe, plan } = servedEvaluation(f);
  const universe = await readUniverse(db, opts.symbols.length ? { symbols: opts.symbols } : {});
  if (universe.series.length === 0) throw new CliError('No daily candles to evaluate. Load some: coinsphere ingest --snapshot.', 2);
  for (const e of universe.excluded) log(`${e.symbol} is left out: ${e.reason} (${e.detail}).`);
  const config = { ...opts, symbols: universe.series.map((s) => s.symbol), modelConfig: { ...recipe.modelConfig, windowBars: recipe.windowBars }, training: recipe.training, foldDays: plan.foldDays, windowDays: plan.windowDays, minTrainDays: plan.minTrainDays, maxFolds: plan.maxFolds, pooled: true, preset: 'served' };
  const result = await runPooledEvaluation(universe.series, recipe, plan, config, log);
  return { opts: config, result };
}

/** Stores a result where the API and the dashboard's model card read it; returns its id. */
export function saveEvaluationResult(db: Database, opts: EvaluateOptions, result: EvaluationResult): Promise<number> {
  return saveEvaluation(db.orm, { symbols: opts.symbols, horizons: opts.horizons, config: { ...result.config }, report: { ...result } });
}

/** --cache, else `fold-cache` beside an embedded database's folder, else `.coinsphere/fold-cache` under the cwd. */
export function foldCacheDir(f: Pick<EvaluateFlags, 'cache' | 'db'>): string {
  if (typeof f.cache === 'string') return resolve(f.cache);
  const target = resolveDbTarget(f);
  return /^postgres(ql)?:\/\//.test(target) ? resolve('.coinsphere/fold-cache') : join(dirname(resolve(target)), 'fold-cache');
}

/** Registers `evaluate`. */
export function register(program: Command): void {
  addDbOption(
    program
      .command('evaluate')
      .description('Walk-forward evaluation: the LSTM beside majority, persistence, momentum and logistic baselines, with 95% block-bootstrap intervals, calibration, a trading simulation and the spec targets')
      .option('--model <kind>', 'served: the served pooled recipe over the universe (default); spec: one specification model per asset', 'served')
      .option('--symbols <list>', 'comma-separated assets, e.g. BTC,ETH,SOL, top20, or all (the universe)', 'all')
      .option('--horizon <days>', 'label horizon in days', EVALUATE_DEFAULTS.horizon)
      .option('--horizons <list>', 'several horizons, e.g. 7,14,30 (overrides --horizon)')
      .option('--source <source>', 'candle source (default: the longest history of each symbol)')
      .option('--fold-days <n>', `days per test block (default: ${SERVED_PLAN.foldDays} served, ${EVALUATE_DEFAULTS.foldDays} spec)`)
      .option('--window <days>', 'rolling history: train on at most this many days before each block (default: all of it)')
      .option('--min-train-days <n>', `fewest training days a fold may have; older blocks are not tested (default: ${SERVED_PLAN.minTrainDays} served, ${EVALUATE_DEFAULTS.minTrainDays} spec)`)
      .option('--max-folds <n>', 'test only the newest n blocks')
      .option('--gap-days <n>', 'purge gap (at least the horizon, which is the default)')
      .option('--no-pooled', 'skip the pooled multi-asset model')
      .option('--jobs <n>', 'fold models trained at once, each in its own process', EVALUATE_DEFAULTS.jobs)
      .option('--quick', 'small model (30-day window, 16-16-8 units), 4 epochs: for tests and a first look')
      .option('--epochs <n>', 'maximum epochs (default: the specification\'s 100)')
      .option('--patience <n>', 'early-stopping patience (default 10)')
      .option('--seed <n>', 'seed for weights, shuffles and dropout (default 42)')
      .option('--window-bars <n>', 'days per input window (default 90; 30 with --quick)')
      .option('--min-confidence <p>', 'trading: smallest top-class probability that opens a position', EVALUATE_DEFAULTS.minConfidence)
      .option('--fee-bps <bps>', 'trading: fee per side in basis points', EVALUATE_DEFAULTS.feeBps)
      .option('--slippage-bps <bps>', 'trading: slippage per side in basis points', EVALUATE_DEFAULTS.slippageBps)
      .option('--no-short', 'trading: bearish means flat instead of short')
      .option('--bootstrap <n>', 'bootstrap resamples', EVALUATE_DEFAULTS.bootstrap)
      .option('--cache <folder>', 'keep each finished fold model here, so a stopped run resumes where it stopped (default: fold-cache beside an embedded database, else .coinsphere/fold-cache)')
      .option('--no-cache', 'train every fold model, keep none')
      .option('--plan', 'print the folds and the time they should take on this machine, then stop without training')
      .option('--json', 'print one JSON object with everything and nothing else on stdout')
      .option('--report <folder>', 'write report.html, report.json and the plots (SVG) into this folder')
      .option('--no-save', 'do not store the result in the database (by default the dashboard\'s model card shows the latest)'),
  ).action(
    action(async (flags: EvaluateFlags) => {
      const log = (m: string) => void process.stderr.write(`${m}\n`);
      if (flags.model !== 'served' && flags.model !== 'spec') throw new CliError(`Unknown --model "${flags.model}". Should be one of: served, spec.`, 2);
      if (flags.model === 'served') {
        if (flags.plan) {
          const estimate = await withDatabase(flags, (db) => estimateServed(db, flags));
          process.stdout.write(flags.json ? `${JSON.stringify({ estimate })}\n` : `${formatEstimate(estimate)}\n`);
          return;
        }
        const { opts: served, result } = await withDatabase(flags, (db) => evaluateServed(db, flags, log));
        if (flags.save) {
          const id = await withDatabase(flags, (db) => saveEvaluationResult(db, served, result));
          log(`Saved as evaluation ${id}; the dashboard's model card shows it (GET /v1/evaluations/<symbol>/<horizon>/latest).`);
        }
        if (flags.report) log(`Report: ${await writeReport(flags.report, result)}`);
        process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `${formatEvaluationResult(result)}\n`);
        return;
      }
      const f = { ...flags, foldDays: flags.foldDays ?? EVALUATE_DEFAULTS.foldDays, minTrainDays: flags.minTrainDays ?? EVALUATE_DEFAULTS.minTrainDays };
      if (f.symbols === 'all') throw new CliError('--model spec needs --symbols, e.g. BTC,ETH,SOL (one model per asset).', 2);
      const opts = evaluateOptions(f);
      const cache = f.cache === false ? undefined : new FoldCache(foldCacheDir(f), log);
      if (cache && !f.plan) {
        try {
          cache.ensureWritable();
        } catch (error) {
          throw new CliError((error as Error).message, 2);
        }
      }
      // The database is closed before training starts: an embedded one serves a single process at a time.
      const loaded = await withDatabase(f, (db) => loadSeries(db, opts, log));
      if (f.plan) {
        const { tasks, skipped, cached, estimate } = await estimateEvaluation(loaded.series, opts, cache);
        if (cache) log(`${cached.size} of ${tasks.length} fold models are already in ${cache.dir}; the estimate is for the other ${tasks.length - cached.size}.`);
        for (const s of skipped) log(`${s.symbol} at ${s.horizonDays} days is left out: ${s.reason}`);
        const folds = tasks.map((t) => ({ id: t.id, cached: cached.has(t), trainWindows: windowsOf(t, 'train') }));
        process.stdout.write(f.json ? `${JSON.stringify({ config: opts, data: loaded.data, skipped, estimate, folds })}\n` : `${formatEstimate(estimate)}\n`);
        return;
      }
      // Ctrl-C: say what is kept and how to go on (the fold processes exit with this one: their IPC closes).
      const progress = { done: 0, total: 0 };
      process.on('SIGINT', () => {
        log(
          cache
            ? `Interrupted after ${progress.done} of ${progress.total} fold models to train; they are kept in ${cache.dir}: run the same command again to go on from there.`
            : `Interrupted after ${progress.done} of ${progress.total} fold models to train; nothing was kept (--no-cache).`,
        );
        process.exit(130);
      });
      const result = await runEvaluation(loaded, opts, log, cache, (done, total) => Object.assign(progress, { done, total }));
      if (f.save) {
        const id = await withDatabase(f, (db) => saveEvaluationResult(db, opts, result));
        log(`Saved as evaluation ${id}; the dashboard's model card shows it (GET /v1/evaluations/<symbol>/<horizon>/latest).`);
      }
      if (f.report) log(`Report: ${await writeReport(f.report, result)}`);
      process.stdout.write(f.json ? `${JSON.stringify(result)}\n` : `${formatEvaluationResult(result)}\n`);
    }),
  );
}
