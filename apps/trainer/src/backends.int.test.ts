// The tfjs backends the trainer can run on, in this process: wasm always; webgpu through Dawn on the
// SwiftShader Vulkan driver that Debian's chromium package ships (a software GPU: slow, so one tiny model).
import { buildModel, predictWindows, resolveTrainingConfig, type ModelConfig } from '@coinsphere/model';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBackend, selectBackend } from './backends.ts';
import { createTrainingEngine } from './training/engines.ts';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const HAS_SWIFTSHADER = existsSync(SWIFTSHADER_ICD) && existsSync('/usr/lib/x86_64-linux-gnu/libvulkan.so.1');
if (!HAS_SWIFTSHADER) console.warn(`[skip] webgpu backend test: needs ${SWIFTSHADER_ICD} and libvulkan1 (apt-get install chromium libvulkan1).`);
const TINY: ModelConfig = { windowBars: 6, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };

async function probabilitiesOn(backend: 'cpu' | 'wasm' | 'webgpu'): Promise<Float32Array> {
  const choice = await selectBackend(backend);
  expect(tf.getBackend()).toBe(choice.tfBackend);
  const model = buildModel(TINY, 3);
  const x = Float32Array.from({ length: 2 * 6 * 20 }, (_, i) => Math.sin(i));
  const before = tf.memory().numTensors;
  const p = await predictWindows(model, x, 2);
  expect(tf.memory().numTensors).toBe(before);
  model.dispose();
  return p;
}

describe('tfjs backends', () => {
  it('keeps tfjs quiet in any process that runs it through the trainer, not only the CLI (no tfjs-node banner)', () => {
    expect(tf.env().getBool('PROD')).toBe(true); // this test worker never ran main.ts
  });

  it('refuses an unknown backend, listing the allowed ones', () => {
    expect(() => parseBackend('cuda')).toThrow('Unsupported backend "cuda". Should be one of: auto, node-gpu, node, webgpu, wasm, cpu.');
  });

  it('explains how to install a native backend that is missing', async () => {
    await expect(selectBackend('node-gpu')).rejects.toThrow(/npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/);
  });

  it('gives the cpu backend\'s probabilities on wasm', async () => {
    const cpu = await probabilitiesOn('cpu');
    const wasm = await probabilitiesOn('wasm');
    for (let i = 0; i < cpu.length; i++) expect(wasm[i]).toBeCloseTo(cpu[i]!, 5);
  });

  it.skipIf(!HAS_SWIFTSHADER)('gives the same probabilities on webgpu through Dawn and SwiftShader', async () => {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD; // read by the Vulkan loader when Dawn creates its instance
    const cpu = await probabilitiesOn('cpu');
    const gpu = await probabilitiesOn('webgpu');
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(gpu[i]! - cpu[i]!)).toBeLessThan(1e-3);
  }, 180_000);

  // On a real GPU (an H200, BENCHMARKS.md) a synchronous read of a webgpu tensor throws in Node ("OffscreenCanvas
  // is not defined"), so the training loop and the weight snapshots must read back asynchronously.
  it.skipIf(!HAS_SWIFTSHADER)('trains on webgpu and reads the weights back (no synchronous reads)', async () => {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    const engine = await createTrainingEngine('tfjs', TINY, 5, { backend: 'webgpu' });
    try {
      expect(tf.getBackend()).toBe('webgpu');
      const before = await engine.getWeights();
      const x = Float32Array.from({ length: 6 * 6 * 20 }, (_, i) => Math.sin(i * 0.3));
      const part = (from: number, n: number) => ({ x: x.subarray(from * 120, (from + n) * 120), y: Int32Array.from({ length: n }, (_, i) => (from + i) % 3), n });
      const fit = await engine.fit({ train: part(0, 4), val: part(4, 2) }, { ...resolveTrainingConfig({ epochs: 1, batchSize: 2 }) }, {});
      expect(fit.epochsRun).toBe(1);
      expect(Number.isFinite(fit.history[0]!.loss)).toBe(true);
      const after = await engine.getWeights();
      const moved = after.some((w, i) => w.values.some((v, j) => v !== before[i]!.values[j]));
      expect(moved).toBe(true);
    } finally {
      engine.dispose();
    }
  }, 300_000);
});
