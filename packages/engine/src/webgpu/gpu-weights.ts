// The LSTM weights as the WebGPU shaders read them: per layer the kernel, recurrent kernel and bias with the four
// gates of a unit side by side in one vec4 (i, f, g, o), so an invocation loads a unit's four columns at once.
// The dense layers keep tfjs's layout. A pure repacking of the flat tfjs-order block (weight-layout.ts).
import type { ModelConfig } from '@coinsphere/model/core';

import { weightSlots } from '../weight-layout.ts';

/** Where one layer's packed tensors start, in vec4s, and its input width. */
export interface PackedLayer {
  /** Kernel [inputs, units] of vec4. */
  w: number;
  /** Recurrent kernel [units, units] of vec4. */
  r: number;
  /** Bias [units] of vec4. */
  b: number;
  inputs: number;
}

/** The three layers' offsets in the packed block. */
export function packedLayers(config: ModelConfig): PackedLayer[] {
  let at = 0;
  let inputs = config.nFeatures;
  return config.lstmUnits.map((u) => {
    const layer = { w: at, r: at + inputs * u, b: at + (inputs + u) * u, inputs };
    at += (inputs + u + 1) * u;
    inputs = u;
    return layer;
  });
}

/** Floats of the packed LSTM block. */
export function packedFloats(config: ModelConfig): number {
  let inputs = config.nFeatures;
  let total = 0;
  for (const u of config.lstmUnits) {
    total += 4 * (inputs + u + 1) * u;
    inputs = u;
  }
  return total;
}

/** Packs the LSTM tensors of `flat` (the tfjs-order block) into `out` ([packedFloats] floats). */
export function packLstmWeights(config: ModelConfig, flat: Float32Array, out: Float32Array): void {
  const slots = weightSlots(config);
  packedLayers(config).forEach((layer, l) => {
    const u = config.lstmUnits[l]!;
    const put = (slotIndex: number, rows: number, at: number) => {
      const src = slots[slotIndex]!.offset; // [rows, 4u], gate columns i | f | g | o
      for (let k = 0; k < rows; k++)
        for (let j = 0; j < u; j++)
          for (let g = 0; g < 4; g++) out[4 * (at + k * u + j) + g] = flat[src + k * 4 * u + g * u + j]!;
    };
    put(l * 3, layer.inputs, layer.w);
    put(l * 3 + 1, u, layer.r);
    put(l * 3 + 2, 1, layer.b);
  });
}
