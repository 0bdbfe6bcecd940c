// The gate packing of the WebGPU engine's LSTM weights: each unit's i, f, g, o columns side by side in one vec4,
// per layer kernel, recurrent kernel and bias, at the offsets the shader is generated with.
import { initWeights, type ModelConfig } from '@coinsphere/model/core';
import { describe, expect, it } from 'vitest';

import { weightSlots } from '../weight-layout.ts';
import { packedFloats, packedLayers, packLstmWeights } from './gpu-weights.ts';

const SMALL: ModelConfig = { windowBars: 5, nFeatures: 3, lstmUnits: [8, 4, 4], denseUnits: 2, nClasses: 3, dropout: 0 };

describe('packLstmWeights', () => {
  it('puts column g·units + j of row k at vec4 (k·units + j), lane g, for every layer tensor', () => {
    const slots = weightSlots(SMALL);
    const flat = new Float32Array(slots.at(-1)!.offset + slots.at(-1)!.size);
    initWeights(SMALL, 4).forEach((w, i) => flat.set(w.values, slots[i]!.offset));
    const out = new Float32Array(packedFloats(SMALL));
    packLstmWeights(SMALL, flat, out);
    packedLayers(SMALL).forEach((layer, l) => {
      const u = SMALL.lstmUnits[l]!;
      for (const [slot, at, rows] of [[l * 3, layer.w, layer.inputs], [l * 3 + 1, layer.r, u], [l * 3 + 2, layer.b, 1]] as const)
        for (let k = 0; k < rows; k++)
          for (let j = 0; j < u; j++)
            for (let g = 0; g < 4; g++) expect(out[4 * (at + k * u + j) + g]).toBe(flat[slots[slot]!.offset + k * 4 * u + g * u + j]);
    });
    const lstmFloats = slots[9]!.offset; // everything before dense_1/kernel
    expect(packedFloats(SMALL)).toBe(lstmFloats);
  });
});
