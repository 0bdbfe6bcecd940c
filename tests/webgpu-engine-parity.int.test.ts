// The WebGPU engine against the fused WebAssembly engine on the same weights and windows: probabilities within
// 1e-4, in Node (Dawn, the `webgpu` package) and in Chromium (navigator.gpu), on whatever adapter there is —
// SwiftShader's Vulkan driver (Debian's chromium package) where there is no GPU, as here and in CI. The WebGPU
// engine's errors are checked on the same real device: a model too wide for its limits, a software adapter
// refused when hardware is required. Skips, saying why, only where no WebGPU adapter can be had.
import { resolve } from 'node:path';
import { createWebGpuLstm, type EngineDevice, requestEngineDevice } from '@coinsphere/engine';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { DEFAULT_MODEL_CONFIG, initWeights, type ModelConfig, type NamedWeight } from '@coinsphere/model/core';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dawnEngineDevice } from '../apps/trainer/src/dawn-gpu.ts';
import { needAdapter, nodeEngineDevice } from './support/dawn-device.ts';
import { REPO_ROOT } from './support/repo-root.ts';
import { HAS_CHROMIUM, launchChromium } from './support/web.ts';
import type { PageAnswer } from './support/webgpu-engine-page.ts';

const TOLERANCE = 1e-4;
const config = DEFAULT_MODEL_CONFIG; // the specification's 90 × 20 → 128-64-32 → 16 → 3
const { windowBars: T, nFeatures: F } = config;

/** Windows [n, T, F] of smooth values in about [-2, 2], different per window. */
function windows(n: number, seed: number): Float32Array {
  return new Float32Array(n * T * F).map((_, i) => 2 * Math.sin(i * 0.173 + seed) * Math.cos(i * 0.0131 * seed));
}

