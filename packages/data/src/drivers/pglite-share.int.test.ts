// A shared PGlite folder (issue #17's "no lock-out"): while a sharing owner holds it, another process opens the same
// folder and reads and writes through the owner's socket; connections take the one backend in turns, so a
// transaction is never seen half-done and extended-protocol sequences never mix; a client killed mid-transaction
// leaves nothing behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCandles } from '../candles.ts';
import type { Database } from '../database.ts';
import { openDatabase } from '../open-database.ts';
import { lockPathFor } from '../pglite-lock.ts';
import { PGlite } from '@electric-sql/pglite';
import { lastReadyStatus, SHARE_PORT, shareDirFor, sharePathFor, sharePglite } from './pglite-share.ts';

const INDEX = fileURLToPath(new URL('../index.ts', import.meta.url));

/** Runs `body` (an ES module body with `openDatabase` and `folder` in scope) in a fresh Node process; resolves with its stdout. */
function inChild(folder: string, body: string, onStdout?: (text: string) => void): { done: Promise<string>; kill: () => void } {
  const script = `import { openDatabase, upsertCandles, readCandles } from ${JSON.stringify(INDEX)}; const folder = ${JSON.stringify(folder)};\n${body}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    onStdout?.(out);
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<string>((resolve, reject) => child.on('exit', (code, signal) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code ?? signal}: ${err}`)))));
  return { done, kill: () => child.kill('SIGKILL') };
}

const candle = (symbol: string, day: number) => ({ symbol, interval: '1d', source: 's', openTimeMs: day * 86_400_000, open: 1, high: 2, low: 0.5, close: 1.5, baseVolume: 3, quoteVolumeUsd: 4, marketCapUsd: null });

function socketClient(folder: string): pg.Client {
  return new pg.Client({ host: shareDirFor(folder), port: SHARE_PORT, user: 'postgres', database: 'postgres' });
}

describe('lastReadyStatus', () => {
  it('reads the transaction status of the last ReadyForQuery and skips other messages', () => {
    const commandComplete = [0x43, 0, 0, 0, 10, ...Buffer.from('BEGIN\0')];
    expect(lastReadyStatus(Uint8Array.from([...commandComplete, 0x5a, 0, 0, 0, 5, 0x54]))).toBe('T');
    expect(lastReadyStatus(Uint8Array.from([0x5a, 0, 0, 0, 5, 0x49, 0x5a, 0, 0, 0, 5, 0x45]))).toBe('E');
    expect(lastReadyStatus(Uint8Array.from([0x31, 0, 0, 0, 4]))).toBeNull(); // ParseComplete alone: mid-sequence
  });
});

