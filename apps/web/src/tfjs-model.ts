// The tfjs backends of the dashboard (WebAssembly, and WebGPU as the reference for our WebGPU engine), in a chunk of their own that the fused engine's
// path never loads. Each registers its backend package on first use (its .wasm files served by Vite from
// node_modules, never a CDN) and selects it before every call, so models on both coexist.
import { loadArtifact, type ReadArtifactFile, tfjsRunners } from '@coinsphere/model';
import * as tf from '@tensorflow/tfjs';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

import type { BrowserModel } from './browser-model-type.ts';

let wasmRegistered: Promise<void> | null = null;
let webgpuRegistered: Promise<void> | null = null;

/** Registers the backend's package on first use (dynamic import keeps it out of the first paint) and selects it. */
async function useTfBackend(name: 'wasm' | 'webgpu' | 'cpu'): Promise<void> {
  if (name === 'wasm') {
    wasmRegistered ??= import('@tensorflow/tfjs-backend-wasm').then((m) => {
      m.setWasmPaths({
        'tfjs-backend-wasm.wasm': wasmPlainUrl,
        'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
      });
    });
    await wasmRegistered;
  } else if (name === 'webgpu') {
    webgpuRegistered ??= import('@tensorflow/tfjs-backend-webgpu').then(() => undefined);
    await webgpuRegistered;
  }
  if (tf.engine().backendName === name) return;
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`The tfjs "${name}" backend failed to initialise in this browser.`);
}

/** The tfjs LayersModels on WebGPU (the reference) or WASM. Selects their backend before each call, so models on both coexist. */
export async function createTfModel(backend: 'wasm' | 'webgpu-tfjs', read: ReadArtifactFile): Promise<BrowserModel> {
  const tfBackend = backend === 'wasm' ? 'wasm' : 'webgpu';
  await useTfBackend(tfBackend);
  const { models, metadata } = await loadArtifact(read);
  const runners = tfjsRunners(models).map((r) => ({ predict: async (x: Float32Array, n: number) => (await useTfBackend(tfBackend), r.predict(x, n)) }));
  return { backend, metadata, runners, dispose: () => models.forEach((m) => m.dispose()) };
}
