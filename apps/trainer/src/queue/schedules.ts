// When the product keeps itself fresh (issue #17): pg-boss cron schedules that send the scheduled jobs
// (jobs/scheduled-jobs.ts), and the handlers that work them. `coinsphere serve` installs the schedules and runs a
// timekeeper (unless --no-schedule or COINSPHERE_SCHEDULE=off) and works the jobs in a worker process of its own.
// Only a serve with the scheduler on runs a timekeeper, so with none running nothing is sent. Must not import a command.
import { listModels, type Database } from '@coinsphere/data';
import { POOLED_SYMBOL, SERVED_RECIPE, type PooledRecipe } from '@coinsphere/model/core';
import type PgBoss from 'pg-boss';
import { refreshJob, retrainJob, type ScheduledJobEnv, type StepReport } from '../jobs/scheduled-jobs.ts';
import { openQueue, QUEUES, startWorkerProcesses, type QueueName } from './queue.ts';

/** A schedule: the queue it sends to, its cron (UTC), and what it does in words. */
export interface Schedule {
  queue: QueueName;
  cron: string;
  what: string;
}

/** The schedules: a daily refresh after the day's candle closes (00:00 UTC), a weekly retrain early on Mondays. */
export const SCHEDULES: readonly Schedule[] = [
  { queue: QUEUES.refresh, cron: '20 0 * * *', what: 'every day at 00:20 UTC: ingest the new candles, resolve outcomes, publish' },
  { queue: QUEUES.retrain, cron: '40 1 * * 1', what: 'Mondays at 01:40 UTC: retrain the served recipe; the promotion gate decides what is served' },
];

/** Installs (or updates) every schedule on `boss`. */
export async function installSchedules(boss: PgBoss): Promise<void> {
  for (const s of SCHEDULES) await boss.schedule(s.queue, s.cron, {}, { tz: 'UTC' });
}

/** The horizons the pooled model is served at (what the weekly retrain renews), or the served recipe's defaults. */
export async function pooledHorizons(db: Database): Promise<number[]> {
  const pooled = (await listModels(db.orm)).filter((m) => m.symbol === POOLED_SYMBOL).map((m) => m.horizonDays);
  return pooled.length > 0 ? [...new Set(pooled)].sort((a, b) => a - b) : [7, 14, 30];
}

/** What a scheduled job's handler needs besides the database. */
export interface ScheduledDeps {
  env: ScheduledJobEnv;
  /** The recipe the weekly retrain trains (default: the served recipe). */
  recipe?: PooledRecipe;
  log: (line: string) => void;
}

/** A scheduled job's steps in words, in order: `ingest binance 3 new candles; outcomes 3 resolved, 0 waiting; …`. */
export function stepWords(steps: readonly StepReport[]): string {
  return steps.map((s) => {
    if ('skipped' in s) return `${s.step}${s.step === 'ingest' ? ` ${s.source}` : ''} skipped (${s.skipped})`;
    if (s.step === 'top') return `top 20 from ${s.from === 'coingecko' ? 'CoinGecko' : `the static list (${s.note ?? 'no reason given'})`}: ${s.added.length ? `added ${s.added.join(', ')}` : 'nothing new'}`;
    if (s.step === 'ingest') return `ingest ${s.source} ${s.inserted} new candles`;
    if (s.step === 'outcomes') return `outcomes ${s.resolved} resolved, ${s.pending} waiting`;
    if (s.step === 'publish') return `publish ${s.written} predictions as of ${s.asOf ?? '-'}`;
    return `train ${s.horizonDays}d ${s.modelVersion}: ${s.decisions.map((d) => `${d.symbol} ${d.decision}`).join(', ')}`;
  }).join('; ');
}

/** One line per job, for the worker's log. */
export function renderSteps(name: string, steps: readonly StepReport[]): string {
  return `${name}: ${stepWords(steps)}.`;
}

/** The handler of each scheduled queue: runs its job and returns its steps as the job's output (`coinsphere jobs` shows them). */
export function scheduledHandlers(db: Database, deps: ScheduledDeps): Record<typeof QUEUES.refresh | typeof QUEUES.retrain, (jobs: PgBoss.Job<object>[]) => Promise<{ steps: StepReport[] }>> {
  return {
    [QUEUES.refresh]: async () => {
      const steps = await refreshJob(db, deps.env);
      deps.log(renderSteps('refresh', steps));
      return { steps };
    },
    [QUEUES.retrain]: async () => {
      const steps = await retrainJob(db, deps.env, { recipe: deps.recipe ?? SERVED_RECIPE, horizons: await pooledHorizons(db), log: deps.log });
      deps.log(renderSteps('retrain', steps));
      return { steps };
    },
  };
}

/** A running scheduler: its timekeeper and the worker process that works the scheduled jobs. */
export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Starts the scheduler on `db` (`dbTarget` is its --db, for the worker process): installs SCHEDULES, runs pg-boss's
 * timekeeper here, and starts one `coinsphere worker --scheduled` process that works the jobs, so a retrain's training
 * never holds up the API's event loop.
 */
export async function startScheduler(db: Database, dbTarget: string, log: (line: string) => void): Promise<Scheduler> {
  const boss = await openQueue(db, (e) => log(`Scheduler: ${e.message}`), { schedule: true });
  try {
    await installSchedules(boss);
  } catch (error) {
    await boss.stop({ graceful: false, wait: true, timeout: 1000 });
    throw error;
  }
  const [worker] = startWorkerProcesses(1, dbTarget, ['--scheduled']);
  return {
    stop: async () => {
      const exited = new Promise((resolve) => (worker!.exitCode !== null ? resolve(null) : worker!.once('exit', resolve)));
      worker!.kill('SIGTERM');
      await exited;
      await boss.stop({ graceful: false, wait: true, timeout: 1000 });
    },
  };
}
