// One model API over the three in-browser backends: tfjs on WebGPU, tfjs on WebAssembly (its .wasm files
// served by Vite from node_modules, never a CDN) and the fused WebAssembly engine. All three load the same
// verified artifact (loadArtifact checks sha256 and the feature schema) and return raw softmax rows; the
// caller applies the artifact's temperature. Browser-only; must not import node:* or a tfjs-node package.
import { createFusedLstm, type FusedLstm } from '@coinsphere/engine';
import fusedWasmUrl from '@coinsphere/engine/wasm/fused-lstm.wasm?url';
import { type ArtifactMetadata, loadArtifact, predictWindows, type ReadArtifactFile } from '@coinsphere/model';
import * as tf from '@tensorflow/tfjs';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

import type { BackendName } from './backends.ts';

/** A model ready to run on one backend. */
export interface BrowserModel {
  readonly backend: BackendName;
  readonly metadata: ArtifactMetadata;
  /** Softmax rows [n, nClasses] (before temperature) for windows x [n, windowBars, nFeatures]. */
  predict(x: Float32Array, n: number): Promise<Float32Array>;
  dispose(): void;
}

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

/** The tfjs LayersModel on WebGPU or WASM. Selects its backend before each call, so models on both coexist. */
async function createTfModel(backend: 'wasm' | 'webgpu', read: ReadArtifactFile): Promise<BrowserModel> {
  await useTfBackend(backend);
  const { model, metadata } = await loadArtifact(read);
  return {
    backend,
    metadata,
    async predict(x, n) {
      await useTfBackend(backend);
      return predictWindows(model, x, n, Math.min(n, 256));
    },
    dispose: () => model.dispose(),
  };
}

let fusedBytes: Promise<ArrayBuffer> | null = null;

/** The fused engine (single-threaded build: threads need cross-origin isolation, which a plain page lacks). */
async function createFusedModel(read: ReadArtifactFile): Promise<BrowserModel> {
  fusedBytes ??= fetch(fusedWasmUrl).then((r) => {
    if (!r.ok) throw new Error(`Fetching the fused engine's wasm from ${fusedWasmUrl} gave HTTP ${r.status}; rebuild the dashboard (npm run build).`);
    return r.arrayBuffer();
  });
  const previous = tf.engine().backendName;
  if (!previous) await useTfBackend('cpu'); // loading needs some tfjs backend; cpu starts instantly
  const [{ model, metadata }, bytes] = await Promise.all([loadArtifact(read), fusedBytes]);
  let engine: FusedLstm;
  try {
    const weights = await Promise.all(model.getWeights().map(async (t) => new Float32Array(await t.data())));
    engine = await createFusedLstm({ config: metadata.config.model, wasm: bytes });
    engine.setWeights(weights);
  } finally {
    model.dispose(); // the tfjs copy was only a verified carrier of the weights
  }
  return {
    backend: 'fused',
    metadata,
    predict: async (x, n) => engine.predict(x, n),
    dispose: () => engine.dispose(),
  };
}

/**
 * Loads the artifact read by `read` onto `backend`. Throws when the backend cannot start here (WebGPU absent,
 * wasm missing), or when the artifact fails verification (hash or feature schema: model and code out of step).
 */
export function createBrowserModel(backend: BackendName, read: ReadArtifactFile): Promise<BrowserModel> {
  return backend === 'fused' ? createFusedModel(read) : createTfModel(backend, read);
}
