// The training engines behind one face: the fused WebAssembly LSTM (default, fast on a CPU), the tfjs LayersModel
// (the reference; runs on any tfjs backend, GPU included; tfjs-engine.ts, imported only when chosen) and the WGSL
// engine on WebGPU (webgpu-engine.ts, imported only when chosen).
// All start from initWeights(config, seed) and all hand their weights to the same artifact writer
// (@coinsphere/model's writeArtifact, no tfjs in it).
import { loadFusedLstm } from '@coinsphere/engine/node';
import { initWeights, type ModelConfig } from '@coinsphere/model/core';
import type { BackendName } from '../backend-names.ts';
import { fitFused } from './fit-fused.ts';

export { ENGINES, parseEngine, type EngineName, type TrainingEngine } from './training-engine.ts';
import type { EngineName, TrainingEngine } from './training-engine.ts';

/** Creates the engine, initialised from initWeights(config, seed). */
export async function createTrainingEngine(
  name: EngineName,
  config: ModelConfig,
  seed: number,
  opts: { backend?: BackendName; threads?: number } = {},
): Promise<TrainingEngine> {
  if (name === 'fused') {
    const engine = await loadFusedLstm(config, opts.threads);
    engine.setWeights(initWeights(config, seed));
    return {
      name,
      detail: `fused WebAssembly SIMD engine, ${engine.threads} thread${engine.threads > 1 ? 's' : ''}`,
      backend: `fused-wasm-${engine.threads}t`,
      getWeights: async () => engine.getWeights(),
      setWeights: (w) => engine.setWeights(w),
      fit: (data, cfg, callbacks, resume) => fitFused(engine, data, cfg, callbacks, resume),
      predict: async (x, n) => engine.predict(x, n),
      dispose: () => engine.dispose(),
    };
  }
  if (name === 'webgpu') {
    const { createWebGpuTrainingEngine } = await import('./webgpu-engine.ts'); // Dawn loads here only
    return createWebGpuTrainingEngine(config, seed);
  }
  const { createTfjsEngine } = await import('./tfjs-engine.ts'); // tfjs loads here only
  return createTfjsEngine(config, seed, opts.backend ?? 'auto');
}
