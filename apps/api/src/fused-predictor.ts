// The Predictor of POST /v1/predict on the fused WebAssembly engine: finds the newest model of the symbol and
// horizon, loads its artifact once (verified, weights into the engine) and keeps the engine per (symbol, horizon,
// modelVersion); a newer version replaces it and the old engine is disposed. Then the product's prediction:
// prepareInferenceWindow, engine.predict, applyTemperature. Runtime-neutral: the engine factory and the
// artifact reader are passed in (Node: loadFusedLstm; Workers: createFusedLstm with the .wasm module).
import type { FusedLstm } from '@coinsphere/engine';
import { applyTemperature, argmax, CLASS_NAMES, prepareInferenceWindow, type ArtifactMetadata, type ModelConfig } from '@coinsphere/model/core';
import { readArtifactWeights } from './artifact-weights.ts';
import { ApiError } from './errors.ts';
import type { PredictOutput, Predictor } from './routes/predict.ts';
import type { ArtifactSource, ModelRecord } from './store.ts';

/** What the fused predictor is built from. */
export interface FusedPredictorDeps {
  /** The newest registered model of `symbol` at `horizonDays`, or null. */
  findModel(symbol: string, horizonDays: number): Promise<ModelRecord | null>;
  artifacts: ArtifactSource;
  /** A one-thread engine for `config` (weights are set by the predictor). */
  createEngine(config: ModelConfig): Promise<FusedLstm>;
}

/** A Predictor that also says what it holds and releases its engines. */
export interface FusedPredictor extends Predictor {
  /** Keys `SYMBOL:h:version` of the engines held now. */
  loaded(): string[];
  /** Disposes every engine held. */
  dispose(): void;
}

interface Loaded {
  version: string;
  ready: Promise<{ engine: FusedLstm; metadata: ArtifactMetadata; placeholders: string[] }>;
  /** Set once `ready` resolves, so a release needs no await. */
  engine?: FusedLstm;
}

/** Disposes the engine of `l` now if it is loaded, else as soon as it is. */
function release(l: Loaded): void {
  if (l.engine) l.engine.dispose();
  else void l.ready.then((x) => x.engine.dispose(), () => undefined);
}

/** The newest model of (symbol, horizonDays) among `models` (by createdAt, then version), or null. */
export function newestModel(models: readonly ModelRecord[], symbol: string, horizonDays: number): ModelRecord | null {
  const mine = models.filter((m) => m.symbol === symbol && m.horizonDays === horizonDays);
  mine.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.version.localeCompare(a.version));
  return mine[0] ?? null;
}

async function loadEngine(deps: FusedPredictorDeps, model: ModelRecord): Promise<Awaited<Loaded['ready']>> {
  const { metadata, weights } = await readArtifactWeights((file) => deps.artifacts.read(model, file)).catch((cause: unknown) => {
    throw new Error(`Cannot load the artifact of model ${model.symbol} ${model.horizonDays}d ${model.version}.`, { cause });
  });
  if (metadata.horizonDays !== model.horizonDays) throw new Error(`Model ${model.symbol} ${model.version} is registered at ${model.horizonDays} days but its artifact says ${metadata.horizonDays}.`);
  const engine = await deps.createEngine(metadata.config.model);
  try {
    engine.setWeights(weights); // checks count, shapes and finiteness against the config
  } catch (err) {
    engine.dispose();
    throw err;
  }
  const placeholders = Object.entries(metadata.featureStatus).filter(([, s]) => s !== 'real').map(([n]) => n);
  return { engine, metadata, placeholders };
}

/** Builds the fused-engine Predictor. Throws ApiError 404 for no model, 400 for a window the model cannot use. */
export function createFusedPredictor(deps: FusedPredictorDeps): FusedPredictor {
  const held = new Map<string, Loaded>(); // `SYMBOL:h` → the engine of one version

  const engineFor = (model: ModelRecord): Loaded['ready'] => {
    const key = `${model.symbol}:${model.horizonDays}`;
    const current = held.get(key);
    if (current?.version === model.version) return current.ready;
    const next: Loaded = { version: model.version, ready: loadEngine(deps, model) };
    held.set(key, next);
    next.ready.then(
      (x) => void (next.engine = x.engine),
      () => void (held.get(key) === next && held.delete(key)), // a failed load is retried on the next request
    );
    if (current) release(current); // predict is synchronous: no request is inside the old engine now
    return next.ready;
  };

  const predict = async (req: Parameters<Predictor>[0]): Promise<PredictOutput> => {
    const model = await deps.findModel(req.symbol, req.horizonDays);
    if (!model) throw new ApiError(404, 'not_found', `No model for ${req.symbol} at ${req.horizonDays} days; see /v1/models.`);
    const { engine, metadata, placeholders } = await engineFor(model);
    let probs: Float32Array; // [1, nClasses]
    try {
      const window = prepareInferenceWindow(req.candles, metadata, { symbol: req.symbol }); // x [1, windowBars, nFeatures]
      probs = engine.predict(window.x, 1);
    } catch (err) {
      throw new ApiError(400, 'invalid_request', err instanceof Error ? err.message : 'The candle window cannot be used by this model.', { cause: err });
    }
    const p = applyTemperature(probs, CLASS_NAMES.length, metadata.temperature);
    const top = argmax(p, 0, CLASS_NAMES.length);
    return { class: CLASS_NAMES[top]!, probabilities: { bearish: p[0]!, neutral: p[1]!, bullish: p[2]! }, confidence: p[top]!, modelVersion: metadata.modelVersion, placeholders };
  };

  return Object.assign(predict, {
    loaded: () => [...held.entries()].map(([key, l]) => `${key}:${l.version}`),
    dispose: () => {
      for (const l of held.values()) release(l);
      held.clear();
    },
  });
}
