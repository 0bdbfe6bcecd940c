/// <reference types="@webgpu/types" />
// Getting a GPUDevice fit for the WebGPU engine from a GPU object (navigator.gpu in a browser; Dawn's in Node,
// passed in), and the limits the model needs, with errors that say what to do when there is no adapter, the
// adapter is software or a limit is too small. Runtime-neutral: the GPU object is the caller's.
import type { ModelConfig } from '@coinsphere/model/core';

import { forwardWorkgroupBytes, forwardWorkgroupSize } from './forward-wgsl.ts';
import { packedFloats } from './gpu-weights.ts';

/** A device for the engine and what it runs on. */
export interface EngineDevice {
  device: GPUDevice;
  /** Vendor / architecture / description of the adapter, as far as it says. */
  adapter: string;
  /** True for a software rasteriser (SwiftShader, llvmpipe, a fallback adapter): correct but CPU-bound. */
  software: boolean;
}

/** Options of {@link requestEngineDevice}. */
export interface RequestDeviceOptions {
  /** Refuse a software adapter (default false: SwiftShader is accepted, as the tests and CI need). */
  requireHardware?: boolean;
  /** Passed to requestAdapter (default 'high-performance'). */
  powerPreference?: GPUPowerPreference;
}

/** The limits the engine needs for `config` at `windowsPerGroup` windows a workgroup, with the value each must reach. */
export function requiredLimits(config: ModelConfig, windowsPerGroup = 4): Record<'maxComputeWorkgroupStorageSize' | 'maxComputeInvocationsPerWorkgroup' | 'maxComputeWorkgroupSizeX' | 'maxStorageBufferBindingSize', number> {
  const invocations = forwardWorkgroupSize(config, windowsPerGroup);
  return {
    maxComputeWorkgroupStorageSize: forwardWorkgroupBytes(config, windowsPerGroup),
    maxComputeInvocationsPerWorkgroup: invocations,
    maxComputeWorkgroupSizeX: invocations,
    // the packed LSTM weights, and one window, must fit one binding
    maxStorageBufferBindingSize: 4 * Math.max(packedFloats(config), config.windowBars * config.nFeatures),
  };
}

/**
 * Throws naming the first limit of `limits` (an adapter's or a device's) below what `config` needs, with the
 * value needed and what to do.
 */
export function checkLimits(config: ModelConfig, limits: GPUSupportedLimits, of: string, windowsPerGroup = 4): void {
  for (const [name, need] of Object.entries(requiredLimits(config, windowsPerGroup))) {
    const have = limits[name as keyof GPUSupportedLimits] as number;
    if (have < need)
      throw new Error(
        `The WebGPU ${of} allows ${name} = ${have}, but LSTM units ${config.lstmUnits.join('-')} with window ${config.windowBars}` +
          `${windowsPerGroup > 1 ? ` and ${windowsPerGroup} windows a workgroup` : ''} need ${need}. ` +
          `${windowsPerGroup > 1 ? 'Pass windowsPerWorkgroup: 1, use' : 'Use'} a model with fewer units or a shorter window, or run it on the fused WebAssembly engine.`,
      );
  }
}

/** Describes an adapter; flags SwiftShader, llvmpipe and fallback adapters as software. */
export function describeAdapter(adapter: GPUAdapter): { adapter: string; software: boolean } {
  const info = adapter.info;
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ') || 'unknown adapter';
  const fallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true || (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { adapter: name, software: fallback || /swiftshader|llvmpipe|lavapipe|software/i.test(name) };
}

/**
 * Asks `gpu` for an adapter and a device with the limits `config` needs (raised above the defaults where the
 * adapter allows). Throws with what to do when there is no GPU object or adapter, when the adapter is software
 * and `requireHardware` is set, or when the adapter's limits are too small for the model.
 */
export async function requestEngineDevice(gpu: GPU | undefined, config: ModelConfig, options: RequestDeviceOptions = {}): Promise<EngineDevice> {
  if (!gpu)
    throw new Error('WebGPU is not available here (no navigator.gpu). In a browser, use one with WebGPU on (Chrome 113+); in Node, get a GPU from the `webgpu` package (Dawn); or use the fused WebAssembly engine.');
  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  if (!adapter)
    throw new Error(
      'WebGPU offered no adapter (no usable GPU or driver). Install the GPU\'s Vulkan driver; on a machine without a GPU, ' +
        'SwiftShader works (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json for Dawn in Node); or use the fused WebAssembly engine.',
    );
  const { adapter: name, software } = describeAdapter(adapter);
  if (software && options.requireHardware)
    throw new Error(`The WebGPU adapter is a software rasteriser (${name}): it runs on the CPU, slower than the fused WebAssembly engine. Use a machine with a GPU, or the fused engine.`);
  checkLimits(config, adapter.limits, `adapter (${name})`);
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      ...requiredLimits(config),
      // large batches in few dispatches: up to 1 GiB per buffer where the adapter allows it
      maxStorageBufferBindingSize: Math.min(limits.maxStorageBufferBindingSize, 2 ** 30),
      maxBufferSize: Math.min(limits.maxBufferSize, 2 ** 30),
    },
  });
  return { device, adapter: name, software };
}
