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
} from '@coinsphere/model/core';
import { artifactDir, registrationOf, writeArtifactFiles } from '../artifact-files.ts';
import type { BackendName } from '../backend-names.ts';
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

let lastVersionMs = Number.NEGATIVE_INFINITY;

/** A sortable version stamp, unique in this process: 20261127T091500123Z (milliseconds; a call in the same
 *  millisecond as the last one, or with a clock that went back, gets the millisecond after the last stamp). */
export function makeModelVersion(now = new Date()): string {
  lastVersionMs = Math.max(now.getTime(), lastVersionMs + 1);
  return new Date(lastVersionMs).toISOString().replace(/[-:.]/g, '');
}

/** The run's data: the daily candles of the chosen source, the hourly ones, and the prepared dataset. */
async function loadRunData(db: Database, symbol: string, opts: TrainOptions, report: TrainReporter) {
  const { source, candles } = await readCandles(db, { symbol, interval: '1d', source: opts.source });
  report.info(`Candles: ${symbol} 1d from source "${source}"${opts.source ? '' : ' (the longest history; pick another with --source)'}, ${candles.length} days.`);
  const hourly = await readCandles(db, { symbol, interval: '1h' }).then((r) => r.candles).catch(() => []);
  const ds = prepareDataset(candles, { horizonDays: opts.horizonDays, windowBars: opts.modelConfig.windowBars, hourly });
  report.info(
    `Samples: train ${ds.train.n} (${ds.splitDates.train.start}..${ds.splitDates.train.end}), val ${ds.val.n}, test ${ds.test.n} ` +
      `(${ds.splitDates.test.start}..${ds.splitDates.test.end}); purge gap ${ds.gapDays} days; neutral band ±${(ds.thresholds.upper * 100).toFixed(2)}%.`,
  );
  return { source, candles, ds };
}

type Engine = Awaited<ReturnType<typeof createTrainingEngine>>;
type ResumeFrom = Parameters<Engine['fit']>[3];

/** Where the run starts: a fresh version, or (--resume) the checkpoint's weights, epoch, version and run. */
async function startOrResume(engine: Engine, checkpointDir: string, key: CheckpointKey, resume: boolean, report: TrainReporter) {
  if (!resume) {
    await clearCheckpoint(checkpointDir);
    return { resume: undefined as ResumeFrom, modelVersion: makeModelVersion(), existingRunId: null as number | null, priorHistory: [] as EpochLog[] };
  }
  const ckpt = await loadCheckpoint(checkpointDir, key);
  engine.setWeights(ckpt.latest);
  const from: ResumeFrom = { startEpoch: ckpt.state.epoch + 1, bestEpoch: ckpt.state.bestEpoch, bestValLoss: ckpt.state.bestValLoss, bestWeights: ckpt.best };
  report.info(`Resuming run ${ckpt.state.runId} at epoch ${from!.startEpoch + 1} (best so far: epoch ${ckpt.state.bestEpoch + 1}).`);
  return { resume: from, modelVersion: ckpt.state.modelVersion, existingRunId: ckpt.state.runId as number | null, priorHistory: ckpt.state.history };
}

