// The model registry and its artifact files, so the browser can load and run the same model.
// Runtime-neutral: must not import node:*.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { RouteContext } from './context.ts';
import { ApiError } from '../errors.ts';
import { errorResponses, HorizonSchema, SymbolSchema } from '../schemas.ts';
import { sendBytes, sendJson } from './http.ts';

const ModelSchema = z
  .object({
    symbol: z.string(),
    horizonDays: z.number().int(),
    version: z.string(),
    scope: z.enum(['asset', 'pooled']).openapi({ description: 'pooled: one model over many assets (symbol POOLED)' }),
    metrics: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    files: z.string().openapi({ description: 'Base URL of the latest artifact files of this symbol and horizon' }),
  })
  .openapi('Model');

const listRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  summary: 'Registered models, newest first',
  responses: {
    200: { description: 'Models', content: { 'application/json': { schema: z.object({ models: z.array(ModelSchema) }) } } },
    304: { description: 'Not modified' },
    ...errorResponses(429, 503),
  },
});

const FileSchema = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/, 'Expected an artifact file name such as model.json, metadata.json or weights.bin.')
  .refine((f) => !f.includes('..'), 'File names may not contain "..".')
  .openapi({ param: { name: 'file', in: 'path' }, example: 'model.json' });

const fileRoute = createRoute({
  method: 'get',
  path: '/v1/models/{symbol}/{horizon}/latest/{file}',
  summary: 'A file of the artifact of the model served for the symbol (metadata.json, a model.json or a weights file)',
  request: { params: z.object({ symbol: SymbolSchema, horizon: HorizonSchema.openapi({ param: { name: 'horizon', in: 'path' }, example: 7 }), file: FileSchema }) },
  responses: {
    200: { description: 'The file', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
    304: { description: 'Not modified' },
    ...errorResponses(400, 404, 429, 503),
  },
});

const GateScoreSchema = z.object({ accuracy: z.number(), macroF1: z.number(), brier: z.number(), modelVersion: z.string() }).passthrough();

const GateDecisionSchema = z
  .object({
    decision: z.enum(['promoted', 'kept', 'forced']).openapi({ description: 'promoted: the candidate serves; kept: it did not beat the served model, which stays; forced: --promote' }),
    decidedAt: z.string(),
    candidateVersion: z.string(),
    candidateScope: z.enum(['asset', 'pooled']),
    previousVersion: z.string().nullable().openapi({ description: 'The model served when the gate ran (null: none)' }),
    evidence: z
      .object({
        rows: z.number().int(),
        from: z.string(),
        to: z.string(),
        reason: z.string(),
        candidate: GateScoreSchema,
        incumbent: GateScoreSchema.nullable(),
      })
      .partial()
      .passthrough()
      .openapi({ description: 'The held-out days both models were scored on, their scores there and the reason in words' }),
  })
  .openapi('GateDecision');

const decisionsRoute = createRoute({
  method: 'get',
  path: '/v1/models/{symbol}/{horizon}/decisions',
  summary: "The promotion gate's decisions for the symbol and horizon, newest first (recorded: false where the store does not keep them, as on the edge)",
  request: { params: z.object({ symbol: SymbolSchema, horizon: HorizonSchema.openapi({ param: { name: 'horizon', in: 'path' }, example: 7 }) }) },
  responses: {
    200: { description: 'Decisions', content: { 'application/json': { schema: z.object({ recorded: z.boolean(), decisions: z.array(GateDecisionSchema) }) } } },
    304: { description: 'Not modified' },
    ...errorResponses(400, 429, 503),
  },
});

/** Registers GET /v1/models, the gate's decisions and the artifact file route. */
export function registerModelRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  const listModels = () =>
    ctx.deps.store.listModels().catch((err: unknown) => {
      throw new ApiError(503, 'store_unavailable', 'The model registry is unreachable; retry shortly.', { cause: err });
    });

  app.openapi(listRoute, async (c) => {
    await ctx.limit(c, 'read');
    const models = (await listModels())
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((m) => ({ symbol: m.symbol, horizonDays: m.horizonDays, version: m.version, scope: m.scope ?? 'asset', metrics: m.metrics, createdAt: m.createdAt, files: `/v1/models/${m.symbol}/${m.horizonDays}/latest/` }));
    return sendJson(c, JSON.stringify({ models }), `public, max-age=${ctx.config.maxAgeSeconds}`);
  });

  app.openapi(decisionsRoute, async (c) => {
    await ctx.limit(c, 'read');
    const { symbol, horizon } = c.req.valid('param');
    const decisions = await ctx.deps.store.gateDecisions(symbol, horizon).catch((err: unknown) => {
      throw new ApiError(503, 'store_unavailable', 'The model registry is unreachable; retry shortly.', { cause: err });
    });
    return sendJson(c, JSON.stringify({ recorded: decisions !== null, decisions: decisions ?? [] }), `public, max-age=${ctx.config.maxAgeSeconds}`);
  });

  app.openapi(fileRoute, async (c) => {
    await ctx.limit(c, 'read');
    const { symbol, horizon, file } = c.req.valid('param');
    const model = await ctx.deps.store.servedModel(symbol, horizon).catch((err: unknown) => {
      throw new ApiError(503, 'store_unavailable', 'The model registry is unreachable; retry shortly.', { cause: err });
    });
    if (!model) throw new ApiError(404, 'not_found', `No model serves symbol "${symbol}" at horizon ${horizon} days; see /v1/models.`);
    const bytes = await ctx.deps.artifacts?.read(model, file);
    if (!bytes) throw new ApiError(404, 'not_found', `Model ${symbol} ${horizon}d ${model.version} has no file "${file}".`);
    const type = file.endsWith('.json') ? 'application/json; charset=utf-8' : 'application/octet-stream';
    return sendBytes(c, bytes, type, 'public, max-age=300');
  });
}
