// What the app is built from (AppDeps) and what each route module receives (RouteContext). Apart from app.ts,
// which imports every route: a route importing its context from there was an import cycle. Must not import
// app.ts or a route. Runtime-neutral: must not import node:*.
import type { Context } from 'hono';
import type { ServingCache } from '@coinsphere/serving';
import type { ApiConfig } from '../config.ts';
import type { AnswerFresh } from '../fresh-latest.ts';
import type { ModelsHealth } from '../model-health.ts';
import type { Predictor } from '../predictor.ts';
import type { PredictionsService } from '../predictions-service.ts';
import type { RateLimiter } from '../rate-limit.ts';
import type { RequestObserver } from '../request-observer.ts';
import type { ApiStore, ArtifactSource, EdgeRegistryWriter } from '../store.ts';

/** Everything the app is built from. */
export interface AppDeps {
  store: ApiStore;
  cache: ServingCache;
  artifacts?: ArtifactSource;
  /** On-demand inference for POST /v1/predict; absent = 503 predictor_unavailable. */
  predictor?: Predictor;
  /** What the predictor has loaded and failed to load, for /v1/health (cheap: loads nothing new). */
  modelHealth?: () => Promise<ModelsHealth>;
  /** Admin writes of the registry, artifacts and candles (the Worker's KV); absent = no /v1/admin routes. */
  admin?: EdgeRegistryWriter;
  config?: Partial<ApiConfig>;
  rateLimiter?: RateLimiter;
  nowMs?: () => number;
  /** Client identity for rate limiting; defaults to cf-connecting-ip, then x-forwarded-for, then x-real-ip. */
  clientId?: (c: Context) => string;
  /** Where unexpected errors go (the client only sees a generic 500, with the request's id); defaults to console.error. */
  logError?: (err: unknown, at: { requestId: string }) => void;
  /** Told of every request the app answers (route pattern, status, duration, request id): the Node entry's metrics
   *  and request log. Absent: nothing is measured. */
  observe?: RequestObserver;
}

/** What route modules receive. */
export interface RouteContext {
  deps: AppDeps;
  config: ApiConfig;
  predictions: PredictionsService;
  nowMs: () => number;
  /** Cache-Control of a fresh latest prediction. */
  latestCacheControl: string;
  /** Answers a fresh cached latest-prediction read synchronously, or null (see fresh-latest.ts). */
  answerFresh: AnswerFresh;
  clientId: (c: Context) => string;
  /** Throws 429 when the client's bucket is empty (or resolves to that, for an async limiter). */
  limit: (c: Context, bucket: string) => void | Promise<void>;
}
