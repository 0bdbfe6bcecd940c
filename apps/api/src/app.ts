// The Coinsphere prediction API: one Hono app built from injected parts (store, cache, artifacts, predictor,
// config), shared by the Workers entry (worker.ts) and the Node entry (node.ts). Web Standards only: must not
// import node:*, ioredis, @hono/node-server or anything runtime-specific.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { ARTIFACT_DIGEST_HEADER } from '@coinsphere/serving/contract';
import { ApiError, describeError, errorBody, invalidRequest } from './errors.ts';
import { DEFAULT_API_CONFIG, type ApiConfig } from './config.ts';
import { createAnswerFresh, type AnswerFresh } from './fresh-latest.ts';
import { PredictionsService } from './predictions-service.ts';
import { TokenBucketLimiter } from './rate-limit.ts';
import type { AppDeps, RouteContext } from './routes/context.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerAssetRoutes } from './routes/assets.ts';
import { registerPredictionRoutes } from './routes/predictions.ts';
import { registerCandleRoutes } from './routes/candles.ts';
import { registerModelRoutes } from './routes/models.ts';
import { registerEvaluationRoutes } from './routes/evaluations.ts';
import { registerRiskRoutes } from './routes/risk.ts';
import { registerTrackRecordRoutes } from './routes/track-record.ts';
import { registerOverviewRoutes } from './routes/overview.ts';
import { registerMonitoringRoutes } from './routes/monitoring.ts';
import { registerPredictRoutes } from './routes/predict.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { requestIdMiddleware } from './request-id.ts';
import { observeRequests } from './request-observer.ts';

// the app's types live apart so that env.ts and the routes need not import this file (which imports every route)
export { DEFAULT_API_CONFIG, type ApiConfig } from './config.ts';
export type { AppDeps, RouteContext } from './routes/context.ts';

function throwIfLimited(allowed: boolean): void {
  if (!allowed) throw new ApiError(429, 'rate_limited', 'Too many requests from this client; slow down and retry in a second.', { headers: { 'retry-after': '1' } });
}

function defaultClientId(c: Context): string {
  const h = c.req.raw.headers;
  return h.get('cf-connecting-ip') ?? h.get('x-forwarded-for')?.split(',')[0]?.trim() ?? h.get('x-real-ip') ?? 'anonymous';
}

/** Builds the app. Routes are documented at /openapi.json. */
export function createApp(deps: AppDeps): OpenAPIHono {
  return createApi(deps).app;
}

/** The app plus its synchronous fresh-read answerer, for entries that can serve it before Hono (node.ts). */
export function createApi(deps: AppDeps): { app: OpenAPIHono; answerFresh: AnswerFresh } {
  const config: ApiConfig = { ...DEFAULT_API_CONFIG, ...deps.config };
  const nowMs = deps.nowMs ?? Date.now;
  const limiter = deps.rateLimiter ?? (config.rateLimit ? new TokenBucketLimiter(config.rateLimit, nowMs) : null);
  const clientId = deps.clientId ?? defaultClientId;
  const predictions = new PredictionsService(deps.store, deps.cache, config.cacheFreshSeconds * 1000, nowMs);
  const latestCacheControl = `public, max-age=${config.maxAgeSeconds}, stale-while-revalidate=${config.maxAgeSeconds * 5}`;
  const answerFresh = createAnswerFresh(predictions, limiter, config.corsOrigins.length > 0, latestCacheControl, nowMs, config.modelExpiryDays);
  const ctx: RouteContext = {
    deps,
    config,
    nowMs,
    predictions,
    latestCacheControl,
    answerFresh,
    clientId,
    limit: (c, bucket) => {
      if (!limiter) return; // synchronous when off: the hot path then creates no promise
      const allowed = limiter.take(clientId(c), bucket);
      if (allowed instanceof Promise) return allowed.then(throwIfLimited);
      throwIfLimited(allowed);
    },
  };

  const app = new OpenAPIHono({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.error.issues);
    },
  });

  app.use('*', requestIdMiddleware()); // first: every answer and error body below carries the id
  if (deps.observe) app.use('*', observeRequests(deps.observe));
  if (config.corsOrigins.length > 0) {
    app.use('*', cors({ origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins, allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match'], exposeHeaders: ['ETag', ARTIFACT_DIGEST_HEADER], maxAge: 600 }));
  }

  registerHealthRoutes(app, ctx);
  registerAssetRoutes(app, ctx);
  registerPredictionRoutes(app, ctx);
  registerCandleRoutes(app, ctx);
  registerModelRoutes(app, ctx);
  registerEvaluationRoutes(app, ctx);
  registerRiskRoutes(app, ctx);
  registerTrackRecordRoutes(app, ctx);
  registerOverviewRoutes(app, ctx);
  registerMonitoringRoutes(app, ctx);
  registerPredictRoutes(app, ctx);
  if (deps.admin) registerAdminRoutes(app, ctx, deps.admin);

  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: { title: 'Coinsphere ML prediction API', version: '1.0.0', description: 'Direction forecasts (bearish / neutral / bullish) of crypto assets from LSTM models.' },
  });

  const noRoute = (c: Context) => c.json(errorBody('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}; see /openapi.json for the API's routes.`, c.var.requestId), 404);
  // Last of the API's routes: an unknown /v1 path is the API's 404 even where an entry serves the dashboard's
  // index.html for every other path after these (node.ts), so a client never takes HTML for an answer.
  app.all('/v1/*', noRoute);
  app.notFound(noRoute);
  app.onError(errorHandler(config, deps.logError ?? ((err, at) => console.error(`[request ${at.requestId}]`, err))));
  return { app, answerFresh };
}

/** Our errors as their status and code (a 503 with a cause logged in one line), Hono's client errors as 4xx,
 *  anything else logged and a bare 500. */
function errorHandler(config: ApiConfig, logError: NonNullable<AppDeps['logError']>) {
  return (err: Error, c: Context) => {
    const requestId = c.var.requestId;
    if (err instanceof ApiError) {
      // a store that fails is answered 503 (retry), and the operator is told why, in one line
      if (err.status === 503 && err.cause !== undefined) logError(`${err.code} on ${c.req.method} ${new URL(c.req.url).pathname}: ${describeError(err.cause)}`, { requestId });
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      return c.json(errorBody(err.code, err.message, requestId), err.status);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const code = err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : 'invalid_request';
      return c.json(errorBody(code, err.status === 413 ? `Request body over ${config.maxBodyBytes} bytes.` : err.message || 'Bad request.', requestId), err.status);
    }
    logError(err, { requestId });
    return c.json(errorBody('internal', 'Internal error; it has been logged.', requestId), 500); // never the message or stack
  };
}
