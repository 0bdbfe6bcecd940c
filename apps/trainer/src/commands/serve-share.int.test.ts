// No lock-out (issue #17): with `coinsphere serve` running on the embedded database (its scheduler on), `train` and
// `publish` from other processes succeed through serve's share of the folder, and what serve answers changes only when
// the promotion gate serves the new model: a first model is served, a one-epoch candidate is refused and the answer
// stays, a forced one is served and the answer follows it. serve installed its schedules in the same database.
import { lockPathFor, openDatabase, upsertCandles } from '@coinsphere/data';
import { makeRegimeCandles } from '@coinsphere/model/core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { runCli } from '../../../../tests/support/cli.ts';
import { openQueue, QUEUES } from '../queue/queue.ts';
import { startServe, type ServeProcess } from '../../../../tests/support/web.ts';

describe('serve shares the embedded database with train and publish from other processes', () => {
  let work: string;
  let dbDir: string;
  let serve: ServeProcess;
  let offline: string; // a port that refuses: the online sources of serve's scheduled refresh
  const env = (): Record<string, string> => ({
    COINSPHERE_ARTIFACTS: join(work, 'artifacts'), LOG_LEVEL: 'warn', CACHE_FRESH_SECONDS: '0', COINSPHERE_BINANCE_URL: offline, COINSPHERE_COINGECKO_URL: offline,
  });
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cs-serve-share-'));
    const refused = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => refused.once('listening', r));
    offline = `http://127.0.0.1:${(refused.address() as { port: number }).port}`;
    await new Promise((r) => refused.close(r));
    dbDir = join(work, 'db');
    const db = await openDatabase(dbDir);
    await upsertCandles(db, makeRegimeCandles(1000, 4).map((c) => ({ ...c, symbol: 'SYN', interval: '1d' as const, source: 'synthetic' })));
    await db.close();
    serve = await startServe(dbDir, join(work, 'no-web'), env(), { schedule: true });
  }, 120_000);
  afterAll(async () => {
    await serve?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const served = async (): Promise<string | null> => {
    const res = await fetch(`${serve.url}/v1/predictions/SYN?horizon=7`);
    return res.status === 404 ? null : ((await res.json()) as { modelVersion: string }).modelVersion;
  };
  const cli = async (args: string[]) => {
    const run = await runCli([...args, '--db', dbDir], env());
    expect(run.code, `${args.join(' ')}:\n${run.stderr}`).toBe(0);
    expect(run.stderr).not.toMatch(/locked|in use by/);
    return run;
  };
  const train = async (more: string[]) => JSON.parse((await cli(['train', '--symbol', 'SYN', '--window', '10', '--json', ...more])).stdout) as { modelVersion: string; promotion: { decision: string } };

  it('trains and publishes from a second process while serve runs, and serve answers with the promoted model only', async () => {
    expect(serve.output()).toMatch(/Scheduler: every day at 00:20 UTC: ingest the new candles/);
    expect(await served()).toBeNull();

    const first = await train(['--epochs', '12', '--lr', '0.003', '--patience', '12']);
    expect(first.promotion.decision).toBe('promoted');
    await cli(['publish']);
    expect(await served()).toBe(first.modelVersion);

    const bad = await train(['--epochs', '1', '--lr', '0.0000001', '--seed', '9']);
    expect(bad.promotion.decision).toBe('kept');
    await cli(['publish']);
    expect(await served()).toBe(first.modelVersion); // the gate kept the first model: so does serve

    const forced = await train(['--epochs', '1', '--lr', '0.0000001', '--seed', '10', '--promote']);
    expect(forced.promotion.decision).toBe('forced');
    await cli(['publish']);
    expect(await served()).toBe(forced.modelVersion);

    // `coinsphere models` (through the share as well) lists the decisions behind it, newest first, with their numbers.
    const listed = JSON.parse((await cli(['models', '--symbol', 'SYN', '--json'])).stdout) as Array<{ horizonDays: number; served: { version: string }; decisions: Array<{ decision: string; candidateVersion: string; evidence: { candidate: { brier: number } } }> }>;
    expect(listed.map((e) => [e.horizonDays, e.served.version])).toEqual([[7, forced.modelVersion]]);
    expect(listed[0]!.decisions.map((d) => [d.decision, d.candidateVersion])).toEqual([['forced', forced.modelVersion], ['kept', bad.modelVersion], ['promoted', first.modelVersion]]);
    const text = (await cli(['models', '--symbol', 'SYN'])).stdout;
    expect(text).toContain(`SYN     7d  served: ${forced.modelVersion} (asset, trained `);
    expect(text).toMatch(new RegExp(`kept\\s+${bad.modelVersion} \\(asset\\) over ${first.modelVersion}: Brier \\d\\.\\d{4} vs \\d\\.\\d{4} on \\d+ rows`));
  }, 300_000);

  it('holds its schedules in the same database, which this process reads through the share too', async () => {
    const db = await openDatabase(dbDir);
    try {
      expect(db.lost).toBeDefined(); // a connection through serve's share, not a second owner
      const rows = (await db.executeSql('select name, cron from pgboss.schedule order by name')).rows;
      expect(rows).toEqual([{ name: 'coinsphere-refresh', cron: '20 0 * * *' }, { name: 'coinsphere-retrain', cron: '40 1 * * 1' }]);
      // A refresh sent as the cron would send it is worked by serve's own `worker --scheduled`: offline here, it says so.
      const boss = await openQueue(db, () => undefined, { supervise: false });
      try {
        const id = (await boss.send(QUEUES.refresh, {}))!;
        let job = await boss.getJobById(QUEUES.refresh, id);
        for (let i = 0; i < 600 && job?.state !== 'completed' && job?.state !== 'failed'; i++) {
          await new Promise((r) => setTimeout(r, 100));
          job = await boss.getJobById(QUEUES.refresh, id);
        }
        expect(job?.state, JSON.stringify(job?.output)).toBe('completed');
        const steps = (job!.output as { steps: Array<{ step: string; skipped?: string; from?: string; note?: string }> }).steps;
        expect(steps.map((x) => x.step)).toEqual(['top', 'ingest', 'ingest', 'publish']);
        // The folder holds no Binance series, so the refresh falls back to the static top 20, saying why.
        expect(steps[0]).toMatchObject({ step: 'top', from: 'static', note: expect.stringMatching(/^Binance and CoinGecko do not answer; using the static list of 20 /) });
        expect(steps[1]!.skipped).toMatch(new RegExp(`^offline: ${offline}`));
        expect(steps[3]!.skipped).toMatch(/^no new candles/);
      } finally {
        await boss.stop({ graceful: false, wait: true, timeout: 1000 });
      }
    } finally {
      await db.close();
    }
  }, 90_000);

  it('on stop removes its socket and lock, and the folder opens as before', async () => {
    await serve.stop();
    expect(existsSync(lockPathFor(dbDir))).toBe(false);
    const db = await openDatabase(dbDir);
    expect(db.lost).toBeUndefined();
    await db.close();
  }, 60_000);
});
