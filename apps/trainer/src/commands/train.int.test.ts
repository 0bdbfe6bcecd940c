// The train and predict commands as a user runs them, over a real embedded database (PGlite) holding synthetic
// candles, with MLflow replaced by a local server that speaks its REST API: one real process per command (and the
// one a test kills), the rest in-process.
import { listModelRuns, listModels, openDatabase, upsertCandles } from '@coinsphere/data';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { loadArtifact, makeSyntheticCandles, predictWindows, weightNames } from '@coinsphere/model';
import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN as BIN, runCli, runInProcess } from '../../../../tests/support/cli.ts';
import { REPO_ROOT } from '../../../../tests/support/shared-data.ts';
import { artifactReader } from '../artifact-files.ts';
import { startMlflowTestServer, type MlflowTestServer } from '../tracking/mlflow-test-server.ts';

const cli = runCli;


/** Serves a folder over http so plain tf.loadLayersModel can read it with no code of ours. */
async function serveFolder(dir: string): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!existsSync(path)) return void res.writeHead(404).end();
    res.writeHead(200).end(readFileSync(path));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

describe('coinsphere train and predict', () => {
  let work: string;
  let dbDir: string;
  let mlflow: MlflowTestServer;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cs-train-'));
    dbDir = join(work, 'db');
    const db = await openDatabase(dbDir);
    const daily = makeSyntheticCandles(420, 7).map((c) => ({ ...c, symbol: 'SYN', interval: '1d' as const, source: 'synthetic' }));
    await upsertCandles(db, daily);
    await db.close();
    mlflow = await startMlflowTestServer();
  });
  afterAll(async () => {
    await mlflow.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('trains, tracks the run in the database and MLflow, writes a plain tfjs artifact, and predicts from it', async () => {
    const out = join(work, 'artifacts');
    const r = await cli(['train', '--db', dbDir, '--symbol', 'SYN', '--epochs', '2', '--window', '30', '--out', out, '--json'], {
      MLFLOW_TRACKING_URI: mlflow.url,
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { artifactDir: string; modelVersion: string; epochsRun: number; metrics: { test: { n: number; model: { accuracy: number }; majority: { accuracy: number }; persistence: { accuracy: number } } } };
    expect(summary.epochsRun).toBe(2);
    expect(summary.metrics.test.n).toBeGreaterThan(0);
    for (const k of ['model', 'majority', 'persistence'] as const) expect(summary.metrics.test[k].accuracy).toBeGreaterThanOrEqual(0);
    expect(summary.artifactDir.startsWith(out)).toBe(true);

    const served = await serveFolder(summary.artifactDir);
    try {
      const model = await tf.loadLayersModel(`${served.url}/model.json`);
      expect(model.countParams()).toBe(138_691);
      model.dispose();
    } finally {
      served.close();
    }

    // The artifact the fused engine trained gives the same probabilities in tfjs as in the engine.
    const { models: [model], metadata } = await loadArtifact(artifactReader(summary.artifactDir));
    const engine = await loadFusedLstm(metadata.config.model, 1);
    try {
      const names = weightNames(metadata.config.model);
      engine.setWeights(model!.getWeights().map((t, i) => ({ name: names[i]!, shape: [...t.shape], values: t.dataSync() as Float32Array })));
      const n = 16;
      const x = Float32Array.from({ length: n * 30 * 20 }, (_, i) => Math.sin(i * 0.37) * 2);
      const fromTfjs = await predictWindows(model!, x, n);
      const fromEngine = engine.predict(x, n);
      let maxDiff = 0;
      for (let i = 0; i < fromTfjs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fromTfjs[i]! - fromEngine[i]!));
      expect(maxDiff).toBeLessThan(1e-5);
    } finally {
      engine.dispose();
      model!.dispose();
    }

    const db = await openDatabase(dbDir);
    const runs = await listModelRuns(db.orm, 'SYN');
    const models = await listModels(db.orm);
    await db.close();
    expect(runs[0]!.status).toBe('finished');
    expect(runs[0]!.epochs).toHaveLength(2);
    expect(runs[0]!.artifactDir).toBe(summary.artifactDir);
    expect(runs[0]!.config).toMatchObject({ training: { epochs: 2, batchSize: 32, learningRate: 0.001, patience: 10 } });
    expect(models.map((m) => m.version)).toContain(summary.modelVersion);

    const mlflowRun = [...mlflow.runs.values()][0]!;
    expect(mlflowRun.status).toBe('FINISHED');
    expect(mlflowRun.metrics.filter((m) => m.key === 'valLoss')).toHaveLength(2);
    expect(mlflowRun.params.artifact_dir).toBe(summary.artifactDir);

    const p = await cli(['predict', '--db', dbDir, '--symbol', 'SYN', '--json'], { COINSPHERE_ARTIFACTS: out }); // locations are relative to the root train wrote under
    expect(p.code).toBe(0);
    const pred = JSON.parse(p.stdout) as { probabilities: Record<string, number>; modelVersion: string; class: string; asOf: string };
    const sum = Object.values(pred.probabilities).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 5);
    expect(pred.modelVersion).toBe(summary.modelVersion);
    expect(['bearish', 'neutral', 'bullish']).toContain(pred.class);
  });

  it('resumes a killed run from its last checkpoint, losing at most the epoch in flight', async () => {
    const out = join(work, 'resume');
    const args = ['train', '--db', dbDir, '--symbol', 'SYN', '--epochs', '6', '--patience', '50', '--window', '30', '--out', out, '--quiet'];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, stdio: 'ignore' });
    const state = join(out, 'SYN', '7d', 'checkpoint', 'state.json');
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (existsSync(state) && (JSON.parse(readFileSync(state, 'utf8')) as { epoch: number }).epoch >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const killedAt = (JSON.parse(readFileSync(state, 'utf8')) as { epoch: number; runId: number }).epoch;
    expect(killedAt).toBeGreaterThanOrEqual(1);
    expect(killedAt).toBeLessThan(5);

    const r = await runInProcess([...args.filter((a) => a !== '--quiet'), '--resume', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { epochsRun: number; runId: number };
    expect(summary.epochsRun).toBe(6);
    expect(existsSync(state)).toBe(false); // the checkpoint is cleared once the artifact is written
    const db = await openDatabase(dbDir);
    const run = (await listModelRuns(db.orm, 'SYN')).find((x) => x.id === summary.runId)!;
    await db.close();
    expect(run.status).toBe('finished');
    expect(run.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refuses --resume without a checkpoint, and a symbol no model serves, with one line naming the fix', async () => {
    // Bad flags are refused by the parser before any work: cli/program.test.ts.
    const r = await runInProcess(['train', '--db', dbDir, '--symbol', 'SYN', '--out', join(work, 'none'), '--resume']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/No checkpoint to resume .* Run without --resume/);
    const p = await runInProcess(['predict', '--db', dbDir, '--symbol', 'NOPE']);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('No model serves NOPE at 7 days');
  });
});
