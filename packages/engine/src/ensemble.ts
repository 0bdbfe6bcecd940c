// An artifact's networks on one of our engines (the fused WebAssembly one or the WebGPU one): one engine per
// member with its weights, as runners of the model package's one inference path (predict returns the
// probabilities, synchronously or as a promise, which is all a runner needs). Runtime-neutral: the engine factory
// is passed in (Node: loadFusedLstm; Workers and the browser: createFusedLstm with the wasm, or createWebGpuLstm).
import type { ArtifactContents, ModelConfig, NamedWeight } from '@coinsphere/model/core';

import type { FusedLstm } from './fused-lstm.ts';

/** What fusedNetworks needs of an engine: weights in tfjs order and a way to free it. */
export interface NetworkEngine {
  setWeights(weights: readonly NamedWeight[] | readonly Float32Array[]): void;
  dispose(): void;
}

/** The members of `contents` on engines made by `createEngine`; dispose every one when done. */
export async function fusedNetworks<E extends NetworkEngine = FusedLstm>(contents: ArtifactContents, createEngine: (config: ModelConfig) => Promise<E>): Promise<E[]> {
  const engines: E[] = [];
  try {
    for (const weights of contents.members) {
      const engine = await createEngine(contents.metadata.config.model);
      engines.push(engine);
      engine.setWeights(weights); // checks count, shapes and finiteness against the config
    }
    return engines;
  } catch (error) {
    for (const e of engines) e.dispose();
    throw error;
  }
}
