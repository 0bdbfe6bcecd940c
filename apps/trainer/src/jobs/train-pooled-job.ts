// The pooled training job (`coinsphere train --pooled`, and the main job's training step): for each horizon, train
// the served recipe over the universe, write its artifact, register it as a candidate, tracked like every run, and
// put it through the promotion gate for every asset. The CLI, `start` and the job queue call this.
import { readUniverse, registerModel, type Database } from '@coinsphere/data';
import { POOLED_SYMBOL, TooLittleHistoryError, writeArtifact, type PooledRecipe, type Universe } from '@coinsphere/model/core';
import { artifactDir, loadRegisteredArtifact, registrationOf, writeArtifactFiles } from '../artifact-files.ts';
import { currentGitCommit } from '../git-commit.ts';
import { RunTracker } from '../tracking/run-tracker.ts';
import { runPromotionGate, type GateDecision, type GateModel } from '../training/promotion-gate.ts';
import { makeModelVersion } from '../training/run-training.ts';
import { trainPooledModel } from '../training/train-pooled.ts';
import type { ModelRecord } from '@coinsphere/data';

/** Options of trainPooledJob. */
export interface PooledTrainJobOptions {
  horizons: readonly number[];
  recipe: PooledRecipe;
  artifactsRoot: string;
  /** Serve the new model whatever the gate says (and record that it was forced). */
  force: boolean;
  /** Only these symbols of the universe (default all). */
  symbols?: readonly string[];
  threads?: number;
  mlflowUri?: string;
  mlflowExperiment?: string;
}

/** One trained horizon. */
export interface PooledTrainedModel {
  horizonDays: number;
  modelVersion: string;
  artifactDir: string;
  modelId: number;
  samples: { train: number; val: number; gate: number };
  epochs: number[];
  decisions: GateDecision[];
  durationMs: number;
}

/** A loader of registered models' artifacts from under `root` onto fused engines (one thread each), each verified
 *  against the digest registered with it. */
export function loadFusedModel(root: string): (record: ModelRecord) => Promise<GateModel> {
  return async (record) => ({ record, ...(await loadRegisteredArtifact(root, record)) });
}

/** Trains, registers and gates the pooled model of every horizon. */
export async function trainPooledJob(db: Database, opts: PooledTrainJobOptions, log: (line: string) => void): Promise<{ universe: Universe; models: PooledTrainedModel[] }> {
  const universe = await readUniverse(db, { symbols: opts.symbols });
  if (universe.series.length === 0) throw new Error('No daily series to pool. Load candles first: coinsphere ingest --snapshot (the bundled data) or coinsphere ingest --csv <folder>.');
  for (const e of universe.excluded) log(`${e.symbol} (${e.source}) is left out of the pool: ${e.reason} (${e.detail}).`);
  log(`Pool: ${universe.series.map((s) => `${s.symbol} (${s.source})`).join(', ')}.`);
  const models: PooledTrainedModel[] = [];
  for (const horizonDays of opts.horizons) {
    const started = Date.now();
    const modelVersion = makeModelVersion();
    const series = universe.series;
    const tracker = await RunTracker.start(db, {
      symbol: POOLED_SYMBOL, horizonDays, engine: 'fused', backend: 'fused-wasm', modelVersion, gitCommit: currentGitCommit(),
      config: { recipe: { ...opts.recipe, horizonDays } }, dataSource: [...new Set(series.map((s) => s.source))].join(','),
      dataFromMs: Math.min(...series.map((s) => s.candles[0]!.openTimeMs)), dataToMs: Math.max(...series.map((s) => s.candles.at(-1)!.openTimeMs)),
    }, { mlflowUri: opts.mlflowUri, mlflowExperiment: opts.mlflowExperiment, warn: log });
    let trained;
    try {
      trained = await trainPooledModel(series, { horizonDays, recipe: opts.recipe, modelVersion, threads: opts.threads, firstHorizon: opts.horizons[0], run: { runId: tracker.runId, gitCommit: currentGitCommit() } }, log);
    } catch (error) {
      await tracker.fail((error as Error).message);
      if (!(error instanceof TooLittleHistoryError)) throw error;
      log(`Pooled ${horizonDays}d: not trained: ${error.message}`); // the other horizons go on
      continue;
    }
    const dir = artifactDir(opts.artifactsRoot, POOLED_SYMBOL, horizonDays, modelVersion);
    const files = new Map<string, Uint8Array | string>();
    const metadata = await writeArtifact(trained.metadata, trained.members, trained.seeds, async (name, data) => void files.set(name, data));
    const registration = await registrationOf(opts.artifactsRoot, dir, files);
    await writeArtifactFiles(dir, files);
    const metrics = (metadata.metrics ?? {}) as Record<string, unknown>;
    const record = { symbol: POOLED_SYMBOL, scope: 'pooled' as const, horizonDays, version: modelVersion, ...registration, metrics, metadata: metadata as unknown as Record<string, unknown> };
    const modelId = await registerModel(db.orm, record);
    const test = metadata.metrics?.test;
    await tracker.finish(
      test ? { test_accuracy: test.model.accuracy, test_macro_f1: test.model.macroF1, test_brier: test.model.brier, test_ece: test.model.ece, majority_accuracy: test.majority.accuracy, persistence_accuracy: test.persistence.accuracy } : {},
      { modelVersion, samples: trained.samples },
      dir,
    );
    const load = loadFusedModel(opts.artifactsRoot);
    const candidate = await load({ ...record, id: modelId, createdAtMs: Date.now() });
    let decisions: GateDecision[];
    try {
      decisions = await runPromotionGate(db, candidate, { horizonDays, gate: trained.gate, symbols: series.map((s) => s.symbol), force: opts.force, load }, log);
    } finally {
      candidate.dispose();
    }
    models.push({ horizonDays, modelVersion, artifactDir: dir, modelId, samples: trained.samples, epochs: trained.epochs, decisions, durationMs: Date.now() - started });
  }
  if (models.length === 0) throw new Error(`No horizon could be trained (${opts.horizons.join(', ')} days): the assets have too little history. Load more (coinsphere ingest --snapshot).`);
  return { universe, models };
}
