// Admin writes of the edge (bearer token): artifact files, registry entries and daily candles, so a Worker
// serves /v1/models, the artifact files, /v1/candles and runs POST /v1/predict without a database. Registered
// only when the store can take them (the Worker's KV); on Node the database is the registry.
// Runtime-neutral: must not import node:*.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { RouteContext } from './context.ts';
import { readArtifact } from '@coinsphere/model/core';
import { readerOf } from '../artifact-reader.ts';
import { ApiError } from '../errors.ts';
import { CandleSchema, errorResponses, HorizonSchema, SymbolSchema } from '../schemas.ts';
import type { EdgeRegistryWriter } from '../store.ts';
import { requireBearerMiddleware } from './auth.ts';
import { limitBody } from './http.ts';

/** Largest admin body: a Workers KV value holds at most 25 MiB. */
export const ADMIN_MAX_BODY_BYTES = 25 * 1024 * 1024;

const VersionSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.:+-]{0,99}$/, 'Expected a model version such as 2025-01-14T10-00-00Z.');
const FileSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/, 'Expected an artifact file name such as model.json.').refine((f) => !f.includes('..'), 'File names may not contain "..".');
const pathParam = <T extends z.ZodType>(schema: T, name: string) => schema.openapi({ param: { name, in: 'path' } });
const horizonParam = pathParam(HorizonSchema, 'horizon');
const ok = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });

const putFileRoute = createRoute({
  method: 'put',
  path: '/v1/admin/artifacts/{symbol}/{horizon}/{version}/{file}',
  summary: 'Store one artifact file (bearer token); register the model after its files',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ symbol: SymbolSchema, horizon: horizonParam, version: pathParam(VersionSchema, 'version'), file: pathParam(FileSchema, 'file') }),
    body: { required: true, content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
  },
  responses: { 200: ok('Stored', z.object({ stored: z.string(), bytes: z.number().int() })), ...errorResponses(400, 401, 413) },
});

const ModelEntrySchema = z
  .object({
    symbol: SymbolSchema,
    horizonDays: z.number().int().min(1).max(365),
    version: VersionSchema,
    metrics: z.record(z.string(), z.unknown()),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: z.string().datetime({ offset: true }),
    scope: z.enum(['asset', 'pooled']).default('asset'),
    /** The registry id at the publisher (kept so the edge names the same model). */
    id: z.number().int().nonnegative().default(0),
    servedFor: z.array(SymbolSchema).max(1000).optional().openapi({ description: 'Symbols the promotion gate serves this model for' }),
  })
  .openapi('ModelEntry');

const registerRoute = createRoute({
  method: 'post',
  path: '/v1/admin/models',
  summary: 'Register a model whose artifact files are stored; refuses missing or damaged files (bearer token)',
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: ModelEntrySchema } } } },
  responses: { 200: ok('Registered', z.object({ registered: z.string() })), ...errorResponses(400, 401, 413) },
});

const candlesRoute = createRoute({
  method: 'put',
  path: '/v1/admin/candles/{symbol}',
  summary: 'Replace the daily candles of a symbol (bearer token)',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ symbol: SymbolSchema }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            candles: z.array(CandleSchema).max(20_000).refine((cs) => cs.every((k, i) => i === 0 || k.openTimeMs > cs[i - 1]!.openTimeMs), 'candles must be in strictly increasing openTimeMs order.'),
          }),
        },
      },
    },
  },
  responses: { 200: ok('Stored', z.object({ symbol: z.string(), candles: z.number().int() })), ...errorResponses(400, 401, 413) },
});

/** Registers the admin routes over `writer`. */
export function registerAdminRoutes(app: OpenAPIHono, ctx: RouteContext, writer: EdgeRegistryWriter): void {
  const guard = [requireBearerMiddleware(ctx.config.apiToken), limitBody(ADMIN_MAX_BODY_BYTES)]; // auth before the body is read

  app.openapi({ ...putFileRoute, middleware: guard }, async (c) => {
    const { symbol, horizon, version, file } = c.req.valid('param');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length === 0) throw new ApiError(400, 'invalid_request', `Empty body for ${file}; send the file's bytes.`);
    await writer.putArtifactFile({ symbol, horizonDays: horizon, version }, file, bytes);
    return c.json({ stored: `${symbol}/${horizon}/${version}/${file}`, bytes: bytes.length }, 200);
  });

  app.openapi({ ...registerRoute, middleware: guard }, async (c) => {
    const entry = c.req.valid('json');
    const record = { ...entry, location: `kv:artifact:${entry.symbol}:${entry.horizonDays}:${entry.version}` };
    const artifacts = ctx.deps.artifacts;
    if (!artifacts) throw new ApiError(400, 'invalid_request', 'This server has no artifact store to register models against.');
    const { metadata } = await readArtifact(readerOf(artifacts, record)).catch((err: unknown) => {
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
    await writer.replaceCandles(symbol, candles);
    return c.json({ symbol, candles: candles.length }, 200);
  });
}
