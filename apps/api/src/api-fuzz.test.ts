// A property-based fuzz of the API (fast-check), driven by the OpenAPI document the app serves: for every route
// and method it lists, requests are generated from the route's own path, query and body schemas (values that
// match them, near misses and junk), plus unknown /v1 paths. Each runs through app.request() against the real
// app: the Node shape over PGlite with a real tiny model on the fused engine, and the Worker shape over the KV
// store with its admin routes. Asserted: no 5xx, every error is JSON `{ error: { code, message } }` naming the
// problem, and the app still answers afterwards. A fixed seed and a time budget keep it to a few seconds.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, registerModel, saveMonitoringSummaries, savePredictions, saveRiskScores, toRiskScoreRecord, upsertCandles, type Database } from '@coinsphere/data';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { artifactDigest, assessRiskAt, computeRiskPanel, makeSyntheticCandles, type Candle } from '@coinsphere/model/core';
import { MemoryCache } from '@coinsphere/serving';
import { ErrorSchema } from '@coinsphere/serving/contract';
import { DrizzleStore } from '@coinsphere/serving/node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { createFusedPredictor, storePredictorDeps } from './fused-predictor.ts';
import { FsArtifacts } from './node/fs-artifacts.ts';
import type { ApiStore, ArtifactSource } from './store.ts';
import { KvStore } from './worker/kv-store.ts';
import { memoryKv } from './worker/memory-kv.ts';
import { tinyArtifactFiles } from '../../../tests/support/tiny-artifact.ts';

/** Wall-clock budget of each app's run (fast-check stops there, or at RUNS, whichever comes first), after a first
 *  MIN_RUNS requests that always run: on a loaded machine the budget alone sent too few to mean anything. */
const BUDGET_MS = 2500;
const RUNS = 2000;
const MIN_RUNS = 80;
const SEED = 1414;
const TOKEN = 'fuzz-token-0123456789abcdef';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const daily = makeSyntheticCandles(200, 7, { startMs: Date.UTC(2024, 0, 1) });

type Schema = { $ref?: string; type?: string; format?: string; pattern?: string; enum?: unknown[]; nullable?: boolean; example?: unknown; minimum?: number; maximum?: number; minItems?: number; maxItems?: number; items?: Schema; properties?: Record<string, Schema>; required?: string[]; allOf?: Schema[]; anyOf?: Schema[]; oneOf?: Schema[] };
interface Parameter { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema }
interface Operation { method: string; path: string; parameters: Parameter[]; body: { type: string; schema: Schema } | null }
interface Doc { paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>; components?: { schemas?: Record<string, Schema> } }

/** Every operation of the document, with its parameters and its first request body type. */
function operationsOf(doc: Doc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const [type, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      return { method: method.toUpperCase(), path, parameters: op.parameters ?? [], body: type && media ? { type, schema: media.schema } : null };
    }),
  );
}

/** Junk of any JSON shape, short. */
const junk: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 8 }), fc.constantFrom(-1, 0, 1e308, -1e-308, '', '..', '%00', 'null'));

/** A run of candles as POST /v1/predict and the admin route take them: mostly `stepMs` apart from 2024-01-01 and
 *  sane, sometimes another spacing or start, a tiny or huge scale, or one broken candle. */
function candlesArbitrary(stepMs: number): fc.Arbitrary<Candle[]> {
  const step = fc.oneof({ weight: 6, arbitrary: fc.constant(stepMs) }, { weight: 1, arbitrary: fc.constantFrom(DAY, HOUR, 2 * stepMs, 0) });
  const start = fc.oneof({ weight: 6, arbitrary: fc.constant(Date.UTC(2024, 0, 1)) }, { weight: 1, arbitrary: fc.constantFrom(0, Date.UTC(2024, 6, 1), Date.UTC(9999, 0, 1)) });
  const n = fc.oneof(fc.nat({ max: 12 }), fc.integer({ min: 59, max: 120 })); // the model needs 59 days: warm-up and window
  return fc
    .record({ start, step, n, bad: fc.nat({ max: 400 }), scale: fc.constantFrom(1, 1, 1, 1e-9, 1e300) })
    .map(({ start, step, n, bad, scale }) =>
      Array.from({ length: n }, (_, i) => {
        const close = (100 + 10 * Math.sin(i)) * scale;
        const k: Candle = { openTimeMs: start + i * step, open: close * 0.99, high: close * 1.02, low: close * 0.97, close, baseVolume: 10, quoteVolumeUsd: 1000 * scale, marketCapUsd: null };
        return i === bad ? { ...k, high: close * 0.5, close: bad % 2 ? -close : close } : k; // one broken candle, sometimes
      }),
    );
}

