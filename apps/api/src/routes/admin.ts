// Admin writes of the edge (bearer token): artifact files, registry entries and daily candles, so a Worker
// serves /v1/models, the artifact files, /v1/candles and runs POST /v1/predict without a database. A model is
// registered only when its stored files verify as a whole against the digest its entry carries. Registered
// only when the store can take them (the Worker's KV); on Node the database is the registry.
// Runtime-neutral: must not import node:*.
import { createRoute, type z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { RouteContext } from './context.ts';
import { readArtifact } from '@coinsphere/model/core';
import { pinOf, readerOf } from '../artifact-reader.ts';
import { ApiError, storeUnavailable } from '../errors.ts';
import {
  AdminArtifactParamsSchema,
  AdminArtifactStoredSchema,
  AdminCandlesBodySchema,
  AdminCandlesParamsSchema,
  AdminCandlesQuerySchema,
  AdminCandlesStoredSchema,
  AdminRegisteredSchema,
  AdminRiskBodySchema,
  AdminRiskParamsSchema,
  AdminRiskStoredSchema,
  AdminMonitoringBodySchema,
  AdminMonitoringStoredSchema,
  AdminTrackRecordBodySchema,
  AdminTrackRecordStoredSchema,
  BytesSchema,
  MonitoringParamsSchema,
  TrackRecordParamsSchema,
  ModelEntrySchema,
} from '@coinsphere/serving/contract';
import { errorResponses } from '../schemas.ts';
import type { EdgeRegistryWriter, ModelRef } from '../store.ts';
import { requireBearerMiddleware } from './auth.ts';
import { limitBody, rateLimit } from './http.ts';

/** Largest admin body: a Workers KV value holds at most 25 MiB. */
export const ADMIN_MAX_BODY_BYTES = 25 * 1024 * 1024;

const ok = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });

const putFileRoute = createRoute({
  method: 'put',
  path: '/v1/admin/artifacts/{symbol}/{horizon}/{version}/{file}',
  summary: 'Store one artifact file (bearer token); register the model after its files. The files of a registered model never change (409)',
  security: [{ bearer: [] }],
  request: {
    params: AdminArtifactParamsSchema,
    body: { required: true, content: { 'application/octet-stream': { schema: BytesSchema } } },
  },
  responses: { 200: ok('Stored (or already stored with the same bytes)', AdminArtifactStoredSchema), ...errorResponses(400, 401, 409, 413, 429) },
});

const registerRoute = createRoute({
  method: 'post',
  path: '/v1/admin/models',
  summary: 'Register a model whose artifact files are stored; refuses missing or damaged files (bearer token)',
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: ModelEntrySchema } } } },
  responses: { 200: ok('Registered', AdminRegisteredSchema), ...errorResponses(400, 401, 413, 429) },
});

const candlesRoute = createRoute({
  method: 'put',
  path: '/v1/admin/candles/{symbol}',
  summary: 'Replace the daily (or, with interval=1h, the hourly) candles of a symbol (bearer token)',
  security: [{ bearer: [] }],
  request: {
    params: AdminCandlesParamsSchema,
    query: AdminCandlesQuerySchema,
    body: { required: true, content: { 'application/json': { schema: AdminCandlesBodySchema } } },
  },
  responses: { 200: ok('Stored', AdminCandlesStoredSchema), ...errorResponses(400, 401, 413, 429) },
});

const riskRoute = createRoute({
  method: 'put',
  path: '/v1/admin/risk/{symbol}',
  summary: 'Replace the stored risk assessments of a symbol and its newest day\'s inputs (bearer token)',
  security: [{ bearer: [] }],
  request: { params: AdminRiskParamsSchema, body: { required: true, content: { 'application/json': { schema: AdminRiskBodySchema } } } },
  responses: { 200: ok('Stored', AdminRiskStoredSchema), ...errorResponses(400, 401, 413, 429) },
});

const trackRecordRoute = createRoute({
  method: 'put',
  path: '/v1/admin/track-record/{symbol}',
  summary: 'Replace the live track records of a symbol, every horizon\'s, as publish computed them (bearer token)',
  security: [{ bearer: [] }],
  request: { params: TrackRecordParamsSchema, body: { required: true, content: { 'application/json': { schema: AdminTrackRecordBodySchema } } } },
  responses: { 200: ok('Stored', AdminTrackRecordStoredSchema), ...errorResponses(400, 401, 413, 429) },
});

const monitoringRoute = createRoute({
  method: 'put',
  path: '/v1/admin/monitoring/{symbol}',
  summary: 'Replace the monitoring summaries of a symbol, every horizon\'s, as publish computed them (bearer token)',
  security: [{ bearer: [] }],
  request: { params: MonitoringParamsSchema, body: { required: true, content: { 'application/json': { schema: AdminMonitoringBodySchema } } } },
  responses: { 200: ok('Stored', AdminMonitoringStoredSchema), ...errorResponses(400, 401, 413, 429) },
});

/** 400 when a per-symbol body under `path` holds an item of another symbol (`noun`: "an assessment", "a record"). */
function refuseStranger(items: ReadonlyArray<{ symbol: string }>, symbol: string, noun: string, where: string, path: string): void {
  const stranger = items.find((i) => i.symbol !== symbol);
  if (stranger) throw new ApiError(400, 'invalid_request', `The ${where} holds ${noun} of ${stranger.symbol} under ${path}/${symbol}; send each symbol's own.`);
}

const sameBytes = (a: Uint8Array | null, b: Uint8Array) => a !== null && a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * For a file of a registered model: true when it is stored with these very bytes (a retried upload: nothing to
 * write); throws 409 when they differ, because the registry entry and the browser's sha256 check vouch for the
 * stored ones. False for a model not registered yet (its files may be replaced until it is).
 */
