// The checks both engines (fused WebAssembly and WebGPU) make at their boundary: the config they support, the
// windows and labels of a call, and the weights in tfjs order. Runtime-neutral; imports nothing runtime-specific.
import type { ModelConfig, NamedWeight } from '@coinsphere/model/core';

import type { WeightSlot } from './weight-layout.ts';

/**
 * Refuses a config the engines cannot run: LSTM units not positive multiples of 4 (SIMD lanes), or a window
 * length, feature count, dense width or class count that is not a positive integer.
 */
export function checkEngineConfig(config: ModelConfig): void {
  for (const u of config.lstmUnits)
    if (!Number.isInteger(u) || u <= 0 || u % 4 !== 0)
      throw new Error(`LSTM units must be positive multiples of 4 for the fused engine; got ${config.lstmUnits.join(', ')}.`);
  for (const [k, v] of Object.entries({ windowBars: config.windowBars, nFeatures: config.nFeatures, denseUnits: config.denseUnits, nClasses: config.nClasses }))
    if (!Number.isInteger(v) || v <= 0) throw new Error(`config.${k} must be a positive integer; got ${v}.`);
}

/**
 * Refuses windows x [n, windowBars, nFeatures] (and labels [n], when given) of the wrong size, with a non-finite
 * value (naming window, bar and feature) or a label outside 0..nClasses-1.
 */
export function checkEngineInputs(config: ModelConfig, x: Float32Array, labels: Int32Array | null, n: number): void {
  const { windowBars: T, nFeatures: F, nClasses: C } = config;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Batch size n must be a positive integer; got ${n}.`);
  if (!(x instanceof Float32Array)) throw new Error('x must be a Float32Array [n, windowBars, nFeatures].');
  if (x.length !== n * T * F)
    throw new Error(`x has ${x.length} values; expected n × windowBars × nFeatures = ${n} × ${T} × ${F} = ${n * T * F}. Check the window length and feature count.`);
  for (let i = 0; i < x.length; i++)
    if (!Number.isFinite(x[i]))
      throw new Error(`x[${i}] (window ${Math.floor(i / (T * F))}, bar ${Math.floor(i / F) % T}, feature ${i % F}) is ${x[i]}; inputs must be finite.`);
  if (labels) {
    if (labels.length !== n) throw new Error(`labels has ${labels.length} entries; expected n = ${n}.`);
    for (let i = 0; i < n; i++)
      if (!Number.isInteger(labels[i]) || labels[i]! < 0 || labels[i]! >= C)
        throw new Error(`labels[${i}] is ${labels[i]}; expected a class index in 0..${C - 1}.`);
  }
}

/**
 * Checks weights (NamedWeight[] or bare Float32Array[] in tfjs order) against `slots` — count, shapes, sizes,
 * finiteness — and hands each slot's values to `put`. Nothing is put unless every tensor passes.
 */
export function checkWeights(
  slots: readonly WeightSlot[],
  weights: readonly NamedWeight[] | readonly Float32Array[],
  put: (slot: WeightSlot, values: Float32Array) => void,
): void {
  if (weights.length !== slots.length)
    throw new Error(`Expected ${slots.length} weight tensors in tfjs order; got ${weights.length}.`);
  const checked = slots.map((slot, i) => {
    const w = weights[i]!;
    const values = w instanceof Float32Array ? w : w.values;
    if (!(w instanceof Float32Array) && w.shape.join(',') !== slot.shape.join(','))
      throw new Error(`Weight ${i} (${slot.name}) has shape [${w.shape}]; expected [${slot.shape}].`);
    if (values.length !== slot.size)
      throw new Error(`Weight ${i} (${slot.name}) has ${values.length} values; expected ${slot.size}.`);
    for (let k = 0; k < values.length; k++)
      if (!Number.isFinite(values[k])) throw new Error(`Weight ${slot.name}[${k}] is ${values[k]}; weights must be finite.`);
    return values;
  });
  slots.forEach((slot, i) => put(slot, checked[i]!));
}
