// POST /v1/predict off the request loop, through the real Node server (startNodeServer on port 0) over PGlite
// with a seeded real model (tests/support/predict-model.ts): a cached GET answers while a burst of predictions is
// being computed (before the burst is half done; on the request loop it waited for all of it), a full queue
// sheds with 503 and Retry-After and the server answers normally afterwards, and the worker's errors come back as
// the in-thread predictor's 400 and 404.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '@coinsphere/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSeededModel, type SeededModel } from '../../../../tests/support/predict-model.ts';
import { parseApiEnv } from '../env.ts';
import { startNodeServer, type NodeServer } from '../node.ts';
import { DrizzleStore } from '@coinsphere/serving/node';
import { createPredictPool } from './predict-pool.ts';
import { currentThreadId } from './thread-priority.ts';

const TOKEN = 'pool-token-0123456789abcdef';
// Heavier than the served recipe so that inference, not parsing, is what a burst waits for (~10-30 ms a call).
const HEAVY = { windowBars: 60, nFeatures: 20, lstmUnits: [64, 32, 16] as [number, number, number], denseUnits: 16, nClasses: 3, dropout: 0.2 };

let dir: string;
let db: Database;
let model: SeededModel;
const servers: NodeServer[] = [];

async function serve(extra: Record<string, string>): Promise<NodeServer> {
  const env = { ...parseApiEnv({ COINSPHERE_API_TOKEN: TOKEN, RATE_LIMIT_BURST: '0', CACHE_FRESH_SECONDS: '3600', LOG_LEVEL: 'warn', ...extra }), port: 0 };
  const server = await startNodeServer({ db, env, artifactsRoot: model.artifactsRoot });
  servers.push(server);
  return server;
}