/** Three class probabilities that sum to 1, as a model gives them. */
const probabilities = () => fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })).map(([a, b]) => ({ bearish: a * (1 - b), neutral: (1 - a) * (1 - b), bullish: b }));

/** A value for `schema` (resolving $ref against `components`): mostly one it allows, sometimes junk. */
function valueOf(schema: Schema, components: Record<string, Schema>, depth = 0, key = ''): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const name = schema.$ref.split('/').at(-1)!;
    return valueOf(components[name]!, components, depth, key);
  }
  const valid = validValueOf(schema, components, depth, key);
  const orNull = schema.nullable ? fc.oneof(valid, fc.constant(null)) : valid;
  return fc.oneof({ weight: 30, arbitrary: orNull }, { weight: 1, arbitrary: junk });
}

function validValueOf(schema: Schema, components: Record<string, Schema>, depth: number, key: string): fc.Arbitrary<unknown> {
  const parts = schema.allOf ?? schema.anyOf ?? schema.oneOf;
  if (parts && !schema.allOf) return fc.oneof(...parts.map((p) => valueOf(p, components, depth + 1)));
  if (schema.allOf) return fc.tuple(...schema.allOf.map((p) => valueOf(p, components, depth + 1))).map((vs) => Object.assign({}, ...vs.filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v))));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.type === 'array') {
    if (schema.items?.$ref?.endsWith('/Candle')) return candlesArbitrary(key === 'hourly' ? HOUR : DAY); // the property says which
    return fc.array(valueOf(schema.items ?? {}, components, depth + 1), { minLength: Math.min(schema.minItems ?? 0, 3), maxLength: depth > 3 ? 1 : 4 });
  }
  if (schema.properties?.bearish && schema.properties.bullish) return probabilities();
  if (schema.type === 'object' || schema.properties) {
    const props = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, valueOf(s, components, depth + 1, k)]));
    return fc.record(props, { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
  }
  return scalarOf(schema);
}

