// Evaluation records against real PostgreSQL (a throwaway database) and PGlite (a temp folder): the newest one
// covering a symbol and horizon wins, others are not confused with it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { TEST_DRIVERS, useTestDatabase } from '../test-databases.ts';
import { latestEvaluation, saveEvaluation } from './evaluations.ts';

const T0 = Date.UTC(2024, 0, 1);

describe.each(TEST_DRIVERS)('evaluations on $name', (driver) => {
  const database = useTestDatabase(driver);
  let db: Database;
  beforeAll(() => {
    db = database();
  });

  it('returns the newest evaluation that covered the symbol at the horizon, and null when none did', async () => {
    const save = (symbols: string[], horizons: number[], tag: string, ms: number) =>
      saveEvaluation(db.orm, { symbols, horizons, config: { tag }, report: { tag, nested: { values: [1, 2.5] } }, createdAtMs: ms });
    await save(['btc', 'ETH'], [7, 14], 'old', T0);
    const newer = await save(['BTC'], [7], 'new', T0 + 1000);
    await save(['ETH'], [7, 30], 'eth-newest', T0 + 2000);

    const btc7 = await latestEvaluation(db.orm, 'btc', 7);
    expect(btc7).toMatchObject({ id: newer, symbols: ['BTC'], horizons: [7], config: { tag: 'new' }, report: { tag: 'new', nested: { values: [1, 2.5] } }, createdAtMs: T0 + 1000 });
    expect((await latestEvaluation(db.orm, 'BTC', 14))?.report.tag).toBe('old'); // symbols were upper-cased on save
    expect((await latestEvaluation(db.orm, 'ETH', 7))?.report.tag).toBe('eth-newest');
    expect((await latestEvaluation(db.orm, 'ETH', 14))?.report.tag).toBe('old');
    expect(await latestEvaluation(db.orm, 'BTC', 30)).toBeNull();
    expect(await latestEvaluation(db.orm, 'SOL', 7)).toBeNull();
  });

  it('refuses an evaluation without symbols or horizons', async () => {
    await expect(saveEvaluation(db.orm, { symbols: [], horizons: [7], config: {}, report: {} })).rejects.toThrow(/at least one symbol and one horizon; got symbols \[\]/);
  });
});
