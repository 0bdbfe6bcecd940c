// Issue acceptance over the real BTC file in ../shared/data: train 3 epochs with --json, load the artifact with
// plain tfjs (138,691 parameters), and predict with probabilities summing to 1 and the model version.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runInProcess } from '../../../../tests/support/cli.ts';
import { describeWithSharedData, sharedData } from '../../../../tests/support/shared-data.ts';

const cli = (args: string[]) => runInProcess(args); // train and predict have their process smoke tests in train.int.test.ts


describeWithSharedData('train and predict on the real Kaggle BTC file', () => {
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cs-real-'));
    const r = await cli(['ingest', '--db', join(work, 'db'), '--csv', sharedData('kaggle-cryptocurrency-historical-prices', 'coin_Bitcoin.csv')]);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes an artifact plain tfjs loads and predicts from it', async () => {
    const db = join(work, 'db');
    const r = await cli(['train', '--db', db, '--symbol', 'BTC', '--epochs', '3', '--out', join(work, 'artifacts'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { artifactDir: string; modelVersion: string; dataSource: string; samples: { train: number }; metrics: { test: { n: number } } };
    expect(summary.dataSource).toBe('coinmarketcap');
    expect(summary.samples.train).toBeGreaterThan(1500);
    expect(summary.metrics.test.n).toBeGreaterThan(300);
    const modelJson = JSON.parse(readFileSync(join(summary.artifactDir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const weights = readFileSync(join(summary.artifactDir, modelJson.weightsManifest[0]!.paths[0]!));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights, weightData: new Uint8Array(weights).buffer }),
    );
    expect(model.countParams()).toBe(138_691);
    model.dispose();

    const p = await runInProcess(['predict', '--db', db, '--symbol', 'BTC', '--json'], { env: { COINSPHERE_ARTIFACTS: join(work, 'artifacts') } }); // the root train wrote under
    expect(p.code, p.stderr).toBe(0);
    const pred = JSON.parse(p.stdout) as { probabilities: { bearish: number; neutral: number; bullish: number }; modelVersion: string; asOf: string };
    const { bearish, neutral, bullish } = pred.probabilities;
    expect(bearish + neutral + bullish).toBeCloseTo(1, 5);
    expect(pred.modelVersion).toBe(summary.modelVersion);
    expect(pred.asOf).toBe('2021-07-06');
  }, 300_000);
});