/** A `YYYY-MM-DD` text: a real day, one the calendar lacks (2026-02-30, year 0), or any digits in that form. */
function dayText(): fc.Arbitrary<string> {
  const two = (n: number) => String(n).padStart(2, '0');
  const real = fc.date({ min: new Date(Date.UTC(2023, 0, 1)), max: new Date(Date.UTC(2025, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const unreal = fc.tuple(fc.constantFrom('0000', '1969', '2024', '2026', '9999'), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${y}-${two(m)}-${two(d)}`);
  return fc.oneof(real, unreal, fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
}

function scalarOf(schema: Schema): fc.Arbitrary<unknown> {
  // the example (BTC, 7, model.json) is what the seeded store holds: weighted so that requests reach it
  const example = schema.example === undefined ? [] : [{ weight: 3, arbitrary: fc.constant(schema.example) }];
  switch (schema.type) {
    case 'integer':
      return fc.oneof(...example, fc.integer({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 }), { weight: 2, arbitrary: fc.constantFrom(7, 7, 7, 14, 30) });
    case 'number':
      return fc.oneof(...example, fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0.2, 0.3, 0.5));
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (schema.format === 'date-time') return fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.pattern?.includes('\\d{4}-\\d{2}-\\d{2}')) return dayText();
      // up to 80 characters: room for a sha256 (64 hex digits)
      if (schema.pattern) return fc.oneof(...example, fc.stringMatching(new RegExp(schema.pattern), { maxLength: 80 }));
      return fc.oneof(...example, fc.string({ maxLength: 12 }), fc.constantFrom('2024-02-30', '2024-05-01', '0000-01-01'));
    default:
      return junk;
  }
}

interface FuzzRequest { method: string; url: string; init: RequestInit; route: string }

/** The asset the fixtures hold: a `symbol` parameter names it a third of the time, so each route's success path is
 *  reached too (a random symbol matching the pattern almost never names a stored one). */
const STORED_SYMBOL = 'BTC';

/** Text for a path or query parameter: what its schema allows, its example, the stored asset, or junk (all percent-encoded). */
function paramText(p: Parameter, components: Record<string, Schema>): fc.Arbitrary<string> {
  const text = valueOf(p.schema, components).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? ''));
  const stored = p.name === 'symbol' ? [{ weight: 4, arbitrary: fc.constant(STORED_SYMBOL) }] : [];
  return fc.oneof(...stored, { weight: 6, arbitrary: text }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }).map((s) => encodeURIComponent(s));
}

/** A request body for `op`: one its schema allows (mostly), junk, or not JSON at all. */
function bodyOf(op: Operation, components: Record<string, Schema>): fc.Arbitrary<{ type: string; body?: BodyInit }> {
  if (!op.body) return fc.constant({ type: 'application/json' });
  if (op.body.type === 'application/octet-stream') return fc.uint8Array({ maxLength: 64 }).map((b) => ({ type: op.body!.type, body: b }));
  const json = valueOf(op.body.schema, components).map((v) => JSON.stringify(v) ?? 'null');
  const text = fc.oneof({ weight: 15, arbitrary: json }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) });
  return fc.tuple(text, fc.constantFrom(...Array<string>(9).fill(op.body.type), 'text/plain')).map(([body, type]) => ({ type, body }));
}

/** Requests for one operation: its path parameters filled, any of its query parameters, a body, with or without the token. */
function requestsFor(op: Operation, components: Record<string, Schema>): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  return fc
    .record({
      path: fc.tuple(...pathParams.map((p) => paramText(p, components))),
      // each query parameter left out half the time: its default is a valid value, so the success paths are reached
      query: fc.tuple(...queryParams.map((p) => fc.option(paramText(p, components), { nil: undefined, freq: 1 }))),
      body: bodyOf(op, components),
      auth: fc.constantFrom(`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`, 'Bearer wrong-token-0123456789ab', undefined),
      etag: fc.option(fc.constantFrom('*', 'W/"x"', '"x"'), { nil: undefined }),
    })
    .map(({ path, query, body, auth, etag }) => {
      const filled = pathParams.reduce((p, param, i) => p.replace(`{${param.name}}`, path[i] || 'x'), op.path);
      const qs = queryParams.flatMap((p, i) => (query[i] === undefined ? [] : [`${p.name}=${query[i]}`])).join('&');
      const headers: Record<string, string> = { 'content-type': body.type, ...(auth ? { authorization: auth } : {}), ...(etag ? { 'if-none-match': etag } : {}) };
      const send = op.method !== 'GET' && op.method !== 'HEAD';
      return { method: op.method, route: `${op.method} ${op.path}`, url: qs ? `${filled}?${qs}` : filled, init: { method: op.method, headers, ...(send && body.body !== undefined ? { body: body.body } : {}) } };
    });
}

/** Every route of the document, and unknown /v1 paths with any method. */
function requestsOf(doc: Doc): fc.Arbitrary<FuzzRequest> {
  const components = doc.components?.schemas ?? {};
  const unknown = fc
    .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), fc.webSegment(), fc.constantFrom('', '/x', '/1/2'))
    .map(([method, seg, tail]) => ({ method, route: 'unknown /v1 path', url: `/v1/${seg || 'nope'}${tail}`, init: { method } }));
  // routes that take a body get twice the share: most of what can go wrong is in a body
  return fc.oneof(...operationsOf(doc).map((op) => ({ weight: op.body ? 2 : 1, arbitrary: requestsFor(op, components) })), unknown);
}

/** The assertion on one answer: no 5xx; an error is `{ error: { code, message } }` JSON with a message that says something. */
async function checkAnswer(req: FuzzRequest, res: Response): Promise<void> {
  const where = `${req.method} ${req.url} (${req.route}) answered ${res.status}`;
  expect(res.status, `${where}: ${await res.clone().text()}`).toBeLessThan(500);
  if (res.status < 400) return;
  expect(res.headers.get('content-type'), where).toMatch(/^application\/json/);
  const parsed = ErrorSchema.safeParse(await res.json());
  expect(parsed.success, where).toBe(true);
  expect(parsed.data!.error.code.length, where).toBeGreaterThan(2);
  expect(parsed.data!.error.message.length, `${where}: ${parsed.data!.error.message}`).toBeGreaterThan(15);
}

/** Runs the fuzz against `app`: MIN_RUNS requests, then more for at most BUDGET_MS; returns how many requests it sent, and a line of what came back
 *  (status counts, and the routes that never answered 200). */
async function fuzz(app: ReturnType<typeof createApp>): Promise<{ sent: number; summary: string }> {
  const doc = (await (await app.request('/openapi.json')).json()) as Doc;
  const statuses = new Map<number, number>();
  const answered = new Set<string>();
  const property = fc.asyncProperty(requestsOf(doc), async (req) => {
    const res = await app.request(req.url, req.init);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status === 200) answered.add(req.route);
    await checkAnswer(req, res);
  });
  await fc.assert(property, { seed: SEED, numRuns: MIN_RUNS });
  await fc.assert(property, { seed: SEED + 1, numRuns: RUNS - MIN_RUNS, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false });
  const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
  const counts = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
  const never = operationsOf(doc).map((op) => `${op.method} ${op.path}`).filter((r) => !answered.has(r));
  return { sent, summary: `${sent} requests (${counts}); never 200: ${never.join(', ') || 'none'}` };
}

const tinyArtifact = (version: string) => tinyArtifactFiles(version, daily, 3);

const predictorOver = (store: ApiStore, artifacts: ArtifactSource) => createFusedPredictor({ ...storePredictorDeps(store), artifacts, createEngine: (config) => loadFusedLstm(config, 1) });

let dir: string;
let db: Database;
let files: Map<string, Uint8Array<ArrayBuffer>>;
const predictors: Array<ReturnType<typeof predictorOver>> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-fuzz-'));
  files = await tinyArtifact('v1');
  db = await openDatabase(join(dir, 'db'));
  await upsertCandles(db, daily.map((k) => ({ ...k, symbol: 'BTC', interval: '1d' as const, source: 'synthetic' })));
  const location = join(dir, 'artifacts', 'BTC', '7d', 'v1');
  mkdirSync(location, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(location, name), bytes);
  // BTC's risk assessments as publish stores them (alone in the panel it has no score, only reasons), so GET /v1/risk answers 200 too
  const panel = computeRiskPanel([{ symbol: 'BTC', candles: daily }]);
  await saveRiskScores(db, Array.from({ length: 40 }, (_, j) => toRiskScoreRecord(assessRiskAt(panel, 0, daily.length - 40 + j), 'fuzz', Date.UTC(2024, 6, 1))));
  await registerModel(db.orm, { symbol: 'BTC', horizonDays: 7, version: 'v1', location: 'artifacts/BTC/7d/v1', digest: await artifactDigest(files.get('metadata.json')!), metrics: {}, metadata: {} });
  // a published prediction and a monitoring summary, so the prediction, history, track-record and monitoring routes have
  // something to answer 200 with
  const asOf = new Date(daily.at(-1)!.openTimeMs).toISOString().slice(0, 10);
  await savePredictions(db, [{ symbol: 'BTC', horizonDays: 7, asOf, class: 'bullish', probabilities: { bearish: 0.2, neutral: 0.3, bullish: 0.5 }, confidence: 0.5, modelVersion: 'v1', placeholders: [], signal: 'clear', band: null, createdAtMs: daily.at(-1)!.openTimeMs + DAY }]);
  const summary = { symbol: 'BTC', horizonDays: 7, modelVersion: 'v1', trainedAt: '2024-06-01T00:00:00.000Z', modelAgeDays: 1, expiryDays: 90, expiresAt: '2024-08-30T00:00:00.000Z', expired: false, trainingDistribution: true, drift: null, driftNote: 'fixture', drifting: [], newestPrediction: null, computedAt: '2024-06-02T00:00:00.000Z' };
  await saveMonitoringSummaries(db, [{ symbol: 'BTC', horizonDays: 7, summary, computedAtMs: Date.UTC(2024, 5, 2) }]);
});

afterAll(async () => {
  predictors.forEach((p) => p.dispose());
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the API under generated requests for every route of its OpenAPI document (#14)', () => {
  it('Node shape (PGlite, a real model on the fused engine): no 5xx, every error JSON naming the problem, still answering', async () => {
    const store = new DrizzleStore(db);
    const artifacts = new FsArtifacts(dir);
    const predictor = predictorOver(store, artifacts);
    predictors.push(predictor);
    const logged: unknown[] = [];
    const app = createApp({ store, cache: new MemoryCache(), artifacts, predictor, config: { apiToken: TOKEN, rateLimit: null }, logError: (e) => logged.push(e) });
    const { sent, summary } = await fuzz(app);
    console.log(`[api-fuzz] Node shape, ${MIN_RUNS} then at most ${BUDGET_MS} ms: ${summary}`);
    expect(sent).toBeGreaterThan(50);
    expect(logged).toEqual([]); // nothing unexpected reached the log either
    expect((await app.request('/v1/health')).status).toBe(200);
    expect((await app.request('/v1/candles/BTC?from=2024-01-01&to=2024-01-03')).status).toBe(200);
  });

  it('Worker shape (KV store with the admin routes): no 5xx, every error JSON naming the problem, still answering', async () => {
    const store = new KvStore(memoryKv());
    const predictor = predictorOver(store, store);
    predictors.push(predictor);
    const logged: unknown[] = [];
    const app = createApp({ store, cache: new MemoryCache(), artifacts: store, admin: store, predictor, config: { apiToken: TOKEN, rateLimit: null }, logError: (e) => logged.push(e) });
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const [name, bytes] of files) await app.request(`/v1/admin/artifacts/BTC/7/v1/${name}`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: bytes });
    const entry = { symbol: 'BTC', horizonDays: 7, version: 'v1', metrics: {}, metadata: {}, digest: await artifactDigest(files.get('metadata.json')!), createdAt: '2024-01-01T00:00:00.000Z', servedFor: ['BTC'] };
    expect((await app.request('/v1/admin/models', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(entry) })).status).toBe(200);
    // a published prediction, as `publish --edge` pushes it, so the prediction routes have something to answer 200 with
    const asOf = new Date(daily.at(-1)!.openTimeMs).toISOString().slice(0, 10);
    const prediction = { symbol: 'BTC', horizonDays: 7, asOf, class: 'bullish', probabilities: { bearish: 0.2, neutral: 0.3, bullish: 0.5 }, confidence: 0.5, modelVersion: 'v1', placeholders: [], signal: 'clear', band: null, createdAt: new Date(daily.at(-1)!.openTimeMs + DAY).toISOString() };
    const published = await app.request('/v1/predictions', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ predictions: [prediction] }) });
    expect(published.status, await published.clone().text()).toBe(200);
    const { sent, summary } = await fuzz(app);
    console.log(`[api-fuzz] Worker shape, ${MIN_RUNS} then at most ${BUDGET_MS} ms: ${summary}`);
    expect(sent).toBeGreaterThan(50);
    expect(logged).toEqual([]);
    expect((await app.request('/v1/health')).status).toBe(200);
    expect((await app.request('/v1/models')).status).toBe(200);
  });
});