describe('a shared PGlite folder', () => {
  let dir: string;
  let folder: string;
  let owner: Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-share-'));
    folder = join(dir, 'db');
    owner = await openDatabase(folder, { share: true });
  }, 120_000);
  afterAll(async () => {
    await owner?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets another process open the folder, write, and read, and the owner sees its rows', async () => {
    const out = await inChild(
      folder,
      `const db = await openDatabase(folder); await upsertCandles(db, [${JSON.stringify(candle('SHR', 1))}, ${JSON.stringify(candle('SHR', 2))}]);
       const { candles } = await readCandles(db, { symbol: 'SHR', interval: '1d' }); console.log(db.kind, candles.length); await db.close();`,
    ).done;
    expect(out.trim()).toBe('pglite 2');
    expect((await readCandles(owner, { symbol: 'SHR', interval: '1d' })).candles.map((c) => c.openTimeMs)).toEqual([86_400_000, 2 * 86_400_000]);
    expect(existsSync(lockPathFor(folder))).toBe(true); // still the owner's
  }, 120_000);

  it('never shows one connection another one\'s open transaction: the second waits for the commit', async () => {
    const writer = socketClient(folder);
    const reader = socketClient(folder);
    await writer.connect();
    await reader.connect();
    try {
      await writer.query('create table if not exists share_probe (v int)');
      await writer.query('begin');
      await writer.query('insert into share_probe values ($1)', [7]);
      const order: string[] = [];
      const read = reader.query('select count(*)::int as n from share_probe').then((r) => {
        order.push('read');
        return (r.rows[0] as { n: number }).n;
      });
      await new Promise((r) => setTimeout(r, 300)); // the read is queued behind the open transaction, not run inside it
      order.push('commit');
      await writer.query('commit');
      expect(await read).toBe(1);
      expect(order).toEqual(['commit', 'read']);
    } finally {
      await writer.end();
      await reader.end();
    }
  });

  it('keeps concurrent parameterised statements of many connections apart', async () => {
    const clients = Array.from({ length: 6 }, () => socketClient(folder));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const answers = await Promise.all(
        Array.from({ length: 120 }, (_, i) => clients[i % clients.length]!.query('select $1::int * 2 as v, $2::text as tag', [i, `c${i % clients.length}`]).then((r) => r.rows[0] as { v: number; tag: string })),
      );
      expect(answers).toEqual(Array.from({ length: 120 }, (_, i) => ({ v: 2 * i, tag: `c${i % clients.length}` })));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('rolls back what a killed client left open, and the others carry on', async () => {
    const child = inChild(
      folder,
      `import pg from 'pg'; const c = new pg.Client({ host: ${JSON.stringify(shareDirFor(folder))}, port: ${SHARE_PORT}, user: 'postgres', database: 'postgres' });
       await c.connect(); await c.query('begin'); await c.query('insert into share_probe values (99)'); console.log('open'); setInterval(() => {}, 1000);`,
      (text) => text.includes('open') && child.kill(),
    );
    await child.done.catch(() => undefined); // killed
    const rows = (await owner.executeSql('select count(*)::int as n from share_probe where v = 99')).rows as { n: number }[];
    expect(rows[0]!.n).toBe(0);
    expect((await owner.executeSql('select count(*)::int as n from share_probe')).rows).toEqual([{ n: 1 }]);
  }, 60_000);

  it('removes its socket and lock on close, and the folder opens normally afterwards with the shared writes in it', async () => {
    const path = sharePathFor(folder);
    expect(existsSync(path)).toBe(true);
    await owner.close();
    expect(existsSync(path)).toBe(false);
    expect(existsSync(lockPathFor(folder))).toBe(false);
    owner = await openDatabase(folder);
    expect((await readCandles(owner, { symbol: 'SHR', interval: '1d' })).candles).toHaveLength(2);
  }, 60_000);
});

describe('a connection through a share whose owner stops', () => {
  it('hears that the owner is gone, says how to go on, and the folder then opens here', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-share-lost-'));
    const folder = join(dir, 'db');
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const owner = inChild(folder, `const db = await openDatabase(folder, { share: true }); console.log('ready'); setInterval(() => {}, 1000);`, (text) => text.includes('ready') && ready());
    await started;
    try {
      const client = await openDatabase(folder);
      expect(client.lost).toBeDefined();
      expect((await client.executeSql('select 1 as one')).rows).toEqual([{ one: 1 }]);
      owner.kill();
      await owner.done.catch(() => undefined);
      expect((await client.lost!).message).toMatch(/which shared the embedded database .* has stopped.*Run the command again/);
      await client.close();
      const own = await openDatabase(folder); // the dead owner's lock and socket are taken over
      expect(own.lost).toBeUndefined();
      await own.close();
    } finally {
      owner.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('a connection that holds the backend and goes quiet', () => {
  it('is closed after the idle limit, its transaction rolled back, and the connection waiting behind it goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-share-idle-'));
    const location = join(dir, 'mem');
    const db = await PGlite.create();
    const share = await sharePglite(db, location, { idleInTurnMs: 300 });
    const stuck = socketClient(location);
    const next = socketClient(location);
    stuck.on('error', () => undefined); // its socket is closed under it
    try {
      await stuck.connect();
      await next.connect();
      await stuck.query('create table idle_probe (v int)');
      await stuck.query('begin');
      await stuck.query('insert into idle_probe values (1)');
      const t0 = performance.now();
      const seen = await next.query('select count(*)::int as n from idle_probe'); // waits for the turn, then runs
      expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
      expect(seen.rows).toEqual([{ n: 0 }]); // the stuck transaction was rolled back
      await expect(stuck.query('select 1')).rejects.toThrow();
    } finally {
      await next.end();
      await stuck.end().catch(() => undefined);
      await share.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a backend that cannot run a message', () => {
  it('closes that connection at once instead of leaving its client waiting with the backend held', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-share-broken-'));
    const location = join(dir, 'mem');
    const db = await PGlite.create();
    const share = await sharePglite(db, location);
    const client = socketClient(location);
    client.on('error', () => undefined);
    try {
      await client.connect();
      await db.close(); // the backend is gone under a live connection
      const t0 = performance.now();
      await expect(client.query('select 1')).rejects.toThrow();
      expect(performance.now() - t0).toBeLessThan(5000);
    } finally {
      await client.end().catch(() => undefined);
      await share.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
