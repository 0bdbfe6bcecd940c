// The jobs the scheduler runs (issue #17; queue/schedules.ts says when): the daily refresh (ingest what the online
// sources have that is newer than the stored candles, then publish, which first resolves the outcomes the new candles
// settle) and the weekly retrain (the served recipe at every served horizon, through the promotion gate, then a
// publish when the gate served a new model). Each step is idempotent, so a retried job repeats nothing. Offline, the
// refresh says so and ends; the next one tries again. Prints nothing; each returns what it did, in order. Must not
// import a command.
import { listSeries, probeOnlineSources, type Database } from '@coinsphere/data';
import type { PooledRecipe } from '@coinsphere/model/core';
import { CliError } from '../cli/errors.ts';
import { ingestJob } from './ingest-job.ts';
import { publishJob, servedPredictions } from './publish-job.ts';
import { trainPooledJob } from './train-pooled-job.ts';
import type { GateDecision } from '../training/promotion-gate.ts';

/** The assets fetched online when none is named (`start`) or the database holds none from Binance yet (a refresh):
 *  the Binance daily assets of the bundled snapshot (the other coins of the pool have no Binance pair in it). */
export const ONLINE_SYMBOLS = ['BTC', 'ETH', 'BNB', 'XRP', 'SOL', 'ADA', 'DOGE', 'TRX'] as const;

/** How long each online source gets to answer the refresh's first question. */
const PROBE_TIMEOUT_MS = 3000;

/** Where the scheduled jobs read from and write to. */
export interface ScheduledJobEnv {
  artifactsRoot: string;
  redisUrl?: string;
  binanceUrl?: string;
  coingeckoUrl?: string;
  /** The clock (default Date.now; a test's fake one): what counts as a closed bar. */
  now?: () => number;
}

/** One step of a scheduled job, in the order it ran. */
export type StepReport =
  | { step: 'ingest'; source: 'binance' | 'coingecko'; inserted: number; symbols: string[] }
  | { step: 'ingest'; source: 'binance' | 'coingecko'; skipped: string }
  | { step: 'outcomes'; resolved: number; pending: number }
  | { step: 'publish'; written: number; asOf: string | null }
  | { step: 'publish'; skipped: string }
  | { step: 'train'; horizonDays: number; modelVersion: string; decisions: Array<Pick<GateDecision, 'symbol' | 'decision' | 'reason'>> };

/** The daily assets to refresh: the ones the database holds from Binance, else ONLINE_SYMBOLS. */
async function refreshSymbols(db: Database): Promise<string[]> {
  const held = (await listSeries(db)).filter((s) => s.interval === '1d' && s.source === 'binance').map((s) => s.symbol);
  return held.length > 0 ? [...new Set(held)].sort() : [...ONLINE_SYMBOLS];
}

/** Ingests from one API source, or says why it did not. */
async function ingestFrom(db: Database, from: 'binance' | 'coingecko', symbols: string[], baseUrl: string | undefined, nowMs: number | undefined): Promise<StepReport> {
  try {
    const result = await ingestJob(db, { kind: 'api', from, symbols, baseUrl, skipInvalid: false, nowMs });
    const reports = result.kind === 'api' ? result.reports : [];
    return { step: 'ingest', source: from, inserted: reports.reduce((s, r) => s + r.written.inserted, 0), symbols: reports.filter((r) => r.written.inserted > 0).map((r) => r.symbol) };
  } catch (error) {
    return { step: 'ingest', source: from, skipped: (error as Error).message };
  }
}

/** Publishes the served models' latest predictions (resolving outcomes first); the two steps it took. */
async function publishSteps(db: Database, env: ScheduledJobEnv): Promise<StepReport[]> {
  const published = await publishJob(db, { filter: {}, redisUrl: env.redisUrl, artifactsRoot: env.artifactsRoot }, servedPredictions(env.artifactsRoot)).catch((error: unknown) => {
    if (error instanceof CliError && error.exitCode === 2) return error; // no model yet: the message says what to train
    throw error;
  });
  if (published instanceof Error) return [{ step: 'publish', skipped: published.message }];
  const { batch, result } = published;
  const asOf = batch.map((p) => p.asOf).sort().at(-1) ?? null;
  const outcomes = result.track?.outcomes;
  return [{ step: 'outcomes', resolved: outcomes?.resolved ?? 0, pending: outcomes?.pending ?? 0 }, { step: 'publish', written: result.written, asOf }];
}

/**
 * The daily refresh: ingest, then (when something new came in) publish and resolve outcomes. Offline:
 * one skipped ingest step per source naming what did not answer, and no publish (nothing changed).
 */
export async function refreshJob(db: Database, env: ScheduledJobEnv): Promise<StepReport[]> {
  const symbols = await refreshSymbols(db);
  const reach = await probeOnlineSources({ binanceBaseUrl: env.binanceUrl, coingeckoBaseUrl: env.coingeckoUrl, timeoutMs: PROBE_TIMEOUT_MS });
  const steps: StepReport[] = [];
  const nowMs = env.now?.();
  steps.push(reach.binance.ok ? await ingestFrom(db, 'binance', symbols, env.binanceUrl, nowMs) : { step: 'ingest', source: 'binance', skipped: `offline: ${reach.binance.url} ${reach.binance.problem}` });
  steps.push(reach.coingecko.ok ? await ingestFrom(db, 'coingecko', symbols, env.coingeckoUrl, nowMs) : { step: 'ingest', source: 'coingecko', skipped: `offline: ${reach.coingecko.url} ${reach.coingecko.problem}` });
  const inserted = steps.reduce((s, r) => s + (r.step === 'ingest' && 'inserted' in r ? r.inserted : 0), 0);
  if (inserted === 0) return [...steps, { step: 'publish', skipped: 'no new candles: the published predictions stand; the next refresh tries again' }];
  return [...steps, ...(await publishSteps(db, env))];
}

/** The weekly retrain: the served recipe at `horizons`, each candidate through the promotion gate; a publish if one was served. */
export async function retrainJob(db: Database, env: ScheduledJobEnv, opts: { recipe: PooledRecipe; horizons: readonly number[]; log?: (line: string) => void }): Promise<StepReport[]> {
  const { models } = await trainPooledJob(db, { horizons: opts.horizons, recipe: opts.recipe, artifactsRoot: env.artifactsRoot, force: false }, opts.log ?? (() => {}));
  const steps: StepReport[] = models.map((m) => ({ step: 'train', horizonDays: m.horizonDays, modelVersion: m.modelVersion, decisions: m.decisions.map(({ symbol, decision, reason }) => ({ symbol, decision, reason })) }));
  const served = models.some((m) => m.decisions.some((d) => d.decision !== 'kept'));
  if (!served) return [...steps, { step: 'publish', skipped: 'the gate kept every served model: the published predictions stand' }];
  return [...steps, ...(await publishSteps(db, env))];
}
