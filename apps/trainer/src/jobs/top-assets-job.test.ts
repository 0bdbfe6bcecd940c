// `--symbols top20` against local servers speaking Binance's and CoinGecko's APIs (tests/support/market-servers.ts),
// over PGlite: online, the live top 20 as far as the database holds it, naming what it lacks; offline, the held
// assets; none held, a refusal. And `coinsphere evaluate --symbols top20` runs through it (in-process).
import { openDatabase, upsertCandles, type Database } from '@coinsphere/data';
import { makeSyntheticCandles } from '@coinsphere/model/core';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../../../tests/support/cli.ts';
import { binanceServer, coingeckoServer, hourlyPath, listen, marketsBody } from '../../../../tests/support/market-servers.ts';
import { topAssetSymbols } from './top-assets-job.ts';

describe('--symbols top20', () => {
  let dir: string;
  let db: Database | undefined;
  const servers: Server[] = [
    binanceServer(new Map(['BTC', 'ETH', 'SUI'].map((s) => [s, []]))),
    coingeckoServer(() => ({ status: 200, body: marketsBody([
      { id: 'bitcoin', symbol: 'BTC', name: 'Bitcoin', marketCapUsd: 1.8e12, price: 90_000, path: hourlyPath(0.03, 1) },
      { id: 'tether', symbol: 'USDT', name: 'Tether', marketCapUsd: 1.8e11, price: 1, path: hourlyPath(0.0005, 2) },
      { id: 'ethereum', symbol: 'ETH', name: 'Ethereum', marketCapUsd: 4e11, price: 3000, path: hourlyPath(0.04, 3) },
      { id: 'sui', symbol: 'SUI', name: 'Sui', marketCapUsd: 5e9, price: 1.6, path: hourlyPath(0.05, 4) },
    ]) })),
  ];
  let online: { binanceUrl: string; coingeckoUrl: string };
  let offline: { binanceUrl: string; coingeckoUrl: string };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-top20-'));
    db = await openDatabase(join(dir, 'db'));
    await upsertCandles(db, ['BTC', 'ETH', 'DOT'].flatMap((symbol, k) => makeSyntheticCandles(200, k + 1).map((c) => ({ ...c, symbol, interval: '1d' as const, source: 'binance' }))));
    const [binanceUrl, coingeckoUrl] = await Promise.all(servers.map(listen));
    online = { binanceUrl: binanceUrl!, coingeckoUrl: coingeckoUrl! };
    const gone = binanceServer(new Map());
    const closed = await listen(gone);
    await new Promise((r) => gone.close(r)); // a port that refuses
    offline = { binanceUrl: closed, coingeckoUrl: closed };
  }, 60_000);
  afterAll(async () => {
    servers.forEach((s) => s.close());
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('online: the live top 20 the database holds, in market-cap order, naming the ones it lacks and how to fetch them', async () => {
    const lines: string[] = [];
    expect(await topAssetSymbols(db!, online, (l) => lines.push(l))).toEqual(['BTC', 'ETH']); // DOT is held but not in this top 20
    expect(lines).toEqual([
      expect.stringMatching(/^Top 3 by market cap on CoinGecko with a Binance USDT pair: BTC, ETH, SUI\. Left out: USDT \(stablecoin: /),
      'top20: the database holds no usable daily series of SUI; `coinsphere ingest --from binance --symbols SUI` fetches them. Evaluating the other 2.',
    ]);
  });

  it('offline: the top 20 of the held assets, saying the sources did not answer', async () => {
    const lines: string[] = [];
    expect(await topAssetSymbols(db!, offline, (l) => lines.push(l))).toEqual(['BTC', 'ETH', 'DOT']);
    expect(lines).toEqual(['top20: Binance does not answer; using the top 3 the database holds: BTC, ETH, DOT.']);
  });

  it('runs `coinsphere evaluate --symbols top20` on that list (offline here), and refuses an empty database', async () => {
    await db!.close(); // the command opens the folder itself
    db = undefined;
    const r = await runInProcess(['evaluate', '--db', join(dir, 'db'), '--symbols', 'top20', '--plan', '--no-save'], { env: { COINSPHERE_BINANCE_URL: offline.binanceUrl, COINSPHERE_COINGECKO_URL: offline.coingeckoUrl } });
    expect(r.stderr).toContain('top20: Binance does not answer; using the top 3 the database holds: BTC, ETH, DOT.');
    const empty = await runInProcess(['evaluate', '--db', join(dir, 'empty-db'), '--symbols', 'top20', '--plan'], { env: { COINSPHERE_BINANCE_URL: offline.binanceUrl, COINSPHERE_COINGECKO_URL: offline.coingeckoUrl } });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--symbols top20: the database holds none of the top 20; `coinsphere start` or `coinsphere ingest` loads them first\./);
  }, 60_000);
});
