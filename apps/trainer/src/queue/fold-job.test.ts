// A fold job over a real embedded database (PGlite): it carries no candles, the worker reads the planned ones back
// exactly, and refuses them once they changed (a re-ingest between planning and training) or are not there.
import { openDatabase, upsertCandles, type Database } from '@coinsphere/data';
import { makeSyntheticCandles } from '@coinsphere/model/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FoldTask } from '../evaluation/fold-task.ts';
import { foldJobData, hydrateFoldTask } from './fold-job.ts';

describe('fold jobs', () => {
  let work: string;
  let db: Database;
  const candles = makeSyntheticCandles(60, 9);
  const row = (c: (typeof candles)[number]) => ({ ...c, symbol: 'SYNA', interval: '1d' as const, source: 'synthetic' });
  const task = {
    id: 'SYNA-7d-f0', kind: 'asset', horizonDays: 7, foldIndex: 0, gapDays: 7, threads: 1, modelConfig: {}, training: {},
    assets: [{ symbol: 'SYNA', candles: candles.slice(0, 50), fold: { index: 0 } }],
  } as unknown as FoldTask; // only the fields a job carries are read here
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cs-fold-job-'));
    db = await openDatabase(join(work, 'db'));
    await upsertCandles(db, candles.map(row));
  });
  afterAll(async () => {
    await db.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('carries the candles by reference and gets exactly the planned ones back', async () => {
    const data = foldJobData(task, 'k', new Map([['SYNA', 'synthetic']]));
    expect(JSON.stringify(data)).not.toContain('"close"');
    const hydrated = await hydrateFoldTask(db, data, new Map());
    expect(hydrated.assets[0]!.candles).toEqual(candles.slice(0, 50)); // the 10 newer days are not part of the fold
  });

  it('refuses candles that changed since the fold was planned, and names a missing series', async () => {
    const data = foldJobData(task, 'k', new Map([['SYNA', 'synthetic']]));
    const edited = { ...candles[10]!, close: candles[10]!.close * 1.01, high: Math.max(candles[10]!.high ?? 0, candles[10]!.close * 1.01) };
    await upsertCandles(db, [row(edited)]);
    await expect(hydrateFoldTask(db, data, new Map())).rejects.toThrow('The SYNA candles from "synthetic" changed since this fold was planned');
    const elsewhere = foldJobData(task, 'k', new Map([['SYNA', 'binance']]));
    await expect(hydrateFoldTask(db, elsewhere, new Map())).rejects.toThrow(/No 1d candles of SYNA from "binance" between \d{4}-\d\d-\d\d and \d{4}-\d\d-\d\d in this database/);
  });
});