async function refuseOverwrite(ctx: RouteContext, ref: ModelRef, file: string, bytes: Uint8Array): Promise<boolean> {
  const models = await ctx.deps.store.listModels().catch(storeUnavailable('the model registry'));
  const record = models.find((m) => m.symbol === ref.symbol && m.horizonDays === ref.horizonDays && m.version === ref.version);
  if (!record) return false;
  if (sameBytes((await ctx.deps.artifacts?.read(record, file)) ?? null, bytes)) return true;
  throw new ApiError(409, 'already_registered', `Model ${ref.symbol} ${ref.horizonDays}d ${ref.version} is registered and its ${file} differs from these bytes; a registered model's files never change. Publish the new files under a new version.`);
}

/** Registers the admin routes over `writer`. */
export function registerAdminRoutes(app: OpenAPIHono, ctx: RouteContext, writer: EdgeRegistryWriter): void {
  const guard = [rateLimit(ctx, 'write'), requireBearerMiddleware(ctx.config.apiToken), limitBody(ADMIN_MAX_BODY_BYTES)]; // limit and auth before the body is read

  app.openapi({ ...putFileRoute, middleware: guard }, async (c) => {
    const { symbol, horizon, version, file } = c.req.valid('param');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length === 0) throw new ApiError(400, 'invalid_request', `Empty body for ${file}; send the file's bytes.`);
    const ref = { symbol, horizonDays: horizon, version };
    if (await refuseOverwrite(ctx, ref, file, bytes)) return c.json({ stored: `${symbol}/${horizon}/${version}/${file}`, bytes: bytes.length }, 200);
    await writer.putArtifactFile(ref, file, bytes);
    return c.json({ stored: `${symbol}/${horizon}/${version}/${file}`, bytes: bytes.length }, 200);
  });

  app.openapi({ ...registerRoute, middleware: guard }, async (c) => {
    const entry = c.req.valid('json');
    const record = { ...entry, location: `kv:artifact:${entry.symbol}:${entry.horizonDays}:${entry.version}` };
    const artifacts = ctx.deps.artifacts;
    if (!artifacts) throw new ApiError(400, 'invalid_request', 'This server has no artifact store to register models against.');
    const { metadata } = await readArtifact(readerOf(artifacts, record), pinOf(record)).catch((err: unknown) => {
      throw new ApiError(400, 'invalid_artifact', `Model ${entry.symbol} ${entry.horizonDays}d ${entry.version} was not registered: ${err instanceof Error ? err.message : 'its artifact does not load'} Upload its files first.`, { cause: err });
    });
    if (metadata.horizonDays !== entry.horizonDays || metadata.modelVersion !== entry.version) {
      throw new ApiError(400, 'invalid_artifact', `The stored artifact is ${metadata.horizonDays}d ${metadata.modelVersion}; the entry says ${entry.horizonDays}d ${entry.version}.`);
    }
    await writer.registerModel(record);
    return c.json({ registered: `${entry.symbol}/${entry.horizonDays}/${entry.version}` }, 200);
  });

  app.openapi({ ...candlesRoute, middleware: guard }, async (c) => {
    const { symbol } = c.req.valid('param');
    const { candles } = c.req.valid('json');
    await writer.replaceCandles(symbol, candles, c.req.valid('query').interval ?? '1d');
    return c.json({ symbol, candles: candles.length }, 200);
  });

  app.openapi({ ...riskRoute, middleware: guard }, async (c) => {
    const { symbol } = c.req.valid('param');
    const body = c.req.valid('json');
    refuseStranger(body.history, symbol, 'an assessment', 'history', '/v1/admin/risk');
    const days = body.history.map((a) => a.day);
    if (days.some((d, i) => i > 0 && d <= days[i - 1]!)) throw new ApiError(400, 'invalid_request', 'The history must be oldest first, one assessment per day.');
    if (body.inputs && body.history.at(-1)?.day !== new Date(body.inputs.model.dayMs).toISOString().slice(0, 10)) {
      throw new ApiError(400, 'invalid_request', 'The inputs must be of the newest assessment\'s day.');
    }
    await writer.replaceRisk(symbol, body);
    return c.json({ symbol, days: body.history.length, inputs: body.inputs !== null }, 200);
  });

  app.openapi({ ...trackRecordRoute, middleware: guard }, async (c) => {
    const { symbol } = c.req.valid('param');
    const body = c.req.valid('json');
    refuseStranger(body.records, symbol, 'a record', 'body', '/v1/admin/track-record');
    await writer.replaceTrackRecord(symbol, body);
    return c.json({ symbol, records: body.records.length }, 200);
  });

  registerMonitoringAdmin(app, guard, writer);
}

/** PUT /v1/admin/monitoring/{symbol}: every horizon's summary of one symbol, at most one per horizon. */
function registerMonitoringAdmin(app: OpenAPIHono, guard: MiddlewareHandler[], writer: EdgeRegistryWriter): void {
  app.openapi({ ...monitoringRoute, middleware: guard }, async (c) => {
    const { symbol } = c.req.valid('param');
    const body = c.req.valid('json');
    refuseStranger(body.summaries, symbol, 'a summary', 'body', '/v1/admin/monitoring');
    const twice = body.summaries.find((m, i) => body.summaries.findIndex((o) => o.horizonDays === m.horizonDays) !== i);
    if (twice) throw new ApiError(400, 'invalid_request', `The body holds two summaries at ${twice.horizonDays} days; send one per horizon.`);
    await writer.replaceMonitoring(symbol, body);
    return c.json({ symbol, summaries: body.summaries.length }, 200);
  });
}
