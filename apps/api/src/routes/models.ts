// The model registry and its artifact files, so the browser can load and run the same model. Each file goes out
// with the digest registered with the model (ARTIFACT_DIGEST_HEADER), and metadata.json only when it matches that
// digest, so neither this server nor the browser ever uses an edited artifact. Runtime-neutral: must not import node:*.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { ARTIFACT_FILES, assertPinned, verifyArtifactDigest } from '@coinsphere/model/core';
import { ARTIFACT_DIGEST_HEADER, ArtifactFileParamsSchema, BytesSchema, GateDecisionsSchema, ModelsSchema, SymbolHorizonParamsSchema } from '@coinsphere/serving/contract';
import { pinOf } from '../artifact-reader.ts';
import type { ModelRecord } from '../store.ts';
import type { RouteContext } from './context.ts';
import { ApiError, storeUnavailable } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { sendBytes, sendJson } from './http.ts';

const listRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  summary: 'Registered models, newest first',
  responses: {
    200: { description: 'Models', content: { 'application/json': { schema: ModelsSchema } } },
    304: { description: 'Not modified' },
    ...errorResponses(429, 503),
  },
});

const fileRoute = createRoute({
  method: 'get',
  path: '/v1/models/{symbol}/{horizon}/latest/{file}',
  summary: 'A file of the artifact of the model served for the symbol (metadata.json, a model.json or a weights file)',
  request: { params: ArtifactFileParamsSchema },
  responses: {
    200: { description: 'The file', content: { 'application/octet-stream': { schema: BytesSchema } } },
    304: { description: 'Not modified' },
    ...errorResponses(400, 404, 429, 503),
  },
});

const decisionsRoute = createRoute({
  method: 'get',
  path: '/v1/models/{symbol}/{horizon}/decisions',
  summary: "The promotion gate's decisions for the symbol and horizon, newest first (recorded: false where the store does not keep them, as on the edge)",
  request: { params: SymbolHorizonParamsSchema },
  responses: {
    200: { description: 'Decisions', content: { 'application/json': { schema: GateDecisionsSchema } } },
    304: { description: 'Not modified' },
    ...errorResponses(400, 429, 503),
  },
});

/** Registers GET /v1/models, the gate's decisions and the artifact file route. */
export function registerModelRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  const listModels = () =>
    ctx.deps.store.listModels().catch(storeUnavailable('the model registry'));

  app.openapi(listRoute, async (c) => {
    await ctx.limit(c, 'read');
    const models = (await listModels())
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((m) => ({ symbol: m.symbol, horizonDays: m.horizonDays, version: m.version, scope: m.scope ?? 'asset', metrics: m.metrics, createdAt: m.createdAt, files: `/v1/models/${m.symbol}/${m.horizonDays}/latest/`, digest: m.digest ?? null }));
    return sendJson(c, JSON.stringify({ models }), `public, max-age=${ctx.config.maxAgeSeconds}`);
  });

  app.openapi(decisionsRoute, async (c) => {
    await ctx.limit(c, 'read');
    const { symbol, horizon } = c.req.valid('param');
    const decisions = await ctx.deps.store.gateDecisions(symbol, horizon).catch(storeUnavailable('the model registry'));
    return sendJson(c, JSON.stringify({ recorded: decisions !== null, decisions: decisions ?? [] }), `public, max-age=${ctx.config.maxAgeSeconds}`);
  });

  app.openapi(fileRoute, async (c) => {
    await ctx.limit(c, 'read');
    const { symbol, horizon, file } = c.req.valid('param');
    const model = await ctx.deps.store.servedModel(symbol, horizon).catch(storeUnavailable('the model registry'));
    if (!model) throw new ApiError(404, 'not_found', `No model serves symbol "${symbol}" at horizon ${horizon} days; see /v1/models.`);
    const bytes = await readChecked(ctx, model, file);
    if (!bytes) throw new ApiError(404, 'not_found', `Model ${symbol} ${horizon}d ${model.version} has no file "${file}".`);
    const type = file.endsWith('.json') ? 'application/json; charset=utf-8' : 'application/octet-stream';
    c.header(ARTIFACT_DIGEST_HEADER, model.digest ?? ''); // readChecked refused a model without one
    return sendBytes(c, bytes, type, 'public, max-age=300');
  });
}

/** A file of `model`'s artifact (null when absent); refuses a model without a digest, or whose metadata.json differs from it. */
async function readChecked(ctx: RouteContext, model: ModelRecord, file: string): Promise<Uint8Array | null> {
  const refuse = (err: unknown): never => {
    throw new ApiError(503, 'model_unavailable', err instanceof Error ? err.message : String(err), { cause: err });
  };
  const pin = pinOf(model);
  try {
    assertPinned(pin); // a model without a digest serves no file: the browser could not check it
  } catch (err) {
    refuse(err);
  }
  const bytes = await ctx.deps.artifacts?.read(model, file); // a failing store is a logged 500, its message kept in
  if (bytes && file === ARTIFACT_FILES.metadata) await verifyArtifactDigest(bytes, pin).catch(refuse);
  return bytes ?? null;
}
