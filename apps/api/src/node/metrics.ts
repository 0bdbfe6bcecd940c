// GET /metrics for the Node entry: one prom-client Registry per server (never the global default, so a process or a
// test can run several), holding request counts and latency histograms by route pattern, the serving cache's hits and
// misses (countingCache wraps whatever cache the entry built), the prediction pool's queue, model age per served
// model, per-feature drift (PSI) gauges fed by setFeatureDrift, and the process metrics prom-client collects.
// Node only (prom-client); must not import the app or a route: node.ts wires it.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServingCache } from '@coinsphere/serving';
import type { RequestObserver, RequestRecord } from '../request-observer.ts';
import type { ApiStore } from '../store.ts';

/** Latency buckets in seconds: a cached read answers in well under a millisecond, a prediction in tens of them. */
const DURATION_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Methods kept as their own label value; anything else counts as OTHER (a client chooses the method). */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** The most served models whose age one scrape reports (the store is asked per asset and horizon). */
const MAX_MODEL_SERIES = 500;

/** What the metrics read at scrape time. */
export interface MetricsSources {
  /** The prediction pool now: jobs running and waiting, threads, and predictions shed (503) since start. */
  pool?: () => { threads: number; running: number; queued: number; shed: number };
  /** The served models (symbol, horizon, version, createdAt as ISO 8601): model age. */
  servedModels?: () => Promise<Array<{ symbol: string; horizonDays: number; version: string; createdAt: string }>>;
  nowMs?: () => number;
}

/** Drift of one feature of one model slot: the population stability index of its recent inputs against training. */
export interface FeatureDrift {
  symbol: string;
  horizonDays: number;
  feature: string;
  psi: number;
}

/** One (route, method, status)'s requests as plain numbers: the hot path adds to them, a scrape reads them. */
class RequestSeries {
  count = 0;
  sumSeconds = 0;
  readonly inBucket = new Float64Array(DURATION_BUCKETS_S.length); // [bucket]: requests whose latency fell in it alone

  constructor(
    readonly route: string,
    readonly method: string,
    readonly status: string,
  ) {}

  add(seconds: number): void {
    this.count++;
    this.sumSeconds += seconds;
    let i = 0;
    while (i < DURATION_BUCKETS_S.length && seconds > DURATION_BUCKETS_S[i]!) i++;
    if (i < DURATION_BUCKETS_S.length) this.inBucket[i]!++;
  }
}

/** The server's metrics: an observer of requests (the app's and the fast path's) and the registry /metrics renders. */
export class ApiMetrics implements RequestObserver {
  readonly registry = new Registry();
  private readonly drift: Gauge<'symbol' | 'horizon' | 'feature'>;
  // Requests are counted in plain numbers, not through prom-client's labels() children (which hash their labels on
  // every call: ~0.7 us a request, measurable on the cached GET), and handed to the registry at scrape time.
  private readonly series = new Map<string, RequestSeries>(); // `route method status` -> its series; bounded: patterns x methods x statuses
  private readonly reads = { hits: 0, misses: 0 }; // the cache's key reads

  constructor(sources: MetricsSources = {}) {
    const registers = [this.registry];
    const nowMs = sources.nowMs ?? Date.now;
    collectDefaultMetrics({ register: this.registry });
    const series = this.series;
    new Counter({
      name: 'http_requests_total', help: 'Requests answered, by route pattern, method and status.', labelNames: ['route', 'method', 'status'], registers,
      collect() {
        this.reset();
        for (const s of series.values()) this.inc({ route: s.route, method: s.method, status: s.status }, s.count);
      },
    });
    this.registry.registerMetric(latencyHistogram(series) as unknown as Histogram);
    const reads = this.reads;
    new Counter({
      name: 'coinsphere_cache_reads_total', help: 'Serving cache key reads: hit (a value was there) or miss.', labelNames: ['result'], registers,
      collect() {
        this.reset();
        this.inc({ result: 'hit' }, reads.hits);
        this.inc({ result: 'miss' }, reads.misses);
      },
    });
    new Gauge({
      name: 'coinsphere_cache_hit_ratio', help: 'Serving cache hits over key reads since start (0 before the first read).', registers,
      collect() {
        const total = reads.hits + reads.misses;
        this.set(total === 0 ? 0 : reads.hits / total);
      },
    });
    if (sources.pool) this.poolGauges(sources.pool);
    if (sources.servedModels) this.modelAge(sources.servedModels, nowMs);
    this.drift = new Gauge({ name: 'coinsphere_feature_drift_psi', help: 'Population stability index of a feature: recent inputs against the training distribution.', labelNames: ['symbol', 'horizon', 'feature'], registers });
  }

  /** Records one answered request (RequestObserver). */
  request(r: RequestRecord): void {
    this.record(r.route, r.method, r.status, r.durationMs / 1000);
  }

  /** Records a request: `route` a pattern, `seconds` its latency. No allocation once its series exists but the key. */
  record(route: string, rawMethod: string, status: number, seconds: number): void {
    const method = KNOWN_METHODS.has(rawMethod) ? rawMethod : 'OTHER'; // a client's own method names no new series
    const key = `${route} ${method} ${status}`;
    let s = this.series.get(key);
    if (s === undefined) this.series.set(key, (s = new RequestSeries(route, method, String(status))));
    s.add(seconds);
  }

