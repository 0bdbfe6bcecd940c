// The Node entry over real PostgreSQL (a throwaway database) and a real Redis that this test starts on its own
// port and stops (the shared Redis on 6379 is never touched): publish and read through HTTP, a publish racing
// reads, a database that goes away (cached reads answer, stale) and Redis stopping (LRU fallback, health says so).
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openDatabase, type Database } from '@coinsphere/data';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../../tests/support/postgres.ts';
import { freePort, startRedis } from '../../../tests/support/redis.ts';
import { parseApiEnv } from './env.ts';
import { startNodeServer, type NodeServer } from './node.ts';
import type { Prediction } from '@coinsphere/serving/contract';

const TOKEN = 'node-token-0123456789abcdef';
const SYMBOLS = Array.from({ length: 40 }, (_, i) => `C${i}`);

function batch(asOf: string, symbols = SYMBOLS): Prediction[] {
  return symbols.map((symbol, i) => ({ symbol, horizonDays: 7, asOf, class: (['bearish', 'neutral', 'bullish'] as const)[i % 3]!, probabilities: { bearish: 0.3, neutral: 0.3, bullish: 0.4 }, confidence: 0.4, modelVersion: 'v1', placeholders: [], signal: 'clear' as const, band: null, createdAt: `${asOf}T00:00:00.000Z` }));
}

let redisPort: number;
let redis: ChildProcess;
let temp: Awaited<ReturnType<typeof createTempDatabase>>;
let db: Database;
let server: NodeServer;

const publish = (base: string, predictions: Prediction[]) =>
  fetch(`${base}/v1/predictions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ predictions }) });

const envFor = (extra: Record<string, string> = {}) => ({
  ...parseApiEnv({ COINSPHERE_API_TOKEN: TOKEN, REDIS_URL: `redis://127.0.0.1:${redisPort}`, RATE_LIMIT_BURST: '0', LOG_LEVEL: 'warn', ...extra }),
  port: 0,
});

beforeAll(async () => {
  redisPort = await freePort();
  redis = await startRedis(redisPort);
  temp = await createTempDatabase('cs_api');
  db = await openDatabase(temp.url);
  server = await startNodeServer({ db, env: envFor() });
});

afterAll(async () => {
  await server?.close();
  await db?.close();
  await temp?.drop();
  if (redis && redis.exitCode === null) redis.kill('SIGKILL');
});

