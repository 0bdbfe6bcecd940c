// One model API over the in-browser backends: our WebGPU engine and our fused WebAssembly engine (both load
// without tfjs), tfjs on WebAssembly (its .wasm files served by Vite from node_modules, never a CDN) and tfjs on
// WebGPU (the reference). All read the same verified artifact (sha256 and the feature schema checked) and give runners of the one
// inference path (@coinsphere/model's predictWithArtifact). Browser-only; must not import node:* or tfjs (the
// tfjs backends live in tfjs-model.ts, loaded on demand).
import { createFusedLstm, createWebGpuLstm, fusedNetworks, requestEngineDevice } from '@coinsphere/engine';
import fusedWasmUrl from '@coinsphere/engine/wasm/fused-lstm.wasm?url';
import { readArtifact, type ReadArtifactFile } from '@coinsphere/model/core';

import type { BackendName } from './backends.ts';
import type { BrowserModel } from './browser-model-type.ts';

export type { BrowserModel } from './browser-model-type.ts';

let fusedBytes: Promise<ArrayBuffer> | null = null;

/** The fused engine without tfjs (single-threaded build: threads need cross-origin isolation, which a plain page lacks). */
async function createFusedModel(read: ReadArtifactFile): Promise<BrowserModel> {
  fusedBytes ??= fetch(fusedWasmUrl).then((r) => {
    if (!r.ok) throw new Error(`Fetching the fused engine's wasm from ${fusedWasmUrl} gave HTTP ${r.status}; rebuild the dashboard (npm run build).`);
    return r.arrayBuffer();
  });
  const [contents, bytes] = await Promise.all([readArtifact(read), fusedBytes]);
  const engines = await fusedNetworks(contents, (config) => createFusedLstm({ config, wasm: bytes }));
  return { backend: 'fused', metadata: contents.metadata, runners: engines, dispose: () => engines.forEach((e) => e.dispose()) };
}

/** Our WebGPU engine on this page's adapter: one device for the ensemble's networks, destroyed with the model. */
async function createWebGpuModel(read: ReadArtifactFile): Promise<BrowserModel> {
  const contents = await readArtifact(read);
  const { device, software } = await requestEngineDevice(globalThis.navigator?.gpu, contents.metadata.config.model); // throws saying what to do
  try {
    // on a software adapter (SwiftShader) batches run best with 8 windows a workgroup (BENCHMARKS.md); else the default
    const windowsPerWorkgroup = software ? 8 : undefined;
    const engines = await fusedNetworks(contents, (config) => createWebGpuLstm({ config, device, windowsPerWorkgroup }));
    const dispose = () => (engines.forEach((e) => e.dispose()), device.destroy());
    return { backend: 'webgpu', metadata: contents.metadata, runners: engines, dispose };
  } catch (error) {
    device.destroy();
    throw error;
  }
}

/**
 * Loads the artifact read by `read` onto `backend`. Throws when the backend cannot start here (WebGPU absent,
 * wasm missing), or when the artifact fails verification (hash or feature schema: model and code out of step).
 */
export async function createBrowserModel(backend: BackendName, read: ReadArtifactFile): Promise<BrowserModel> {
  if (backend === 'fused') return createFusedModel(read);
  if (backend === 'webgpu') return createWebGpuModel(read);
  const { createTfModel } = await import('./tfjs-model.ts'); // tfjs only in this chunk: the fused path never loads it
  return createTfModel(backend, read);
}

/** Runs every network of `model` on windows x [n, windowBars, nFeatures] (for timing; the results are dropped). */
export async function runNetworks(model: BrowserModel, x: Float32Array, n: number): Promise<void> {
  for (const r of model.runners) await r.predict(x, n);
}
