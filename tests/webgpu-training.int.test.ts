// Training on the WebGPU engine (WGSL through Dawn, the `webgpu` package) against the fused WebAssembly engine, on
// whatever adapter there is — SwiftShader's Vulkan driver where there is no GPU, as here and in CI: every weight's
// gradient on a batch, the weights after a few Adam steps with dropout (the same masks from the same seeds) and
// weight decay, and `coinsphere train --engine webgpu` end to end: the artifact it writes has the fused run's files
// and weights, and loads and predicts. A tiny config: SwiftShader runs the shaders on the CPU.
// Skips, saying why, only where no WebGPU adapter can be had.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, upsertCandles } from '@coinsphere/data';
import { createWebGpuTrainer, type EngineDevice, type WebGpuTrainer } from '@coinsphere/engine';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { initWeights, makeSyntheticCandles, readArtifact, type ModelConfig, type NamedWeight } from '@coinsphere/model/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactReader } from '../apps/trainer/src/artifact-files.ts';
import { needAdapter, nodeEngineDevice } from './support/dawn-device.ts';
import { runCliHere } from './support/web.ts';

const config: ModelConfig = { windowBars: 12, nFeatures: 7, lstmUnits: [16, 8, 12], denseUnits: 8, nClasses: 3, dropout: 0.2 };
const { windowBars: T, nFeatures: F } = config;
const GRADIENT_TOLERANCE = 1e-3; // relative to the tensor's largest gradient
const WEIGHT_TOLERANCE = 1e-5; // absolute, after the steps below at lr 1e-2 (each step moves a weight up to ~1e-2)

function windows(n: number, seed: number): Float32Array {
  return new Float32Array(n * T * F).map((_, i) => 2 * Math.sin(i * 0.173 + seed) * Math.cos(i * 0.0131 * seed));
}

/** Weights 2× the initialiser's: gates away from their linear middle, so the backward pass's nonlinear terms matter. */
function weights(seed: number): NamedWeight[] {
  return initWeights(config, seed).map((w) => ({ ...w, values: w.values.map((v) => v * 2) }));
}

/** The largest |a - b| of each tensor, over the largest |b|. */
function relativeDiffs(a: NamedWeight[], b: NamedWeight[]): { name: string; diff: number; scale: number }[] {
  expect(a.map((w) => w.name)).toEqual(b.map((w) => w.name));
  return a.map((w, i) => {
    let diff = 0, scale = 0;
    w.values.forEach((v, k) => {
      diff = Math.max(diff, Math.abs(v - b[i]!.values[k]!));
      scale = Math.max(scale, Math.abs(b[i]!.values[k]!));
    });
    return { name: w.name, diff, scale };
  });
}

let gpu: EngineDevice | undefined;
let startError: unknown;
beforeAll(async () => void ({ gpu, startError } = await nodeEngineDevice(config)));
afterAll(() => gpu?.device.destroy());

