// The Predictor of POST /v1/predict on the fused WebAssembly engine, in two halves that can run on different
// threads. The request half (predictorOver): finds the model served for the symbol and horizon and the market
// candles its features read (cheap async I/O). The compute half (createFusedRunner): loads the model's artifact
// once (verified as a whole against the digest registered with it, one engine per network of the ensemble), keeps it per registered model (a pooled model serves
// many symbols from one set of engines; a newer version replaces it and the old engines are disposed), then runs
// the product's one inference path, predictWithArtifact. A model whose artifact cannot be loaded is a 503 naming it,
// remembered for a while and listed by /v1/health (model-health.ts). createFusedPredictor joins both halves on one
// thread (the Worker entry); the Node entry runs the compute half in worker threads (node/predict-pool.ts).
// Runtime-neutral: must not import node:*; the engine factory, the artifact reader and the market candles are
// passed in (Node: loadFusedLstm; Workers: createFusedLstm).
import { fusedNetworks, type FusedLstm } from '@coinsphere/engine';
import { FEATURE_SETS, MARKET_SYMBOL, predictWithArtifact, readArtifact, readArtifactMetadata, type ArtifactMetadata, type Candle, type ModelConfig, type ModelPrediction } from '@coinsphere/model/core';
import type { PredictRequest } from '@coinsphere/serving/contract';
import { pinOf, readerOf } from './artifact-reader.ts';
import { ApiError } from './errors.ts';
import { ModelLoadFailures, type ModelsHealth } from './model-health.ts';
import { headOf, type PredictHead } from './predict-request.ts';
import type { Predictor } from './routes/predict.ts';
import type { PredictorResult } from './predictor.ts';
import { explainPrediction } from '@coinsphere/model/explain';
import type { ApiStore, ArtifactSource, ModelRecord } from './store.ts';

/** What the fused predictor is built from. */
export interface FusedPredictorDeps {
  /** The model served for `symbol` at `horizonDays` (a pooled model for an asset it was promoted for or never saw), or null. */
  findModel(symbol: string, horizonDays: number): Promise<ModelRecord | null>;
  artifacts: ArtifactSource;
  /** A one-thread engine for `config` (weights are set by the predictor). */
  createEngine(config: ModelConfig): Promise<FusedLstm>;
  /** Daily candles of the market factor (BTC) up to `toMs` from `source`, for models whose features read it. */
  marketCandles?(toMs: number, source?: string): Promise<Candle[]>;
  /** How long a model that failed to load is answered 503 from memory before it is tried again (ms). Default 10000. */
  loadRetryMs?: number;
  /** Days after training at which a model expires (MODEL_EXPIRY_DAYS; default the model package's, 90). */
  expiryDays?: number;
}

/** One prediction to compute: the model that serves it, the validated request and the market candles it reads. */
export interface PredictJob {
  model: ModelRecord;
  request: PredictRequest;
  /** Daily BTC candles when the model's features read the market and the request brought none. */
  market?: readonly Candle[];
}

/** The compute half: engines per model version and the one inference path. */
export interface FusedRunner {
  /** Predicts `job`. Throws ApiError 400 for a window the model cannot use, 503 model_unavailable for a bad artifact. */
  run(job: PredictJob): Promise<PredictorResult>;
  /** The metadata of `model`'s artifact (loading its engines if they are not held yet). */
  metadataOf(model: ModelRecord): Promise<ArtifactMetadata>;
  /** Keys `SYMBOL:h:version` of the models held now (SYMBOL is POOLED for a pooled model). */
  loaded(): string[];
  /** Disposes every engine held. */
  dispose(): void;
}

/** A Predictor that says what it holds and what failed to load (a failure old enough is tried again first). */
export interface HealthyPredictor extends Predictor {
  health(): Promise<ModelsHealth>;
}

/** A Predictor that also says what it holds and releases its engines. */
export interface FusedPredictor extends HealthyPredictor {
  /** Keys `SYMBOL:h:version` of the models held now (SYMBOL is POOLED for a pooled model). */
  loaded(): string[];
  /** Disposes every engine held. */
  dispose(): void;
}

