// One training run from database to registered artifact: read candles, prepare the dataset (thresholds and
// normaliser fitted on the training split only), train with checkpoints and tracking, evaluate on the test split
// beside the baselines, write the standard tfjs artifact and register it. The CLI and the main job call this.
import { readCandles, registerModel, type Database } from '@coinsphere/data';
import {
  DEFAULT_MODEL_CONFIG,
  evaluateOnRows,
  metadataFromDataset,
  prepareDataset,
  resolveTrainingConfig,
  writeArtifact,
  type EpochLog,
  type EvaluationReport,
  type FitResult,
  type ModelConfig,
  type PreparedDataset,
  type TrainingConfig,
} from '@coinsphere/model';
import { artifactDir, writeArtifactFiles } from '../artifact-files.ts';
import type { BackendName } from '../backends.ts';
import { currentGitCommit } from '../git-commit.ts';
import { RunTracker } from '../tracking/run-tracker.ts';
import { clearCheckpoint, loadCheckpoint, saveCheckpoint, type CheckpointKey } from './checkpoint.ts';
import { createTrainingEngine, type EngineName } from './engines.ts';
import { calibrateOnValidation, type RunCalibration } from '../evaluation/calibrate.ts';

/** Everything a run needs; the CLI fills it from flags over the defaults. */
export interface TrainOptions {
  symbol: string;
  horizonDays: number;
  /** Candle source; default: the longest history for the symbol. */
  source?: string;
  engine: EngineName;
  backend: BackendName;
  threads?: number;
  modelConfig: ModelConfig;
  training: Partial<TrainingConfig>;
  artifactsRoot: string;
  resume: boolean;
  mlflowUri?: string;
  mlflowExperiment?: string;
}

/** Progress and messages; the CLI renders them (bar, quiet, json). */
export interface TrainReporter {
  info(message: string): void;
  warn(message: string): void;
  epochStart?(epoch: number, epochs: number, nBatches: number): void;
  batch?(batch: number, nBatches: number, loss: number): void;
  epochEnd?(log: EpochLog, epochs: number): void;
}

/** What a finished run reports. */
export interface TrainSummary {
  symbol: string;
  horizonDays: number;
  modelVersion: string;
  /** Its id in the registry (a candidate until the promotion gate serves it). */
  modelId: number;
  artifactDir: string;
  runId: number;
  engine: string;
  backend: string;
  dataSource: string;
  dataRange: PreparedDataset['dataRange'];
  splitDates: PreparedDataset['splitDates'];
  samples: { train: number; val: number; test: number };
  config: { model: ModelConfig; training: TrainingConfig };
  epochsRun: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  durationMs: number;
  metrics: { test: EvaluationReport; val: EvaluationReport };
  /** Temperature stored in the artifact, and ECE before / after it on validation and test. */
  calibration: { temperature: number; ece: RunCalibration['ece'] };
}

let lastVersion = '';

/** A sortable version stamp, unique in this process: 20261127T091500123Z (milliseconds; two calls in the same
 *  millisecond get the next one). */
export function makeModelVersion(now = new Date()): string {
  let t = now.getTime();
  let v: string;
  do v = new Date(t++).toISOString().replace(/[-:.]/g, '');
  while (v <= lastVersion);
  lastVersion = v;
  return v;
}

