// Public surface of @coinsphere/engine: the fused LSTM in WebAssembly. Runtime-neutral; node.ts loads the wasm
// from disk for Node.
export { createFusedLstm, type FusedLstm, type FusedLstmOptions, type TrainStepOptions } from './fused-lstm.ts';
export type { SpawnWorker, WorkerHandle } from './thread-pool.ts';
export { weightSlots, type WeightSlot } from './weight-layout.ts';
export { fusedNetworks } from './ensemble.ts';