  /** Sets the drift gauges of one model slot (symbol, horizon), replacing what that slot had. For the drift monitor. */
  setFeatureDrift(symbol: string, horizonDays: number, drifts: ReadonlyArray<Omit<FeatureDrift, 'symbol' | 'horizonDays'>>): void {
    const horizon = String(horizonDays);
    const slot = `${symbol}:${horizon}`;
    for (const feature of this.driftFeatures.get(slot) ?? []) this.drift.remove({ symbol, horizon, feature });
    for (const d of drifts) this.drift.set({ symbol, horizon, feature: d.feature }, d.psi);
    this.driftFeatures.set(slot, drifts.map((d) => d.feature));
  }
  private readonly driftFeatures = new Map<string, string[]>(); // slot -> the features its gauges hold

  /** `cache` with every key read counted as a hit or a miss (a getSync that cannot tell counts at its getMany). */
  countingCache(cache: ServingCache): ServingCache {
    const reads = this.reads;
    const count = (v: string | null) => (v === null ? reads.misses++ : reads.hits++);
    const getSync = cache.getSync?.bind(cache);
    return {
      get backend() {
        return cache.backend; // a fallback cache's changes while Redis is down
      },
      getMany: async (keys) => {
        const values = await cache.getMany(keys);
        values.forEach(count);
        return values;
      },
      ...(getSync && {
        getSync: (key: string) => {
          const v = getSync(key);
          if (v !== undefined) count(v);
          return v;
        },
      }),
      setMany: (entries) => cache.setMany(entries),
      deleteMany: (keys) => cache.deleteMany(keys),
      health: () => cache.health(),
      ...(cache.getHeldLocally && { getHeldLocally: cache.getHeldLocally.bind(cache) }),
      ...(cache.close && { close: cache.close.bind(cache) }),
    };
  }

  /** The registry in Prometheus text format, and its content type. */
  async render(): Promise<{ body: string; contentType: string }> {
    const body = (await this.registry.metrics()).replace(/ Nan$/gm, ' NaN'); // prom-client spells it Nan; the format's spelling is NaN
    return { body, contentType: this.registry.contentType };
  }

  private poolGauges(pool: NonNullable<MetricsSources['pool']>): void {
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: (s: ReturnType<typeof pool>) => number) =>
      new Gauge({ name, help, registers, collect() { this.set(read(pool())); } });
    gauge('coinsphere_predict_queue_depth', 'Predictions waiting for a free prediction thread.', (s) => s.queued);
    gauge('coinsphere_predict_in_flight', 'Predictions running on a prediction thread.', (s) => s.running);
    gauge('coinsphere_predict_threads', 'Prediction threads of the pool.', (s) => s.threads);
    new Counter({ name: 'coinsphere_predict_shed_total', help: 'Predictions shed with 503 because every thread was busy and the queue full.', registers, collect() { this.reset(); this.inc(pool().shed); } });
  }

  private modelAge(servedModels: NonNullable<MetricsSources['servedModels']>, nowMs: () => number): void {
    new Gauge({
      name: 'coinsphere_model_age_seconds', help: 'Seconds since the served model of a symbol and horizon was created (trained).', labelNames: ['symbol', 'horizon', 'version'], registers: [this.registry],
      async collect() {
        this.reset(); // only the models served now: a replaced version's series goes away
        const now = nowMs();
        const models = await servedModels().catch(() => []); // a scrape while the store is down still answers the rest
        for (const m of models.slice(0, MAX_MODEL_SERIES)) this.set({ symbol: m.symbol, horizon: String(m.horizonDays), version: m.version }, (now - Date.parse(m.createdAt)) / 1000);
      },
    });
  }
}

/** The model served now for every asset and horizon the store has one for (model age's source). */
export async function servedModelsOf(store: ApiStore): Promise<Array<{ symbol: string; horizonDays: number; version: string; createdAt: string }>> {
  const assets = await store.listAssets();
  const slots = assets.flatMap((a) => a.horizons.map((h) => [a.symbol, h] as const)).slice(0, MAX_MODEL_SERIES);
  const served = await Promise.all(slots.map(([symbol, h]) => store.servedModel(symbol, h)));
  return served.flatMap((m, i) => (m ? [{ symbol: slots[i]![0], horizonDays: m.horizonDays, version: m.version, createdAt: m.createdAt }] : []));
}

/** http_request_duration_seconds by route and method (the statuses' series summed), as a prom-client metric whose
 *  values come from `series` at scrape time: the registry formats and escapes it as it does its own histograms. */
function latencyHistogram(series: Map<string, RequestSeries>) {
  const name = 'http_request_duration_seconds';
  const help = 'Time from a request to its response, by route pattern and method.';
  const values = () => {
    const byRoute = new Map<string, { route: string; method: string; count: number; sum: number; inBucket: Float64Array }>();
    for (const s of series.values()) {
      const key = `${s.route} ${s.method}`;
      let r = byRoute.get(key);
      if (!r) byRoute.set(key, (r = { route: s.route, method: s.method, count: 0, sum: 0, inBucket: new Float64Array(DURATION_BUCKETS_S.length) }));
      r.count += s.count;
      r.sum += s.sumSeconds;
      s.inBucket.forEach((n, i) => (r.inBucket[i]! += n));
    }
    return [...byRoute.values()].flatMap(({ route, method, count, sum, inBucket }) => {
      let cumulative = 0;
      const buckets = DURATION_BUCKETS_S.map((le, i) => ({ metricName: `${name}_bucket`, labels: { route, method, le }, value: (cumulative += inBucket[i]!) }));
      return [...buckets, { metricName: `${name}_bucket`, labels: { route, method, le: '+Inf' }, value: count }, { metricName: `${name}_sum`, labels: { route, method }, value: sum }, { metricName: `${name}_count`, labels: { route, method }, value: count }];
    });
  };
  return { name, help, type: 'histogram', aggregator: 'sum', get: async () => ({ name, help, type: 'histogram', aggregator: 'sum', values: values() }), reset: () => series.clear() };
}
