// `coinsphere jobs [--state <s>] [--limit n] [--json]` lists the job queue (queued, running, failed and finished
// jobs, newest first; per evaluate run how many of its folds are done), and `coinsphere jobs retry <id>` queues a
// failed job again. Reads pg-boss's tables through queue/job-list.ts. Flags → query → output.
import { printable } from '@coinsphere/model/core';
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { action, CliError } from '../cli/errors.ts';
import { flag, oneOf, positiveInt } from '../cli/flags.ts';
import { findJob, JOB_STATES, listJobs, type JobRow } from '../queue/job-list.ts';
import { openQueue } from '../queue/queue.ts';
import { stepWords } from '../queue/schedules.ts';

/** The flags of `jobs`. */
export interface JobsFlags extends DbOption {
  state?: JobRow['state'];
  limit: number;
  json?: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** One line per job: id, state, what, attempts, how long it ran (or has been running, beside its expiry), why it failed,
 *  and a scheduled job's steps. */
export function renderJob(j: JobRow, nowMs: number): string {
  const attempts = `attempt ${j.retryCount + 1} of ${j.retryLimit + 1}`;
  const ran = j.startedMs === null ? 'not started' : j.state === 'active' ? `running ${seconds(nowMs - j.startedMs)} (expires after ${j.expireSeconds} s)` : j.completedMs ? `ran ${seconds(j.completedMs - j.startedMs)}` : '';
  const why = j.state === 'failed' && j.error ? `: ${printable(j.error, 300)}` : '';
  const steps = j.steps ? `: ${printable(stepWords(j.steps), 600)}` : '';
  return `${j.id}  ${j.state.padEnd(9)} ${j.label}  ${attempts}, ${ran}${why}${steps}`;
}

/** Per evaluate run: how many of its fold jobs are finished, running, waiting and failed. */
export function renderRuns(jobs: readonly JobRow[]): string[] {
  const runs = new Map<string, JobRow[]>();
  for (const j of jobs) if (j.run) runs.set(j.run, [...(runs.get(j.run) ?? []), j]);
  return [...runs].map(([run, js]) => {
    const n = (...states: string[]) => js.filter((j) => states.includes(j.state)).length;
    return `evaluate run ${run}: ${n('completed')} of ${js.length} folds finished, ${n('active')} running, ${n('created', 'retry')} waiting, ${n('failed')} failed${n('cancelled') ? `, ${n('cancelled')} cancelled` : ''}.`;
  });
}

async function retryJob(f: DbOption, id: string): Promise<string> {
  return withDatabase(f, async (db) => {
    const job = await findJob(db, id);
    if (!job) throw new CliError(`No job ${printable(id, 60)} in the queue; \`coinsphere jobs\` lists them (finished jobs are archived after 12 hours and cannot be retried).`, 2);
    if (job.state !== 'failed') throw new CliError(`Job ${id} (${job.label}) is ${job.state}; only a failed job can be retried.`, 2);
    const boss = await openQueue(db, () => undefined, { supervise: false });
    try {
      await boss.retry(job.queue, id);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    return `Job ${id} (${job.label}) is queued again; a worker takes it (\`coinsphere worker\`, or the evaluate that queued it).`;
  });
}

/** Registers `jobs` and `jobs retry`. */
export function register(program: Command): void {
  const jobs = program.command('jobs').description('List the job queue: queued, running, failed and finished jobs, and each evaluate run\'s progress');
  flag(jobs, '--state <state>', `only jobs in this state (${JOB_STATES.join(', ')})`, oneOf(JOB_STATES));
  flag(jobs, '--limit <n>', 'newest n jobs', positiveInt, 50);
  addDbOption(jobs.option('--json', 'print the jobs as one JSON array')).action(
    action(async (f: JobsFlags) => {
      const all = await withDatabase(f, (db) => listJobs(db, 10_000));
      const shown = all.filter((j) => !f.state || j.state === f.state).slice(0, f.limit);
      if (f.json) return void process.stdout.write(`${JSON.stringify(shown)}\n`);
      const now = Date.now();
      const lines = all.length === 0 ? ['The queue is empty: no job was queued in this database yet.'] : [...renderRuns(all), ...shown.map((j) => renderJob(j, now))];
      process.stdout.write(`${lines.join('\n')}\n`);
    }),
  );
  addDbOption(jobs.command('retry <id>').description('Queue a failed job again (its id from `coinsphere jobs`)')).action(
    action(async (id: string, _f: DbOption, self: Command) => {
      // `jobs retry <id> --db x`: commander hands --db to `jobs` when both declare it, so read both.
      process.stdout.write(`${await retryJob(self.optsWithGlobals<DbOption>(), id)}\n`);
    }),
  );
}
