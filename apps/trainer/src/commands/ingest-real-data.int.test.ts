// The acceptance runs over the real files in ../shared/data (skipped, loudly, when that folder is absent):
// Kaggle BTC loads as 2991 daily rows 2013-04-29..2021-07-06, a second load changes no count, and all four
// folders load into PostgreSQL with the hourly duplicates collapsed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTempDatabase } from '../../../../tests/support/postgres.ts';
import { describeWithSharedData, sharedData } from '../../../../tests/support/shared-data.ts';
import { runInProcess } from '../../../../tests/support/cli.ts';

/** In-process, DATABASE_URL unset: ingest and status have their process smoke tests in ingest.int.test.ts. */
const runCli = (args: string[], opts: { cwd: string }) => runInProcess(args, { cwd: opts.cwd, env: { DATABASE_URL: undefined } });
import type { StatusJson } from './status.ts';

const FOLDERS = ['kaggle-cryptocurrency-historical-prices', 'cryptodatadownload-binance-daily', 'cryptodatadownload-binance-hourly', 'coingecko-usd-max'];

describeWithSharedData('ingest of ../shared/data', () => {
  let dir: string;
  let temp: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-real-'));
    temp = await createTempDatabase('cs_real');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await temp?.drop();
  });

  it('loads the Kaggle folder into PGlite: BTC 1d has 2991 rows 2013-04-29..2021-07-06, and a second load changes nothing', async () => {
    const first = await runCli(['ingest', '--csv', sharedData(FOLDERS[0]!)], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const status = await runCli(['status', '--json'], { cwd: dir });
    const json = JSON.parse(status.stdout) as StatusJson;
    expect(json.candles.find((c) => c.symbol === 'BTC' && c.interval === '1d' && c.source === 'coinmarketcap')).toEqual({
      symbol: 'BTC', interval: '1d', source: 'coinmarketcap', rows: 2991, first: '2013-04-29', last: '2021-07-06', gaps: 0, ageDays: expect.any(Number), stale: true,
    });
    expect(json.candles).toHaveLength(19);
    const again = await runCli(['ingest', '--csv', sharedData(FOLDERS[0]!)], { cwd: dir });
    expect(again.stdout).not.toMatch(/[1-9]\d* new|[1-9]\d* changed/);
    expect((await runCli(['status', '--json'], { cwd: dir })).stdout).toBe(status.stdout);
  });

  it('loads all four folders into PostgreSQL; hourly duplicates collapse and maintenance hours are dropped', async () => {
    const run = await runCli(['ingest', '--json', '--db', temp.url, '--csv', ...FOLDERS.map((f) => sharedData(f))], { cwd: dir });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { files: Array<{ symbol: string; interval: string; source: string; duplicates: number; maintenanceDropped: number; candles: number; skipped: unknown[] }> };
    expect(report.files).toHaveLength(19 + 8 + 2 + 5);
    expect(report.files.every((f) => f.skipped.length === 0)).toBe(true);
    const btcHourly = report.files.find((f) => f.symbol === 'BTC' && f.interval === '1h')!;
    expect(btcHourly).toMatchObject({ source: 'binance', duplicates: 4, maintenanceDropped: 115, candles: 27100 - 4 - 115 });
    const json = JSON.parse((await runCli(['status', '--json', '--db', temp.url], { cwd: dir })).stdout) as StatusJson;
    const btc = json.candles.filter((c) => c.symbol === 'BTC').map((c) => `${c.interval} ${c.source} ${c.rows} ${c.first} ${c.last}`);
    expect(btc).toEqual([
      '1d binance 3142 2017-08-17 2026-03-30',
      '1d coingecko 4277 2013-04-27 2025-01-12',
      '1d coinmarketcap 2991 2013-04-29 2021-07-06',
      '1h binance 26981 2017-08-17T04:00:00.000Z 2020-09-19T07:00:00.000Z',
    ]);
  });
});
