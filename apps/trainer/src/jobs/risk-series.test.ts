// readRiskSeries over PGlite: of a coin's several daily series it reads the one that reaches the newest day (a
// longer file that stopped years ago would give a stale score), and it leaves a stablecoin out, saying why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, upsertCandles, type Database } from '@coinsphere/data';
import { DAY_MS, makeSyntheticCandles, type Candle } from '@coinsphere/model/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRiskSeries } from './risk-series.ts';

const START = Date.UTC(2019, 0, 1);
let dir: string;
let db: Database;
const rows = (candles: Candle[], symbol: string, source: string) => candles.map((c) => ({ ...c, symbol, interval: '1d' as const, source }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-risk-series-'));
  db = await openDatabase(join(dir, 'db'));
  await upsertCandles(db, [
    ...rows(makeSyntheticCandles(900, 1, { startMs: START }), 'OLD', 'kaggle'), // the longest, ends 2021-06-19
    ...rows(makeSyntheticCandles(500, 2, { startMs: START + 600 * DAY_MS }), 'OLD', 'binance'), // shorter, ends 2022-05-15
    ...rows(makeSyntheticCandles(300, 3, { startMs: START }), 'ONE', 'binance'),
    ...rows(makeSyntheticCandles(300, 4, { startMs: START }).map((c, i) => ({ ...c, open: 1, high: 1.001, low: 0.999, close: 1 + 0.001 * Math.sin(i) })), 'PEG', 'binance'),
  ]);
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('readRiskSeries', () => {
  it('reads the series that reaches the newest day, not the longest one', async () => {
    const { series } = await readRiskSeries(db);
    const old = series.find((s) => s.symbol === 'OLD')!;
    expect(old.source).toBe('binance');
    expect(old.candles).toHaveLength(500);
    expect(old.candles.at(-1)!.openTimeMs).toBe(START + 1099 * DAY_MS);
  });

  it('leaves the stablecoin out and says why; --symbols narrows, and an unknown symbol is refused with the fix', async () => {
    const all = await readRiskSeries(db);
    expect(all.series.map((s) => s.symbol)).toEqual(['OLD', 'ONE']);
    expect(all.excluded).toEqual([expect.objectContaining({ symbol: 'PEG', reason: 'stablecoin' })]);
    expect((await readRiskSeries(db, ['ONE'])).series.map((s) => s.symbol)).toEqual(['ONE']);
    await expect(readRiskSeries(db, ['NOPE'])).rejects.toThrow(/No daily candles for NOPE.*coinsphere ingest/);
  });
});
