// The same data-layer suite against real PostgreSQL (a throwaway database) and PGlite (a temp folder).
import { beforeAll, describe, expect, it } from 'vitest';
import { listSeries, readCandles, upsertCandles, type CandleRow } from './candles.ts';
import type { Database } from './database.ts';
import { migrationState } from './migrate.ts';
import { TEST_DRIVERS, useTestDatabase } from './test-databases.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2021, 0, 1);

function row(symbol: string, source: string, day: number, close: number, extra: Partial<CandleRow> = {}): CandleRow {
  return {
    symbol,
    interval: '1d',
    source,
    openTimeMs: T0 + day * DAY,
    open: close - 1,
    high: close + 2,
    low: close - 2,
    close,
    baseVolume: 10,
    quoteVolumeUsd: 10 * close,
    marketCapUsd: null,
    ...extra,
  };
}

describe.each(TEST_DRIVERS)('data layer on $name', (driver) => {
  const { name } = driver;
  const database = useTestDatabase(driver);
  let db: Database;
  beforeAll(() => {
    db = database();
  });

  it('opens migrated with the driver the target names', async () => {
    expect(db.kind).toBe(name);
    const state = await migrationState(db.orm);
    expect(state.applied).toBe(state.shipped);
    expect(state.shipped).toBeGreaterThan(0);
  });

  it('upserts in one call and re-upserting the same rows changes nothing', async () => {
    const rows = [0, 1, 2, 5].map((d) => row('AAA', 'alpha', d, 100 + d));
    expect(await upsertCandles(db, rows)).toEqual({ inserted: 4, updated: 0, unchanged: 0 });
    expect(await upsertCandles(db, rows)).toEqual({ inserted: 0, updated: 0, unchanged: 4 });
    const changed = [row('AAA', 'alpha', 5, 200), row('AAA', 'alpha', 6, 106)];
    expect(await upsertCandles(db, changed)).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
    const { candles } = await readCandles(db, { symbol: 'AAA', interval: '1d', source: 'alpha' });
    expect(candles.map((c) => c.close)).toEqual([100, 101, 102, 200, 106]);
  });

  it('reads oldest first, keeps nulls, and filters by open time', async () => {
    await upsertCandles(db, [row('BBB', 'gecko', 1, 50, { open: null, high: null, low: null, baseVolume: null, marketCapUsd: 9e9 }), row('BBB', 'gecko', 0, 40)]);
    const all = await readCandles(db, { symbol: 'bbb', interval: '1d', source: 'gecko' });
    expect(all.candles.map((c) => c.openTimeMs)).toEqual([T0, T0 + DAY]);
    expect(all.candles[1]).toMatchObject({ open: null, high: null, low: null, baseVolume: null, close: 50, marketCapUsd: 9e9 });
    const later = await readCandles(db, { symbol: 'BBB', interval: '1d', source: 'gecko', fromMs: T0 + DAY });
    expect(later.candles).toHaveLength(1);
  });

  it('without a source, reads the source with the longest history and says which', async () => {
    await upsertCandles(db, [0, 1, 2].map((d) => row('CCC', 'short', d, 10)));
    await upsertCandles(db, [0, 1, 2, 3, 4].map((d) => row('CCC', 'long', d, 20)));
    const read = await readCandles(db, { symbol: 'CCC', interval: '1d' });
    expect(read.source).toBe('long');
    expect(read.candles.every((c) => c.close === 20)).toBe(true);
  });

  it('refuses a symbol with no candles, naming the ingest command', async () => {
    await expect(readCandles(db, { symbol: 'NOPE', interval: '1d' })).rejects.toThrow(/No 1d candles for NOPE.*coinsphere ingest/);
  });

  it('rolls back the whole upsert when one row breaks a constraint', async () => {
    const before = await readCandles(db, { symbol: 'AAA', interval: '1d', source: 'alpha' });
    const bad = [row('AAA', 'alpha', 7, 107), { ...row('AAA', 'alpha', 8, 108), close: null as unknown as number }];
    await expect(upsertCandles(db, bad)).rejects.toThrow();
    const after = await readCandles(db, { symbol: 'AAA', interval: '1d', source: 'alpha' });
    expect(after.candles).toEqual(before.candles);
  });

  it('lists each series with rows, range and the gaps left unfilled', async () => {
    const series = await listSeries(db);
    const aaa = series.find((s) => s.symbol === 'AAA' && s.source === 'alpha');
    expect(aaa).toMatchObject({ interval: '1d', rows: 5, firstMs: T0, lastMs: T0 + 6 * DAY, missingBars: 2 });
    expect(aaa?.gaps).toEqual([{ fromMs: T0 + 3 * DAY, toMs: T0 + 4 * DAY, missingBars: 2 }]);
    expect(series.find((s) => s.symbol === 'CCC' && s.source === 'long')?.missingBars).toBe(0);
  });
});