/** Trains, evaluates, exports and registers one model. */
export async function runTraining(db: Database, opts: TrainOptions, report: TrainReporter): Promise<TrainSummary> {
  const started = Date.now();
  const symbol = opts.symbol.toUpperCase();
  const { source, candles } = await readCandles(db, { symbol, interval: '1d', source: opts.source });
  report.info(`Candles: ${symbol} 1d from source "${source}"${opts.source ? '' : ' (the longest history; pick another with --source)'}, ${candles.length} days.`);
  const hourly = await readCandles(db, { symbol, interval: '1h' }).then((r) => r.candles).catch(() => []);
  const modelConfig = opts.modelConfig;
  const training = resolveTrainingConfig(opts.training);
  const ds = prepareDataset(candles, { horizonDays: opts.horizonDays, windowBars: modelConfig.windowBars, hourly });
  report.info(
    `Samples: train ${ds.train.n} (${ds.splitDates.train.start}..${ds.splitDates.train.end}), val ${ds.val.n}, test ${ds.test.n} ` +
      `(${ds.splitDates.test.start}..${ds.splitDates.test.end}); purge gap ${ds.gapDays} days; neutral band ±${(ds.thresholds.upper * 100).toFixed(2)}%.`,
  );
  const engine = await createTrainingEngine(opts.engine, modelConfig, training.seed, { backend: opts.backend, threads: opts.threads });
  try {
    report.info(`Engine: ${engine.detail}.`);
    report.info(`Config: ${JSON.stringify({ model: modelConfig, training })}`);
    const key: CheckpointKey = {
      symbol, horizonDays: opts.horizonDays, engine: opts.engine, dataSource: source, dataRange: ds.dataRange,
      modelConfig, trainingConfig: training,
    };
    const checkpointDir = artifactDir(opts.artifactsRoot, symbol, opts.horizonDays, 'checkpoint');
    let resume: Parameters<typeof engine.fit>[3];
    let modelVersion = makeModelVersion();
    let existingRunId: number | null = null;
    let priorHistory: EpochLog[] = [];
    if (opts.resume) {
      const ckpt = await loadCheckpoint(checkpointDir, key);
      engine.setWeights(ckpt.latest);
      resume = { startEpoch: ckpt.state.epoch + 1, bestEpoch: ckpt.state.bestEpoch, bestValLoss: ckpt.state.bestValLoss, bestWeights: ckpt.best };
      modelVersion = ckpt.state.modelVersion;
      existingRunId = ckpt.state.runId;
      priorHistory = ckpt.state.history;
      report.info(`Resuming run ${existingRunId} at epoch ${resume.startEpoch + 1} (best so far: epoch ${ckpt.state.bestEpoch + 1}).`);
    } else {
      await clearCheckpoint(checkpointDir);
    }
    const tracker = await RunTracker.start(
      db,
      {
        symbol, horizonDays: opts.horizonDays, engine: opts.engine, backend: engine.backend,
        config: { model: modelConfig, training }, dataSource: source,
        dataFromMs: candles[0]!.openTimeMs, dataToMs: candles.at(-1)!.openTimeMs, gitCommit: currentGitCommit(), modelVersion,
      },
      { mlflowUri: opts.mlflowUri, mlflowExperiment: opts.mlflowExperiment, warn: report.warn, existingRunId, history: priorHistory },
    );
    let fit: FitResult;
    const history = [...priorHistory];
    let bestWeights = resume?.bestWeights ?? (await engine.getWeights());
    try {
      const nBatches = Math.ceil(ds.train.n / training.batchSize);
      report.epochStart?.(resume?.startEpoch ?? 0, training.epochs, nBatches);
      fit = await engine.fit(ds, training, {
        onBatchEnd: (b, n, loss) => report.batch?.(b, n, loss),
        onEpochEnd: async (log) => {
          history.push(log);
          const latest = await engine.getWeights();
          if (log.improved) bestWeights = latest;
          await saveCheckpoint(checkpointDir, {
            key, runId: tracker.runId, modelVersion, epoch: log.epoch, bestEpoch: log.bestEpoch, bestValLoss: log.bestValLoss,
            history, shapes: latest.map((w) => ({ name: w.name, shape: w.shape })),
          }, latest, bestWeights);
          await tracker.epoch(log);
          report.epochEnd?.(log, training.epochs);
          if (log.epoch + 1 < training.epochs) report.epochStart?.(log.epoch + 1, training.epochs, nBatches);
        },
      }, resume);
    } catch (error) {
      await tracker.fail((error as Error).message);
      throw error;
    }
    const rawTestProbs = await engine.predict(ds.test.x, ds.test.n);
    const rawValProbs = await engine.predict(ds.val.x, ds.val.n);
    // Temperature scaling: one T fitted on the validation part, stored in the artifact (predictDirection applies
    // it), so every metric below is of the probabilities users will see. It never changes the top class.
    const calibration = calibrateOnValidation(rawValProbs, rawTestProbs, ds);
    const { valProbs, testProbs } = calibration;
    report.info(
      `Calibration: T = ${calibration.temperature.toFixed(3)}; ECE val ${calibration.ece.valBefore.toFixed(3)} -> ${calibration.ece.valAfter.toFixed(3)}, ` +
        `test ${calibration.ece.testBefore.toFixed(3)} -> ${calibration.ece.testAfter.toFixed(3)}.`,
    );
    const metrics = {
      test: evaluateOnRows(testProbs, ds.test, ds.train.y),
      val: evaluateOnRows(valProbs, ds.val, ds.train.y),
    };
    const dir = artifactDir(opts.artifactsRoot, symbol, opts.horizonDays, modelVersion);
    const files = new Map<string, Uint8Array | string>();
    let modelId: number;
    {
      const metadata = await writeArtifact(
        metadataFromDataset(ds, {
          symbol, modelVersion, dataSource: source, modelConfig, trainingConfig: training, metrics, temperature: calibration.temperature,
          run: { runId: tracker.runId, engine: opts.engine, backend: engine.backend, gitCommit: currentGitCommit(), epochsRun: fit.epochsRun + (resume?.startEpoch ?? 0), bestEpoch: fit.bestEpoch, stoppedEarly: fit.stoppedEarly },
        }),
        [await engine.getWeights()],
        [training.seed],
        async (name, data) => void files.set(name, data),
      );
      await writeArtifactFiles(dir, files);
      modelId = await registerModel(db.orm, {
        symbol, horizonDays: opts.horizonDays, version: modelVersion, location: dir,
        metrics: metrics as unknown as Record<string, unknown>, metadata: metadata as unknown as Record<string, unknown>,
      });
    }
    const t = metrics.test;
    await tracker.finish(
      {
        test_accuracy: t.model.accuracy, test_macro_f1: t.model.macroF1, test_log_loss: t.model.logLoss, test_brier: t.model.brier, test_ece: t.model.ece,
        majority_accuracy: t.majority.accuracy, persistence_accuracy: t.persistence.accuracy, best_val_loss: fit.bestValLoss,
      },
      { modelVersion, test: t },
      dir,
    );
    await clearCheckpoint(checkpointDir);
    return {
      symbol, horizonDays: opts.horizonDays, modelVersion, modelId, artifactDir: dir, runId: tracker.runId, engine: opts.engine, backend: engine.backend,
      dataSource: source, dataRange: ds.dataRange, splitDates: ds.splitDates,
      samples: { train: ds.train.n, val: ds.val.n, test: ds.test.n }, config: { model: modelConfig, training },
      epochsRun: history.length, bestEpoch: fit.bestEpoch, stoppedEarly: fit.stoppedEarly, durationMs: Date.now() - started, metrics,
      calibration: { temperature: calibration.temperature, ece: calibration.ece },
    };
  } finally {
    engine.dispose(); // it holds worker threads: the process would never exit
  }
}

export { DEFAULT_MODEL_CONFIG };
