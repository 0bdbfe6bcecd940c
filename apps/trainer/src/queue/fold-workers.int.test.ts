// The acceptance test of folds as queue jobs (issue #17), on the real PostgreSQL at 127.0.0.1 (a throwaway
// database per run): three `coinsphere worker` processes share a small walk-forward that `evaluate --jobs 0`
// queued and follows; one worker is killed with SIGKILL in the middle of a fold. Its job expires and another worker
// trains it again; the result equals the same walk-forward run in one process (`--jobs 1`, every seed fixed), and
// fold_results shows every fold stored once and trained to completion once.
import { openDatabase, upsertCandles } from '@coinsphere/data';
import { makeSyntheticCandles } from '@coinsphere/model/core';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../../../../tests/support/cli.ts';
import { createTempDatabase } from '../../../../tests/support/postgres.ts';
import type { EvaluationResult } from '../evaluation/summarize.ts';
import { listJobs } from './job-list.ts';

const EXPIRE_S = 15; // a fold here takes a second or two; generous so that a slow but live worker is never overtaken

const evaluateArgs = (url: string, jobs: number) => [
  'evaluate', '--model', 'spec', '--db', url, '--symbols', 'SYNA,SYNB', '--horizon', '7', '--quick', '--epochs', '3', '--window-bars', '10',
  '--fold-days', '40', '--min-train-days', '200', '--max-folds', '3', '--bootstrap', '100', '--no-cache', '--no-save', '--json',
  '--jobs', String(jobs), '--fold-expire', String(EXPIRE_S),
];

async function seeded(): Promise<{ url: string; drop: () => Promise<void> }> {
  const temp = await createTempDatabase('cs_queue');
  const db = await openDatabase(temp.url);
  for (const [symbol, seed] of [['SYNA', 3], ['SYNB', 4]] as const) {
    await upsertCandles(db, makeSyntheticCandles(640, seed).map((c) => ({ ...c, symbol, interval: '1d' as const, source: 'synthetic' })));
  }
  await db.close();
  return temp;
}

/** The result without what depends on where and how fast it ran. */
const comparable = (r: EvaluationResult) => JSON.stringify({ ...r, generatedAt: undefined, timing: undefined, config: { ...r.config, jobs: undefined } });

describe('walk-forward folds on the job queue', () => {
  const temps: Array<{ url: string; drop: () => Promise<void> }> = [];
  const workers: ChildProcessWithoutNullStreams[] = [];
  beforeAll(async () => {
    temps.push(await seeded(), await seeded());
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL'); // started here
    for (const t of temps) await t.drop();
  });

  it('three workers share it, one killed mid-fold; the result equals one process and no fold is trained twice', async () => {
    const [shared, single] = [temps[0]!.url, temps[1]!.url];
    const logs = ['', '', ''];
    for (const i of [0, 1, 2]) {
      const w = spawnCli(['worker', '--db', shared]);
      w.stderr.on('data', (d: Buffer) => (logs[i] += d.toString()));
      workers.push(w);
    }
    let killed: string | undefined;
    const victim = workers[0]!;
    victim.stderr.on('data', () => {
      const m = /fold (\S+) started/.exec(logs[0]!);
      if (m && !killed) {
        killed = m[1];
        victim.kill('SIGKILL'); // in the middle of that fold
      }
    });
    const run = await runCli(evaluateArgs(shared, 0));
    expect(run.code, run.stderr).toBe(0);
    expect(killed, logs[0]).toBeDefined();
    const viaQueue = JSON.parse(run.stdout) as EvaluationResult;

    const alone = await runCli(evaluateArgs(single, 1));
    expect(alone.code, alone.stderr).toBe(0);
    expect(comparable(viaQueue)).toBe(comparable(JSON.parse(alone.stdout) as EvaluationResult));

    const db = await openDatabase(shared);
    try {
      const stored = (await db.executeSql('select task_id, completions, worker from fold_results')).rows as Array<{ task_id: string; completions: number; worker: string }>;
      expect(stored).toHaveLength(viaQueue.timing!.tasks);
      expect(stored.filter((r) => r.completions !== 1)).toEqual([]);
      expect(stored.filter((r) => r.worker.endsWith(`:${victim.pid}`))).toEqual([]); // killed at its first fold: it stored none
      const retried = stored.find((r) => r.task_id === killed)!;
      expect(retried.worker).not.toMatch(new RegExp(`:${victim.pid}$`)); // trained by another worker
      const job = (await listJobs(db)).find((j) => j.label === killed)!;
      expect(job).toMatchObject({ state: 'completed' });
      expect(job.retryCount).toBeGreaterThanOrEqual(1); // expired, then retried
      const others = logs[1]! + logs[2]!;
      expect(others).toContain(`fold ${killed} trained`);
    } finally {
      await db.close();
    }
  }, 300_000);

  it('the served recipe\'s walk-forward (the default evaluate) through the two workers left equals one process', async () => {
    const [shared, single] = [temps[0]!.url, temps[1]!.url];
    const served = (url: string, jobs: number) => [
      'evaluate', '--db', url, '--horizon', '7', '--epochs', '1', '--fold-days', '60', '--min-train-days', '200', '--max-folds', '2', '--bootstrap', '100', '--json', '--no-save', '--jobs', String(jobs),
    ];
    const viaWorkers = await runCli(served(shared, 0)); // workers 1 and 2 of the test above are still working
    expect(viaWorkers.code, viaWorkers.stderr).toBe(0);
    const alone = await runCli(served(single, 1));
    expect(alone.code, alone.stderr).toBe(0);
    expect(comparable(JSON.parse(viaWorkers.stdout) as EvaluationResult)).toBe(comparable(JSON.parse(alone.stdout) as EvaluationResult));
    const db = await openDatabase(shared);
    try {
      const rows = (await db.executeSql(`select worker from fold_results where task_id like 'pooled-7d-f%'`)).rows as Array<{ worker: string }>;
      expect(rows.length).toBeGreaterThanOrEqual(2); // both folds, stored by the workers (evaluate --jobs 0 trains none)
      for (const r of rows) expect([workers[1]!.pid, workers[2]!.pid].map((p) => `:${p}`)).toContain(r.worker.slice(r.worker.lastIndexOf(':')));
    } finally {
      await db.close();
    }
  }, 300_000);
});
