// Node entry of the fused engine: reads the committed .wasm from disk and starts worker_threads. Wiring only.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import type { ModelConfig } from '@coinsphere/model/core';
import { createFusedLstm, type FusedLstm } from './fused-lstm.ts';
import type { WorkerHandle } from './thread-pool.ts';

/** Paths of the committed builds. */
export const WASM_URL = new URL('../wasm/fused-lstm.wasm', import.meta.url);
export const SHARED_WASM_URL = new URL('../wasm/fused-lstm-shared.wasm', import.meta.url);

function spawnWorker(source: string): WorkerHandle {
  const glue = `const { parentPort } = require('node:worker_threads');
const post = (m) => parentPort.postMessage(m);
const onMessage = (h) => parentPort.once('message', h);
${source}`;
  const worker = new Worker(glue, { eval: true });
  worker.unref();
  return {
    postMessage: (m) => worker.postMessage(m),
    onMessage: (h) => worker.on('message', h),
    terminate: () => void worker.terminate(),
  };
}

/** The engine in Node with `threads` threads (default: all cores). */
export async function loadFusedLstm(config: ModelConfig, threads = availableParallelism()): Promise<FusedLstm> {
  const wasm = await readFile(threads > 1 ? SHARED_WASM_URL : WASM_URL);
  return createFusedLstm({ config, wasm, threads, spawnWorker });
}
