// Fold outcomes and raw SQL against real PostgreSQL (a throwaway database) and PGlite (a temp folder): a fold is
// stored once whatever the number of finishes, and executeSql runs both parameterised and multi-statement text
// (what the job queue sends).
import { describe, expect, it } from 'vitest';
import { TEST_DRIVERS, useTestDatabase } from '../test-databases.ts';
import { readFoldResults, saveFoldResult, storedFoldKeys } from './fold-results.ts';

describe.each(TEST_DRIVERS)('fold results on $name', (driver) => {
  const database = useTestDatabase(driver);

  it('keeps the first outcome of a key and counts every later finish', async () => {
    const db = database();
    expect(await saveFoldResult(db.orm, { key: 'k1', taskId: 'BTC-7d-f0', outcome: { v: 1 }, worker: 'a:1' })).toBe(1);
    expect(await saveFoldResult(db.orm, { key: 'k1', taskId: 'BTC-7d-f0', outcome: { v: 2 }, worker: 'b:2' })).toBe(2);
    await saveFoldResult(db.orm, { key: 'k2', taskId: 'ETH-7d-f0', outcome: { v: 3 }, worker: 'a:1' });
    const rows = await readFoldResults(db.orm, ['k1', 'k2', 'absent']);
    expect(rows.map((r) => [r.key, r.outcome, r.completions, r.worker]).sort()).toEqual([['k1', { v: 1 }, 2, 'a:1'], ['k2', { v: 3 }, 1, 'a:1']]);
    expect(await storedFoldKeys(db.orm, ['k2', 'absent'])).toEqual(new Set(['k2']));
  });

  it('runs a parameterised statement and several statements without parameters through executeSql', async () => {
    const db = database();
    expect((await db.executeSql('select $1::int + 1 as n', [41])).rows).toEqual([{ n: 42 }]);
    const many = await db.executeSql('create temporary table t (n int); insert into t values (1), (2); select sum(n)::int as s from t');
    expect(many.rows).toEqual([{ s: 3 }]);
  });
});