const predict = (server: NodeServer, body: unknown = { symbol: 'BTC', horizonDays: 7, candles: model.candles }) =>
  fetch(`${server.url}/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function cachedGet(server: NodeServer): Promise<number> {
  const res = await fetch(`${server.url}/v1/predictions/BTC?horizon=7`);
  await res.text();
  return res.status;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-pool-'));
  db = await openDatabase(join(dir, 'db'));
  model = await registerSeededModel(db, dir, { config: HEAVY, members: 3, days: 150 });
  const first = await serve({});
  const published = { symbol: 'BTC', horizonDays: 7, asOf: '2024-06-01', class: 'bullish', probabilities: { bearish: 0.2, neutral: 0.3, bullish: 0.5 }, confidence: 0.5, modelVersion: model.version, placeholders: [], signal: 'clear', band: null, createdAt: '2024-06-01T00:00:00.000Z' };
  const res = await fetch(`${first.url}/v1/predictions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ predictions: [published] }) });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /v1/predict in worker threads', () => {
  it('answers a cached GET while a burst of predictions is computed, before half of the burst is done', async () => {
    const server = await serve({ PREDICT_THREADS: '1', PREDICT_QUEUE: '64' });
    const BURST = 16;
    const burst = async () => {
      let done = 0;
      const all = Array.from({ length: BURST }, () => predict(server).then(async (r) => (await r.text(), expect(r.status).toBe(200), done++)));
      await new Promise((r) => setTimeout(r, 20)); // the burst is in: on the request loop, inference now holds it
      expect(await cachedGet(server)).toBe(200);
      const doneAtGet = done;
      await Promise.all(all);
      return doneAtGet;
    };
    await burst(); // warm-up: the thread starts and loads the engines, the connections open
    for (let round = 0; round < 2; round++) expect(await burst()).toBeLessThan(BURST / 2);
  });

  it('sheds with 503 and Retry-After when every thread is busy and the queue is full, then answers again', async () => {
    const server = await serve({ PREDICT_THREADS: '1', PREDICT_QUEUE: '1' });
    expect((await predict(server)).status).toBe(200); // the thread is up
    const answers = await Promise.all(Array.from({ length: 10 }, async () => {
      const r = await predict(server);
      return { status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as { error?: { code: string; message: string } } };
    }));
    const shed = answers.filter((a) => a.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2); // the one running and the one queued
    expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
    for (const a of shed) {
      expect(a.retryAfter).toBe('1');
      expect(a.body.error?.code).toBe('overloaded');
      expect(a.body.error?.message).toMatch(/predicting at capacity \(1 running, 1 waiting\); retry after 1 s/);
    }
    expect((await predict(server)).status).toBe(200);
    expect(await cachedGet(server)).toBe(200);
  });

  it("answers the worker's errors as the in-thread predictor does: 404 without a model, 400 for too short a window", async () => {
    const server = await serve({ PREDICT_THREADS: '1' });
    const none = await predict(server, { symbol: 'DOGE', horizonDays: 7, candles: model.candles });
    expect(none.status).toBe(404);
    const short = await predict(server, { symbol: 'BTC', horizonDays: 7, candles: model.candles.slice(0, 20) });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^Not enough history for BTC: 20 days available/) });
  });

  it('parses and validates the body in the thread with the same answers as the validating route on the request loop', async () => {
    const inThread = await serve({ PREDICT_THREADS: '1' });
    const onLoop = await serve({ PREDICT_THREADS: '0' });
    const gapped = [...model.candles.slice(0, 40), ...model.candles.slice(41)];
    const bodies: Array<[string, string, string?]> = [
      ['malformed JSON', '{"symbol": "BTC", "horizonDays": 7, "candles": ['],
      ['no symbol', JSON.stringify({ horizonDays: 7, candles: model.candles })],
      ['a gap in the daily candles', JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles: gapped })],
      ['a negative close', JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles: model.candles.map((c, i) => (i === 5 ? { ...c, close: -1 } : c)) })],
      ['no model for the symbol', JSON.stringify({ symbol: 'DOGE', horizonDays: 7, candles: model.candles })],
      ['too short a window', JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles: model.candles.slice(0, 20) })],
      ['not JSON at all', 'symbol=BTC', 'text/plain'],
      ['a valid request', JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles: model.candles })],
    ];
    for (const [what, body, type = 'application/json'] of bodies) {
      const send = async (server: NodeServer) => {
        const r = await fetch(`${server.url}/v1/predict`, { method: 'POST', headers: { 'content-type': type, 'x-request-id': 'same-id-for-both' }, body }); // error bodies carry it
        return { status: r.status, body: (await r.json()) as Record<string, unknown> };
      };
      const [a, b] = [await send(inThread), await send(onLoop)];
      expect({ what, ...a }).toEqual({ what, ...b });
      if (what !== 'a valid request') expect(a.status, what).toBeGreaterThanOrEqual(400);
    }
  });

  // Linux keeps a niceness per thread: field 19 of /proc/<pid>/task/<tid>/stat, read here independently of the pool.
  const niceOf = (tid: number) => Number(readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);

  it.runIf(process.platform === 'linux')('runs each prediction thread at the niceness asked for, below the request loop, whose own priority stays', async () => {
    const record = await new DrizzleStore(db).servedModel('BTC', 7);
    expect(record).not.toBeNull();
    const loop = currentThreadId()!;
    const before = niceOf(loop);
    for (const nice of [10, 0]) {
      const pool = createPredictPool({ threads: 2, queueLimit: 4, nice, artifactsRoot: model.artifactsRoot });
      try {
        const answer = await pool.run({ model: record!, request: { symbol: 'BTC', horizonDays: 7, candles: model.candles } });
        expect(answer.probabilities.bearish + answer.probabilities.neutral + answer.probabilities.bullish).toBeCloseTo(1, 5);
        await expect.poll(() => pool.stats().priorities.length).toBe(2); // both threads reported at their start
        for (const p of pool.stats().priorities) {
          expect(p.refused).toBeUndefined();
          expect(p.tid).not.toBe(loop);
          expect(niceOf(p.tid!)).toBe(Math.min(19, before + nice)); // the kernel's own account of the thread
          expect(p.nice).toBe(Math.min(19, before + nice));
        }
        expect(niceOf(loop)).toBe(before); // the request loop keeps its priority
      } finally {
        await pool.close();
      }
    }
    expect(parseApiEnv({}).predictNice).toBe(10);
    expect(() => parseApiEnv({ PREDICT_NICE: '20' })).toThrow(/PREDICT_NICE must be at most 19/);
    expect(() => parseApiEnv({ PREDICT_NICE: '-5' })).toThrow(/PREDICT_NICE must be 0 .* to 19/);
  });

  it('refuses a bad PREDICT_THREADS or PREDICT_QUEUE naming the variable', () => {
    expect(() => parseApiEnv({ PREDICT_THREADS: '-1' })).toThrow(/PREDICT_THREADS must be 0 \(predict on the request loop\) or more/);
    expect(() => parseApiEnv({ PREDICT_QUEUE: 'many' })).toThrow(/PREDICT_QUEUE must be a number/);
    expect(parseApiEnv({ PREDICT_THREADS: '2', PREDICT_QUEUE: '0' })).toMatchObject({ predictThreads: 2, predictQueue: 0 });
  });
});
