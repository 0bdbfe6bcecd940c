// Node entry: wires the app to @coinsphere/data (PostgreSQL or PGlite), Redis when REDIS_URL is set (falling
// back to the in-process LRU while Redis is down) and the file system for artifacts and the dashboard build,
// then serves it with @hono/node-server; POST /v1/predict's inference runs in worker threads (node/predict-pool.ts).
// GET /metrics (prom-client, node/metrics.ts) and a JSON request log (pino, node/request-log.ts) watch every request,
// the fast path's too; its drift gauges come from the stored monitoring summaries (node/drift-gauges.ts). Wiring only; the logic lives in app.ts.
import type { AddressInfo } from 'node:net';
import { createServer, type ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import { getRequestListener } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Database } from '@coinsphere/data';
import type { ServingCache } from '@coinsphere/serving';
import { createNodeCache, DrizzleStore } from '@coinsphere/serving/node';
import type { DestinationStream } from 'pino';
import { createApi } from './app.ts';
import { clientAddress } from './client-address.ts';
import { parseApiEnv, processEnv, type ApiEnv } from './env.ts';
import type { FreshAnswer } from './fresh-latest.ts';
import { serveDashboard } from './node/dashboard.ts';
import { FsArtifacts } from './node/fs-artifacts.ts';
import type { Predictor } from './routes/predict.ts';
import { createFusedPredictor, storePredictorDeps, type HealthyPredictor } from './fused-predictor.ts';
import { createPoolPredictor, type PredictPool } from './node/predict-pool.ts';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { ApiMetrics, servedModelsOf } from './node/metrics.ts';
import { serveMetrics } from './node/metrics-route.ts';
import { feedDriftGauges } from './node/drift-gauges.ts';
import { createLogger, requestLogger } from './node/request-log.ts';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.ts';
import type { RequestObserver } from './request-observer.ts';

/** The route pattern of the fast path's answers: the Hono route's, so both count as one series. */
const FRESH_ROUTE = '/v1/predictions/{symbol}';

/** What the Node server is built from. */
export interface NodeServerOptions {
  db: Database;
  /** Settings; default: parsed from the process environment (env.ts), which throws naming a bad variable. */
  env?: ApiEnv;
  /** Interface and port to listen on instead of env's (port 0 picks a free one). */
  host?: string;
  port?: number;
  /** The artifacts root that registered locations are relative to (default: cwd; `coinsphere serve` passes COINSPHERE_ARTIFACTS). */
  artifactsRoot?: string;
  /** Dashboard build served at `/` when the folder exists (e.g. apps/web/dist). */
  webDist?: string;
  /** POST /v1/predict's predictor; default: the served models on the fused engine in env.predictThreads worker
   *  threads (on the request loop when 0). */
  predictor?: Predictor;
  /** GET /metrics and the request metrics behind it (default true; false: neither, as before #16). */
  metrics?: boolean;
  /** Where the JSON log goes (default: stdout); its level is env.logLevel (LOG_LEVEL). */
  logDestination?: DestinationStream;
}

/** A running server. */
export interface NodeServer {
  url: string;
  app: ReturnType<typeof createApi>['app'];
  cache: ServingCache;
  /** The server's metrics (setFeatureDrift feeds the drift gauges), or null when started with metrics: false. */
  metrics: ApiMetrics | null;
  close(): Promise<void>;
}

/** The first value of header `lowerName` in Node's flat [name, value, …] list, or undefined. */
function rawHeader(raw: string[], lowerName: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return raw[i + 1];
  }
  return undefined;
}

const flatHeaders = new WeakMap<FreshAnswer, string[]>(); // answers are memoised per cache entry: flattened once each

/** Writes a fast-path answer with the request's id (the client's X-Request-Id when sane) and tells `observer`. The
 *  headers go to writeHead as one flat [name, value, …] list: a setHeader() first would send writeHead down Node's
 *  slow path, validating every header again on every request. */
function write(res: ServerResponse, answer: FreshAnswer, raw: string[], observer: RequestObserver | null, startMs: number): void {
  const requestId = requestIdOf(rawHeader(raw, REQUEST_ID_HEADER));
  let flat = flatHeaders.get(answer);
  if (flat === undefined) flatHeaders.set(answer, (flat = Object.entries(answer.headers).flat()));
  const headers = flat.slice(); // the memoised list stays untouched
  headers.push(REQUEST_ID_HEADER, requestId);
  res.writeHead(answer.status, headers);
  res.end(answer.body ?? undefined);
  observer?.request({ method: 'GET', route: FRESH_ROUTE, status: answer.status, durationMs: performance.now() - startMs, requestId });
}

