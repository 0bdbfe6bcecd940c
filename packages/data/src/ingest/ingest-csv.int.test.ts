// CSV ingest end to end on both drivers: fixtures written here, refusal leaves the database exactly as it
// was, --skip-invalid loads the rest, re-ingest changes nothing, newer rows extend the series.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSeries, readCandles } from '../candles.ts';
import type { Database } from '../database.ts';
import { DataError } from '../errors.ts';
import { TEST_DRIVERS, useTestDatabase } from '../test-databases.ts';
import { ingestCsv } from './ingest-csv.ts';

const HEADER = 'SNo,Name,Symbol,Date,High,Low,Open,Close,Volume,Marketcap';
function kaggleRows(days: number, startDay = 1): string[] {
  return Array.from({ length: days }, (_, i) => {
    const d = String(startDay + i).padStart(2, '0');
    const c = 100 + i;
    return `${i + 1},Testcoin,TST,2020-01-${d} 23:59:59,${c + 5},${c - 5},${c - 1},${c},${1000 * (i + 1)},${c * 1e6}`;
  });
}

describe.each(TEST_DRIVERS)('CSV ingest on $name', (driver) => {
  const database = useTestDatabase(driver);
  let db: Database;
  let dir: string;

  beforeAll(() => {
    db = database();
    dir = mkdtempSync(join(tmpdir(), 'cs-ingest-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a folder, and loading it again changes nothing', async () => {
    writeFileSync(join(dir, 'coin_Testcoin.csv'), [HEADER, ...kaggleRows(5)].join('\n'));
    const first = await ingestCsv(db, [dir]);
    expect(first.files[0]?.written).toEqual({ inserted: 5, updated: 0, unchanged: 0 });
    const again = await ingestCsv(db, [dir]);
    expect(again.files[0]?.written).toEqual({ inserted: 0, updated: 0, unchanged: 5 });
    const read = await readCandles(db, { symbol: 'TST', interval: '1d' });
    expect(read.source).toBe('coinmarketcap');
    expect(read.candles.map((c) => c.close)).toEqual([100, 101, 102, 103, 104]);
  });

  it('refuses a file with one broken row whole, naming file, line and reason, and writes nothing', async () => {
    const before = await listSeries(db);
    const rows = kaggleRows(8);
    rows[6] = rows[6]!.replace(/,(\d+),(\d+),(\d+),(\d+),(\d+),/, ',$1,$2,$3,abc,$5,'); // close unparseable
    const file = join(dir, 'broken', 'coin_Testcoin.csv');
    rmSync(join(dir, 'broken'), { recursive: true, force: true });
    mkdirSync(join(dir, 'broken'));
    writeFileSync(file, [HEADER, ...rows].join('\n'));
    const error = await ingestCsv(db, [file]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).kind).toBe('input');
    expect((error as Error).message).toContain(`${file} line 8: close is an unparseable value`);
    expect(await listSeries(db)).toEqual(before);
  });

  it('with skipInvalid loads the valid rows and reports the skipped ones', async () => {
    const rows = kaggleRows(8);
    rows[6] = rows[6]!.replace(/,(\d+),(\d+),(\d+),(\d+),(\d+),/, ',$1,$2,$3,-4,$5,');
    const file = join(dir, 'broken', 'coin_Testcoin.csv');
    writeFileSync(file, [HEADER, ...rows].join('\n'));
    const report = await ingestCsv(db, [file], { skipInvalid: true });
    const f = report.files[0]!;
    expect(f.skipped).toEqual([{ line: 8, reason: expect.stringMatching(/close is -4/) }]);
    expect(f.written).toEqual({ inserted: 2, updated: 0, unchanged: 5 }); // days 6 and 8 are new; day 7 skipped
    expect(f.gaps).toEqual([{ fromMs: Date.UTC(2020, 0, 7), toMs: Date.UTC(2020, 0, 7), missingBars: 1 }]);
    const tst = (await listSeries(db)).find((s) => s.symbol === 'TST');
    expect(tst).toMatchObject({ rows: 7, missingBars: 1 });
  });

  it('filters files by --symbols and refuses a missing path', async () => {
    const report = await ingestCsv(db, [dir], { symbols: ['ETH'] });
    expect(report.files).toEqual([]);
    expect(report.filteredOut).toHaveLength(1);
    await expect(ingestCsv(db, [join(dir, 'nope')])).rejects.toThrow(/No such file or folder/);
  });

  it('stores a generic file\'s source name lowercase (as the API asks for it) and refuses one it could not serve', async () => {
    const file = join(dir, 'generic', 'mine.csv');
    mkdirSync(join(dir, 'generic'), { recursive: true });
    writeFileSync(file, ['day,px,vol', '2021-03-01,10,1', '2021-03-02,11,2', '2021-03-03,12,3'].join('\n'));
    const columns = { time: 'day', close: 'px', volume: 'vol' };
    const before = await listSeries(db);
    const bad = await ingestCsv(db, [file], { columns, symbols: ['GEN'], source: 'My Exchange' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DataError);
    expect((bad as Error).message).toBe('Bad source name "My Exchange". Should be 1 to 40 letters, digits, "-" or "_" (stored lowercase), e.g. my-exchange.');
    expect(await listSeries(db)).toEqual(before);
    const report = await ingestCsv(db, [file], { columns, symbols: ['GEN'], source: 'My-Exchange' });
    expect(report.files[0]).toMatchObject({ symbol: 'GEN', source: 'my-exchange' });
    // Read back by the name as it was typed, or as stored.
    for (const name of ['My-Exchange', 'my-exchange']) {
      expect((await readCandles(db, { symbol: 'GEN', interval: '1d', source: name })).candles.map((c) => c.close)).toEqual([10, 11, 12]);
    }
  });
});
