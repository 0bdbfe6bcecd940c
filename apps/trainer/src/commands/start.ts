// `coinsphere start` (npm start): the main job on the embedded defaults, in five steps, each a function below:
//   1. ingest: --csv or COINSPHERE_DATA; else Binance and CoinGecko online (only what is newer than the newest
//      stored candle), and when they cannot be reached (asked once, briefly) the bundled snapshot, saying how old
//      its data are;
//   2. train BTC, ETH and SOL at 7 days with the specification's config (one model per asset);
//   3. evaluate them walk-forward beside the baselines on a plan sized for the job's budget (START_EVALUATION),
//      stored like `evaluate` stores it, so the dashboard's evaluation card is filled;
//   4. publish the latest predictions (each says whether its data are stale);
//   5. serve the API and the dashboard on http://127.0.0.1:8787 until stopped.
import {
  BUNDLED_SNAPSHOT_DIR,
  ingestCsv,
  ingestFromBinance,
  ingestFromCoingecko,
  ingestSnapshot,
  listSeries,
  pickSource,
  probeOnlineSources,
  type Database,
  type Reach,
} from '@coinsphere/data';
import { DEFAULT_MODEL_CONFIG, dataFreshness, formatDataAge, STALE_AFTER_DAYS } from '@coinsphere/model';
import type { Prediction } from '@coinsphere/api';
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { readTrainerEnv, type TrainerEnv } from '../cli/env.ts';
import { action } from '../cli/errors.ts';
import { parseSymbols } from '../cli/format.ts';
import { formatDuration } from '../evaluation/estimate.ts';
import { FoldCache } from '../evaluation/fold-cache.ts';
import { formatEvaluationBrief } from '../evaluation/format-text.ts';
import { loadSeries, runEvaluation } from '../evaluation/run-evaluation.ts';
import type { EvaluationResult } from '../evaluation/summarize.ts';
import { cliReporter } from '../training/progress.ts';
import { runTraining, type TrainSummary } from '../training/run-training.ts';
import { EVALUATE_DEFAULTS, evaluateOptions, foldCacheDir, saveEvaluationResult } from './evaluate.ts';
import { latestPredictionsOfRegistry, publishBatch } from './publish.ts';
import { startServe } from './serve.ts';
import { snapshotLoadLine } from './snapshot.ts';
import { numberFlag } from './train.ts';

interface StartFlags extends DbOption {
  csv?: string[];
  symbols: string;
  horizon: string;
  epochs?: string;
  port?: string;
  serve: boolean;
  evaluate: boolean;
  quiet?: boolean;
}

/** What the steps share: the resolved flags and environment. */
interface StartPlan {
  flags: StartFlags;
  env: TrainerEnv;
  symbols: string[];
  horizonDays: number;
  epochs: number | undefined;
  csv: string[] | undefined;
}

const say = (s: string): void => void process.stdout.write(`${s}\n`);

/** How long the online sources get to answer before the job calls itself offline (one try each, both at once). */
export const ONLINE_PROBE_TIMEOUT_MS = 3000;

/**
 * The walk-forward plan of the main job, sized so that the whole `npm start` on the bundled snapshot stays within
 * 10 minutes on two cores (BENCHMARKS.md has the measured runs): the newest 360 days of each asset in two 180-day
 * blocks, each predicted by a model with the served (specification) config trained on the two years before it,
 * per asset, no pooled model, and at most 15 epochs per fold model (the served models stop early at 11-13 on the
 * snapshot; the older folds ran to 22-25 and took the job to 9 min on a busy machine). The same as `coinsphere
 * evaluate --fold-days 180 --window 730 --max-folds 2 --no-pooled --epochs 15`; `coinsphere evaluate --plan` prices
 * the bigger plans. (Three years of history and no cap took the job to 9 min 50 s.)
 */
export const START_EVALUATION = { foldDays: '180', window: '730', maxFolds: '2', pooled: false, epochs: 15 } as const;

