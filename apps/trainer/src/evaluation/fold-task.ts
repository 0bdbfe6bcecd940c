// One unit of walk-forward work: train one LSTM on a fold (one asset, or several pooled with per-asset
// normalisation), fit its temperature on the fold's validation part, and predict the fold's test block beside the
// baselines on exactly the same rows, then the permutation importance of every feature on each asset's test rows
// (fold-importance.ts). Runs wherever a queue worker takes its job (queue/fold-job.ts); its input
// and output are plain data so they cross the process boundary.
import { loadFusedLstm } from '@coinsphere/engine/node';
import {
  applyTemperature,
  computeMetrics,
  FEATURE_NAMES,
  fitLogistic,
  fitTemperature,
  initWeights,
  lastRows,
  majorityBaseline,
  momentumClasses,
  N_FEATURES,
  oneHot,
  persistenceBaseline,
  predictLogistic,
  prepareFold,
  type Candle,
  concatSamples,
  type ModelConfig,
  type PreparedDataset,
  type RowImportance,
  type TrainingConfig,
  type WalkForwardFold,
} from '@coinsphere/model/core';
import { fitFused } from '../training/fit-fused.ts';
import { foldImportance } from './fold-importance.ts';

/** One asset's part of a task: its candles (oldest first) and its fold. */
export interface FoldAsset {
  symbol: string;
  candles: Candle[];
  fold: WalkForwardFold;
}

/** A fold to train and test. kind 'pooled' trains one model on every asset's training rows. */
export interface FoldTask {
  id: string;
  kind: 'asset' | 'pooled';
  horizonDays: number;
  foldIndex: number;
  gapDays: number;
  assets: FoldAsset[];
  modelConfig: ModelConfig;
  training: TrainingConfig;
  threads: number;
}

/** Test-block predictions of one asset; every probability array is [n, 3] over the same rows. */
export interface AssetFoldOutcome {
  symbol: string;
  testDayMs: number[];
  y: number[];
  /** close[t + 1] / close[t] - 1 of each test row's day, for the trading simulation. */
  nextDayReturn: number[];
  probs: Record<string, Float32Array>;
  nTrain: number;
  nVal: number;
  /** Each feature's permutation importance on these rows under `probs.model` (the kind 'asset' model only; absent
   *  in outcomes stored before #18). Row indices are into testDayMs. */
  importance?: RowImportance;
}

/** What a task returns. */
export interface FoldOutcome {
  id: string;
  kind: FoldTask['kind'];
  horizonDays: number;
  foldIndex: number;
  assets: AssetFoldOutcome[];
  temperature: number;
  valEce: { before: number; after: number };
  epochsRun: number;
  bestEpoch: number;
  wallMs: number;
  /** CPU time of the process that ran it (all its threads), ms. */
  cpuMs: number;
}

function baselines(asset: FoldAsset, ds: PreparedDataset, windowBars: number): Record<string, Float32Array> {
  const rowOf = new Map(asset.candles.map((c, i) => [c.openTimeMs, i]));
  const rows = Array.from(ds.test.endDayMs, (d) => rowOf.get(d)!);
  const logistic = fitLogistic(lastRows(ds.train.x, ds.train.n, windowBars, N_FEATURES), ds.train.y, N_FEATURES);
  return {
    logistic: predictLogistic(logistic, lastRows(ds.test.x, ds.test.n, windowBars, N_FEATURES), ds.test.n),
    momentum: oneHot(momentumClasses(asset.candles.map((c) => c.close), rows)),
    persistence: persistenceBaseline(ds.test.persistence),
    majority: majorityBaseline(ds.train.y, ds.test.n),
  };
}

/** Trains and tests one fold. The engine's worker threads are always stopped. */
export async function runFoldTask(task: FoldTask): Promise<FoldOutcome> {
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const { windowBars } = task.modelConfig;
  const size = windowBars * N_FEATURES;
  const data = task.assets.map((a) => ({ asset: a, ds: prepareFold(a.candles, a.fold, { horizonDays: task.horizonDays, windowBars, gapDays: task.gapDays }) }));
  const train = concatSamples(data.map((d) => d.ds.train), size);
  const val = concatSamples(data.map((d) => d.ds.val), size);
  const engine = await loadFusedLstm(task.modelConfig, task.threads);
  try {
    engine.setWeights(initWeights(task.modelConfig, task.training.seed));
    const fit = await fitFused(engine, { train, val }, task.training);
    const valProbs = engine.predict(val.x, val.n);
    const calib = fitTemperature(valProbs, val.y);
    const assets = data.map(({ asset, ds }): AssetFoldOutcome => {
      const raw = engine.predict(ds.test.x, ds.test.n);
      const model = applyTemperature(raw, 3, calib.temperature);
      const rowOf = new Map(asset.candles.map((c, i) => [c.openTimeMs, i]));
      const close = (r: number) => asset.candles[r]!.close;
      return {
        symbol: asset.symbol,
        testDayMs: Array.from(ds.test.endDayMs),
        y: Array.from(ds.test.y),
        nextDayReturn: Array.from(ds.test.endDayMs, (d) => close(rowOf.get(d)! + 1) / close(rowOf.get(d)!) - 1),
        probs: task.kind === 'pooled' ? { pooled: model } : { model, uncalibrated: raw, ...baselines(asset, ds, windowBars) },
        nTrain: ds.train.n,
        nVal: ds.val.n,
      };
    });
    if (task.kind === 'asset') {
      const weights = [engine.getWeights()];
      const calibrate = (raw: Float32Array) => applyTemperature(raw, 3, calib.temperature);
      for (const [i, { ds }] of data.entries()) assets[i]!.importance = await foldImportance(engine, weights, calibrate, ds.test, FEATURE_NAMES);
    }
    const cpu = process.cpuUsage(cpu0);
    return {
      id: task.id, kind: task.kind, horizonDays: task.horizonDays, foldIndex: task.foldIndex, assets,
      temperature: calib.temperature,
      valEce: { before: computeMetrics(valProbs, val.y).ece, after: computeMetrics(applyTemperature(valProbs, 3, calib.temperature), val.y).ece },
      epochsRun: fit.epochsRun, bestEpoch: fit.bestEpoch, wallMs: Date.now() - started, cpuMs: (cpu.user + cpu.system) / 1000,
    };
  } finally {
    engine.dispose(); // it holds worker threads
  }
}
