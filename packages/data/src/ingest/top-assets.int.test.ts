// The top 20 on the bundled snapshot (issue #18: "on the bundled snapshot, those it holds"): loaded into PGlite,
// its pooled universe in the static list's order, then by market cap. Integration tier: the load takes seconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../open-database.ts';
import { BUNDLED_SNAPSHOT_DIR, ingestSnapshot } from '../snapshot/ingest-snapshot.ts';
import { topHeldAssets } from './top-assets.ts';

describe('topHeldAssets', () => {
  it('on the bundled snapshot: the 16 coins it holds, the static list\'s first, then by their last market cap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-top-snapshot-'));
    const db = await openDatabase(join(dir, 'db'));
    try {
      await ingestSnapshot(db, BUNDLED_SNAPSHOT_DIR);
      expect((await topHeldAssets(db)).symbols).toEqual(['BTC', 'ETH', 'XRP', 'BNB', 'SOL', 'TRX', 'DOGE', 'ADA', 'LINK', 'XLM', 'LTC', 'DOT', 'UNI', 'XMR', 'EOS', 'ATOM']);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
