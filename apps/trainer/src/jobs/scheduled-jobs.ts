// The jobs the scheduler runs (issue #17; queue/schedules.ts says when): the daily refresh (ingest what the online
// sources have that is newer than the stored candles, for the assets held from Binance plus those newly in the top 20
// (issue #18), then publish, which first resolves the outcomes the new candles
// settle) and the weekly retrain (the served recipe at every served horizon, through the promotion gate, then a
// publish when the gate served a new model). Each step is idempotent, so a retried job repeats nothing. Offline, the
// refresh says so and ends; the next one tries again. Prints nothing; each returns what it did, in order. Must not
// import a command.
import { fetchTopAssets, listSeries, probeOnlineSources, staticTopAssets, type Database, type Reach, type TopAssets } from '@coinsphere/data';
import type { PooledRecipe } from '@coinsphere/model/core';
import { CliError } from '../cli/errors.ts';
import { ingestJob } from './ingest-job.ts';
import { publishJob, servedPredictions } from './publish-job.ts';
import { trainPooledJob } from './train-pooled-job.ts';
import type { GateDecision } from '../training/promotion-gate.ts';

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
  | { step: 'top'; from: 'coingecko' | 'static'; added: string[]; note?: string }
  | { step: 'top'; skipped: string }
  | { step: 'ingest'; source: 'binance' | 'coingecko'; inserted: number; symbols: string[] }
  | { step: 'ingest'; source: 'binance' | 'coingecko'; skipped: string }
  | { step: 'outcomes'; resolved: number; pending: number }
  | { step: 'publish'; written: number; asOf: string | null }
  | { step: 'publish'; skipped: string }
  | { step: 'train'; horizonDays: number; modelVersion: string; decisions: Array<Pick<GateDecision, 'symbol' | 'decision' | 'reason'>> };

/** The symbols of the daily series the database holds from Binance. */
async function heldFromBinance(db: Database): Promise<string[]> {
  const held = (await listSeries(db)).filter((s) => s.interval === '1d' && s.source === 'binance').map((s) => s.symbol);
  return [...new Set(held)].sort();
}

/**
 * The top 20 when both sources answer the ping (else none: only the held assets are refreshed, or the static list
 * when none is held), and the step saying what it added to `held`: the live list's newcomers, or the whole static
 * list for an empty database.
 */
async function topStep(held: readonly string[], reach: { binance: Reach; coingecko: Reach }, env: ScheduledJobEnv): Promise<{ top: TopAssets | null; step: StepReport }> {
  const silent = [reach.binance.ok ? null : 'Binance', reach.coingecko.ok ? null : 'CoinGecko'].filter((s) => s !== null);
  const unanswered = `${silent.join(' and ')} ${silent.length > 1 ? 'do' : 'does'} not answer`;
  const top = silent.length === 0
    ? await fetchTopAssets({ coingeckoBaseUrl: env.coingeckoUrl, binanceBaseUrl: env.binanceUrl })
    : held.length === 0 ? staticTopAssets(unanswered) : null;
  if (!top) return { top, step: { step: 'top', skipped: `not asked: ${unanswered}; refreshing the held assets` } };
  const usable = top.from === 'coingecko' || held.length === 0; // a fallback list adds nothing to assets already held
  const added = usable ? top.symbols.filter((s) => !held.includes(s)) : [];
  return { top: usable ? top : null, step: { step: 'top', from: top.from === 'coingecko' ? 'coingecko' : 'static', added, ...(top.fallback ? { note: top.fallback } : {}) } };
}

/** Ingests from one API source, or says why it did not. */
async function ingestFrom(db: Database, from: 'binance' | 'coingecko', symbols: string[], env: ScheduledJobEnv, coingeckoIds: Record<string, string> | undefined): Promise<StepReport> {
  try {
    const baseUrl = from === 'binance' ? env.binanceUrl : env.coingeckoUrl;
    const result = await ingestJob(db, { kind: 'api', from, symbols, baseUrl, coingeckoIds, skipInvalid: false, nowMs: env.now?.() });
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
 * The daily refresh: the top 20 (what it adds to the assets held from Binance), ingest, then (when something new came
 * in) publish and resolve outcomes. Offline: one skipped step per source naming what did not answer, and no publish
 * (nothing changed).
 */
export async function refreshJob(db: Database, env: ScheduledJobEnv): Promise<StepReport[]> {
  const held = await heldFromBinance(db);
  const reach = await probeOnlineSources({ binanceBaseUrl: env.binanceUrl, coingeckoBaseUrl: env.coingeckoUrl, timeoutMs: PROBE_TIMEOUT_MS });
  const { top, step } = await topStep(held, reach, env);
  const symbols = [...new Set([...held, ...(top?.symbols ?? [])])];
  const steps: StepReport[] = [step];
  steps.push(reach.binance.ok ? await ingestFrom(db, 'binance', symbols, env, undefined) : { step: 'ingest', source: 'binance', skipped: `offline: ${reach.binance.url} ${reach.binance.problem}` });
  steps.push(reach.coingecko.ok ? await ingestFrom(db, 'coingecko', symbols, env, top?.coingeckoIds) : { step: 'ingest', source: 'coingecko', skipped: `offline: ${reach.coingecko.url} ${reach.coingecko.problem}` });
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
