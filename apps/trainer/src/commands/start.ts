// `coinsphere start` (npm start): the main job on the embedded defaults, in five steps, each a function below:
//   1. ingest: --csv or COINSPHERE_DATA; else Binance and CoinGecko online (the top 20 unless --symbols, only what
//      is newer than the newest stored candle), and when they cannot be reached (asked once, briefly) the bundled snapshot, saying how old
//      its data are;
//   2. train the served pooled recipe over every asset of the universe at each horizon, and put it through the
//      promotion gate (train --pooled);
//   3. evaluate the recipe walk-forward beside the baselines on a plan sized for the job's budget
//      (START_EVALUATION), stored like `evaluate` stores it, so the dashboard's evaluation card is filled;
//   4. publish the latest predictions (each says whether its data are stale);
//   5. serve the API and the dashboard on http://127.0.0.1:8787 until stopped.
import { BUNDLED_SNAPSHOT_DIR, describeTopAssets, fetchTopAssets, listSeries, pickSource, probeOnlineSources, staticTopAssets, topHeldAssets, type Database, type Reach, type TopAssets } from '@coinsphere/data';
import { dataFreshness, formatDataAge, SERVED_RECIPE, STALE_AFTER_DAYS } from '@coinsphere/model/core';
import type { Command } from 'commander';
import { addDbOption, resolveDbTarget, withDatabase, type DbOption } from '../cli/database.ts';
import { readTrainerEnv, type TrainerEnv } from '../cli/env.ts';
import { action } from '../cli/errors.ts';
import { flag, horizonList, port, positiveInt, symbolList } from '../cli/flags.ts';
import { terminalText } from '../cli/format.ts';
import { whenStoppedOrLost } from '../cli/signals.ts';
import { formatDuration } from '../evaluation/estimate.ts';
import { formatEvaluationBrief } from '../evaluation/format-text.ts';
import type { EvaluationResult } from '../evaluation/summarize.ts';
import { evaluateServedJob, saveEvaluationResult, SERVED_PLAN, servedEvaluation } from '../jobs/evaluate-job.ts';
import { ingestJob } from '../jobs/ingest-job.ts';
import { publishJob, servedPredictions, type PublishedPrediction } from '../jobs/publish-job.ts';
import { renderRiskLine } from '../jobs/publish-risk.ts';
import { renderOutcomesLine } from '../jobs/track-record-job.ts';
import { warnLine } from './publish.ts';
import { trainPooledJob, type PooledTrainedModel } from '../jobs/train-pooled-job.ts';
import { startServe } from './serve.ts';
import { snapshotLoadLine } from './snapshot.ts';

interface StartFlags extends DbOption {
  csv?: string[];
  symbols?: string[];
  horizons: number[];
  epochs?: number;
  port: number;
  serve: boolean;
  evaluate: boolean;
  quiet?: boolean;
}

/** What the steps share: the resolved flags and environment. */
interface StartPlan {
  flags: StartFlags;
  env: TrainerEnv;
  /** The assets of the universe to pool (undefined: all). */
  symbols: string[] | undefined;
  horizons: number[];
  epochs: number | undefined;
  csv: string[] | undefined;
}

const say = (s: string): void => void process.stdout.write(`${terminalText(s)}\n`); // reports quote files and servers

/** How long the online sources get to answer before the job calls itself offline (one try each, both at once). */
export const ONLINE_PROBE_TIMEOUT_MS = 3000;

/**
 * The walk-forward plan of the main job, sized so that the whole `npm start` on the bundled snapshot stays within
 * 10 minutes on two cores (BENCHMARKS.md has the measured runs): the served recipe over every asset, the newest
 * two half-year blocks at the first horizon, each predicted by the recipe's ensemble trained only on the history
 * before it. The same as `coinsphere evaluate --horizon <h> --max-folds 2`; `coinsphere evaluate` without
 * --max-folds runs every block (the benchmark in BENCHMARKS.md).
 */
export const START_EVALUATION = { maxFolds: 2 } as const;

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
  say(`No --csv and no COINSPHERE_DATA: asking Binance and CoinGecko for ${plan.symbols?.join(', ') ?? 'the top 20 by market cap'} …`);
  const reach = await probeOnlineSources({ binanceBaseUrl: plan.env.binanceUrl, coingeckoBaseUrl: plan.env.coingeckoUrl, timeoutMs: ONLINE_PROBE_TIMEOUT_MS });
  if (!reach.binance.ok) say(offlineLine(reach));
  return reach;
}

async function loadSnapshot(db: Database): Promise<void> {
  const result = await ingestJob(db, { kind: 'snapshot', dir: BUNDLED_SNAPSHOT_DIR });
  if (result.kind === 'snapshot') say(snapshotLoadLine(result.report, Date.now()));
}

