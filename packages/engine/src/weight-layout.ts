// The weight tensors of the model as the engine stores them: names, shapes and float offsets in one flat block,
// in the order tfjs's `model.getWeights()` lists them. Must not import tfjs or anything runtime-specific.
import type { ModelConfig } from '@coinsphere/model/core';

/** One weight tensor's place in the flat block. */
export interface WeightSlot {
  name: string;
  shape: number[];
  /** Offset in floats from the start of the block. */
  offset: number;
  size: number;
}

/** Slots in tfjs order: per LSTM layer kernel [in,4u], recurrent_kernel [u,4u], bias [4u]; dense kernels and biases. */
export function weightSlots(config: ModelConfig): WeightSlot[] {
  const slots: WeightSlot[] = [];
  let offset = 0;
  const push = (name: string, shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    slots.push({ name, shape, offset, size });
    offset += size;
  };
  let inputs = config.nFeatures;
  config.lstmUnits.forEach((units, i) => {
    push(`lstm_${i + 1}/kernel`, [inputs, 4 * units]);
    push(`lstm_${i + 1}/recurrent_kernel`, [units, 4 * units]);
    push(`lstm_${i + 1}/bias`, [4 * units]);
    inputs = units;
  });
  push('dense_1/kernel', [inputs, config.denseUnits]);
  push('dense_1/bias', [config.denseUnits]);
  push('direction/kernel', [config.denseUnits, config.nClasses]);
  push('direction/bias', [config.nClasses]);
  return slots;
}

/** Floats in the transposed copies the backward pass reads: WT [4u, in] and RT [4u, u] per LSTM layer. */
export function transposedFloats(config: ModelConfig): number {
  let inputs = config.nFeatures;
  let total = 0;
  for (const units of config.lstmUnits) {
    total += 4 * units * (inputs + units);
    inputs = units;
  }
  return total;
}