describe('training on the WebGPU engine', () => {
  let trainer: WebGpuTrainer;
  beforeAll(async () => {
    if (gpu) trainer = await createWebGpuTrainer({ config, device: gpu.device });
  });
  afterAll(() => trainer?.dispose());

  it('gives every weight\'s gradient of the fused engine within 1e-3 of the tensor\'s scale, the same at any windows a workgroup', async (ctx) => {
    needAdapter(ctx, startError);
    const fused = await loadFusedLstm(config, 1);
    try {
      const n = 7, x = windows(n, 2), y = Int32Array.from({ length: n }, (_, i) => (i * 5) % 3);
      trainer.setWeights(weights(3));
      fused.setWeights(weights(3));
      const diffs = relativeDiffs(await trainer.gradients(x, y, n), fused.gradients(x, y, n));
      const worst = Math.max(...diffs.map((d) => d.diff / d.scale));
      console.log(`[webgpu-training] gradients (${gpu!.adapter}): worst relative diff ${worst.toExponential(2)} (${diffs.find((d) => d.diff / d.scale === worst)!.name})`);
      for (const d of diffs) {
        expect(d.scale, d.name).toBeGreaterThan(0); // a zero gradient would pass any comparison
        expect(d.diff / d.scale, d.name).toBeLessThanOrEqual(GRADIENT_TOLERANCE);
      }
      // the same windows give the same gradient again, bit for bit: the reduction has one fixed order
      const again = (await trainer.gradients(x, y, n)).map((w) => Array.from(w.values));
      expect(again).toEqual((await trainer.gradients(x, y, n)).map((w) => Array.from(w.values)));
      // ... and at 4 windows a workgroup (7 windows: the second group padded), the same per-window arithmetic: the same bits
      const grouped = await createWebGpuTrainer({ config, device: gpu!.device, windowsPerWorkgroup: 4 });
      grouped.setWeights(weights(3));
      expect((await grouped.gradients(x, y, n)).map((w) => Array.from(w.values))).toEqual(again);
      grouped.dispose();
    } finally {
      fused.dispose();
    }
  }, 120_000);

  it('takes Adam steps with dropout and weight decay to the fused engine\'s weights, and its losses', async (ctx) => {
    needAdapter(ctx, startError);
    const fused = await loadFusedLstm(config, 1);
    try {
      trainer.setWeights(weights(4));
      fused.setWeights(weights(4));
      const step = { learningRate: 1e-2, weightDecay: 1e-3, epsilon: 1e-8, dropout: 0.3 };
      for (let s = 0; s < 4; s++) {
        const n = 5 + s, x = windows(n, 10 + s), y = Int32Array.from({ length: n }, (_, i) => (i + s) % 3);
        const gpuStep = await trainer.trainBatch(x, y, n, { ...step, seed: 100 + s });
        const fusedLoss = fused.trainBatch(x, y, n, { ...step, seed: 100 + s });
        // with other masks the losses would differ by far more: dropout 0.3 moves them by ~1e-1
        expect(Math.abs(gpuStep.loss - fusedLoss), `step ${s} loss`).toBeLessThan(1e-5);
        const probs = fused.lastTrainProbabilities();
        expect(Math.max(...gpuStep.probabilities.map((p, i) => Math.abs(p - probs[i]!)))).toBeLessThan(1e-5);
      }
      const diffs = relativeDiffs(await trainer.getWeights(), fused.getWeights());
      const worst = Math.max(...diffs.map((d) => d.diff));
      console.log(`[webgpu-training] weights after 4 Adam steps: max |diff| ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(WEIGHT_TOLERANCE);
      // ... and the steps moved them: compared with the start, the weights differ by far more than the tolerance
      const moved = Math.max(...relativeDiffs(await trainer.getWeights(), weights(4)).map((d) => d.diff));
      expect(moved).toBeGreaterThan(1e-2);
    } finally {
      fused.dispose();
    }
  }, 120_000);

  it('evaluates and predicts more windows than one dispatch takes, as the fused engine does', async (ctx) => {
    needAdapter(ctx, startError);
    const fused = await loadFusedLstm(config, 1);
    try {
      const n = 300, x = windows(n, 3), y = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3); // 256 + 44
      trainer.setWeights(weights(6));
      fused.setWeights(weights(6));
      const [ours, ref] = [await trainer.evaluate(x, y, n), fused.evaluate(x, y, n)];
      expect(Math.abs(ours.loss - ref.loss)).toBeLessThan(1e-6);
      expect(Math.max(...ours.probabilities.map((p, i) => Math.abs(p - ref.probabilities[i]!)))).toBeLessThan(1e-5);
      expect(await trainer.predict(x, n)).toEqual(ours.probabilities);
    } finally {
      fused.dispose();
    }
  }, 120_000);

  it('refuses bad input and a model too wide for the device, naming the fix', async (ctx) => {
    needAdapter(ctx, startError);
    await expect(trainer.trainBatch(windows(2, 1).subarray(1), new Int32Array(2), 2)).rejects.toThrow(/window length and feature count/);
    await expect(trainer.trainBatch(windows(2, 1), Int32Array.from([0, 3]), 2)).rejects.toThrow(/labels\[1\] is 3/);
    await expect(trainer.trainBatch(windows(1, 1), new Int32Array(1), 1, { dropout: 1 })).rejects.toThrow(/dropout must be in \[0, 1\)/);
    const wide: ModelConfig = { ...config, lstmUnits: [2048, 8, 8] };
    await expect(createWebGpuTrainer({ config: wide, device: gpu!.device })).rejects.toThrow(/training LSTM units 2048-8-8 needs \d+\. Use a model with fewer units, or train on the fused WebAssembly engine/);
  });
});

describe('coinsphere train --engine webgpu', () => {
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'webgpu-train-'));
    const db = await openDatabase(join(work, 'db'));
    await upsertCandles(db, makeSyntheticCandles(260, 17, { startMs: Date.UTC(2022, 0, 1) }).map((c) => ({ ...c, symbol: 'BTC', interval: '1d' as const, source: 'synthetic' })));
    await db.close();
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes the fused engine\'s artifact: the same files, which load and predict, and the same weights', async (ctx) => {
    needAdapter(ctx, startError);
    const dbDir = join(work, 'db');
    const run = async (engine: string) => {
      const out = join(work, `artifacts-${engine}`);
      const r = await runCliHere(['train', '--db', dbDir, '--symbol', 'BTC', '--engine', engine, '--epochs', '2', '--window', '8', '--json'], { COINSPHERE_ARTIFACTS: out });
      expect(r.code, `train --engine ${engine}: ${r.stderr}`).toBe(0);
      const summary = JSON.parse(r.stdout) as { artifactDir: string; backend: string };
      const p = await runCliHere(['predict', '--db', dbDir, '--symbol', 'BTC', '--horizon', '7', '--model', summary.artifactDir, '--json'], { COINSPHERE_ARTIFACTS: out });
      expect(p.code, `predict: ${p.stderr}`).toBe(0);
      return { summary, files: readdirSync(summary.artifactDir).sort(), answer: JSON.parse(p.stdout) as { probabilities: Record<string, number> } };
    };
    const fused = await run('fused');
    const webgpu = await run('webgpu');
    expect(webgpu.summary.backend).toMatch(/^webgpu-wgsl/);
    expect(webgpu.files).toEqual(fused.files);
    const sum = Object.values(webgpu.answer.probabilities).reduce((a, b) => a + b, 0);
    expect(Object.keys(webgpu.answer.probabilities)).toEqual(Object.keys(fused.answer.probabilities));
    expect(Math.abs(sum - 1)).toBeLessThan(1e-6);
    // the artifacts' networks: the same shuffles, masks and steps from the same initial weights give the same weights
    const [a, b] = await Promise.all([webgpu, fused].map((r) => readArtifact(artifactReader(r.summary.artifactDir))));
    const diff = Math.max(...relativeDiffs(a!.members[0]!, b!.members[0]!).map((d) => d.diff));
    const moved = Math.max(...relativeDiffs(a!.members[0]!, initWeights(b!.metadata.config.model, 42)).map((d) => d.diff));
    console.log(`[webgpu-training] train --engine webgpu vs fused, 2 epochs: artifact weights max |diff| ${diff.toExponential(2)} (moved ${moved.toExponential(2)} from the initial weights)`);
    expect(diff).toBeLessThan(5e-5); // about 1% of how far the 8 steps moved them
    expect(moved).toBeGreaterThan(1e-3);
  }, 300_000);

  it('says what to do when there is no adapter', async (ctx) => {
    needAdapter(ctx, startError);
    // a process of its own: Dawn reads VK_ICD_FILENAMES once per process
    const { runCli } = await import('./support/web.ts');
    const r = await runCli(['train', '--db', join(work, 'db'), '--symbol', 'BTC', '--engine', 'webgpu', '--epochs', '1', '--window', '8'], { VK_ICD_FILENAMES: '/nonexistent/icd.json' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/WebGPU offered no adapter.*VK_ICD_FILENAMES=\/usr\/lib\/chromium\/vk_swiftshader_icd\.json.*--engine fused/s);
  }, 120_000);
});
