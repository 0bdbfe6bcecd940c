// The request id and the observe hook on the runtime-neutral app (app.request(), no server): the Worker's shape
// gets the same ids and route patterns as Node's.
import { MemoryCache } from '@coinsphere/serving';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { requestIdOf } from './request-id.ts';
import { routeLabel, type RequestRecord } from './request-observer.ts';
import { KvStore } from './worker/kv-store.ts';
import { memoryKv } from './worker/memory-kv.ts';

const records: RequestRecord[] = [];
const app = createApp({ store: new KvStore(memoryKv()), cache: new MemoryCache(), config: { rateLimit: null }, logError: () => {}, observe: { request: (r) => records.push(r) } });

describe('request ids', () => {
  it('keeps a sane client id and replaces anything else with a generated one, never the same twice', () => {
    for (const ok of ['abc', 'trace-1.2:3=', 'x'.repeat(128), '4bf92f3577b34da6a3ce929d0e0e4736']) expect(requestIdOf(ok)).toBe(ok);
    for (const bad of [undefined, null, '', 'x'.repeat(129), 'a b', 'a\nb', '{"x":1}', 'é']) expect(requestIdOf(bad)).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    const ids = Array.from({ length: 1000 }, () => requestIdOf(undefined));
    expect(new Set(ids).size).toBe(1000);
  });

  it('echoes the id on an answer and repeats it in an error body', async () => {
    const ok = await app.request('/v1/assets', { headers: { 'x-request-id': 'edge-1' } });
    expect(ok.headers.get('x-request-id')).toBe('edge-1');
    const missing = await app.request('/v1/predictions/ETH', { headers: { 'x-request-id': 'edge-2' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('edge-2');
    expect(((await missing.json()) as { error: { requestId: string } }).error.requestId).toBe('edge-2');
  });
});

describe('the observe hook', () => {
  it('reports each request once with its route pattern, status and id; unknown paths as unmatched', async () => {
    records.length = 0;
    await app.request('/v1/predictions/ETH', { headers: { 'x-request-id': 'obs-1' } });
    await app.request('/v1/nope/42');
    await app.request('/elsewhere');
    expect(records.map((r) => [r.route, r.status])).toEqual([['/v1/predictions/{symbol}', 404], ['unmatched', 404], ['unmatched', 404]]);
    expect(records[0]).toMatchObject({ method: 'GET', requestId: 'obs-1', durationMs: expect.any(Number) });
  });

  it('names Hono paths as OpenAPI patterns', () => {
    expect(routeLabel('/v1/models/:symbol/:horizon/decisions', 200)).toBe('/v1/models/{symbol}/{horizon}/decisions');
    expect(routeLabel('/v1/x/:id{[0-9]+}', 200)).toBe('/v1/x/{id}');
    expect(routeLabel('/v1/*', 404)).toBe('unmatched');
    expect(routeLabel('', 200)).toBe('unmatched');
  });
});
