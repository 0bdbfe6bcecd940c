// risk_scores on PGlite (a temp folder, migrated by openDatabase): the round trip, the idempotent upsert, a batch
// written whole or not at all (with its day's model), and the newest-days window.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RISK_OPTIONS, type RiskComponents, type RiskModel } from '@coinsphere/model/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { openDatabase } from '../open-database.ts';
import { riskModelFor, riskScoreHistory, saveRiskScores, type RiskModelRecord, type RiskScoreRecord } from './risk-scores.ts';

const components: RiskComponents = {
  volatility7d: { ok: true, value: 0.031 }, volatility30d: { ok: true, value: 0.034 },
  drawdown10pct7d: { ok: true, value: 0.2 }, drawdown25pct7d: { ok: true, value: 0.02 },
  drawdown10pct30d: { ok: true, value: 0.45 }, drawdown25pct30d: { ok: true, value: 0.1 },
  amihud: { ok: true, value: 1.5e-4 }, amihudPercentile: { ok: true, value: 0.5 },
  spread: { ok: false, reason: 'no-high-low', detail: 'the spread estimator needs daily high and low' },
  spreadPercentile: { ok: false, reason: 'no-high-low', detail: 'the spread estimator needs daily high and low' },
  size: { ok: true, value: { tier: 'mid', basis: 'volume', valueUsd: 2.5e8 } },
  marketCapUsd: { ok: false, reason: 'no-market-cap', detail: 'the source gives no market cap; size uses 30-day volume' },
  ageDays: 400, varianceSource: 'range',
};

const scored = (symbol: string, day: string, score: number, createdAtMs = Date.UTC(2024, 5, 1)): RiskScoreRecord =>
  ({ symbol, day, score, reason: null, reasonMessage: null, components, methodVersion: 'test-v1', createdAtMs });
const unscored = (symbol: string, day: string): RiskScoreRecord =>
  ({ symbol, day, score: null, reason: 'too-little-history', reasonMessage: '12 days of history; needs 30', components: { ...components, ageDays: 12 }, methodVersion: 'test-v1', createdAtMs: Date.UTC(2024, 5, 1) });

let dir: string;
let db: Database;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-risk-scores-'));
  db = await openDatabase(join(dir, 'db'));
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('risk_scores', () => {
  it('reads back what was written, scores and reasons alike, oldest first', async () => {
    const rows = [scored('AAA', '2024-05-02', 61.5), scored('AAA', '2024-05-01', 58.25), unscored('NEW', '2024-05-02')];
    await saveRiskScores(db, rows);
    expect(await riskScoreHistory(db.orm, 'AAA', 30)).toEqual([rows[1], rows[0]]);
    expect(await riskScoreHistory(db.orm, 'NEW', 30)).toEqual([rows[2]]);
    expect(await riskScoreHistory(db.orm, 'ZZZ', 30)).toEqual([]);
  });

  it('upserts on symbol and day: the same row again changes nothing, a changed one replaces it', async () => {
    await saveRiskScores(db, [scored('UPS', '2024-05-01', 40, 1000)]);
    await saveRiskScores(db, [scored('UPS', '2024-05-01', 40, 2000)]); // recomputed, same output
    expect(await riskScoreHistory(db.orm, 'UPS', 30)).toEqual([scored('UPS', '2024-05-01', 40, 1000)]);
    await saveRiskScores(db, [scored('UPS', '2024-05-01', 42, 3000)]);
    expect(await riskScoreHistory(db.orm, 'UPS', 30)).toEqual([scored('UPS', '2024-05-01', 42, 3000)]);
  });

  it('writes a batch whole or not at all: a score beside a reason, or above 100, refuses every row', async () => {
    const both = { ...scored('BAD', '2024-05-02', 50), reason: 'gap-in-lookback' as const, reasonMessage: 'no candle on this day' };
    await expect(saveRiskScores(db, [scored('BAD', '2024-05-01', 50), both])).rejects.toThrow();
    await expect(saveRiskScores(db, [scored('BAD', '2024-05-01', 50), scored('BAD', '2024-05-03', 100.5)])).rejects.toThrow();
    await expect(saveRiskScores(db, [{ ...unscored('BAD', '2024-05-04'), reason: null }])).rejects.toThrow(); // neither
    expect(await riskScoreHistory(db.orm, 'BAD', 30)).toEqual([]);
  });

  it('answers the newest `days` days counted back from the newest stored day', async () => {
    const days = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
    await saveRiskScores(db, days.map((d, i) => scored('WIN', d, i)));
    const last30 = await riskScoreHistory(db.orm, 'WIN', 30);
    expect(last30.map((r) => r.day)).toEqual(days.slice(10));
    expect(last30.at(-1)!.score).toBe(39);
  });

  it('stores the day\'s model in the same transaction: read back per symbol, replaced by a later publish, and never without its scores', async () => {
    const model = (dayMs: number): RiskModel => ({ methodVersion: 'test-v1', dayMs, options: DEFAULT_RISK_OPTIONS, har: { 7: null, 30: null }, tail: { 7: null, 30: null },
      platt: { '0.1@7': null, '0.25@7': null, '0.1@30': null, '0.25@30': null }, crossSection: [{ symbol: 'MOD', amihud: 1e-4, spread: null }] });
    const record = (source: string): RiskModelRecord => ({ day: '2024-06-01', model: model(Date.UTC(2024, 5, 1)), series: { MOD: { source, firstDay: '2023-01-01' } }, methodVersion: 'test-v1' });
    await saveRiskScores(db, [scored('MOD', '2024-06-01', 30)], [record('binance')]);
    expect(await riskModelFor(db.orm, 'MOD', '2024-06-01')).toEqual({ model: model(Date.UTC(2024, 5, 1)), source: 'binance', firstDay: '2023-01-01' });
    expect(await riskModelFor(db.orm, 'OTHER', '2024-06-01')).toBeNull(); // a symbol the panel did not read
    expect(await riskModelFor(db.orm, 'MOD', '2024-06-02')).toBeNull();
    await saveRiskScores(db, [scored('MOD', '2024-06-01', 31)], [record('coingecko')]);
    expect((await riskModelFor(db.orm, 'MOD', '2024-06-01'))?.source).toBe('coingecko');
    await expect(saveRiskScores(db, [scored('MOD', '2024-06-01', 101)], [record('kaggle')])).rejects.toThrow();
    expect((await riskModelFor(db.orm, 'MOD', '2024-06-01'))?.source).toBe('coingecko'); // the failed batch left the model too
  });
});