/** Fits, checkpointing and tracking every epoch; returns the fit and the whole epoch history. */
async function fitWithCheckpoints(
  engine: Engine, ds: PreparedDataset, training: TrainingConfig, run: { key: CheckpointKey; checkpointDir: string; modelVersion: string; tracker: RunTracker; resume: ResumeFrom; priorHistory: EpochLog[] },
  report: TrainReporter,
): Promise<{ fit: FitResult; history: EpochLog[] }> {
  const { key, checkpointDir, modelVersion, tracker, resume } = run;
  const history = [...run.priorHistory];
  let bestWeights = resume?.bestWeights ?? (await engine.getWeights());
  const nBatches = Math.ceil(ds.train.n / training.batchSize);
  try {
    report.epochStart?.(resume?.startEpoch ?? 0, training.epochs, nBatches);
    const fit = await engine.fit(ds, training, {
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
    return { fit, history };
  } catch (error) {
    await tracker.fail((error as Error).message);
    throw error;
  }
}

/** Temperature scaling fitted on validation (stored in the artifact, so every metric is of the probabilities
 *  users will see; it never changes the top class), then the metrics beside the baselines. */
async function calibrateAndScore(engine: Engine, ds: PreparedDataset, report: TrainReporter) {
  const rawTestProbs = await engine.predict(ds.test.x, ds.test.n);
  const rawValProbs = await engine.predict(ds.val.x, ds.val.n);
  const calibration = calibrateOnValidation(rawValProbs, rawTestProbs, ds);
  report.info(
    `Calibration: T = ${calibration.temperature.toFixed(3)}; ECE val ${calibration.ece.valBefore.toFixed(3)} -> ${calibration.ece.valAfter.toFixed(3)}, ` +
      `test ${calibration.ece.testBefore.toFixed(3)} -> ${calibration.ece.testAfter.toFixed(3)}.`,
  );
  const metrics = { test: evaluateOnRows(calibration.testProbs, ds.test, ds.train.y), val: evaluateOnRows(calibration.valProbs, ds.val, ds.train.y) };
  return { calibration, metrics };
}

/** Writes the standard tfjs artifact of the engine's weights and registers it as a candidate; returns its id. */
async function exportAndRegister(
  db: Database, engine: Engine, ds: PreparedDataset, at: { root: string; dir: string },
  meta: Parameters<typeof metadataFromDataset>[1],
  horizonDays: number,
): Promise<number> {
  const files = new Map<string, Uint8Array | string>();
  const metadata = await writeArtifact(metadataFromDataset(ds, meta), [await engine.getWeights()], [meta.trainingConfig.seed], async (name, data) => void files.set(name, data));
  const registration = await registrationOf(at.root, at.dir, files); // before writing: a folder outside the root is refused whole
  await writeArtifactFiles(at.dir, files);
  return registerModel(db.orm, {
    symbol: meta.symbol, horizonDays, version: meta.modelVersion, ...registration,
    metrics: meta.metrics as unknown as Record<string, unknown>, metadata: metadata as unknown as Record<string, unknown>,
  });
}

/** Trains, evaluates, exports and registers one model. */
export async function runTraining(db: Database, opts: TrainOptions, report: TrainReporter): Promise<TrainSummary> {
  const started = Date.now();
  const symbol = opts.symbol.toUpperCase();
  const { source, candles, ds } = await loadRunData(db, symbol, opts, report);
  const modelConfig = opts.modelConfig;
  const training = resolveTrainingConfig(opts.training);
  const engine = await createTrainingEngine(opts.engine, modelConfig, training.seed, { backend: opts.backend, threads: opts.threads });
  try {
    report.info(`Engine: ${engine.detail}.`);
    report.info(`Config: ${JSON.stringify({ model: modelConfig, training })}`);
    const key: CheckpointKey = { symbol, horizonDays: opts.horizonDays, engine: opts.engine, dataSource: source, dataRange: ds.dataRange, modelConfig, trainingConfig: training };
    const checkpointDir = artifactDir(opts.artifactsRoot, symbol, opts.horizonDays, 'checkpoint');
    const { resume, modelVersion, existingRunId, priorHistory } = await startOrResume(engine, checkpointDir, key, opts.resume, report);
    const tracker = await RunTracker.start(db, {
      symbol, horizonDays: opts.horizonDays, engine: opts.engine, backend: engine.backend, config: { model: modelConfig, training }, dataSource: source,
      dataFromMs: candles[0]!.openTimeMs, dataToMs: candles.at(-1)!.openTimeMs, gitCommit: currentGitCommit(), modelVersion,
    }, { mlflowUri: opts.mlflowUri, mlflowExperiment: opts.mlflowExperiment, warn: report.warn, existingRunId, history: priorHistory });
    const { fit, history } = await fitWithCheckpoints(engine, ds, training, { key, checkpointDir, modelVersion, tracker, resume, priorHistory }, report);
    const { calibration, metrics } = await calibrateAndScore(engine, ds, report);
    const dir = artifactDir(opts.artifactsRoot, symbol, opts.horizonDays, modelVersion);
    const modelId = await exportAndRegister(db, engine, ds, { root: opts.artifactsRoot, dir }, {
      symbol, modelVersion, dataSource: source, modelConfig, trainingConfig: training, metrics, temperature: calibration.temperature,
      run: { runId: tracker.runId, engine: opts.engine, backend: engine.backend, gitCommit: currentGitCommit(), epochsRun: fit.epochsRun + (resume?.startEpoch ?? 0), bestEpoch: fit.bestEpoch, stoppedEarly: fit.stoppedEarly },
    }, opts.horizonDays);
    const t = metrics.test;
    await tracker.finish({
      test_accuracy: t.model.accuracy, test_macro_f1: t.model.macroF1, test_log_loss: t.model.logLoss, test_brier: t.model.brier, test_ece: t.model.ece,
      majority_accuracy: t.majority.accuracy, persistence_accuracy: t.persistence.accuracy, best_val_loss: fit.bestValLoss,
    }, { modelVersion, test: t }, dir);
    await clearCheckpoint(checkpointDir);
    return {
      symbol, horizonDays: opts.horizonDays, modelVersion, modelId, artifactDir: dir, runId: tracker.runId, engine: opts.engine, backend: engine.backend,
      dataSource: source, dataRange: ds.dataRange, splitDates: ds.splitDates, samples: { train: ds.train.n, val: ds.val.n, test: ds.test.n },
      config: { model: modelConfig, training }, epochsRun: history.length, bestEpoch: fit.bestEpoch, stoppedEarly: fit.stoppedEarly, durationMs: Date.now() - started,
      metrics, calibration: { temperature: calibration.temperature, ece: calibration.ece },
    };
  } finally {
    engine.dispose(); // it holds worker threads: the process would never exit
  }
}

export { DEFAULT_MODEL_CONFIG };
