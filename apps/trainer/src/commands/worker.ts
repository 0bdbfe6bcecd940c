// `coinsphere worker [--db postgres://…] [--scheduled] [--quiet]`: works the job queue (queue/queue.ts) until Ctrl-C
// or SIGTERM, one job at a time: on any number of machines against one PostgreSQL, they share `evaluate`'s folds.
// Everything a fold needs comes from the database, so the URL is all a worker takes. With --scheduled (the worker
// `serve` starts) it also works the scheduled refresh and retrain (queue/schedules.ts), which write artifacts under
// this machine's artifacts root. On stop, a job in progress is handed back to the queue (failed, so another worker
// retries it).
import type { Command } from 'commander';
import { addDbOption, openProjectDatabase, type DbOption } from '../cli/database.ts';
import { readServingEnv, readTrainerEnv } from '../cli/env.ts';
import { action } from '../cli/errors.ts';
import { whenStoppedOrLost } from '../cli/signals.ts';
import { WORKER_NAME } from '../queue/fold-job.ts';
import { foldJobHandler } from '../queue/fold-job-handler.ts';
import { openQueue, QUEUES, workQueue } from '../queue/queue.ts';
import { scheduledHandlers } from '../queue/schedules.ts';

/** Options of worker. */
export interface WorkerOptions extends DbOption {
  /** Print only failures, not each job's start and end. */
  quiet?: boolean;
  /** Also work the scheduled jobs (refresh, retrain). */
  scheduled?: boolean;
}

/** Registers `worker`. */
export function register(program: Command): void {
  const command = program
    .command('worker')
    .description('Work the job queue (walk-forward folds of `evaluate`) until stopped; start one per machine against one PostgreSQL to share the work')
    .option('--scheduled', 'also work the scheduled refresh and retrain jobs (what `serve` starts its own worker with)')
    .option('--quiet', 'print only failures, not each job');
  addDbOption(command).action(
    action(async (opts: WorkerOptions) => {
      const say = (line: string) => void process.stderr.write(`${line}\n`);
      const db = await openProjectDatabase(opts, undefined, { share: true });
      try {
        const boss = await openQueue(db, (e) => say(`worker ${WORKER_NAME}: ${e.message}`));
        const handler = foldJobHandler(db, opts.quiet ? () => undefined : (line) => say(`worker ${WORKER_NAME}: ${line}`));
        await workQueue(boss, QUEUES.fold, handler);
        const queues: string[] = [QUEUES.fold];
        if (opts.scheduled) {
          const env = readTrainerEnv();
          const handlers = scheduledHandlers(db, { env: { ...env, redisUrl: readServingEnv().redisUrl }, log: (line) => say(`worker ${WORKER_NAME}: ${line}`) });
          for (const [queue, work] of Object.entries(handlers)) await workQueue(boss, queue as keyof typeof handlers, work);
          queues.push(...Object.keys(handlers));
        }
        if (!opts.quiet) say(`worker ${WORKER_NAME}: working ${queues.join(', ')} on ${db.location}; Ctrl-C to stop.`);
        const lost = await whenStoppedOrLost(db.lost);
        await boss.stop({ graceful: false, wait: true, timeout: 1000 }); // a job in progress goes back to the queue
        if (lost) throw lost;
      } finally {
        await db.close();
      }
    }),
  );
}
