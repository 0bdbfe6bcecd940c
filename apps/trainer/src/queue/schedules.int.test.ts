// The scheduled jobs through the real queue (pg-boss on PGlite) on a fake clock (issue #17): the daily refresh
// ingests what a local server speaking Binance's API has closed by the clock's day, then resolves outcomes and
// publishes, in that order; a later day resolves the earlier day's predictions; offline it says so and publishes
// nothing. The weekly retrain's worse candidate is refused by the promotion gate and the served model stays. The
// schedules are installed with their cron, once.
import { latestPredictions, listPromotions, openDatabase, servedModel, upsertCandles, type Database } from '@coinsphere/data';
import { makeRegimeCandles } from '@coinsphere/model/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEARNS_REGIMES, ONE_EPOCH_CANDIDATE } from '../../../../tests/support/gate-recipes.ts';
import { binanceServer, listen } from '../../../../tests/support/market-servers.ts';
import type { StepReport } from '../jobs/scheduled-jobs.ts';
import { trainPooledJob } from '../jobs/train-pooled-job.ts';
import { renderJob } from '../commands/jobs.ts';
import { listJobs } from './job-list.ts';
import { openQueue, QUEUES, workQueue } from './queue.ts';
import { installSchedules, scheduledHandlers, SCHEDULES } from './schedules.ts';

const DAY = 86_400_000;
const SYMBOLS = ['BTC', 'ETH', 'SOL'];
const RECIPE = LEARNS_REGIMES;
const BAD = ONE_EPOCH_CANDIDATE;

