// The admin routes (edge registry, artifact files, candles) through app.request() over the Worker's KvStore on
// an in-memory KV: auth before anything is read, bad input refused whole, registration only of verified files.
import { Validator } from '@seriousme/openapi-schema-validator';
import { artifactDigest, makeSyntheticCandles } from '@coinsphere/model/core';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { MemoryCache } from '@coinsphere/serving';
import { KvStore } from '../worker/kv-store.ts';
import { memoryKv } from '../worker/memory-kv.ts';
import { tinyArtifactFiles } from '../../../../tests/support/tiny-artifact.ts';

const TOKEN = 'admin-token-0123456789abcdef';
const DAY = 86_400_000;

function setup(apiToken: string | null = TOKEN) {
  const kv = memoryKv();
  const store = new KvStore(kv);
  const app = createApp({ store, cache: new MemoryCache(), artifacts: store, admin: store, config: { apiToken, rateLimit: null }, logError: () => {} });
  const call = (method: string, path: string, body: BodyInit, token: string | null = TOKEN, type = 'application/json') =>
    app.request(path, { method, headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
  return { kv, app, call };
}

const candle = (i: number) => ({ openTimeMs: Date.UTC(2024, 0, 1) + i * DAY, open: null, high: null, low: null, close: 100 + i, baseVolume: null, quoteVolumeUsd: null, marketCapUsd: null });
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

const tinyArtifact = (version: string) => tinyArtifactFiles(version, makeSyntheticCandles(120, 3), 1);

describe('admin routes', () => {
  it('refuse writes without the token, and when no token is configured, storing nothing', async () => {
    const { kv, call } = setup();
    expect(await code(await call('PUT', '/v1/admin/candles/BTC', JSON.stringify({ candles: [candle(0)] }), null))).toBe('unauthorized');
    expect((await call('PUT', '/v1/admin/artifacts/BTC/7/v1/model.json', '{}', 'wrong-token-0123456789abcdef')).status).toBe(401);
    expect(kv.data.size).toBe(0);
    expect(await code(await setup(null).call('PUT', '/v1/admin/candles/BTC', JSON.stringify({ candles: [] })))).toBe('writes_disabled');
  });

  it('store candles that /v1/candles and /v1/assets then serve; refuse unordered candles whole', async () => {
    const { app, call } = setup();
    const unordered = await call('PUT', '/v1/admin/candles/BTC', JSON.stringify({ candles: [candle(1), candle(0)] }));
    expect(unordered.status).toBe(400);
    expect((await app.request('/v1/candles/BTC?from=2024-01-01&to=2024-01-31')).status).toBe(404);
    const ok = await call('PUT', '/v1/admin/candles/btc', JSON.stringify({ candles: [0, 1, 2].map(candle) }));
    expect(await ok.json()).toEqual({ symbol: 'BTC', candles: 3 });
    const served = (await (await app.request('/v1/candles/BTC?from=2024-01-01&to=2024-01-31')).json()) as { candles: Array<{ close: number }> };
    expect(served.candles.map((k) => k.close)).toEqual([100, 101, 102]);
    const assets = (await (await app.request('/v1/assets')).json()) as { assets: unknown[] };
    expect(assets.assets).toEqual([{ symbol: 'BTC', firstDay: '2024-01-01', lastDay: '2024-01-03', horizons: [] }]);
  });

  it('store artifact files but register a model only when its files verify', async () => {
    const { app, call } = setup();
    expect((await call('PUT', '/v1/admin/artifacts/BTC/7/v1/..model.json', 'x', TOKEN, 'application/octet-stream')).status).toBe(400);
    expect((await call('PUT', '/v1/admin/artifacts/BTC/7/v1/model.json', new Uint8Array(0), TOKEN, 'application/octet-stream')).status).toBe(400);
    const put = await call('PUT', '/v1/admin/artifacts/BTC/7/v1/metadata.json', '{"schemaVersion":1}', TOKEN, 'application/octet-stream');
    expect(await put.json()).toEqual({ stored: 'BTC/7/v1/metadata.json', bytes: 19 });
    const entry = { symbol: 'BTC', horizonDays: 7, version: 'v1', metrics: {}, metadata: {}, digest: await artifactDigest('{"schemaVersion":1}'), createdAt: '2024-01-01T00:00:00.000Z' };
    const refused = await call('POST', '/v1/admin/models', JSON.stringify(entry));
    expect(refused.status).toBe(400);
    expect(await code(refused)).toBe('invalid_artifact'); // metadata.json does not validate: nothing registered
    const other = await call('POST', '/v1/admin/models', JSON.stringify({ ...entry, digest: '0'.repeat(64) })); // the files are not what the publisher registered
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(/metadata\.json of model BTC 7d v1 has sha256 [0-9a-f]{64} but the registry records 0{64}/);
    const { digest: _none, ...unpinned } = entry;
    expect(await code(await call('POST', '/v1/admin/models', JSON.stringify(unpinned)))).toBe('invalid_request'); // an entry must carry its digest
    expect(((await (await app.request('/v1/models')).json()) as { models: unknown[] }).models).toEqual([]);
    expect((await call('POST', '/v1/admin/models', JSON.stringify({ ...entry, createdAt: 'yesterday' }))).status).toBe(400);
  });

  it("refuse with 409 to change the files of a registered model, which keeps serving the files it was registered with (#14 row 10)", async () => {
    const { app, call } = setup();
    const files = await tinyArtifact('v1');
    for (const [name, bytes] of files) expect((await call('PUT', `/v1/admin/artifacts/BTC/7/v1/${name}`, bytes, TOKEN, 'application/octet-stream')).status).toBe(200);
    const entry = { symbol: 'BTC', horizonDays: 7, version: 'v1', metrics: {}, metadata: {}, digest: await artifactDigest(files.get('metadata.json')!), createdAt: '2024-01-01T00:00:00.000Z' };
    expect((await call('POST', '/v1/admin/models', JSON.stringify(entry))).status).toBe(200);
    const [name, original] = [...files].find(([n]) => n !== 'model.json' && n !== 'metadata.json')!;
    const changed = original.map((b) => b ^ 0xff);
    const refused = await call('PUT', `/v1/admin/artifacts/BTC/7/v1/${name}`, changed, TOKEN, 'application/octet-stream');
    expect(refused.status).toBe(409);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('already_registered');
    expect(error.message).toContain(`BTC 7d v1 is registered and its ${name} differs`);
    expect(error.message).toContain('new version');
    expect((await call('PUT', '/v1/admin/artifacts/BTC/7/v1/extra.bin', new Uint8Array([1]), TOKEN, 'application/octet-stream')).status).toBe(409); // no new files either
    expect(new Uint8Array(await (await app.request(`/v1/models/BTC/7/latest/${name}`)).arrayBuffer())).toEqual(original);
    expect((await call('PUT', `/v1/admin/artifacts/BTC/7/v1/${name}`, original, TOKEN, 'application/octet-stream')).status).toBe(200); // a retried upload of the same bytes
    expect((await call('PUT', `/v1/admin/artifacts/BTC/7/v2/${name}`, changed, TOKEN, 'application/octet-stream')).status).toBe(200); // a new version is free
  });

  it('refuse candles with a non-positive price, an inconsistent high or low, or a negative volume, naming the candle and storing nothing (#14 row 10)', async () => {
    const { app, call } = setup();
    const good = [0, 1, 2].map((i) => ({ ...candle(i), open: 100 + i, high: 110 + i, low: 90 + i }));
    const cases: Array<[number, Record<string, number>, RegExp]> = [
      [1, { close: -1 }, /^candles\.1\.close: Expected close to be a positive price in USD; got -1\./],
      [2, { high: 95 }, /^candles\.2: Inconsistent candle .*high 95 is below max\(open, close\) 102/],
      [0, { low: 101 }, /^candles\.0: Inconsistent candle .*low 101 is above min\(open, close\) 100/],
      [0, { baseVolume: -5 }, /^candles\.0\.baseVolume: Expected baseVolume to be 0 or more; got -5\./],
    ];
    for (const [i, change, message] of cases) {
      const res = await call('PUT', '/v1/admin/candles/BTC', JSON.stringify({ candles: good.map((k, j) => (j === i ? { ...k, ...change } : k)) }));
      expect([change, res.status]).toEqual([change, 400]);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    expect((await app.request('/v1/candles/BTC?from=2024-01-01&to=2024-01-31')).status).toBe(404);
    expect((await call('PUT', '/v1/admin/candles/BTC', JSON.stringify({ candles: good }))).status).toBe(200);
  });

  it('are documented in a valid OpenAPI 3 document', async () => {
    const doc = (await (await setup().app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/v1/admin')).sort()).toEqual(['/v1/admin/artifacts/{symbol}/{horizon}/{version}/{file}', '/v1/admin/candles/{symbol}', '/v1/admin/models', '/v1/admin/monitoring/{symbol}', '/v1/admin/risk/{symbol}', '/v1/admin/track-record/{symbol}']);
  });

  it('are absent where the store has no edge registry (Node)', async () => {
    const store = new KvStore(memoryKv());
    const app = createApp({ store, cache: new MemoryCache(), config: { apiToken: TOKEN, rateLimit: null } });
    const res = await app.request('/v1/admin/candles/BTC', { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{"candles":[]}' });
    expect(res.status).toBe(404);
  });
});
