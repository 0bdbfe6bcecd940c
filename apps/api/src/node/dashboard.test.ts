// The Node entry's dashboard beside the API, through app.request() over the KV store on an in-memory KV (the routing
// does not depend on the store) and a dashboard build in a temp folder: the build's files and client-side routes
// are the dashboard's, any /v1 path is the API's.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryCache } from '@coinsphere/serving';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { KvStore } from '../worker/kv-store.ts';
import { memoryKv } from '../worker/memory-kv.ts';
import { serveDashboard } from './dashboard.ts';

const INDEX = '<!doctype html><title>Coinsphere</title><div id="app"></div>';
let dir: string;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-dashboard-'));
  const dist = join(dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1);');
  app = createApp({ store: new KvStore(memoryKv()), cache: new MemoryCache(), config: { rateLimit: null }, logError: () => {} });
  expect(serveDashboard(app, dist)).toBe(true);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard beside the API (Node)', () => {
  it('answers an unknown /v1 path with a JSON 404 naming it and pointing at the OpenAPI document, not the dashboard', async () => {
    for (const [method, path] of [['GET', '/v1/nope'], ['GET', '/v1/predictions/BTC/nope'], ['POST', '/v1/nope'], ['GET', '/v1/']] as const) {
      const res = await app.request(path, { method });
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('not_found');
      expect(error.message).toContain(`${method} ${path}`);
      expect(error.message).toContain('/openapi.json');
    }
  });

  it("serves the build's files, and index.html for the dashboard's client-side routes", async () => {
    const js = await app.request('/assets/app.js');
    expect(js.status).toBe(200);
    expect(await js.text()).toBe('console.log(1);');
    for (const path of ['/', '/asset/BTC', '/BTC/7']) {
      const res = await app.request(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(await res.text()).toBe(INDEX);
    }
    expect((await app.request('/v1/health')).headers.get('content-type')).toMatch(/^application\/json/);
  });
});
