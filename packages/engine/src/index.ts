// Public surface of @coinsphere/engine: the fused LSTM in WebAssembly and in WebGPU (WGSL). Runtime-neutral;
// node.ts loads the wasm from disk for Node; a GPU object (navigator.gpu, Dawn's in Node) is the caller's.
export { createFusedLstm, type FusedLstm, type FusedLstmOptions, type TrainStepOptions } from './fused-lstm.ts';
export type { SpawnWorker, WorkerHandle } from './thread-pool.ts';
export { weightSlots, type WeightSlot } from './weight-layout.ts';
export { fusedNetworks, type NetworkEngine } from './ensemble.ts';
export { createWebGpuLstm, type WebGpuLstm, type WebGpuLstmOptions } from './webgpu/webgpu-lstm.ts';
export { checkLimits, describeAdapter, requestEngineDevice, requiredLimits, type EngineDevice, type RequestDeviceOptions } from './webgpu/gpu-device.ts';
export { createWebGpuTrainer, trainWindowsPerDispatch, type GpuSnapshot, type WebGpuTrainer, type WebGpuTrainerOptions } from './webgpu/webgpu-trainer.ts';
export { trainWorkgroupBytes } from './webgpu/train-wgsl.ts';
