// What a training engine is, whichever holds the model (engines.ts makes the fused one, tfjs-engine.ts the tfjs one,
// webgpu-engine.ts the WGSL one),
// and the names --engine accepts. Apart from both so that neither imports the other.
import type { FitCallbacks, FitResult, NamedWeight, ResumeState, TrainingConfig, TrainingPart } from '@coinsphere/model/core';

export const ENGINES = ['fused', 'tfjs', 'webgpu'] as const;
export type EngineName = (typeof ENGINES)[number];

/** Parses --engine or throws listing the allowed names. */
export function parseEngine(value: string): EngineName {
  if ((ENGINES as readonly string[]).includes(value)) return value as EngineName;
  throw new Error(`Unsupported engine "${value}". Should be one of: ${ENGINES.join(', ')}.`);
}

/** A model being trained, whichever engine holds it. */
export interface TrainingEngine {
  name: EngineName;
  /** Where it runs, e.g. "fused WebAssembly SIMD, 2 threads" or "tfjs wasm". */
  detail: string;
  /** Short backend label stored with the run. */
  backend: string;
  /** Asynchronous: a GPU backend reads its buffers back only asynchronously in Node. */
  getWeights(): Promise<NamedWeight[]>;
  setWeights(weights: readonly NamedWeight[]): void;
  fit(
    data: { train: TrainingPart; val: TrainingPart },
    config: TrainingConfig,
    callbacks: FitCallbacks,
    resume?: ResumeState & { bestWeights?: NamedWeight[] },
  ): Promise<FitResult>;
  /** Probabilities [n, 3] for windows [n, windowBars, nFeatures], no dropout. */
  predict(x: Float32Array, n: number): Promise<Float32Array>;
  dispose(): void;
}
