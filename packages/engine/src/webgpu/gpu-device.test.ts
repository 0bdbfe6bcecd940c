// The limits the WebGPU engine needs and the errors when a device's are too small: each names the limit, what
// the device allows, what the model needs and what to do. Plain limit objects stand in for a device's.
import { DEFAULT_MODEL_CONFIG } from '@coinsphere/model/core';
import { describe, expect, it } from 'vitest';

import { checkLimits, requiredLimits } from './gpu-device.ts';

/** WebGPU's guaranteed minimums (the spec's defaults). */
const DEFAULTS = { maxComputeWorkgroupStorageSize: 16384, maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupSizeX: 256, maxStorageBufferBindingSize: 134217728 } as unknown as GPUSupportedLimits;

describe('checkLimits', () => {
  it('passes the specification\'s model on the guaranteed minimum limits', () => {
    expect(requiredLimits(DEFAULT_MODEL_CONFIG)).toEqual({
      maxComputeWorkgroupStorageSize: 4 * 4 * (2 * (128 + 64 + 32) + 16), // per window of 4: h of each layer, twice, and the dense activations
      maxComputeInvocationsPerWorkgroup: 224, // one per unit of the three layers
      maxComputeWorkgroupSizeX: 224,
      maxStorageBufferBindingSize: 4 * 138_112, // the packed LSTM weights
    });
    expect(() => checkLimits(DEFAULT_MODEL_CONFIG, DEFAULTS, 'device')).not.toThrow();
  });

  it('names the limit that is too small, the value needed and what to do', () => {
    const wide = { ...DEFAULT_MODEL_CONFIG, lstmUnits: [2048, 64, 32] as const, denseUnits: 16 };
    expect(() => checkLimits(wide, { ...DEFAULTS, maxComputeInvocationsPerWorkgroup: 4096, maxComputeWorkgroupSizeX: 4096 }, 'device', 1)).toThrow(
      'The WebGPU device allows maxComputeWorkgroupStorageSize = 16384, but LSTM units 2048-64-32 with window 90 need 17216. Use a model with fewer units or a shorter window, or run it on the fused WebAssembly engine.',
    );
    expect(() => checkLimits(DEFAULT_MODEL_CONFIG, { ...DEFAULTS, maxComputeWorkgroupStorageSize: 8192 }, 'device', 8)).toThrow(
      'The WebGPU device allows maxComputeWorkgroupStorageSize = 8192, but LSTM units 128-64-32 with window 90 and 8 windows a workgroup need 14848. Pass windowsPerWorkgroup: 1, use a model',
    );
    expect(() => checkLimits(DEFAULT_MODEL_CONFIG, { ...DEFAULTS, maxStorageBufferBindingSize: 65536 }, 'adapter (x)')).toThrow(/adapter \(x\) allows maxStorageBufferBindingSize = 65536, .* need 552448/);
  });
});