/** The assets to fetch online: --symbols, else the top 20 (the static list when CoinGecko does not answer), said in a line. */
async function onlineAssets(plan: StartPlan, reach: { binance: Reach; coingecko: Reach }): Promise<Pick<TopAssets, 'symbols' | 'coingeckoIds'>> {
  if (plan.symbols) return { symbols: plan.symbols, coingeckoIds: {} };
  const top = reach.coingecko.ok
    ? await fetchTopAssets({ coingeckoBaseUrl: plan.env.coingeckoUrl, binanceBaseUrl: plan.env.binanceUrl })
    : staticTopAssets(`CoinGecko does not answer (${reach.coingecko.problem})`);
  say(describeTopAssets(top));
  return top;
}

/**
 * Ingests from CSV, online, or (offline, or when the online fetch fails) the bundled snapshot; returns the assets
 * it covers: --symbols, else those fetched online, else the top 20 the database holds.
 */
async function ingestStep(db: Database, plan: StartPlan, reach: { binance: Reach; coingecko: Reach } | null): Promise<string[]> {
  const held = async () => plan.symbols ?? (await topHeldAssets(db)).symbols;
  if (plan.csv && plan.csv.length > 0) {
    say(`Ingesting ${plan.csv.join(', ')} …`);
    const result = await ingestJob(db, { kind: 'csv', paths: plan.csv, skipInvalid: false });
    const files = result.kind === 'csv' ? result.report.files : [];
    say(`Ingested ${files.length} files, ${files.reduce((s, f) => s + f.candles, 0)} candles (re-ingesting changes nothing).`);
    return held();
  }
  if (!reach?.binance.ok) return loadSnapshot(db).then(held); // probeStep has said why
  const { symbols, coingeckoIds } = await onlineAssets(plan, reach);
  const online = (from: 'binance' | 'coingecko', baseUrl: string | undefined) => ingestJob(db, { kind: 'api', from, symbols, baseUrl, coingeckoIds, skipInvalid: false });
  try {
    const fetched = await online('binance', plan.env.binanceUrl);
    const reports = fetched.kind === 'api' ? fetched.reports : [];
    say(`Binance: ${reports.map((r) => `${r.symbol} ${r.written.inserted} new`).join(', ')} daily candles.`);
  } catch (error) {
    say(`Fetching from Binance failed (${(error as Error).message}); loading the bundled snapshot instead.`);
    return loadSnapshot(db).then(held);
  }
  if (!reach.coingecko.ok) say(`CoinGecko skipped: ${reach.coingecko.problem}.`);
  else await online('coingecko', plan.env.coingeckoUrl).catch((e: unknown) => say(`CoinGecko skipped: ${(e as Error).message}`));
  return symbols;
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
// 2. Train (the served pooled recipe, through the promotion gate)

async function trainStep(db: Database, plan: StartPlan): Promise<PooledTrainedModel[]> {
  say(`\n== Training the pooled model over every asset at ${plan.horizons.join(', ')} days ==`);
  const recipe = plan.epochs ? { ...SERVED_RECIPE, training: { ...SERVED_RECIPE.training, epochs: Math.min(plan.epochs, SERVED_RECIPE.training.epochs) } } : SERVED_RECIPE;
  const out = await trainPooledJob(db, {
    horizons: plan.horizons, recipe, artifactsRoot: plan.env.artifactsRoot, force: false, symbols: plan.symbols,
    mlflowUri: plan.env.mlflowTrackingUri, mlflowExperiment: plan.env.mlflowExperiment,
  }, plan.flags.quiet ? () => {} : say);
  return out.models;
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Evaluate (walk-forward, on START_EVALUATION), stored for the dashboard

async function evaluateStep(db: Database, plan: StartPlan): Promise<EvaluationResult | null> {
  const h = plan.horizons[0]!;
  say(`\n== Walk-forward evaluation of the served recipe at ${h} days ==`);
  say(
    `Plan (sized for the main job's 10-minute budget on two cores): the newest ${START_EVALUATION.maxFolds} blocks of ${SERVED_PLAN.foldDays} days over every asset, ` +
      `each predicted by the recipe trained only on the history before it; the same as \`coinsphere evaluate --horizon ${h} --max-folds ${START_EVALUATION.maxFolds}\`` +
      ` (without --max-folds: every block, as BENCHMARKS.md reports).`,
  );
  try {
    const served = servedEvaluation({ symbols: plan.symbols ?? [], horizons: [h], maxFolds: START_EVALUATION.maxFolds, epochs: plan.epochs });
    // Its folds are jobs of the queue like `evaluate`'s, worked here; a `coinsphere worker` started meanwhile joins in.
    const { opts, result } = await evaluateServedJob(db, served, plan.flags.quiet ? () => {} : say, { localWorkers: 1, dbTarget: resolveDbTarget(plan.flags) });
    const id = await saveEvaluationResult(db, opts, result);
    for (const line of formatEvaluationBrief(result)) say(line);
    say(`Saved as evaluation ${id}; the dashboard's model card shows it.`);
    return result;
  } catch (error) {
    say(`Evaluation skipped: ${(error as Error).message} The model card will say how to run one (\`coinsphere evaluate\`).`);
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Publish

/** Publishes the latest prediction of each trained model (the publish job, which computes each once); the
 *  summary then reads the same batch. */
async function publishStep(db: Database, plan: StartPlan): Promise<PublishedPrediction[]> {
  const { batch, result } = await publishJob(db, { filter: { symbols: plan.symbols, horizons: plan.horizons }, redisUrl: undefined, artifactsRoot: plan.env.artifactsRoot }, servedPredictions(plan.env.artifactsRoot, warnLine));
  const stale = batch.filter((p) => dataFreshness(p.asOf, Date.now()).stale).length;
  say(`\nPublished ${result.written} predictions${stale ? ` (${stale} from stale data: the API serves them with stale: true)` : ''}.`);
  if (result.risk) say(renderRiskLine(result.risk));
  if (result.track) say(renderOutcomesLine(result.track.outcomes)); // the live track record: what the new candles settled
  return batch;
}

function summary(trained: PooledTrainedModel[], published: PublishedPrediction[]): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  for (const m of trained) {
    say(`\nAt ${m.horizonDays} days, on the ${m.decisions[0]?.from ?? '?'}..${m.decisions[0]?.to ?? '?'} block held out of training (Brier: lower is better, 0.667 is a coin flip over three classes):`);
    say('asset   served  Brier   accuracy  latest prediction');
    for (const d of m.decisions) {
      const p = published.find((x) => x.symbol === d.symbol && x.horizonDays === m.horizonDays);
      const call = p ? `${p.signal === 'none' ? 'no clear signal' : p.class} ${pct(p.confidence)} as of ${p.asOf}` : 'not published';
      say(`${d.symbol.padEnd(7)} ${(d.decision === 'kept' ? 'no' : 'yes').padEnd(7)} ${d.rows ? d.candidate.brier.toFixed(3) : '  -  '}   ${d.rows ? pct(d.candidate.accuracy).padStart(6) : '    - '}    ${call}`);
    }
  }
  say('The walk-forward evaluation above is the honest measure; read a prediction as a probability, never a promise.');
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Serve

async function serveStep(flags: StartFlags): Promise<void> {
  const server = await startServe({ db: flags.db, port: flags.port });
  say(`\nServing the API and the dashboard on ${server.url}/ (API: ${server.url}/v1/predictions/BTC). Ctrl-C stops.`);
  const lost = await whenStoppedOrLost(server.lost);
  await server.stop();
  if (lost) throw lost;
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

function declareFlags(command: Command): Command {
  command
    .option('--csv <paths...>', 'CSV files or folders to ingest (default: $COINSPHERE_DATA; else the top 20 from Binance and CoinGecko online, or the bundled snapshot offline)');
  flag(command, '--symbols <list>', 'only these assets (default: online, fetch the top 20 by market cap with a Binance USDT pair; then train on every stored asset but stablecoins and wrapped tokens)', symbolList);
  flag(command, '--horizons <list>', 'label horizons in days', horizonList, [7, 14, 30]);
  flag(command, '--epochs <n>', 'cap the epochs of training and evaluation (default: the specification\'s 100 with early stopping)', positiveInt);
  flag(command, '--port <port>', 'port of the API and dashboard', port, 8787);
  return command
    .option('--no-evaluate', 'skip the walk-forward evaluation')
    .option('--no-serve', 'stop after publishing instead of serving')
    .option('--quiet', 'no per-epoch lines');
}

/** Runs the five steps on one database, timing each; returns what the summary reads. */
async function runSteps(plan: StartPlan, times: Array<[string, number]>) {
  // Asked before the database opens, so an offline machine hears it within seconds.
  const reach = plan.csv ? null : await timed(times, 'probe', () => probeStep(plan));
  return withDatabase(plan.flags, async (db) => {
    say(`Database: ${db.kind} ${db.location}`);
    const assets = await timed(times, 'ingest', () => ingestStep(db, plan, reach));
    say(await dataAgeLine(db, assets));
    const trained = await timed(times, 'train', () => trainStep(db, plan));
    if (plan.flags.evaluate) await timed(times, 'evaluate', () => evaluateStep(db, plan));
    const published = await timed(times, 'publish', () => publishStep(db, plan));
    return { trained, published };
  }, { share: true }); // `coinsphere status` and the rest work from another terminal while it runs
}

/** Registers `start`. */
export function register(program: Command): void {
  const command = program
    .command('start')
    .description('Run the main job: ingest, train the pooled model over every asset, evaluate walk-forward beside baselines, publish, serve');
  addDbOption(declareFlags(command)).action(
    action(async (f: StartFlags) => {
      const started = Date.now();
      const env = readTrainerEnv();
      const plan: StartPlan = { flags: f, env, symbols: f.symbols, horizons: f.horizons, epochs: f.epochs, csv: f.csv ?? (env.dataDir ? [env.dataDir] : undefined) };
      const times: Array<[string, number]> = [];
      const { trained, published } = await runSteps(plan, times);
      summary(trained, published);
      say(`\nThe job took ${formatDuration(Date.now() - started)} (${times.map(([name, ms]) => `${name} ${formatDuration(ms)}`).join(', ')}).`);
      if (f.serve) await serveStep(f);
    }),
  );
}
