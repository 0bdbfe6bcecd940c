/// <reference types="@webgpu/types" />
// WebGPU in Node: the process's one Dawn instance (the `webgpu` package; a second instance crashes Dawn), shared
// by tfjs's webgpu backend (backends.ts) and our WebGPU engine. Wiring only: the engine takes the GPU object.
import { requestEngineDevice, type EngineDevice, type RequestDeviceOptions } from '@coinsphere/engine';
import type { ModelConfig } from '@coinsphere/model/core';

/** The Vulkan driver file of Debian's chromium package: SwiftShader, WebGPU on the CPU where there is no GPU. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let dawn: Promise<GPU> | undefined;

async function startDawn(): Promise<GPU> {
  const { create, globals } = (await import('webgpu')) as unknown as {
    create: (flags: string[]) => GPU;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, globals); // GPUBufferUsage and friends, which tfjs-backend-webgpu reads as globals
  const gpu = create([]);
  // Node 20 has no navigator; Node 21+ has one without gpu. tfjs-backend-webgpu reads navigator.gpu.
  const g = globalThis as { navigator?: object };
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  else g.navigator = { gpu };
  return gpu;
}

/**
 * Dawn's GPU object, created on first use (VK_ICD_FILENAMES, read by the Vulkan loader then, picks the driver)
 * and installed as navigator.gpu. Throws when the `webgpu` package cannot load.
 */
export function dawnGpu(): Promise<GPU> {
  dawn ??= startDawn();
  return dawn;
}

/** A device for the WebGPU engine through Dawn; the errors of requestEngineDevice (no adapter, limits). */
export async function dawnEngineDevice(config: ModelConfig, options?: RequestDeviceOptions): Promise<EngineDevice> {
  return requestEngineDevice(await dawnGpu(), config, options);
}
