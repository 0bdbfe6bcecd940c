// The WGSL training engine (@coinsphere/engine's WebGPU trainer, on Dawn in Node) behind engines.ts's
// TrainingEngine, as a stepper of the shared training loop (fit-loop.ts): the same shuffles, dropout seeds, early
// stopping and EpochLog as the fused engine (fit-fused.ts), the best epoch's weights kept as a copy on the GPU.
// Imported by createTrainingEngine only when --engine webgpu is asked for.
import { createWebGpuTrainer, trainWorkgroupBytes, type GpuSnapshot, type WebGpuTrainer } from '@coinsphere/engine';
import {
  initWeights,
  resolveTrainingConfig,
  runEpochs,
  type EpochStepper,
  type FitCallbacks,
  type FitResult,
  type ModelConfig,
  type NamedWeight,
  type ResumeState,
  type TrainingConfig,
  type TrainingPart,
} from '@coinsphere/model/core';
import { dawnEngineDevice } from '../dawn-gpu.ts';
import { countHits, stepOptions } from './fit-fused.ts';
import type { TrainingEngine } from './training-engine.ts';

/**
 * Trains `trainer` on `data.train`, early-stopping on `data.val` loss; the trainer holds the best epoch's weights
 * afterwards. Training loss and accuracy come from each batch's own forward pass, with dropout, before its step.
 */
export async function fitWebGpu(
  trainer: WebGpuTrainer,
  data: { train: TrainingPart; val: TrainingPart },
  config: Partial<TrainingConfig> = {},
  callbacks: FitCallbacks = {},
  resume?: ResumeState & { bestWeights?: NamedWeight[] },
): Promise<FitResult> {
  const cfg = resolveTrainingConfig(config);
  const { windowBars, nFeatures, nClasses } = trainer.config;
  const { val } = data;
  const size = windowBars * nFeatures;
  const stepper: EpochStepper<GpuSnapshot> = {
    trainBatch: async (xb, yb, n, rng) => {
      const { loss, probabilities } = await trainer.trainBatch(xb.subarray(0, n * size), yb.subarray(0, n), n, {
        ...stepOptions(cfg, rng),
      });
      return { loss, hits: countHits(probabilities, yb.subarray(0, n), nClasses) };
    },
    validate: async () => {
      const v = await trainer.evaluate(val.x, val.y, val.n);
      return { loss: v.loss, acc: countHits(v.probabilities, val.y, nClasses) / val.n };
    },
    snapshot: () => trainer.snapshot(),
    restore: (s) => trainer.restore(s),
    release: (s) => trainer.release(s),
  };
  let best: GpuSnapshot | undefined;
  if (resume?.bestWeights) {
    // the checkpoint's best as a GPU copy; the current weights are put back (Adam restarts, as after setWeights)
    const current = trainer.snapshot();
    trainer.setWeights(resume.bestWeights);
    best = trainer.snapshot();
    trainer.restore(current);
    trainer.release(current);
  }
  return runEpochs(stepper, data.train, size, cfg, callbacks, resume && { ...resume, best });
}

/** The WGSL engine on Dawn's adapter (VK_ICD_FILENAMES picks the driver), initialised from initWeights(config, seed). */
export async function createWebGpuTrainingEngine(config: ModelConfig, seed: number): Promise<TrainingEngine> {
  const gpu = await dawnEngineDevice(config).catch((cause: unknown) => {
    throw new Error(`--engine webgpu: ${cause instanceof Error ? cause.message : String(cause)} (--engine fused trains on the CPU.)`, { cause });
  });
  let trainer: WebGpuTrainer;
  try {
    // a software adapter runs workgroups on the CPU: 4 windows a workgroup share each weight load (1.2-1.7x there);
    // a GPU keeps one window a workgroup, for more workgroups at small batches
    const windowsPerWorkgroup = gpu.software && trainWorkgroupBytes(config, 4) <= gpu.device.limits.maxComputeWorkgroupStorageSize ? 4 : 1;
    trainer = await createWebGpuTrainer({ config, device: gpu.device, windowsPerWorkgroup });
  } catch (error) {
    gpu.device.destroy();
    throw error;
  }
  trainer.setWeights(initWeights(config, seed));
  return {
    name: 'webgpu',
    detail: `WebGPU engine (WGSL) on ${gpu.adapter}${gpu.software ? ', a software adapter: correct, but slower than the fused engine' : ''}`,
    backend: gpu.software ? 'webgpu-wgsl-software' : 'webgpu-wgsl',
    getWeights: () => trainer.getWeights(),
    setWeights: (w) => trainer.setWeights(w),
    fit: (data, cfg, callbacks, resume) => fitWebGpu(trainer, data, cfg, callbacks, resume),
    predict: (x, n) => trainer.predict(x, n),
    dispose: () => {
      trainer.dispose();
      gpu.device.destroy();
    },
  };
}
