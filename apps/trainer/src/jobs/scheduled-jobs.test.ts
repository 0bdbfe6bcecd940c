// The daily refresh and the top 20 (issue #18), against local servers speaking Binance's and CoinGecko's APIs
// (tests/support/market-servers.ts) over PGlite on a fake clock: a coin newly in the top 20 is added, said in the
// refresh's first step, and fetched from both sources by the id CoinGecko's market list gave; the next refresh
// adds nothing; a market list it cannot use adds nothing and says why. The queue around it: schedules.int.test.ts.
import { listSeries, openDatabase, upsertCandles, type Database } from '@coinsphere/data';
import { makeSyntheticCandles } from '@coinsphere/model/core';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binanceServer, coingeckoServer, hourlyPath, listen, marketsBody, type MarketsAnswer } from '../../../../tests/support/market-servers.ts';
import { stepWords } from '../queue/schedules.ts';
import { refreshJob, type ScheduledJobEnv } from './scheduled-jobs.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const candles = new Map(['BTC', 'ETH', 'SUI'].map((s, k) => [s, makeSyntheticCandles(300, k + 1, { startMs: T0 })]));
const MARKETS = marketsBody([
  { id: 'bitcoin', symbol: 'BTC', name: 'Bitcoin', marketCapUsd: 1.8e12, price: 90_000, path: hourlyPath(0.03, 1) },
  { id: 'tether', symbol: 'USDT', name: 'Tether', marketCapUsd: 1.8e11, price: 1, path: hourlyPath(0.0005, 2) },
  { id: 'ethereum', symbol: 'ETH', name: 'Ethereum', marketCapUsd: 4e11, price: 3000, path: hourlyPath(0.04, 3) },
  { id: 'sui-test-id', symbol: 'SUI', name: 'Sui', marketCapUsd: 5e9, price: 1.6, path: hourlyPath(0.05, 4) }, // an id no built-in map knows
]);

describe('the daily refresh and the top 20', () => {
  let dir: string;
  let db: Database;
  let markets: MarketsAnswer = { status: 200, body: MARKETS };
  const asked: string[] = [];
  const charts = new Map([['bitcoin', candles.get('BTC')!], ['ethereum', candles.get('ETH')!], ['sui-test-id', candles.get('SUI')!]]);
  const servers: Server[] = [binanceServer(candles), coingeckoServer(() => markets, { asked, charts })];
  let env: ScheduledJobEnv;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-refresh-top-'));
    db = await openDatabase(join(dir, 'db'));
    await upsertCandles(db, ['BTC', 'ETH'].flatMap((symbol) => candles.get(symbol)!.slice(0, 290).map((c) => ({ ...c, symbol, interval: '1d' as const, source: 'binance' }))));
    const [binanceUrl, coingeckoUrl] = await Promise.all(servers.map(listen));
    env = { artifactsRoot: join(dir, 'artifacts'), binanceUrl, coingeckoUrl, now: () => T0 + 300 * DAY + 3_600_000 };
  }, 60_000);
  afterAll(async () => {
    servers.forEach((s) => s.close());
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a coin newly in the top 20, says so, and fetches it from Binance and CoinGecko by the market list\'s id', async () => {
    const steps = await refreshJob(db, env);
    expect(steps[0]).toEqual({ step: 'top', from: 'coingecko', added: ['SUI'] });
    expect(steps[1]).toEqual({ step: 'ingest', source: 'binance', inserted: 10 + 10 + 300, symbols: ['BTC', 'ETH', 'SUI'] });
    expect(steps[2]).toMatchObject({ step: 'ingest', source: 'coingecko', symbols: ['BTC', 'ETH', 'SUI'] });
    expect(asked.some((a) => a.startsWith('/api/v3/coins/sui-test-id/market_chart?vs_currency=usd'))).toBe(true);
    expect(steps[3]).toMatchObject({ step: 'publish', skipped: expect.stringMatching(/^No registered model matches/) }); // nothing trained in this test
    expect(stepWords(steps)).toMatch(/^top 20 from CoinGecko: added SUI; ingest binance 320 new candles; /);
    expect((await listSeries(db)).filter((s) => s.symbol === 'SUI').map((s) => s.source).sort()).toEqual(['binance', 'coingecko']);
  });

  it('adds nothing the next day, and nothing from a market list it cannot use, saying why', async () => {
    expect((await refreshJob(db, env))[0]).toEqual({ step: 'top', from: 'coingecko', added: [] });
    markets = { status: 200, body: { error: 'not a list' } };
    const [top] = await refreshJob(db, env);
    expect(top).toMatchObject({ step: 'top', from: 'static', added: [], note: expect.stringMatching(/^CoinGecko's market list failed: CoinGecko answered \S+ in an unexpected shape \(.*expected array.*\); using the static list of 20 /) });
    expect(stepWords([top!])).toMatch(/^top 20 from the static list \(CoinGecko's market list failed: .*\): nothing new$/);
  });
});
