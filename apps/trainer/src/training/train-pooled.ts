// Training the served pooled model: one recipe (the experiments' choice) over every asset of the universe, on all
// history but the newest `gateDays` of samples, which are held out (with a purge gap) for the promotion gate; the
// block before them validates (early stopping, temperature, abstention). The fitting is fitPooledEnsemble, the
// same code the walk-forward evaluates.
import {
  evaluateOnRows,
  FEATURE_SETS,
  MARKET_SYMBOL,
  metadataFromPooledFold,
  prepareAssetFrame,
  preparePooledFold,
  toIsoDay,
  applyTemperature,
  DAY_MS,
  type ArtifactMetadataInput,
  type AssetFrame,
  type FeatureStatus,
  type NamedWeight,
  type PooledFoldDays,
  type PooledRecipe,
  type SeriesCandidate,
} from '@coinsphere/model/core';
import { availableParallelism } from 'node:os';
import { fitPooledEnsemble } from './pooled-ensemble.ts';

/** Options of trainPooledModel. */
export interface PooledTrainingOptions {
  horizonDays: number;
  recipe: PooledRecipe;
  modelVersion: string;
  /** Newest days of samples held out for the promotion gate (default 91). */
  gateDays?: number;
  /** Days of validation before the gate block (default 182). */
  valDays?: number;
  threads?: number;
  run?: Record<string, unknown>;
  /** The first horizon of the job (one-off notes are said for it only). */
  firstHorizon?: number;
}

/** A trained pooled model, ready to be written, registered and gated. */
export interface TrainedPooledModel {
  metadata: ArtifactMetadataInput;
  members: NamedWeight[][];
  seeds: number[];
  /** The held-out block the gate scores candidate and incumbent on. */
  gate: { startDayMs: number; endDayMs: number };
  samples: { train: number; val: number; gate: number };
  epochs: number[];
}

/** Feature status over every asset: 'real' where most assets have the feature's inputs. */
function pooledStatus(frames: AssetFrame[], names: readonly string[]): { status: Record<string, FeatureStatus>; coverage: Record<string, number> } {
  const status: Record<string, FeatureStatus> = {};
  const coverage: Record<string, number> = {};
  for (const name of names) {
    const shares = frames.map((f) => f.features.featureCoverage[name] ?? 0);
    coverage[name] = shares.reduce((a, b) => a + b, 0) / Math.max(1, shares.length);
    const real = frames.filter((f) => f.features.featureStatus[name] === 'real').length;
    status[name] = real * 2 >= frames.length ? 'real' : frames.some((f) => f.features.featureStatus[name] === 'placeholder') ? 'placeholder' : 'missing';
  }
  return { status, coverage };
}

/** The calendar of the served model: train, gap, validation, gap, gate block ending on the newest sample. */
export function servedModelDays(frames: AssetFrame[], horizonDays: number, gateDays: number, valDays: number): PooledFoldDays {
  const last = Math.max(...frames.filter((f) => f.sampleRows.length > 0).map((f) => f.features.dayMs[f.sampleRows.at(-1)!]!));
  const testStart = last - (gateDays - 1) * DAY_MS;
  const valEnd = testStart - (horizonDays + 1) * DAY_MS;
  const valStart = valEnd - (valDays - 1) * DAY_MS;
  return { trainEndDayMs: valStart - (horizonDays + 1) * DAY_MS, valStartDayMs: valStart, valEndDayMs: valEnd, testStartDayMs: testStart, testEndDayMs: last };
}