interface Held<T> {
  version: string;
  ready: Promise<T>;
  /** Set once `ready` resolves, so a release needs no await. */
  value?: T;
}

/**
 * One value per `SYMBOL:h` of a registered model, built once per version: a newer version replaces it (the old
 * one goes to `release`), a failed build is forgotten so the next request retries it.
 */
function versionedCache<T>(build: (model: ModelRecord) => Promise<T>, release: (value: T) => void) {
  const held = new Map<string, Held<T>>(); // `RECORDSYMBOL:h` → the value of one version
  const drop = (h: Held<T>) => (h.value !== undefined ? release(h.value) : void h.ready.then(release, () => undefined));
  return {
    get(model: ModelRecord): Promise<T> {
      const key = `${model.symbol}:${model.horizonDays}`;
      const current = held.get(key);
      if (current?.version === model.version) return current.ready;
      const next: Held<T> = { version: model.version, ready: build(model) };
      held.set(key, next);
      next.ready.then(
        (v) => void (next.value = v),
        () => void (held.get(key) === next && held.delete(key)),
      );
      if (current) drop(current); // predict is synchronous: no request is inside the old engines now
      return next.ready;
    },
    keys: () => [...held.entries()].map(([key, h]) => `${key}:${h.version}`),
    clear: () => {
      for (const h of held.values()) drop(h);
      held.clear();
    },
  };
}

/** The newest model of (symbol, horizonDays) among `models` (by createdAt, then version), or null. */
export function newestModel(models: readonly ModelRecord[], symbol: string, horizonDays: number): ModelRecord | null {
  const mine = models.filter((m) => m.symbol === symbol && m.horizonDays === horizonDays);
  mine.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.version.localeCompare(a.version));
  return mine[0] ?? null;
}

async function loadEngines(deps: Pick<FusedPredictorDeps, 'artifacts' | 'createEngine'>, model: ModelRecord): Promise<{ engines: FusedLstm[]; metadata: ArtifactMetadata }> {
  const contents = await readArtifact(readerOf(deps.artifacts, model), pinOf(model)); // its errors name the file; predictorOver names the model
  if (contents.metadata.horizonDays !== model.horizonDays) throw new Error(`Model ${model.symbol} ${model.version} is registered at ${model.horizonDays} days but its artifact says ${contents.metadata.horizonDays}.`);
  return { engines: await fusedNetworks(contents, deps.createEngine), metadata: contents.metadata };
}

/** The deps of a predictor over an ApiStore: its served model and its BTC candles. */
export function storePredictorDeps(store: ApiStore): Pick<FusedPredictorDeps, 'findModel' | 'marketCandles'> {
  return {
    findModel: (symbol, horizonDays) => store.servedModel(symbol, horizonDays),
    marketCandles: (toMs, source) => store.dailyCandles(MARKET_SYMBOL, 0, toMs, source),
  };
}

/** A load that failed, as the compute half throws it (plain data across a thread; predictorOver names the model). */
function loadFailed(cause: unknown): ApiError {
  return new ApiError(503, 'model_unavailable', cause instanceof Error ? cause.message : String(cause), { cause });
}

/** Builds the compute half over `deps.artifacts` and `deps.createEngine` (engines kept per model version). */
export function createFusedRunner(deps: Pick<FusedPredictorDeps, 'artifacts' | 'createEngine' | 'expiryDays'>): FusedRunner {
  const engines = versionedCache((model) => loadEngines(deps, model), (x) => x.engines.forEach((e) => e.dispose()));
  return {
    run: async ({ model, request, market }) => {
      const { engines: runners, metadata } = await engines.get(model).catch((cause: unknown) => Promise.reject(loadFailed(cause)));
      const inputs = { candles: request.candles, hourly: request.hourly, market: market ?? request.market };
      let prediction: ModelPrediction;
      try {
        prediction = await predictWithArtifact(metadata, runners, request.symbol, inputs, { expiryDays: deps.expiryDays });
      } catch (err) {
        throw new ApiError(400, 'invalid_request', err instanceof Error ? err.message : 'The candle window cannot be used by this model.', { cause: err });
      }
      if (!request.explain) return prediction;
      return { ...prediction, attributions: await explainPrediction(metadata, runners, request.symbol, inputs, prediction.class) }; // publish's computation
    },
    metadataOf: async (model) => (await engines.get(model).catch((cause: unknown) => Promise.reject(loadFailed(cause)))).metadata,
    loaded: engines.keys,
    dispose: engines.clear,
  };
}

