// An artifact's networks on the fused engine: one engine per member with its weights, as runners of the model
// package's one inference path (a FusedLstm predicts synchronously, which is all a runner needs). Runtime-neutral:
// the engine factory is passed in (Node: loadFusedLstm; Workers and the browser: createFusedLstm with the wasm).
import type { ArtifactContents, ModelConfig } from '@coinsphere/model/core';

import type { FusedLstm } from './fused-lstm.ts';

/** The members of `contents` on engines made by `createEngine`; dispose every one when done. */
export async function fusedNetworks(contents: ArtifactContents, createEngine: (config: ModelConfig) => Promise<FusedLstm>): Promise<FusedLstm[]> {
  const engines: FusedLstm[] = [];
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