/** Trains the recipe's pooled ensemble over `series` (the universe) at one horizon. */
export async function trainPooledModel(series: readonly SeriesCandidate[], opts: PooledTrainingOptions, log: (line: string) => void): Promise<TrainedPooledModel> {
  const recipe = { ...opts.recipe, horizonDays: opts.horizonDays };
  if (recipe.priorShift !== undefined) throw new Error(`The recipe's priorShift '${recipe.priorShift}' is a walk-forward experiment: a model artifact does not carry a prior shift yet, so what would be served is not what was evaluated. Leave priorShift unset to train a servable model.`);
  const market = series.find((s) => s.symbol === MARKET_SYMBOL)?.candles;
  if (!market && FEATURE_SETS[recipe.featureSet].usesMarket && opts.horizonDays === opts.firstHorizon) log(`No ${MARKET_SYMBOL} candles: the market features are left at 0 and reported missing.`);
  const frames = series.map((s) => prepareAssetFrame(s.symbol, s.candles, recipe, { market }));
  const days = servedModelDays(frames, opts.horizonDays, opts.gateDays ?? 91, opts.valDays ?? 182);
  const fold = preparePooledFold(frames, days, recipe);
  for (const s of fold.skipped) log(`${s.symbol} is left out: ${s.reason}.`);
  log(`Pooled ${opts.horizonDays}d over ${frames.length} assets: train ${fold.train.n} windows to ${toIsoDay(days.trainEndDayMs)}, validation ${fold.val.n} (${toIsoDay(days.valStartDayMs)}..${toIsoDay(days.valEndDayMs)}), held out for the gate ${fold.test.n} (${toIsoDay(days.testStartDayMs)}..${toIsoDay(days.testEndDayMs)}); ${recipe.seeds.length} seed(s).`);
  const e = await fitPooledEnsemble(fold, recipe, opts.threads ?? availableParallelism());
  log(`Fitted: epochs ${e.epochs.join('/')}, temperature ${e.temperature.toFixed(2)}, no clear signal below ${(e.abstainBelow * 100).toFixed(1)}%.`);
  const names = FEATURE_SETS[recipe.featureSet].names;
  const { status, coverage } = pooledStatus(frames, names);
  const firstTrain = fold.train.endDayMs.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const test = fold.test.n > 0 ? { test: evaluateOnRows(applyTemperature(e.testRaw, 3, e.temperature), fold.test, fold.train.y) } : {};
  const metadata = metadataFromPooledFold(fold, recipe.normalization, {
    modelVersion: opts.modelVersion,
    featureSet: recipe.featureSet,
    featureNames: names,
    featureStatus: status,
    featureCoverage: coverage,
    windowBars: recipe.windowBars,
    horizonDays: opts.horizonDays,
    dataSources: Object.fromEntries(series.map((s) => [s.symbol, s.source])),
    dataRange: {
      first: toIsoDay(Math.min(...series.map((s) => s.candles[0]!.openTimeMs))),
      last: toIsoDay(Math.max(...series.map((s) => s.candles.at(-1)!.openTimeMs))),
      nDays: series.reduce((n, s) => n + s.candles.length, 0),
    },
    splitDates: {
      train: { start: toIsoDay(firstTrain), end: toIsoDay(days.trainEndDayMs) },
      val: { start: toIsoDay(days.valStartDayMs), end: toIsoDay(days.valEndDayMs) },
      test: { start: toIsoDay(days.testStartDayMs), end: toIsoDay(days.testEndDayMs) },
    },
    gapDays: opts.horizonDays,
    modelConfig: e.config,
    trainingConfig: recipe.training,
    temperature: e.temperature,
    abstainBelow: e.abstainBelow,
    metrics: test.test ? test : null,
    run: { ...opts.run, recipe: { featureSet: recipe.featureSet, labels: recipe.labels, normalization: recipe.normalization, seeds: recipe.seeds, ...(recipe.recencyHalfLifeDays !== undefined && { recencyHalfLifeDays: recipe.recencyHalfLifeDays }) }, epochs: e.epochs },
  });
  return {
    metadata,
    members: e.members,
    seeds: e.seeds,
    gate: { startDayMs: days.testStartDayMs, endDayMs: days.testEndDayMs },
    samples: { train: fold.train.n, val: fold.val.n, gate: fold.test.n },
    epochs: e.epochs,
  };
}
