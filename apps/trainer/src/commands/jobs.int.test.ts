// `coinsphere jobs` and `jobs retry` over a real embedded database (PGlite) whose queue holds a fold job a real
// worker handler failed (its candles are not in the database), a finished one and a waiting one.
import { openDatabase, type Database } from '@coinsphere/data';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../../../tests/support/cli.ts';
import type { FoldJobData } from '../queue/fold-job.ts';
import { foldJobHandler } from '../queue/fold-job-handler.ts';
import { listJobs } from '../queue/job-list.ts';
import { openQueue, QUEUES } from '../queue/queue.ts';

const fold = { index: 0, train: { start: 0, end: 1 }, val: { start: 1, end: 2 }, test: { start: 2, end: 3 }, trainStartDayMs: 0, trainEndDayMs: 0, valEndDayMs: 0, testStartDayMs: 0, testEndDayMs: 0 };
const jobOf = (symbol: string): FoldJobData => ({
  key: `test/${symbol}`, run: 'run-1',
  task: {
    id: `${symbol}-7d-f0`, kind: 'asset', horizonDays: 7, foldIndex: 0, gapDays: 7, threads: 1,
    modelConfig: { windowBars: 10, nFeatures: 20, lstmUnits: [4, 4, 4], denseUnits: 4, nClasses: 3, dropout: 0 },
    training: { learningRate: 0.001, batchSize: 32, epochs: 1, patience: 1, weightDecay: 0, seed: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, samplesPerEpoch: 0 },
    assets: [{ symbol, source: 'synthetic', fold, firstDayMs: 0, lastDayMs: 1, candlesDigest: 'x' }],
  },
});

describe('coinsphere jobs', () => {
  let work: string;
  let dbDir: string;
  let failedId: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cs-jobs-'));
    dbDir = join(work, 'db');
    const db: Database = await openDatabase(dbDir);
    const boss = await openQueue(db, () => undefined);
    failedId = (await boss.send(QUEUES.fold, jobOf('NOPE'), { retryLimit: 0 }))!;
    const done = (await boss.send(QUEUES.fold, jobOf('DONE')))!;
    const [fetched] = await boss.fetch<FoldJobData>(QUEUES.fold); // the older one first: NOPE
    await foldJobHandler(db, () => undefined)([fetched!]).then(() => undefined, (e: Error) => boss.fail(QUEUES.fold, fetched!.id, e));
    await boss.fetch(QUEUES.fold);
    await boss.complete(QUEUES.fold, done);
    await boss.send(QUEUES.fold, jobOf('WAIT'));
    await boss.stop({ graceful: false, wait: true });
    await db.close();
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('lists failed, finished and waiting jobs with why the failed one failed, and the run\'s progress', async () => {
    const run = await runInProcess(['jobs', '--db', dbDir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('evaluate run run-1: 1 of 3 folds finished, 0 running, 1 waiting, 1 failed.');
    expect(run.stdout).toMatch(new RegExp(`${failedId}  failed +NOPE-7d-f0  attempt 1 of 1, ran [\\d.]+ s: No 1d candles of NOPE from "synthetic" between 1970-01-01 and 1970-01-01 in this database`));
    expect(run.stdout).toMatch(/completed DONE-7d-f0/);
    expect(run.stdout).toMatch(/created +WAIT-7d-f0 .*not started/);
    const failedOnly = JSON.parse((await runInProcess(['jobs', '--db', dbDir, '--state', 'failed', '--json'])).stdout) as Array<{ id: string }>;
    expect(failedOnly.map((j) => j.id)).toEqual([failedId]);
  });

  it('retries a failed job, and refuses one that is not failed or does not exist', async () => {
    const again = await runInProcess(['jobs', 'retry', failedId, '--db', dbDir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Job ${failedId} (NOPE-7d-f0) is queued again`);
    const db = await openDatabase(dbDir);
    try {
      expect((await listJobs(db)).find((j) => j.id === failedId)?.state).toBe('retry');
    } finally {
      await db.close();
    }
    const twice = await runInProcess(['jobs', 'retry', failedId, '--db', dbDir]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`Job ${failedId} (NOPE-7d-f0) is retry; only a failed job can be retried.`);
    const none = await runInProcess(['jobs', 'retry', '00000000-0000-0000-0000-000000000000', '--db', dbDir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No job 00000000-0000-0000-0000-000000000000 in the queue');
  });
});