/** Sends one job to `queue` and waits for it to finish; resolves with its output. */
async function runJob(boss: PgBoss, queue: string): Promise<{ steps: StepReport[] }> {
  const id = (await boss.send(queue, {}))!;
  for (;;) {
    const job = await boss.getJobById(queue, id);
    if (job?.state === 'completed') return job.output as { steps: StepReport[] };
    if (job?.state === 'failed') throw new Error(`${queue} failed: ${JSON.stringify(job.output)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const names = (steps: StepReport[]) => steps.map((s) => `${s.step}${s.step === 'ingest' ? `:${s.source}` : ''}${'skipped' in s ? ' skipped' : ''}`);

describe('the scheduled jobs on the queue, on a fake clock', () => {
  let dir: string;
  let db: Database;
  let boss: PgBoss;
  let closed: string;
  const binanceCandles = new Map(SYMBOLS.map((s, k) => [s, makeRegimeCandles(1300, k + 1, { startMs: Date.UTC(2021, 0, 1) })]));
  const firstNew = 1290; // the database holds days 0..1289; the server has 1300
  const dayOf = (i: number) => Date.UTC(2021, 0, 1) + i * DAY;
  let clock = dayOf(firstNew);
  const server = binanceServer(binanceCandles);
  const lines: string[] = [];
  let env: { artifactsRoot: string; binanceUrl: string; coingeckoUrl: string; now: () => number };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-schedules-'));
    db = await openDatabase(join(dir, 'db'));
    await upsertCandles(db, SYMBOLS.flatMap((symbol) => binanceCandles.get(symbol)!.slice(0, firstNew).map((c) => ({ ...c, symbol, interval: '1d' as const, source: 'binance' }))));
    const refused = createServer().listen(0, '127.0.0.1'); // a port that refuses: CoinGecko is "offline" throughout
    await new Promise((r) => refused.once('listening', r));
    closed = `http://127.0.0.1:${(refused.address() as { port: number }).port}`;
    await new Promise((r) => refused.close(r));
    env = { artifactsRoot: join(dir, 'artifacts'), binanceUrl: await listen(server), coingeckoUrl: closed, now: () => clock };
    await trainPooledJob(db, { horizons: [7], recipe: RECIPE, artifactsRoot: env.artifactsRoot, force: false, threads: 1 }, () => {});
    boss = await openQueue(db, (e) => lines.push(`error: ${e.message}`));
    const handlers = scheduledHandlers(db, { env, recipe: BAD, log: (l) => lines.push(l) });
    for (const [queue, work] of Object.entries(handlers)) await workQueue(boss, queue as keyof typeof handlers, work);
  }, 240_000);
  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 1000 });
    await db?.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refreshes in order: ingest what has closed by the clock, then outcomes, then publish; a week later the first day resolves', async () => {
    clock = dayOf(firstNew + 3) + 3_600_000; // 01:00 on day +3: days +0..+2 have closed, +3 is still open
    const first = await runJob(boss, QUEUES.refresh);
    expect(names(first.steps)).toEqual(['top skipped', 'ingest:binance', 'ingest:coingecko skipped', 'outcomes', 'publish']);
    expect(first.steps[0]).toEqual({ step: 'top', skipped: 'not asked: CoinGecko does not answer; refreshing the held assets' });
    expect(first.steps[1]).toMatchObject({ inserted: 9, symbols: SYMBOLS });
    expect((first.steps[2] as { skipped: string }).skipped).toMatch(/^offline: /);
    expect(first.steps[3]).toMatchObject({ resolved: 0 }); // nothing was published before
    const day2 = new Date(dayOf(firstNew + 2)).toISOString().slice(0, 10);
    expect(first.steps[4]).toMatchObject({ written: 3, asOf: day2 });
    expect((await latestPredictions(db.orm, SYMBOLS, 7)).map((p) => p.asOf)).toEqual([day2, day2, day2]);

    clock = dayOf(firstNew + 9) + 3_600_000; // a week on: +2 + 7 = +9 is still open, so nothing resolves yet
    const second = await runJob(boss, QUEUES.refresh);
    expect(second.steps[1]).toMatchObject({ inserted: 18 });
    expect(second.steps[3]).toMatchObject({ resolved: 0 });
    clock = dayOf(firstNew + 10) + 3_600_000; // day +9 has closed
    const third = await runJob(boss, QUEUES.refresh);
    expect(third.steps[1]).toMatchObject({ inserted: 3 });
    expect(third.steps[3]).toMatchObject({ resolved: 3 }); // the day +2 predictions, settled by the candles just ingested
    expect(lines.some((l) => /^refresh: top skipped \(not asked: CoinGecko does not answer; refreshing the held assets\); ingest binance 3 new candles; ingest coingecko skipped \(offline: .*\); outcomes 3 resolved, \d+ waiting; publish 3 predictions as of \d{4}-\d{2}-\d{2}\.$/.test(l))).toBe(true);
    // `coinsphere jobs` shows each finished refresh with its steps
    const listed = (await listJobs(db)).filter((j) => j.queue === QUEUES.refresh);
    expect(listed.map((j) => j.steps)).toEqual([third.steps, second.steps, first.steps]);
    expect(renderJob(listed[0]!, Date.now())).toMatch(/completed coinsphere-refresh {2}attempt 1 of 4, ran [\d.]+ s: top skipped \(.*?\); ingest binance 3 new candles; ingest coingecko skipped \(offline: .*\); outcomes 3 resolved/);
  }, 240_000);

  it('says so and publishes nothing when the sources have nothing new (the server has no more, or is offline)', async () => {
    clock = dayOf(firstNew + 20);
    const idle = await runJob(boss, QUEUES.refresh);
    expect(names(idle.steps)).toEqual(['top skipped', 'ingest:binance', 'ingest:coingecko skipped', 'publish skipped']);
    expect((idle.steps[3] as { skipped: string }).skipped).toMatch(/^no new candles/);
    const offline = scheduledHandlers(db, { env: { ...env, binanceUrl: closed }, log: () => {} });
    const steps = (await offline[QUEUES.refresh]([])).steps;
    expect(names(steps)).toEqual(['top skipped', 'ingest:binance skipped', 'ingest:coingecko skipped', 'publish skipped']);
    expect((steps[0] as { skipped: string }).skipped).toBe('not asked: Binance and CoinGecko do not answer; refreshing the held assets');
    expect((steps[1] as { skipped: string }).skipped).toMatch(/^offline: http:\/\/127\.0\.0\.1:\d+ /);
  }, 60_000);

  it('retrains weekly behind the gate: a worse candidate is refused, recorded with its numbers, and the served model stays', async () => {
    const before = (await servedModel(db.orm, 'ETH', 7))!;
    const { steps } = await runJob(boss, QUEUES.retrain);
    const train = steps[0] as Extract<StepReport, { step: 'train' }>;
    expect(names(steps), JSON.stringify(train.decisions)).toEqual(['train', 'publish skipped']);
    expect(train.decisions.map((d) => d.decision)).toEqual(['kept', 'kept', 'kept']);
    expect(train.decisions[0]!.reason).toMatch(/is worse than the served model's .*; the served model stays/);
    expect((await servedModel(db.orm, 'ETH', 7))!.id).toBe(before.id);
    const log = await listPromotions(db.orm, { symbol: 'ETH', horizonDays: 7 });
    expect(log.map((p) => [p.decision, p.previousModelId])).toEqual([['kept', before.id], ['promoted', null]]);
    expect(log[0]!.modelId).not.toBe(before.id); // the refused candidate, registered but not served
  }, 240_000);

  it('installs each schedule with its cron in UTC, once however often it is installed', async () => {
    expect(await boss.getSchedules()).toEqual([]);
    await installSchedules(boss);
    await installSchedules(boss); // a second serve, or the same one restarted
    const installed = await boss.getSchedules();
    expect(installed.map((s) => [s.name, s.cron, s.options?.tz]).sort()).toEqual(SCHEDULES.map((s) => [s.queue, s.cron, 'UTC']).sort());
  });
});
