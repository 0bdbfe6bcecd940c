// The Node WebGPU device the engine tests run on (Dawn, the `webgpu` package): SwiftShader's Vulkan driver unless the
// caller chose one, and the one rule for skipping, saying why, where no adapter can be had (only where that driver
// is not installed). Does not import vitest's runner: each file calls these in its own hooks.
import type { EngineDevice } from '@coinsphere/engine';
import type { ModelConfig } from '@coinsphere/model/core';
import { existsSync } from 'node:fs';
import type { TestContext } from 'vitest';
import { dawnEngineDevice, SWIFTSHADER_ICD } from '../../apps/trainer/src/dawn-gpu.ts';

/** A device for `config`, or the error that kept one from being had (for needAdapter in each test). */
export async function nodeEngineDevice(config: ModelConfig): Promise<{ gpu?: EngineDevice; startError?: unknown }> {
  // read by the Vulkan loader when Dawn creates its instance
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  try {
    return { gpu: await dawnEngineDevice(config) };
  } catch (error) {
    return { startError: error };
  }
}

/** Skips the test, saying why, where no adapter can be had: only where SwiftShader's driver is not installed. */
export function needAdapter(ctx: TestContext, error: unknown): void {
  if (error === undefined) return;
  if (!existsSync(SWIFTSHADER_ICD) && /no adapter/.test(String(error)))
    ctx.skip(`no WebGPU adapter here and no SwiftShader driver at ${SWIFTSHADER_ICD} (apt-get install chromium): ${String(error)}`);
  throw error;
}
