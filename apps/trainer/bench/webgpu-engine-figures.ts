// Our WebGPU engine's figures for the benchmarks (`npm run bench:gpu`, `bench:webgpu-train`): training samples/s
// (webgpuTrainFigures); the median time of one window and of 256
// windows (at 1, 2, 4 and 8 windows a workgroup) after warm-up calls (shader compilation stays out), and its probabilities' parity with the fused engine
// on the same weights and windows. Through the process's one Dawn instance (dawn-gpu.ts), on its adapter.
import { createWebGpuLstm, createWebGpuTrainer, type WebGpuLstm } from '@coinsphere/engine';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { DEFAULT_MODEL_CONFIG, initWeights } from '@coinsphere/model/core';
import { median, randomData } from '../src/commands/bench-runtimes.ts';
import { dawnEngineDevice } from '../src/dawn-gpu.ts';

/** What webgpuEngineFigures measures. */
export interface WebGpuEngineFigures {
  adapter: string;
  software: boolean;
  predict1Ms: number;
  /** 256 windows at the engine's default windows per workgroup (4). */
  predict256Ms: number;
  /** 256 windows at 1, 2, 4 and 8 windows per workgroup: which suits this adapter. */
  predict256MsByGroup: Record<number, number>;
  /** max |ours - fused| over 8 windows. */
  parity: number;
}

/** Times our engine on Dawn's adapter; `requireHardware` refuses a software one. Reps: 50 single windows, 10 batches (fewer on software). */
export async function webgpuEngineFigures(requireHardware: boolean): Promise<WebGpuEngineFigures> {
  const cfg = DEFAULT_MODEL_CONFIG;
  const { device, adapter, software } = await dawnEngineDevice(cfg, { requireHardware });
  const engine = await createWebGpuLstm({ config: cfg, device });
  try {
    const weights = initWeights(cfg, 42);
    engine.setWeights(weights);
    const { x } = randomData(256, 2);
    const time = async (e: WebGpuLstm, n: number, reps: number) => {
      const xn = x.subarray(0, n * cfg.windowBars * cfg.nFeatures);
      for (let i = 0; i < 2; i++) await e.predict(xn, n);
      const ms: number[] = [];
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        await e.predict(xn, n);
        ms.push(performance.now() - t0);
      }
      return median(ms);
    };
    const fused = await loadFusedLstm(cfg, 1);
    fused.setWeights(weights);
    const x8 = x.subarray(0, 8 * cfg.windowBars * cfg.nFeatures);
    const ref = fused.predict(x8, 8);
    fused.dispose();
    const parity = (await engine.predict(x8, 8)).reduce((m, v, i) => Math.max(m, Math.abs(v - ref[i]!)), 0);
    const predict1Ms = await time(engine, 1, software ? 5 : 50);
    const predict256MsByGroup: Record<number, number> = {};
    for (const group of [1, 2, 4, 8]) {
      const grouped = await createWebGpuLstm({ config: cfg, device, windowsPerWorkgroup: group });
      grouped.setWeights(weights);
      predict256MsByGroup[group] = await time(grouped, 256, software ? 1 : 10);
      grouped.dispose();
    }
    return { adapter, software, parity, predict1Ms, predict256Ms: predict256MsByGroup[4]!, predict256MsByGroup };
  } finally {
    engine.dispose();
    device.destroy();
  }
}

/** What webgpuTrainFigures measures. */
export interface WebGpuTrainFigures {
  adapter: string;
  software: boolean;
  /** Training samples/s by batch size: whole Adam steps (window, gradient and Adam passes, the loss read back). */
  samplesPerSecond: Record<number, number>;
  /** Steps timed per batch size. */
  steps: Record<number, number>;
  /** |our first step's loss - the fused engine's| from the same weights, batch and dropout seed. */
  lossParity: number;
}

/**
 * Times training steps of our WebGPU trainer on the specification's model at each batch size in `batches`: one
 * warm-up step (pipeline creation and the first buffers stay out), then steps until `minSteps` and `budgetMs`.
 * `requireHardware` refuses a software adapter.
 */
export async function webgpuTrainFigures(requireHardware: boolean, batches: number[], opts: { minSteps?: number; budgetMs?: number; windowsPerWorkgroup?: number } = {}): Promise<WebGpuTrainFigures> {
  const cfg = DEFAULT_MODEL_CONFIG;
  const { device, adapter, software } = await dawnEngineDevice(cfg, { requireHardware });
  const trainer = await createWebGpuTrainer({ config: cfg, device, windowsPerWorkgroup: opts.windowsPerWorkgroup });
  try {
    const weights = initWeights(cfg, 42);
    const largest = Math.max(...batches);
    const { x, labels } = randomData(largest, 1);
    const size = cfg.windowBars * cfg.nFeatures;
    const fused = await loadFusedLstm(cfg, 1);
    fused.setWeights(weights);
    trainer.setWeights(weights);
    const n0 = Math.min(8, largest);
    const lossParity = Math.abs((await trainer.trainBatch(x.subarray(0, n0 * size), labels.subarray(0, n0), n0, { seed: 5 })).loss
      - fused.trainBatch(x.subarray(0, n0 * size), labels.subarray(0, n0), n0, { seed: 5 }));
    fused.dispose();
    const samplesPerSecond: Record<number, number> = {};
    const steps: Record<number, number> = {};
    for (const batch of batches) {
      const xb = x.subarray(0, batch * size), yb = labels.subarray(0, batch);
      await trainer.trainBatch(xb, yb, batch, { seed: 0 });
      let done = 0;
      const t0 = performance.now();
      while (done < (opts.minSteps ?? 5) || performance.now() - t0 < (opts.budgetMs ?? 2000)) await trainer.trainBatch(xb, yb, batch, { seed: ++done });
      samplesPerSecond[batch] = (done * batch) / ((performance.now() - t0) / 1000);
      steps[batch] = done;
    }
    return { adapter, software, samplesPerSecond, steps, lossParity };
  } finally {
    trainer.dispose();
    device.destroy();
  }
}