/** The metadata of each model's artifact, read once per version (for the request half when engines live elsewhere). */
export function createMetadataCache(artifacts: ArtifactSource): { get(model: ModelRecord): Promise<ArtifactMetadata>; keys(): string[] } {
  const cache = versionedCache((model) => readArtifactMetadata(readerOf(artifacts, model), pinOf(model)), () => undefined);
  return { get: (model) => cache.get(model).catch((cause: unknown) => Promise.reject(loadFailed(cause))), keys: cache.keys };
}

/**
 * `load` with each answer kept for `ttlMs` per key and one load in flight per key however many requests ask; at
 * most `maxKeys` kept (the oldest goes first, so made-up symbols cannot grow it); a failed load is not kept.
 */
function keepFor<A extends unknown[], T>(load: (...args: A) => Promise<T>, keyOf: (...args: A) => string, ttlMs: number, nowMs: () => number, maxKeys = 1024): (...args: A) => Promise<T> {
  const kept = new Map<string, { atMs: number; value: Promise<T> }>();
  return (...args) => {
    const key = keyOf(...args);
    const hit = kept.get(key);
    if (hit && nowMs() - hit.atMs < ttlMs) return hit.value;
    const value = load(...args);
    kept.delete(key); // re-inserted last: the map's order is the age order
    kept.set(key, { atMs: nowMs(), value });
    if (kept.size > maxKeys) kept.delete(kept.keys().next().value!);
    value.catch(() => kept.get(key)?.value === value && kept.delete(key));
    return value;
  };
}

/**
 * The request half's store reads with each answer kept for `ttlMs` (the API's cacheFreshSeconds: the same bound as
 * for predictions written by another process): the served model per symbol and horizon (several queries) and the
 * market candles per source and last day (thousands of rows). On PGlite both run on the request loop, so without
 * this every prediction would hold the cached reads up for them.
 */
export function cacheStoreReads(deps: Pick<FusedPredictorDeps, 'findModel' | 'marketCandles'>, ttlMs: number, nowMs: () => number = Date.now): Pick<FusedPredictorDeps, 'findModel' | 'marketCandles'> {
  const market = deps.marketCandles?.bind(deps);
  return {
    findModel: keepFor((symbol: string, horizonDays: number) => deps.findModel(symbol, horizonDays), (symbol, horizonDays) => `${symbol}:${horizonDays}`, ttlMs, nowMs),
    marketCandles: market && keepFor((toMs: number, source?: string) => market(toMs, source), (toMs, source) => `${source ?? ''}:${toMs}`, ttlMs, nowMs, 16),
  };
}

/** The model and market candles of a request, as the request half found them from its head. */
export type JobContext = Omit<PredictJob, 'request'>;

/** What the request half needs: the registry, the market candles, each model's metadata and the compute half. */
export interface PredictorParts extends Pick<FusedPredictorDeps, 'findModel' | 'marketCandles' | 'loadRetryMs'> {
  metadataOf(model: ModelRecord): Promise<ArtifactMetadata>;
  run(job: PredictJob): Promise<PredictorResult>;
  /** The compute half given the raw body: it parses and validates it, asks `lookup` for the job's model and market
   *  candles from the request's head, then predicts (Predictor.fromBody). Absent: no fromBody. */
  runBody?(text: string, lookup: (head: PredictHead) => Promise<JobContext>): Promise<PredictorResult>;
  /** Keys `SYMBOL:h:version` of the models loaded now. */
  loaded(): string[];
  /** Loads `model` again, whole and verified (health's second look at a model that failed); throws as a load does. */
  check(model: ModelRecord): Promise<void>;
}

