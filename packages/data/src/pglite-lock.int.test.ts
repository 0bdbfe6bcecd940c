// One process at a time on a PGlite folder: a second process gets a clear error naming the holder and the
// way out; a lock left by a dead process is taken over; the data survives both.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCandles, upsertCandles } from './candles.ts';
import { openDatabase } from './open-database.ts';
import { lockPathFor } from './pglite-lock.ts';

const INDEX = fileURLToPath(new URL('./index.ts', import.meta.url));

describe('PGlite single-process lock', () => {
  let dir: string;
  let folder: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cs-lock-'));
    folder = join(dir, 'db');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second process while the first holds the folder, naming its pid and --db postgres://', async () => {
    const script = `import { openDatabase } from ${JSON.stringify(INDEX)}; await openDatabase(${JSON.stringify(folder)}); console.log('ready'); setInterval(() => {}, 1000);`;
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const error = await openDatabase(folder).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(new RegExp(`in use by process ${child.pid}.*--db postgres://`));
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    // The holder died without releasing: its lock is stale and is taken over; the database opens intact.
    expect(existsSync(lockPathFor(folder))).toBe(true);
    const db = await openDatabase(folder);
    try {
      await upsertCandles(db, [{ symbol: 'LCK', interval: '1d', source: 's', openTimeMs: 0, open: 1, high: 1, low: 1, close: 1, baseVolume: 0, quoteVolumeUsd: 0, marketCapUsd: null }]);
      expect((await readCandles(db, { symbol: 'LCK', interval: '1d' })).candles).toHaveLength(1);
      await expect(openDatabase(folder)).rejects.toThrow(/in use by this same process/);
    } finally {
      await db.close();
    }
    expect(existsSync(lockPathFor(folder))).toBe(false); // released on close
  });

  it('takes over a lock file whose pid is not running, and the data is still there', async () => {
    writeFileSync(lockPathFor(folder), '999999999\n'); // reuses the first test's database: no second initdb
    const db = await openDatabase(folder);
    try {
      expect((await readCandles(db, { symbol: 'LCK', interval: '1d' })).candles).toHaveLength(1);
    } finally {
      await db.close();
    }
    expect(existsSync(lockPathFor(folder))).toBe(false);
  });
});