/** Worker threads for inference when PREDICT_THREADS is unset: one core is left to the request loop (1 on 2 cores). */
export function defaultPredictThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/** The served models on the fused engine: in a pool of `threads` worker threads, or on this thread when 0. */
function ownPredictor(env: ApiEnv, store: DrizzleStore, artifacts: FsArtifacts, artifactsRoot: string | undefined): { predictor: HealthyPredictor; close(): Promise<void>; pool?: PredictPool } {
  const threads = env.predictThreads ?? defaultPredictThreads();
  if (threads > 0) {
    const pooled = createPoolPredictor({ threads, queueLimit: env.predictQueue, nice: env.predictNice, expiryDays: env.modelExpiryDays, store, artifacts, artifactsRoot, storeReadTtlMs: env.config.cacheFreshSeconds * 1000 });
    return { predictor: pooled, close: pooled.close, pool: pooled.pool };
  }
  // One engine thread each: a single window gains nothing from more.
  const inline = createFusedPredictor({ ...storePredictorDeps(store), artifacts, createEngine: (config) => loadFusedLstm(config, 1), expiryDays: env.modelExpiryDays });
  return { predictor: inline, close: async () => inline.dispose() };
}

/** The server's metrics (unless opts.metrics is false), its log, and the observer of every request that feeds both. */
function observability(env: ApiEnv, opts: NodeServerOptions, store: DrizzleStore, pool: PredictPool | undefined) {
  const metrics = opts.metrics === false ? null : new ApiMetrics({ pool: pool && (() => pool.stats()), servedModels: () => servedModelsOf(store) });
  const log = requestLogger(createLogger(env.logLevel, opts.logDestination));
  const observer: RequestObserver = metrics ? { request: (r) => (metrics.request(r), log.request(r)) } : log;
  return { metrics, log, observer };
}

/** Starts the API on host:port (port 0 picks a free one) and resolves once it listens. */
export async function startNodeServer(opts: NodeServerOptions): Promise<NodeServer> {
  const base = opts.env ?? parseApiEnv(processEnv());
  const env: ApiEnv = { ...base, host: opts.host ?? base.host, port: opts.port ?? base.port };
  const cache = createNodeCache(env.redisUrl, env.redisNearCacheMs);
  const store = new DrizzleStore(opts.db);
  const artifacts = new FsArtifacts(opts.artifactsRoot);
  const trust = env.config.trustProxy;
  const own = opts.predictor ? null : ownPredictor(env, store, artifacts, opts.artifactsRoot);
  const { metrics, log, observer } = observability(env, opts, store, own?.pool);
  const { app, answerFresh } = createApi({
    store,
    cache: metrics ? metrics.countingCache(cache) : cache,
    observe: observer,
    logError: log.error,
    artifacts,
    predictor: opts.predictor ?? own!.predictor,
    modelHealth: own ? () => own.predictor.health() : undefined,
    config: env.config,
    clientId: (c) => clientAddress(getConnInfo(c).remote.address, trust ? c.req.header('x-forwarded-for') : undefined, trust), // the socket, or X-Forwarded-For from a trusted proxy
  });
  if (metrics) serveMetrics(app, metrics, env.metricsToken);
  const stopDrift = metrics ? await feedDriftGauges(metrics, () => store.monitoringSummaries(), (message) => log.error(message, { requestId: 'drift-gauges' })) : null;
  if (opts.webDist) serveDashboard(app, opts.webDist);
  const honoListener = getRequestListener(app.fetch);
  const limited = env.config.rateLimit !== null;
  const server = createServer((req, res) => {
    // A fresh cached latest prediction is written straight from the core's answerer; all else goes to Hono.
    if (req.method === 'GET' && req.url !== undefined) {
      const startMs = performance.now();
      const raw = req.rawHeaders; // reading req.headers would build the whole header object on every request
      const client = limited ? clientAddress(req.socket.remoteAddress, trust ? rawHeader(raw, 'x-forwarded-for') : undefined, trust) : ''; // only the rate limiter reads it
      const found = answerFresh(req.url, rawHeader(raw, 'if-none-match'), rawHeader(raw, 'origin'), client);
      if (found instanceof Promise) {
        void found.then((answer) => (answer ? write(res, answer, raw, observer, startMs) : honoListener(req, res)), () => honoListener(req, res));
        return;
      }
      if (found) return write(res, found, raw, observer, startMs);
    }
    void honoListener(req, res);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(env.port, env.host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${env.host}:${port}`,
    app,
    cache,
    metrics,
    close: async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      (server as { closeAllConnections?: () => void }).closeAllConnections?.(); // keep-alive sockets
      await closed;
      stopDrift?.();
      await own?.close();
      await cache.close?.();
      log.flush(); // the buffered log's last lines
    },
  };
}
