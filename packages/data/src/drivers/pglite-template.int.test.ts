// New PGlite folders are copies of one migrated template: each copy is a whole, migrated, independent database,
// a folder that already holds a database is never seeded over, and the template is made once per key.
// Integration tier: it makes a template from initdb in a root of its own (about 10 s, the cost the template spares
// every other test), too slow for the unit tier's minute.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSyntheticCandles } from '@coinsphere/model/core';
import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';
import { upsertCandles } from '../candles.ts';
import { migrationState, queryRows } from '../migrate.ts';
import { openDatabase } from '../open-database.ts';
import { isNewPgliteFolder, seedFromTemplate } from './pglite-template.ts';

const countCandles = async (db: Database) => (await queryRows<{ n: number }>(db.orm, sql`select count(*)::int as n from candles`))[0]!.n;

describe('PGlite folders seeded from the migrated template', () => {
  const work = mkdtempSync(join(tmpdir(), 'cs-pglite-template-'));
  const root = join(work, 'templates');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('gives each new folder its own migrated database, made from one template', async () => {
    const [a, b] = [join(work, 'a'), join(work, 'b')];
    await seedFromTemplate(a, root);
    mkdirSync(b); // an empty folder a user made first counts as new
    expect(isNewPgliteFolder(b)).toBe(true);
    await seedFromTemplate(b, root);
    expect(readdirSync(root)).toHaveLength(1); // one template for both, and no building or copying folder left
    expect(readdirSync(work).sort()).toEqual(['a', 'b', 'templates']);

    const dbA = await openDatabase(a);
    const candles = makeSyntheticCandles(5, 1).map((c) => ({ ...c, symbol: 'SYN', interval: '1d' as const, source: 'synthetic' }));
    await upsertCandles(dbA, candles);
    const state = await migrationState(dbA.orm);
    expect(state.applied).toBe(state.shipped);
    expect(state.shipped).toBeGreaterThan(0);
    await dbA.close();
    const dbB = await openDatabase(b);
    expect(await countCandles(dbB)).toBe(0); // a's rows are a's alone
    await dbB.close();
    const dbA2 = await openDatabase(a);
    expect(await countCandles(dbA2)).toBe(5);
    await dbA2.close();
  });

  it('treats a folder holding anything as existing, so a database is never seeded over', () => {
    const used = join(work, 'used');
    mkdirSync(used);
    writeFileSync(join(used, 'PG_VERSION'), '17');
    expect(isNewPgliteFolder(used)).toBe(false);
    expect(isNewPgliteFolder(join(work, 'missing'))).toBe(true);
  });
});