// ---------------------------------------------------------------------------------------------------------------
// 1. Ingest

function offlineLine(reach: { binance: Reach; coingecko: Reach }): string {
  const why = (r: Reach) => (r.ok ? 'answers' : `${r.url}: ${r.problem.replace(/^fetch failed: /, '')}`);
  const { binance: b, coingecko: c } = reach;
  const who = c.ok ? `Binance does not answer (${why(b)})` : `neither Binance nor CoinGecko answers (${why(b)}; ${why(c)})`;
  return `Offline: ${who}; loading the bundled snapshot instead.`;
}

/** Asks the online sources once, briefly, whether they answer at all, and says at once when Binance does not. */
async function probeStep(plan: StartPlan): Promise<{ binance: Reach; coingecko: Reach }> {
  say(`No --csv and no COINSPHERE_DATA: asking Binance and CoinGecko for ${plan.symbols.join(', ')} …`);
  const reach = await probeOnlineSources({ binanceBaseUrl: plan.env.binanceUrl, coingeckoBaseUrl: plan.env.coingeckoUrl, timeoutMs: ONLINE_PROBE_TIMEOUT_MS });
  if (!reach.binance.ok) say(offlineLine(reach));
  return reach;
}

async function loadSnapshot(db: Database): Promise<void> {
  say(snapshotLoadLine(await ingestSnapshot(db, BUNDLED_SNAPSHOT_DIR), Date.now()));
}

/** Ingests from CSV, online, or (offline, or when the online fetch fails) the bundled snapshot. */
async function ingestStep(db: Database, plan: StartPlan, reach: { binance: Reach; coingecko: Reach } | null): Promise<void> {
  if (plan.csv && plan.csv.length > 0) {
    say(`Ingesting ${plan.csv.join(', ')} …`);
    const report = await ingestCsv(db, plan.csv, {});
    const rows = report.files.reduce((s, f) => s + f.candles, 0);
    say(`Ingested ${report.files.length} files, ${rows} candles (re-ingesting changes nothing).`);
    return;
  }
  if (!reach?.binance.ok) return loadSnapshot(db); // probeStep has said why
  try {
    const fetched = await ingestFromBinance(db, { symbols: plan.symbols, ...(plan.env.binanceUrl ? { baseUrl: plan.env.binanceUrl } : {}) });
    say(`Binance: ${fetched.map((r) => `${r.symbol} ${r.written.inserted} new`).join(', ')} daily candles.`);
  } catch (error) {
    say(`Fetching from Binance failed (${(error as Error).message}); loading the bundled snapshot instead.`);
    return loadSnapshot(db);
  }
  if (!reach.coingecko.ok) return say(`CoinGecko skipped: ${reach.coingecko.problem}.`);
  await ingestFromCoingecko(db, { symbols: plan.symbols, ...(plan.env.coingeckoUrl ? { baseUrl: plan.env.coingeckoUrl } : {}) }).catch((e: unknown) => say(`CoinGecko skipped: ${(e as Error).message}`));
}

