/// <reference types="@webgpu/types" />
// Browser entry of the WebGPU engine's parity test (tests/webgpu-engine-parity.int.test.ts): bundled by Vite into
// one script and run in Chromium, it puts `runWebGpuEngine` on window, which runs our WebGPU engine on
// navigator.gpu's adapter with the weights and windows it is handed (plain arrays: what page.evaluate carries).
import { createWebGpuLstm, requestEngineDevice } from '@coinsphere/engine';
import type { ModelConfig } from '@coinsphere/model/core';

/** What the page answers: the probabilities [n, nClasses] and the adapter they came from. */
export interface PageAnswer {
  probabilities: number[];
  adapter: string;
  software: boolean;
}

async function runWebGpuEngine(config: ModelConfig, weights: number[][], x: number[], n: number): Promise<PageAnswer> {
  const { device, adapter, software } = await requestEngineDevice(navigator.gpu, config);
  try {
    const engine = await createWebGpuLstm({ config, device });
    engine.setWeights(weights.map((w) => Float32Array.from(w)));
    const probabilities = Array.from(await engine.predict(Float32Array.from(x), n));
    engine.dispose();
    return { probabilities, adapter, software };
  } finally {
    device.destroy();
  }
}

(globalThis as unknown as { runWebGpuEngine: typeof runWebGpuEngine }).runWebGpuEngine = runWebGpuEngine;