const slotOf = (model: ModelRecord) => `${model.symbol}:${model.horizonDays}`;

/**
 * The request half: the served model (ApiError 404 when none), the market candles its features read when the
 * request brought none, then `parts.run`. The job's model record travels without its metrics (a thread hop then
 * copies less); its registered metadata stays, for the digest check's account of what changed.
 */
export function predictorOver(parts: PredictorParts): HealthyPredictor {
  const failures = new ModelLoadFailures(parts.loadRetryMs);
  /** Runs `compute` with a lookup of the head's model and market candles; a model that fails to load is remembered. */
  const tracked = async (compute: (lookup: (head: PredictHead) => Promise<JobContext>) => Promise<PredictorResult>): Promise<PredictorResult> => {
    let found: ModelRecord | null = null;
    const lookup = async (head: PredictHead): Promise<JobContext> => {
      const model = await parts.findModel(head.symbol, head.horizonDays).catch((cause: unknown) => {
        throw new ApiError(503, 'store_unavailable', 'The model registry is unreachable; retry shortly.', { cause });
      });
      if (!model) throw new ApiError(404, 'not_found', `No model for ${head.symbol} at ${head.horizonDays} days; see /v1/models.`);
      const recent = failures.recent(slotOf(model), model);
      if (recent) throw recent; // a broken artifact is not read again on every request
      found = model;
      const metadata = await parts.metadataOf(model);
      const needsMarket = FEATURE_SETS[metadata.featureSet].usesMarket && head.symbol !== MARKET_SYMBOL && !head.hasMarket;
      const market = needsMarket && parts.marketCandles ? await parts.marketCandles(head.lastOpenTimeMs, metadata.dataSources[MARKET_SYMBOL]) : undefined;
      return { model: { ...model, metrics: {} }, market };
    };
    try {
      const prediction = await compute(lookup);
      if (found) failures.succeeded(slotOf(found));
      return prediction;
    } catch (err) {
      if (found && err instanceof ApiError && err.code === 'model_unavailable') throw failures.failed(slotOf(found), found, err.cause ?? err);
      throw err;
    }
  };
  const predict: Predictor = (request) => tracked(async (lookup) => parts.run({ ...(await lookup(headOf(request))), request }));
  const runBody = parts.runBody;
  if (runBody) predict.fromBody = (text) => tracked((lookup) => runBody(text, lookup));
  /** A failure old enough is loaded again before health answers. */
  const recheck = async (model: ModelRecord): Promise<void> => {
    const slot = `${model.symbol}:${model.horizonDays}`;
    await parts.check(model).then(
      () => failures.succeeded(slot),
      (cause: unknown) => void failures.failed(slot, model, cause instanceof ApiError && cause.code === 'model_unavailable' ? (cause.cause ?? cause) : cause),
    );
  };
  return Object.assign(predict, {
    health: async (): Promise<ModelsHealth> => {
      await Promise.all(failures.due().map(recheck));
      const failed = failures.list();
      return { ok: failed.length === 0, loaded: parts.loaded(), failed };
    },
  });
}

/** Builds the fused-engine Predictor on this thread. Throws ApiError 404 for no model, 400 for a window the model cannot
 *  use, 503 (model_unavailable, naming the model and the fix) for an artifact that is missing or fails its checks. */
export function createFusedPredictor(deps: FusedPredictorDeps): FusedPredictor {
  const runner = createFusedRunner(deps);
  const predict = predictorOver({ ...deps, metadataOf: runner.metadataOf, run: runner.run, loaded: runner.loaded, check: async (m) => void (await runner.metadataOf(m)) });
  return Object.assign(predict, { loaded: runner.loaded, dispose: runner.dispose });
}