describe('Node entry on PostgreSQL and Redis', () => {
  it('publishes through HTTP into Postgres and Redis, and serves the prediction with a 304 path', async () => {
    const res = await publish(server.url, batch('2024-06-01'));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { changedKeys: string[] }).changedKeys).toHaveLength(SYMBOLS.length);
    const direct = new Redis(redisPort, '127.0.0.1');
    expect(await direct.get('cs:v1:pred:C0:7')).toContain('"asOf":"2024-06-01"');
    direct.disconnect();
    const read = await fetch(`${server.url}/v1/predictions/C1`);
    expect(await read.json()).toMatchObject({ symbol: 'C1', asOf: '2024-06-01', class: 'neutral', stale: true, staleReasons: ['data_old'] }); // 2024 is old now
    const again = await fetch(`${server.url}/v1/predictions/C1`, { headers: { 'if-none-match': read.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const health = (await (await fetch(`${server.url}/v1/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', store: { kind: 'postgres', ok: true }, cache: { backend: 'redis', ok: true } });
  });

  it('never shows a reader half of a batch while a publish races the reads', async () => {
    const url = `${server.url}/v1/predictions?symbols=${SYMBOLS.join(',')}`;
    const seen = new Set<string>();
    let reading = true;
    const readers = Array.from({ length: 4 }, async () => {
      while (reading) {
        const body = (await (await fetch(url)).json()) as { predictions: Prediction[] };
        const days = new Set(body.predictions.map((p) => p.asOf));
        expect(body.predictions).toHaveLength(SYMBOLS.length);
        expect([...days]).toHaveLength(1); // all old or all new, never mixed
        seen.add([...days][0]!);
      }
    });
    for (const day of ['2024-06-02', '2024-06-03', '2024-06-04']) {
      expect((await publish(server.url, batch(day))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 30));
    }
    reading = false;
    await Promise.all(readers);
    expect(seen.has('2024-06-04')).toBe(true);
    expect(seen.size).toBeGreaterThan(1); // the readers really overlapped the publishes
  });

  it('answers cached reads marked stale when the database is unreachable', async () => {
    const temp2 = await createTempDatabase('cs_api_down');
    const db2 = await openDatabase(temp2.url);
    const revalidating = await startNodeServer({ db: db2, env: envFor({ CACHE_FRESH_SECONDS: '0' }) }); // every read asks the store
    try {
      const today = new Date().toISOString().slice(0, 10); // fresh data: only the store can make it stale
      expect((await publish(revalidating.url, batch(today, ['ZZ1']))).status).toBe(200);
      expect(await (await fetch(`${revalidating.url}/v1/predictions/ZZ1`)).json()).toMatchObject({ stale: false, staleReasons: [] });
      await temp2.drop(); // terminates the server's connections and removes the database
      const res = await fetch(`${revalidating.url}/v1/predictions/ZZ1`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ symbol: 'ZZ1', asOf: today, stale: true, staleReasons: ['store_unreachable'] });
      expect((await fetch(`${revalidating.url}/v1/predictions/NOPE1`)).status).toBe(503);
      const health = (await (await fetch(`${revalidating.url}/v1/health`)).json()) as { status: string; store: { ok: boolean } };
      expect(health).toMatchObject({ status: 'degraded', store: { ok: false } });
    } finally {
      await revalidating.close();
      await db2.close().catch(() => {});
    }
  });

  it('serves a publish made through another API process at once, though each keeps hot reads in memory', async () => {
    // server keeps what it reads for up to 60 s here: only the invalidation it hears can explain a quick change.
    const reader = await startNodeServer({ db, env: envFor({ REDIS_NEAR_CACHE_MS: '60000' }) });
    try {
      expect((await publish(server.url, batch('2024-06-10', ['C4']))).status).toBe(200);
      const asOf = async () => ((await (await fetch(`${reader.url}/v1/predictions/C4`)).json()) as { asOf: string }).asOf;
      expect(await asOf()).toBe('2024-06-10');
      expect(await asOf()).toBe('2024-06-10'); // now from the reader's memory
      expect((await publish(server.url, batch('2024-06-11', ['C4']))).status).toBe(200); // through the other process
      let seen = '';
      for (let i = 0; i < 50 && seen !== '2024-06-11'; i++) {
        seen = await asOf();
        if (seen !== '2024-06-11') await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen).toBe('2024-06-11');
    } finally {
      await reader.close();
    }
  });

  it('keys the rate limit on X-Forwarded-For only behind a trusted proxy (TRUST_PROXY), on the fast path and in Hono', async () => {
    expect((await publish(server.url, batch('2024-06-01', ['PX1']))).status).toBe(200);
    const limits = { RATE_LIMIT_BURST: '2', RATE_LIMIT_PER_SECOND: '0.001' };
    const proxied = await startNodeServer({ db, env: envFor({ ...limits, TRUST_PROXY: '127.0.0.1' }) }); // the test is the proxy
    const exposed = await startNodeServer({ db, env: envFor(limits) });
    try {
      const get = (base: string, client: string) => fetch(`${base}/v1/predictions/PX1`, { headers: { 'x-forwarded-for': `${client}, 127.0.0.1` } });
      const statuses = async (base: string, client: string) => [(await get(base, client)).status, (await get(base, client)).status, (await get(base, client)).status];
      expect(await statuses(proxied.url, '203.0.113.1')).toEqual([200, 200, 429]);
      expect(await statuses(proxied.url, '203.0.113.2')).toEqual([200, 200, 429]); // another client behind the proxy: its own bucket
      expect(await statuses(exposed.url, '203.0.113.1')).toEqual([200, 200, 429]);
      expect((await get(exposed.url, '203.0.113.3')).status).toBe(429); // no trusted proxy: a forged header buys nothing
    } finally {
      await proxied.close();
      await exposed.close();
    }
  });

  it('falls back to the in-process cache when Redis stops, and says so in /v1/health', async () => {
    redis.kill('SIGTERM');
    await once(redis, 'exit');
    const res = await fetch(`${server.url}/v1/predictions/C2`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ symbol: 'C2', asOf: '2024-06-04', staleReasons: ['data_old'] }); // not store_unreachable
    const healthRes = await fetch(`${server.url}/v1/health`);
    expect(healthRes.status).toBe(200); // degraded, but every read is still answered
    expect(await healthRes.json()).toMatchObject({ status: 'degraded', cache: { backend: 'memory', ok: true, fallbackFrom: 'redis' } });
    expect((await publish(server.url, batch('2024-06-05', ['C2']))).status).toBe(200); // writes still work
    expect(await (await fetch(`${server.url}/v1/predictions/C2`)).json()).toMatchObject({ asOf: '2024-06-05' });

    redis = await startRedis(redisPort); // Redis comes back (empty): what it missed is replayed into it
    let status = '';
    for (let i = 0; i < 50 && status !== 'ok'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = ((await (await fetch(`${server.url}/v1/health`)).json()) as { status: string }).status;
    }
    expect(status).toBe('ok');
    expect((await fetch(`${server.url}/v1/predictions?symbols=C3`)).status).toBe(200); // first Redis call replays (C3, not C2)
    const direct = new Redis(redisPort, '127.0.0.1');
    expect(await direct.get('cs:v1:pred:C2:7')).toContain('"asOf":"2024-06-05"');
    direct.disconnect();
    // Back on Redis for single reads too: another process's publish reaches this one.
    const other = await startNodeServer({ db, env: envFor() });
    try {
      expect((await publish(other.url, batch('2024-06-06', ['C2']))).status).toBe(200);
      expect(await (await fetch(`${server.url}/v1/predictions/C2`)).json()).toMatchObject({ asOf: '2024-06-06' });
    } finally {
      await other.close();
    }
  });
});
