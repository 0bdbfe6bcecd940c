// The job queue (issue #17): the one place pg-boss is created, over PostgreSQL or the embedded PGlite alike (its
// `db` option runs every statement through Database.executeSql, so the queue lives in the same database as the
// data and a worker needs nothing but the URL), with the queue names and their retry/expiry policy. Must not
// import a command.
import type { Database } from '@coinsphere/data';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import PgBoss from 'pg-boss';

const CLI = fileURLToPath(new URL('../../bin/coinsphere.js', import.meta.url));

/** Starts `n` `coinsphere worker --db <dbTarget> <args>` processes (stderr: this process's); the caller stops them. */
export function startWorkerProcesses(n: number, dbTarget: string, args: readonly string[] = []): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, [CLI, 'worker', '--db', dbTarget, ...args], { stdio: ['ignore', 'ignore', 'inherit'] }));
}

/** The queues: one per kind of long-running step. */
export const QUEUES = {
  /** One walk-forward fold: train, calibrate, predict the test block (queue/fold-job.ts). */
  fold: 'coinsphere-fold',
  /** The daily refresh: ingest, outcomes, publish (jobs/scheduled-jobs.ts refreshJob). */
  refresh: 'coinsphere-refresh',
  /** The weekly retrain behind the promotion gate (jobs/scheduled-jobs.ts retrainJob). */
  retrain: 'coinsphere-retrain',
} as const;

/** A queue's name. */
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Retry and expiry policy per queue. A fold that fails (a worker's error) is retried twice with backoff from 5 s;
 * one whose worker vanished (killed, machine gone) expires after `expireInSeconds` and is then retried by another
 * worker. The queue's expiry is the longest a fold may take by default; `evaluate` sets each fold job's own from
 * its estimate (fold-job.ts foldExpireSeconds).
 */
export const QUEUE_POLICY: Record<QueueName, Omit<PgBoss.Queue, 'name'>> = {
  [QUEUES.fold]: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 4 * 60 * 60 },
  // Scheduled jobs: 'stately' keeps at most one queued and one running, so a schedule that fires while the last
  // one still runs queues one more and no pile-up; an online source that failed is retried from 5 minutes on.
  [QUEUES.refresh]: { policy: 'stately', retryLimit: 3, retryDelay: 300, retryBackoff: true, expireInSeconds: 60 * 60 },
  [QUEUES.retrain]: { policy: 'stately', retryLimit: 1, retryDelay: 600, retryBackoff: true, expireInSeconds: 12 * 60 * 60 },
};

/** Where pg-boss keeps its tables, beside ours in the same database. */
export const QUEUE_SCHEMA = 'pgboss';

/** How often (s) a queue checks for expired jobs: an abandoned fold is retried at most this long after it expires. */
export const MAINTENANCE_SECONDS = 5;

/** How often (s) an idle worker asks for a job. */
export const POLL_SECONDS = 0.5;

/**
 * Works `name` with `handler`, one job at a time. pg-boss 10's worker sleeps out its polling interval after every
 * job, even when more wait (500 ms a job here: more than a small fold takes); notifying it after each job makes it
 * fetch the next one at once, and it still sleeps when the queue is empty. What `handler` returns is the job's output.
 * Returns the worker id.
 */
export async function workQueue<T>(boss: PgBoss, name: QueueName, handler: (jobs: PgBoss.Job<T>[]) => Promise<unknown>): Promise<string> {
  let id = '';
  id = await boss.work<T>(name, { pollingIntervalSeconds: POLL_SECONDS }, async (jobs) => {
    try {
      return await handler(jobs); // pg-boss keeps it as the job's output
    } finally {
      boss.notifyWorker(id);
    }
  });
  return id;
}

/** Options of openQueue. */
export interface QueueOptions {
  /** Run pg-boss's maintenance (expiry, archiving) here; default true. A short-lived client may turn it off. */
  supervise?: boolean;
  /** Run pg-boss's timekeeper here, which sends each cron schedule's job when it is due (queue/schedules.ts); default false. */
  schedule?: boolean;
}

/**
 * Starts pg-boss on `db` (installing or upgrading its schema on first use) and creates every queue of QUEUES with
 * its policy. Errors it emits later (a lost connection) go to `onError`. Stop it with `boss.stop()` before closing db.
 */
export async function openQueue(db: Database, onError: (error: Error) => void, opts: QueueOptions = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => db.executeSql(text, values) },
    schema: QUEUE_SCHEMA,
    supervise: opts.supervise ?? true,
    schedule: opts.schedule ?? false, // pg-boss lets one timekeeper at a time send a due schedule's job, however many run
    maintenanceIntervalSeconds: MAINTENANCE_SECONDS,
  });
  boss.on('error', onError);
  await boss.start();
  try {
    for (const [name, policy] of Object.entries(QUEUE_POLICY)) await createQueueOnce(boss, name, policy);
  } catch (error) {
    await boss.stop({ graceful: false, wait: true, timeout: 1000 }); // its timers would go on polling a database the caller closes
    throw error;
  }
  return boss;
}

/** PostgreSQL's SQLSTATE for a transaction it aborted to break a deadlock. */
const DEADLOCK = '40P01';

/**
 * Creates queue `name` unless it exists. pg-boss's create_queue inserts the queue's row and attaches its partition
 * in one transaction, and several of them at once on a fresh database (the workers and `evaluate` that a test or a
 * deploy starts together) deadlock: PostgreSQL aborts all but one (pg-boss issue #133's family; measured here: 5 of
 * 6 openers failed). The aborted transaction left nothing behind, and by the next try the winner's row is there, so
 * a retry after a short random pause is exact.
 */
async function createQueueOnce(boss: PgBoss, name: string, policy: Omit<PgBoss.Queue, 'name'>, attempts = 8): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, ...policy });
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt === attempts) throw error;
      await new Promise((wake) => setTimeout(wake, 20 + Math.random() * 80 * attempt));
    }
  }
}
