// publish's risk step over a small synthetic database (PGlite): every asset's newest days are stored, each equal to
// what the risk module answers for the same candles; an asset with too little history is stored with its reason and
// no number; the newest day's model, with which each asset's own candles give its stored assessment; a republish of
// the same candles changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, riskModelFor, riskScoreHistory, upsertCandles, type Database } from '@coinsphere/data';
import { assessRisk, assessRiskWithModel, computeRiskPanel, DAY_MS, makeSyntheticCandles, RISK_METHOD_VERSION, type Candle } from '@coinsphere/model/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishRiskScores, renderRiskLine } from './publish-risk.ts';

const START = Date.UTC(2021, 0, 1);
const N_DAYS = 700;
const LAST_MS = START + (N_DAYS - 1) * DAY_MS;
const series: Array<{ symbol: string; candles: Candle[] }> = [
  ...[0, 1, 2, 3].map((k) => ({ symbol: `A${k}`, candles: makeSyntheticCandles(N_DAYS, k + 1, { startMs: START, volatility: 0.02 + 0.015 * k }) })),
  { symbol: 'NEW', candles: makeSyntheticCandles(12, 9, { startMs: LAST_MS - 11 * DAY_MS }) }, // listed 12 days ago
];

let dir: string;
let db: Database;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-publish-risk-'));
  db = await openDatabase(join(dir, 'db'));
  for (const s of series) await upsertCandles(db, s.candles.map((k) => ({ ...k, symbol: s.symbol, interval: '1d' as const, source: 'synthetic' })));
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('publishRiskScores', () => {
  it("stores every asset's newest 90 days as the risk module scores them, and a reason where there is no score", async () => {
    const result = await publishRiskScores(db, 90, Date.UTC(2024, 0, 1));
    expect(result).toMatchObject({ assets: 5, scored: ['A0', 'A1', 'A2', 'A3'], rows: 4 * 90 + 12, methodVersion: RISK_METHOD_VERSION });
    expect(result.unscored).toEqual([{ symbol: 'NEW', day: '2022-12-01', reason: 'too-little-history', message: 'volatility30d: 12 days of history; needs 30' }]);
    expect(renderRiskLine(result)).toBe(`Risk scores (${RISK_METHOD_VERSION}): 4 of 5 assets scored on their newest day; 372 asset-days stored; no score: NEW (too-little-history: volatility30d: 12 days of history; needs 30)`);

    const reference = computeRiskPanel(series);
    const a2 = await riskScoreHistory(db.orm, 'A2', 365);
    expect(a2).toHaveLength(90);
    expect(a2.at(-1)!.day).toBe('2022-12-01');
    for (const row of [a2[0]!, a2.at(-1)!]) {
      const expected = assessRisk(reference, 'A2', Date.parse(`${row.day}T00:00:00Z`));
      expect(expected.score.ok).toBe(true);
      expect(row.score).toBe((expected.score as { value: number }).value);
      expect(row.components).toEqual(expected.components);
      expect(row.reason).toBeNull();
    }
    const fresh = await riskScoreHistory(db.orm, 'NEW', 365);
    expect(fresh).toHaveLength(12);
    expect(fresh.every((r) => r.score === null && r.reason === 'too-little-history' && r.components.volatility30d.ok === false)).toBe(true);
  });

  it("stores the newest day's model, from which each asset's candles alone give the stored assessment", async () => {
    for (const s of series) {
      const stored = await riskModelFor(db.orm, s.symbol, '2022-12-01');
      expect(stored).toMatchObject({ source: 'synthetic', firstDay: new Date(s.candles[0]!.openTimeMs).toISOString().slice(0, 10) });
      const newest = (await riskScoreHistory(db.orm, s.symbol, 1))[0]!;
      const a = assessRiskWithModel(stored!.model, s.symbol, s.candles);
      expect([a.score.ok ? a.score.value : null, a.score.ok ? null : a.score.reason]).toEqual([newest.score, newest.reason]);
      expect(a.components).toEqual(newest.components);
    }
  });

  it('a republish of the same candles leaves every stored row as it was', async () => {
    const before = await riskScoreHistory(db.orm, 'A0', 365);
    const again = await publishRiskScores(db, 90, Date.UTC(2025, 0, 1));
    expect(again.rows).toBe(372);
    expect(await riskScoreHistory(db.orm, 'A0', 365)).toEqual(before); // createdAt too: nothing changed
  });

  it('leaves a stablecoin out of the panel and says so: it gets no score, and every other asset keeps its own', async () => {
    const before = await riskScoreHistory(db.orm, 'A1', 365);
    const peg = makeSyntheticCandles(N_DAYS, 77, { startMs: START }).map((c, i) => {
      const close = 1 + 0.002 * Math.sin(i); // a dollar peg: within 0.2% of $1
      return { ...c, open: close, high: close * 1.001, low: close * 0.999, close, symbol: 'USDX', interval: '1d' as const, source: 'synthetic' };
    });
    await upsertCandles(db, peg);
    const result = await publishRiskScores(db, 90, Date.UTC(2025, 0, 1));
    expect(result.assets).toBe(5);
    expect(result.excluded).toEqual([expect.objectContaining({ symbol: 'USDX', reason: 'stablecoin' })]);
    expect(renderRiskLine(result)).toMatch(/; left out: USDX \(stablecoin\)$/);
    expect(await riskScoreHistory(db.orm, 'USDX', 365)).toEqual([]);
    expect(await riskScoreHistory(db.orm, 'A1', 365)).toEqual(before);
  });
});
