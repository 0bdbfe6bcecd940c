// Runs an evaluation's folds through the queue (issue #17; it replaced a process pool of our own): every fold
// becomes a job, this process follows their outcomes in fold_results, and works folds itself unless told to
// leave them to `coinsphere worker`s elsewhere; `localWorkers` - 1 more worker processes can be started here
// (on an embedded database they reach it through this process's share socket). A fold that fails for good stops the run naming
// it; a stopped run cancels the jobs it left. Must not import a command.
import type { Database } from '@coinsphere/data';
import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import { decodeOutcome, type StoredOutcome } from '../evaluation/fold-cache.ts';
import type { FoldOutcome, FoldTask } from '../evaluation/fold-task.ts';
import { foldJobData, readStoredOutcomes } from './fold-job.ts';
import { foldJobHandler } from './fold-job-handler.ts';
import { failedJobs } from './job-list.ts';
import { openQueue, QUEUES, startWorkerProcesses, workQueue } from './queue.ts';

/** How long the follower waits between looks at the stored outcomes, unless a fold worked here wakes it first. Each look
 *  is two queries on the event loop and the cores the folds train on (250 ms polls cost this process's folds up to a
 *  sixth of their speed in BENCHMARKS.md's queue benchmark), so the wait is long and a local fold's end cuts it short. */
const POLL_MS = 2000;

/** A wait of POLL_MS that wake() ends early. */
function pacer(): { wait: () => Promise<void>; wake: () => void } {
  let end: (() => void) | null = null;
  return {
    wait: () => new Promise<void>((resolve) => {
      const timer = setTimeout(() => ((end = null), resolve()), POLL_MS);
      end = () => (clearTimeout(timer), (end = null), resolve());
    }),
    wake: () => end?.(),
  };
}

/** How a run's folds are worked. */
export interface FoldRunOptions {
  /** Folds trained at once on this machine: this process and localWorkers - 1 `coinsphere worker` processes;
   *  0: none here, the folds wait for workers started elsewhere. */
  localWorkers: number;
  /** pg-boss expireInSeconds of each fold job: how long a fold may run before another worker takes it over. */
  expireInSeconds: number;
  /** The database's URL (for the extra local workers). */
  dbTarget: string;
  log: (line: string) => void;
  /** Aborting stops following: the run's jobs are cancelled and the run rejects. */
  signal?: AbortSignal;
  /** Where each fold's outcome is stored (fold_results.key). Default: one key per fold of this run, so nothing an
   *  earlier run stored is reused; a digest of the fold's inputs (fold-cache.ts taskKey) reuses what was stored. */
  keyOf?: (task: FoldTask) => string;
}

/** One job of a run: its fold id, its stable key (else one for this run) and its payload for a key and run. */
export interface QueueItem {
  id: string;
  key?: string;
  data: (key: string, run: string) => Record<string, unknown>;
}

type RunJob = { id: string; key: string; item: QueueItem };

/** Hears each outcome as it arrives: how many are done of how many, and the item's id. */
export type OnDone<O> = (o: O, done: number, total: number, id: string) => void;

async function follow<O>(db: Database, jobs: RunJob[], got: Map<string, O>, decode: (stored: unknown) => O, onDone: OnDone<O>, wait: () => Promise<void>, signal?: AbortSignal): Promise<Map<string, O>> {
  const idOf = new Map(jobs.map((j) => [j.key, j.item.id]));
  let n = 0;
  for (const [key, outcome] of got) onDone(outcome, ++n, jobs.length, idOf.get(key)!);
  while (got.size < jobs.length) {
    signal?.throwIfAborted();
    const pending = jobs.filter((j) => !got.has(j.key));
    for (const [key, outcome] of await readStoredOutcomes(db, pending.map((j) => j.key), decode)) {
      got.set(key, outcome);
      onDone(outcome, got.size, jobs.length, idOf.get(key)!);
    }
    const [failed] = await failedJobs(db, pending.map((j) => j.id));
    // A retried job's outcome (coinsphere jobs retry) lands under the same key, so the same evaluate run again uses it.
    if (failed) throw new Error(`Fold ${failed.taskId} failed after ${failed.retryCount + 1} attempt(s): ${failed.error}. See \`coinsphere jobs\`; \`coinsphere jobs retry ${failed.id}\` queues it again, and the same evaluate run again then takes its outcome (unless --no-cache).`);
    if (got.size < jobs.length) await wait();
  }
  return got;
}

/**
 * Queues `items`, works and follows them; resolves with their outcomes (decoded by `decode`) in item order.
 * Rejects on the first job that failed for good.
 */
export async function runOnQueue<O>(db: Database, items: QueueItem[], decode: (stored: unknown) => O, opts: Omit<FoldRunOptions, 'keyOf'>, onDone: OnDone<O>): Promise<O[]> {
  if (items.length === 0) return [];
  const run = randomUUID();
  const boss: PgBoss = await openQueue(db, (e) => opts.log(`Job queue: ${e.message}`));
  const jobs = items.map((item) => ({ id: randomUUID(), key: item.key ?? `${run}/${item.id}`, item }));
  const stored = await readStoredOutcomes(db, jobs.map((j) => j.key), decode); // finished by an earlier run (a retried fold's too)
  if (stored.size > 0) opts.log(`${stored.size} of ${jobs.length} fold models are stored in the database already (an earlier run, or a retried job, trained them).`);
  const queued = jobs.filter((j) => !stored.has(j.key));
  const children = startWorkerProcesses(Math.max(0, Math.min(opts.localWorkers, queued.length) - 1), opts.dbTarget, ['--quiet']);
  let finished = false;
  try {
    if (queued.length > 0) await boss.insert(queued.map((j) => ({ id: j.id, name: QUEUES.fold, data: { ...j.item.data(j.key, run), run }, expireInSeconds: opts.expireInSeconds })));
    const pace = pacer();
    const work = foldJobHandler(db, () => undefined);
    if (opts.localWorkers > 0 && queued.length > 0) await workQueue(boss, QUEUES.fold, async (batch: Parameters<typeof work>[0]) => {
      try {
        return await work(batch);
      } finally {
        pace.wake(); // its outcome is stored: look now
      }
    });
    const got = await follow(db, jobs, stored, decode, onDone, pace.wait, opts.signal);
    finished = true;
    return jobs.map((j) => got.get(j.key)!);
  } finally {
    if (!finished && queued.length > 0) await boss.cancel(QUEUES.fold, queued.map((j) => j.id)).catch(() => undefined); // nobody reads them now
    for (const child of children) child.kill('SIGTERM'); // each was started here
    await boss.stop({ graceful: false, wait: true, timeout: 1000 });
  }
}

/** runOnQueue for an evaluation's per-asset folds, each asset's candles named by its series `sources`. */
export function runFoldsOnQueue(db: Database, tasks: FoldTask[], sources: ReadonlyMap<string, string>, opts: FoldRunOptions, onDone: (o: FoldOutcome, done: number, total: number) => void): Promise<FoldOutcome[]> {
  const items = tasks.map((task) => ({ id: task.id, key: opts.keyOf?.(task), data: (key: string) => foldJobData(task, key, sources) as unknown as Record<string, unknown> }));
  return runOnQueue(db, items, (stored) => decodeOutcome(stored as StoredOutcome), opts, onDone);
}
