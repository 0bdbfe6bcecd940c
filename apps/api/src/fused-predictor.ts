// The Predictor of POST /v1/predict on the fused WebAssembly engine: finds the model served for the symbol and
// horizon, loads its artifact once (verified as a whole against the digest registered with it, one engine per network of the ensemble) and keeps it per registered
// model (a pooled model serves many symbols from one set of engines); a newer version replaces it and the old
// engines are disposed. Then the product's one inference path, predictWithArtifact. Runtime-neutral: the engine
// factory, the artifact reader and the market candles are passed in (Node: loadFusedLstm; Workers: createFusedLstm).
import { fusedNetworks, type FusedLstm } from '@coinsphere/engine';
import { FEATURE_SETS, MARKET_SYMBOL, predictWithArtifact, readArtifact, type ArtifactMetadata, type Candle, type ModelConfig, type ModelPrediction } from '@coinsphere/model/core';
import { modelName, pinOf, readerOf } from './artifact-reader.ts';
import { ApiError } from './errors.ts';
import type { Predictor } from './routes/predict.ts';
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
}

/** A Predictor that also says what it holds and releases its engines. */
export interface FusedPredictor extends Predictor {
  /** Keys `SYMBOL:h:version` of the models held now (SYMBOL is POOLED for a pooled model). */
  loaded(): string[];
  /** Disposes every engine held. */
  dispose(): void;
}

interface Loaded {
  version: string;
  ready: Promise<{ engines: FusedLstm[]; metadata: ArtifactMetadata }>;
  /** Set once `ready` resolves, so a release needs no await. */
  engines?: FusedLstm[];
}

/** Disposes the engines of `l` now if they are loaded, else as soon as they are. */
function release(l: Loaded): void {
  if (l.engines) l.engines.forEach((e) => e.dispose());
  else void l.ready.then((x) => x.engines.forEach((e) => e.dispose()), () => undefined);
}

/** The newest model of (symbol, horizonDays) among `models` (by createdAt, then version), or null. */
export function newestModel(models: readonly ModelRecord[], symbol: string, horizonDays: number): ModelRecord | null {
  const mine = models.filter((m) => m.symbol === symbol && m.horizonDays === horizonDays);
  mine.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.version.localeCompare(a.version));
  return mine[0] ?? null;
}

async function loadEngines(deps: FusedPredictorDeps, model: ModelRecord): Promise<Awaited<Loaded['ready']>> {
  const contents = await readArtifact(readerOf(deps.artifacts, model), pinOf(model)).catch((cause: unknown) => {
    throw new Error(`Cannot load the artifact of model ${modelName(model)}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  });
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

/** Builds the fused-engine Predictor. Throws ApiError 404 for no model, 400 for a window the model cannot use. */
export function createFusedPredictor(deps: FusedPredictorDeps): FusedPredictor {
  const held = new Map<string, Loaded>(); // `RECORDSYMBOL:h` → the engines of one version

  const enginesFor = (model: ModelRecord): Loaded['ready'] => {
    const key = `${model.symbol}:${model.horizonDays}`;
    const current = held.get(key);
    if (current?.version === model.version) return current.ready;
    const next: Loaded = { version: model.version, ready: loadEngines(deps, model) };
    held.set(key, next);
    next.ready.then(
      (x) => void (next.engines = x.engines),
      () => void (held.get(key) === next && held.delete(key)), // a failed load is retried on the next request
    );
    if (current) release(current); // predict is synchronous: no request is inside the old engines now
    return next.ready;
  };

  const predict = async (req: Parameters<Predictor>[0]): Promise<ModelPrediction> => {
    const model = await deps.findModel(req.symbol, req.horizonDays);
    if (!model) throw new ApiError(404, 'not_found', `No model for ${req.symbol} at ${req.horizonDays} days; see /v1/models.`);
    const { engines, metadata } = await enginesFor(model);
    const needsMarket = FEATURE_SETS[metadata.featureSet].usesMarket && req.symbol !== MARKET_SYMBOL && !req.market;
    const market = needsMarket && deps.marketCandles ? await deps.marketCandles(req.candles.at(-1)!.openTimeMs, metadata.dataSources[MARKET_SYMBOL]) : req.market;
    try {
      return await predictWithArtifact(metadata, engines, req.symbol, { candles: req.candles, hourly: req.hourly, market });
    } catch (err) {
      throw new ApiError(400, 'invalid_request', err instanceof Error ? err.message : 'The candle window cannot be used by this model.', { cause: err });
    }
  };

  return Object.assign(predict, {
    loaded: () => [...held.entries()].map(([key, l]) => `${key}:${l.version}`),
    dispose: () => {
      for (const l of held.values()) release(l);
      held.clear();
    },
  });
}