/** One line: the newest bar of the series each asset trains on, and whether that is stale now. */
async function dataAgeLine(db: Database, symbols: string[]): Promise<string> {
  const series = await listSeries(db);
  const parts: string[] = [];
  let stale = false;
  for (const symbol of symbols) {
    const source = await pickSource(db, symbol, '1d');
    const s = series.find((x) => x.symbol === symbol && x.interval === '1d' && x.source === source);
    if (!s) continue;
    const age = dataFreshness(s.lastMs, Date.now());
    stale ||= age.stale;
    parts.push(`${symbol} (${s.source}) to ${age.asOf}, ${formatDataAge(age.ageDays)}`);
  }
  const verdict = stale ? `stale (over ${STALE_AFTER_DAYS} days): the predictions will say so` : 'fresh';
  return parts.length ? `Training data: ${parts.join('; ')}; ${verdict}.` : 'Training data: none of the assets has daily candles.';
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Train (one model per asset; a pooled model will replace them)

async function trainStep(db: Database, plan: StartPlan): Promise<TrainSummary[]> {
  const summaries: TrainSummary[] = [];
  for (const symbol of plan.symbols) {
    say(`\n== Training ${symbol} at ${plan.horizonDays} days ==`);
    summaries.push(
      await runTraining(
        db,
        {
          symbol, horizonDays: plan.horizonDays, engine: 'fused', backend: 'auto', modelConfig: DEFAULT_MODEL_CONFIG,
          training: plan.epochs ? { epochs: plan.epochs } : {}, artifactsRoot: plan.env.artifactsRoot, resume: false,
          mlflowUri: plan.env.mlflowTrackingUri, mlflowExperiment: plan.env.mlflowExperiment,
        },
        cliReporter(plan.flags.quiet ? 'quiet' : 'bar'),
      ),
    );
  }
  return summaries;
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Evaluate (walk-forward, on START_EVALUATION), stored for the dashboard

async function evaluateStep(db: Database, plan: StartPlan): Promise<EvaluationResult | null> {
  const { epochs: epochCap, ...flags } = START_EVALUATION;
  const epochs = Math.min(plan.epochs ?? epochCap, epochCap);
  const opts = evaluateOptions({
    ...EVALUATE_DEFAULTS, ...flags, symbols: plan.symbols.join(','), horizon: String(plan.horizonDays), short: true, save: true, epochs: String(epochs),
  });
  say(`\n== Walk-forward evaluation of ${plan.symbols.join(', ')} at ${plan.horizonDays} days ==`);
  say(
    `Plan (sized for the main job's 10-minute budget on two cores): the newest ${Number(flags.maxFolds) * Number(flags.foldDays)} days of each asset in ` +
      `${flags.maxFolds} blocks of ${flags.foldDays} days, each predicted by a model with the training config above (at most ${epochs} epochs) trained only on ` +
      `the ${Number(flags.window) / 365} years before it; the same as \`coinsphere evaluate --symbols ${plan.symbols.join(',')} --horizon ${plan.horizonDays} ` +
      `--fold-days ${flags.foldDays} --window ${flags.window} --max-folds ${flags.maxFolds} --no-pooled --epochs ${epochs}\`.`,
  );
  const cache = new FoldCache(foldCacheDir(plan.flags), say);
  try {
    cache.ensureWritable();
    const result = await runEvaluation(await loadSeries(db, opts, say), opts, say, cache);
    const id = await saveEvaluationResult(db, opts, result);
    for (const line of formatEvaluationBrief(result)) say(line);
    say(`Saved as evaluation ${id}; the dashboard's model card shows it. Bigger plans: \`coinsphere evaluate --plan\` prices them.`);
    return result;
  } catch (error) {
    say(`Evaluation skipped: ${(error as Error).message} The model card will say how to run one (\`coinsphere evaluate\`).`);
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Publish

/** Computes the latest prediction of each trained model (as `coinsphere publish` does) and publishes them. */
async function publishStep(db: Database, plan: StartPlan): Promise<Prediction[]> {
  const batch = await latestPredictionsOfRegistry()(db, { symbols: plan.symbols, horizons: [plan.horizonDays] });
  const { createNodeCache } = await import('@coinsphere/api');
  const cache = createNodeCache(undefined);
  try {
    const published = await publishBatch(db, batch, cache);
    const stale = batch.filter((p) => dataFreshness(p.asOf, Date.now()).stale).length;
    say(`\nPublished ${published.written} predictions${stale ? ` (${stale} from stale data: the API serves them with stale: true)` : ''}.`);
  } finally {
    await cache.close?.();
  }
  return batch;
}

function row(s: TrainSummary, p: Prediction | undefined): string {
  const t = s.metrics.test;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
  const pred = p ? `${p.class.padEnd(8)} ${pct(p.confidence)} as of ${p.asOf}` : 'no prediction';
  return `${s.symbol.padEnd(6)} ${pct(t.model.accuracy)}  ${pct(t.majority.accuracy)}  ${pct(t.persistence.accuracy)}  ${t.model.macroF1.toFixed(3)}  ${String(t.n).padStart(5)}   ${pred}`;
}

function summary(plan: StartPlan, trained: TrainSummary[], published: Prediction[]): void {
  say(`\nTest-split results at ${plan.horizonDays} days (each row: model beside baselines on the same rows)`);
  say(`asset   model  majority persist.  macroF1  n(test)  latest prediction`);
  for (const s of trained) say(row(s, published.find((p) => p.symbol === s.symbol)));
  say('Accuracy near the baselines means the model adds little; read it as a probability, never a promise.');
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Serve

async function serveStep(flags: StartFlags): Promise<void> {
  const server = await startServe({ db: flags.db, port: flags.port });
  say(`\nServing the API and the dashboard on ${server.url}/ (API: ${server.url}/v1/predictions/BTC). Ctrl-C stops.`);
  await new Promise<void>((done) => {
    const stop = () => void server.stop().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Runs `step`, returning its value and adding its wall time to `times`. */
async function timed<T>(times: Array<[string, number]>, name: string, step: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await step();
  } finally {
    times.push([name, Date.now() - t0]);
  }
}

/** Registers `start`. */
export function register(program: Command): void {
  addDbOption(
    program
      .command('start')
      .description('Run the main job: ingest, train BTC/ETH/SOL, evaluate walk-forward beside baselines, publish, serve')
      .option('--csv <paths...>', 'CSV files or folders to ingest (default: $COINSPHERE_DATA; else Binance and CoinGecko online, or the bundled snapshot offline)')
      .option('--symbols <list>', 'assets to train', 'BTC,ETH,SOL')
      .option('--horizon <days>', 'label horizon in days', '7')
      .option('--epochs <n>', 'cap the epochs of training and evaluation (default: the specification\'s 100 with early stopping)')
      .option('--port <port>', 'port of the API and dashboard', '8787')
      .option('--no-evaluate', 'skip the walk-forward evaluation')
      .option('--no-serve', 'stop after publishing instead of serving')
      .option('--quiet', 'no per-epoch lines'),
  ).action(
    action(async (f: StartFlags) => {
      const started = Date.now();
      const env = readTrainerEnv();
      const plan: StartPlan = {
        flags: f, env,
        symbols: parseSymbols(f.symbols) ?? ['BTC', 'ETH', 'SOL'],
        horizonDays: numberFlag(f.horizon, '--horizon', 'int', 1)!,
        epochs: numberFlag(f.epochs, '--epochs', 'int', 1),
        csv: f.csv ?? (env.dataDir ? [env.dataDir] : undefined),
      };
      const times: Array<[string, number]> = [];
      // Asked before the database opens, so an offline machine hears it within seconds.
      const reach = plan.csv ? null : await timed(times, 'probe', () => probeStep(plan));
      let trained: TrainSummary[] = [];
      let published: Prediction[] = [];
      await withDatabase(f, async (db) => {
        say(`Database: ${db.kind} ${db.location}`);
        await timed(times, 'ingest', () => ingestStep(db, plan, reach));
        say(await dataAgeLine(db, plan.symbols));
        trained = await timed(times, 'train', () => trainStep(db, plan));
        if (f.evaluate) await timed(times, 'evaluate', () => evaluateStep(db, plan));
        published = await timed(times, 'publish', () => publishStep(db, plan));
      });
      summary(plan, trained, published);
      say(`\nThe job took ${formatDuration(Date.now() - started)} (${times.map(([name, ms]) => `${name} ${formatDuration(ms)}`).join(', ')}).`);
      if (f.serve) await serveStep(f);
    }),
  );
}