/** Weights 3× the initialiser's: saturating gates, far from the near-uniform 1/3 an untrained head gives. */
function strongWeights(seed: number): NamedWeight[] {
  return initWeights(config, seed).map((w) => ({ ...w, values: w.values.map((v) => v * 3) }));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

async function fusedProbabilities(weights: NamedWeight[], x: Float32Array, n: number): Promise<Float32Array> {
  const fused = await loadFusedLstm(config, 1);
  try {
    fused.setWeights(weights);
    return fused.predict(x, n);
  } finally {
    fused.dispose();
  }
}

describe('the WebGPU engine in Node (Dawn)', () => {
  let gpu: EngineDevice | undefined;
  let startError: unknown;
  beforeAll(async () => void ({ gpu, startError } = await nodeEngineDevice(config)));
  afterAll(() => gpu?.device.destroy());

  it('gives the fused engine\'s probabilities within 1e-4, for one window and for several in chunked, padded dispatches', async (ctx) => {
    needAdapter(ctx, startError);
    // 2 windows a workgroup, 4 a dispatch: 5 windows take two dispatches, the second padded to a whole workgroup
    const engine = await createWebGpuLstm({ config, device: gpu!.device, windowsPerDispatch: 4, windowsPerWorkgroup: 2 });
    for (const [weights, n] of [[initWeights(config, 3), 1], [strongWeights(5), 5]] as const) {
      engine.setWeights(weights);
      const x = windows(n, n);
      const diff = maxAbsDiff(await engine.predict(x, n), await fusedProbabilities(weights, x, n));
      console.log(`Node WebGPU (${gpu!.adapter}) vs fused, ${n} window(s): max |diff| = ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(TOLERANCE);
    }
    expect(engine.getWeights().map((w) => w.values)).toEqual(strongWeights(5).map((w) => w.values));
    engine.dispose();
    const eight = await createWebGpuLstm({ config, device: gpu!.device, windowsPerWorkgroup: 8 }); // what the dashboard uses on SwiftShader
    eight.setWeights(strongWeights(5));
    const x = windows(5, 5);
    expect(maxAbsDiff(await eight.predict(x, 5), await fusedProbabilities(strongWeights(5), x, 5))).toBeLessThanOrEqual(TOLERANCE);
    eight.dispose();
  }, 180_000); // SwiftShader compiles and runs the shaders on the CPU: ~15 s alone, 45 s beside a browser benchmark

  it('refuses bad input, a model too wide for the device, and a software adapter where hardware is required', async (ctx) => {
    needAdapter(ctx, startError);
    const engine = await createWebGpuLstm({ config, device: gpu!.device });
    await expect(engine.predict(windows(1, 1).subarray(4), 1)).rejects.toThrow(/window length and feature count/);
    expect(() => engine.setWeights(initWeights(config, 1).slice(1))).toThrow(/Expected 13 weight tensors/);
    engine.dispose();
    await expect(engine.predict(windows(1, 1), 1)).rejects.toThrow(/disposed/);
    const wide: ModelConfig = { ...config, lstmUnits: [1024, 64, 32] };
    await expect(createWebGpuLstm({ config: wide, device: gpu!.device })).rejects.toThrow(
      /allows maxComputeWorkgroupStorageSize = \d+, but LSTM units 1024-64-32 with window 90 and 4 windows a workgroup need 36096\. Pass windowsPerWorkgroup: 1/,
    );
    await expect(createWebGpuLstm({ config: wide, device: gpu!.device, windowsPerWorkgroup: 1 })).rejects.toThrow(
      /allows maxComputeInvocationsPerWorkgroup = \d+, but LSTM units 1024-64-32 with window 90 need 1120\. Use a model with fewer units/,
    );
    if (gpu!.software) await expect(dawnEngineDevice(config, { requireHardware: true })).rejects.toThrow(/software rasteriser .* Use a machine with a GPU, or the fused engine/);
    await expect(requestEngineDevice(undefined, config)).rejects.toThrow(/WebGPU is not available here/);
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU; // a browser without a usable GPU
    await expect(requestEngineDevice(noAdapter, config)).rejects.toThrow(/offered no adapter.*VK_ICD_FILENAMES/);
  });
});

(HAS_CHROMIUM ? describe : describe.skip)('the WebGPU engine in Chromium (navigator.gpu)', () => {
  let browser: Browser;
  let script: string;
  beforeAll(async () => {
    const [bundle, b] = await Promise.all([
      build({
        configFile: false,
        logLevel: 'warn',
        root: REPO_ROOT,
        build: { write: false, minify: false, lib: { entry: resolve(REPO_ROOT, 'tests/support/webgpu-engine-page.ts'), formats: ['iife'], name: 'webgpuEnginePage' } },
      }),
      launchChromium(),
    ]);
    browser = b;
    const outputs = (Array.isArray(bundle) ? bundle : [bundle]) as Array<{ output: Array<{ type: string; code?: string }> }>;
    script = outputs[0]!.output.find((o) => o.type === 'chunk')!.code!;
  }, 120_000);
  afterAll(() => browser?.close());

  it('gives the fused engine\'s probabilities within 1e-4', async () => {
    const page = await browser.newPage();
    // a localhost page: WebGPU is exposed only to secure contexts
    await page.route('http://localhost/**', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>webgpu engine</title>' }));
    await page.goto('http://localhost/index.html');
    await page.addScriptTag({ content: script });
    const n = 3;
    const weights = strongWeights(9);
    const x = windows(n, 7);
    const answer = await page.evaluate(
      ([c, w, xs, count]) => (globalThis as unknown as { runWebGpuEngine: (...a: unknown[]) => Promise<PageAnswer> }).runWebGpuEngine(c, w, xs, count),
      [config, weights.map((t) => Array.from(t.values)), Array.from(x), n] as const,
    );
    const diff = maxAbsDiff(answer.probabilities, await fusedProbabilities(weights, x, n));
    console.log(`Chromium WebGPU (${answer.adapter}) vs fused, ${n} windows: max |diff| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
    await page.close();
  }, 120_000);
});
