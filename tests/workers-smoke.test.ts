// The Worker entry in the real Workers runtime (workerd through Miniflare, as `wrangler dev` runs it) with
// local KV and the Cache API: bundle with `wrangler deploy --dry-run`, then publish, read, 304, auth failure,
// cache purge on publish and the cron handler.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'edge-token-0123456789abcdef';
let mf: Miniflare;
let outDir: string;

function prediction(asOf: string, cls: 'bearish' | 'neutral' | 'bullish') {
  return { symbol: 'BTC', horizonDays: 7, asOf, class: cls, probabilities: { bearish: 0.2, neutral: 0.3, bullish: 0.5 }, confidence: 0.5, modelVersion: 'v1', placeholders: [], createdAt: `${asOf}T01:00:00.000Z` };
}

const publish = (body: unknown, token = TOKEN) =>
  mf.dispatchFetch('http://localhost/v1/predictions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'cs-worker-'));
  // The same offline bundling as a deploy, no login needed.
  execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outDir], { cwd: join(import.meta.dirname, '..'), stdio: 'pipe', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
  mf = new Miniflare({
    modules: true,
    scriptPath: join(outDir, 'worker.js'),
    modulesRoot: outDir,
    compatibilityDate: '2025-04-01',
    kvNamespaces: ['PREDICTIONS'],
    bindings: { COINSPHERE_API_TOKEN: TOKEN, CACHE_MAX_AGE_SECONDS: '60' },
  });
  await mf.ready;
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  rmSync(outDir, { recursive: true, force: true });
});

describe('the Worker in workerd', () => {
  it('bundles offline', () => {
    expect(statSync(join(outDir, 'worker.js')).size).toBeGreaterThan(10_000);
  });

  it('refuses a publish with a wrong token and stores nothing', async () => {
    const res = await publish({ predictions: [prediction('2024-05-01', 'bullish')] }, 'wrong-token-0123456789abcdef');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await mf.dispatchFetch('http://localhost/v1/predictions/BTC')).status).toBe(404);
  });

  it('publishes to KV, reads through the Cache API, answers 304, and sees the next publish at once', async () => {
    const first = await publish({ predictions: [prediction('2024-05-01', 'bullish')] });
    expect(first.status).toBe(200);
    expect(((await first.json()) as { changedKeys: string[] }).changedKeys).toEqual(['cs:v1:pred:BTC:7']);
    const kv = (await mf.getKVNamespace('PREDICTIONS')) as unknown as { get(key: string): Promise<string | null> };
    expect(JSON.parse((await kv.get('db:latest:BTC:7')) ?? 'null')).toMatchObject({ asOf: '2024-05-01' });

    const read = await mf.dispatchFetch('http://localhost/v1/predictions/BTC?horizon=7');
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ symbol: 'BTC', asOf: '2024-05-01', class: 'bullish', stale: false });
    const etag = read.headers.get('etag')!;
    const cached = await mf.dispatchFetch('http://localhost/v1/predictions/btc');
    expect(cached.headers.get('x-edge-cache')).toBe('hit');
    await cached.arrayBuffer();
    const notModified = await mf.dispatchFetch('http://localhost/v1/predictions/BTC', { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);

    await publish({ predictions: [prediction('2024-05-02', 'bearish')] });
    const after = await mf.dispatchFetch('http://localhost/v1/predictions/BTC');
    expect(await after.json()).toMatchObject({ asOf: '2024-05-02', class: 'bearish' });
    const history = (await (await mf.dispatchFetch('http://localhost/v1/predictions/BTC/history?from=2024-05-01&to=2024-05-31')).json()) as { predictions: Array<{ asOf: string }> };
    expect(history.predictions.map((p) => p.asOf)).toEqual(['2024-05-01', '2024-05-02']);
  });

  it('answers health and openapi, and runs the cron refresh', async () => {
    const health = (await (await mf.dispatchFetch('http://localhost/v1/health')).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ store: { kind: 'kv', ok: true }, cache: { backend: 'kv', ok: true }, newestPredictionAt: '2024-05-02T01:00:00.000Z' });
    expect(((await (await mf.dispatchFetch('http://localhost/openapi.json')).json()) as { openapi: string }).openapi).toMatch(/^3\./);
    const worker = (await mf.getWorker()) as unknown as { scheduled(o: { cron: string }): Promise<{ outcome: string }> };
    const result = await worker.scheduled({ cron: '*/15 * * * *' });
    expect(result.outcome).toBe('ok');
  });
});
