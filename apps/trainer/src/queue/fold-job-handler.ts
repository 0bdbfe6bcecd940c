// The pg-boss work handler of the fold queue (issue #17): each job to its kind's worker code, per-asset folds
// (fold-job.ts) or the served recipe's (pooled-fold-job.ts), with a line as each starts and ends. Must not
// import a command.
import type { Database } from '@coinsphere/data';
import { workFoldJob, type CandleMemo, type FoldJobData } from './fold-job.ts';
import { workPooledFoldJob, type PooledFoldJobData } from './pooled-fold-job.ts';

/** The pg-boss work handler for fold jobs on `db`; `log` hears each fold start and end. */
export function foldJobHandler(db: Database, log: (line: string) => void) {
  const memo: CandleMemo = new Map();
  return async (jobs: Array<{ id: string; data: FoldJobData | PooledFoldJobData }>): Promise<void> => {
    for (const job of jobs) {
      const started = Date.now();
      log(`fold ${job.data.task.id} started (job ${job.id})`);
      const how = job.data.kind === 'pooled' ? await workPooledFoldJob(db, job.data, memo) : await workFoldJob(db, job.data, memo);
      log(`fold ${job.data.task.id} ${how === 'trained' ? 'trained' : 'was stored already'} in ${((Date.now() - started) / 1000).toFixed(1)} s (job ${job.id})`);
    }
  };
}
