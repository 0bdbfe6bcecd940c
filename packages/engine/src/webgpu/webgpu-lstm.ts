/// <reference types="@webgpu/types" />
// The WebGPU engine's face: the fused engine's weights and API shape (setWeights / getWeights in tfjs order,
// predict on [n, windowBars, nFeatures]) with the forward pass of forward-wgsl.ts, one dispatch per call (more
// only when a batch exceeds a buffer limit). Runtime-neutral: the GPUDevice is passed in (gpu-device.ts gets one).
import type { ModelConfig, NamedWeight } from '@coinsphere/model/core';

import { checkEngineConfig, checkEngineInputs, checkWeights } from '../engine-inputs.ts';
import { weightSlots, type WeightSlot } from '../weight-layout.ts';
import { forwardWgsl } from './forward-wgsl.ts';
import { checkLimits } from './gpu-device.ts';
import { packedFloats, packLstmWeights } from './gpu-weights.ts';

// GPUBufferUsage / GPUMapMode values (fixed by the WebGPU spec): Node has those globals only once Dawn's are installed.
const MAP_READ = 0x1, COPY_SRC = 0x4, COPY_DST = 0x8, STORAGE = 0x80;
const MAX_WORKGROUPS = 65535; // the spec's default maxComputeWorkgroupsPerDimension

/** Options of {@link createWebGpuLstm}. */
export interface WebGpuLstmOptions {
  config: ModelConfig;
  /** A device with the limits the model needs (requestEngineDevice asks for them). Not destroyed by dispose(). */
  device: GPUDevice;
  /** Most windows per dispatch (default: as many as one storage binding of the device holds, at most 65535). */
  windowsPerDispatch?: number;
  /**
   * Windows per workgroup for batches (1, 2, 4 or 8; default 4): each weight loaded serves that many windows. One
   * window alone always runs on a workgroup of its own.
   */
  windowsPerWorkgroup?: number;
}

/** A model on a GPU. Calls may overlap: each predict has buffers of its own while it runs. */
export interface WebGpuLstm {
  readonly config: ModelConfig;
  /** Sets all weights (tfjs order and shapes, as `model.getWeights()`). */
  setWeights(weights: readonly NamedWeight[] | readonly Float32Array[]): void;
  /** Copies of the weights in tfjs order and shapes. */
  getWeights(): NamedWeight[];
  /** Probabilities [n, nClasses] for windows x [n, windowBars, nFeatures]. Rejects when the device is lost. */
  predict(x: Float32Array, n: number): Promise<Float32Array>;
  /** Frees the engine's GPU buffers (the device stays the caller's). */
  dispose(): void;
}

/**
 * Compiles the forward shader for `config` on `device`. Weights start at zero: call setWeights.
 * @throws if the config is unsupported, the device's limits are too small for it, or the shader fails to compile.
 */
export async function createWebGpuLstm(options: WebGpuLstmOptions): Promise<WebGpuLstm> {
  const { config, device } = options;
  checkEngineConfig(config);
  const group = options.windowsPerWorkgroup ?? 4;
  if (![1, 2, 4, 8].includes(group)) throw new Error(`windowsPerWorkgroup must be 1, 2, 4 or 8; got ${group}.`);
  checkLimits(config, device.limits, 'device', group);
  const cap = options.windowsPerDispatch;
  if (cap !== undefined && !(Number.isInteger(cap) && cap > 0)) throw new Error(`windowsPerDispatch must be a positive integer; got ${cap}.`);
  const single = await compileForward(device, config, 1);
  return new GpuEngine(config, device, single, cap ?? MAX_WORKGROUPS, group);
}

/** The forward pipeline for `group` windows per workgroup; a compile error comes back with the compiler's messages. */
async function compileForward(device: GPUDevice, config: ModelConfig, group: number): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ code: forwardWgsl(config, group) });
  try {
    return await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  } catch (cause) {
    const info = await module.getCompilationInfo();
    const messages = info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
    throw new Error(`The WebGPU engine's shader did not compile on this device${messages ? `: ${messages}` : ''}.`, { cause });
  }
}

class GpuEngine implements WebGpuLstm {
  private readonly slots: WeightSlot[];
  private readonly weights: Float32Array<ArrayBuffer>; // the CPU copy getWeights reads
  private readonly weightBuffer: GPUBuffer; // the dense tensors read from here, in tfjs order
  private readonly packed: Float32Array<ArrayBuffer>;
  private readonly packedBuffer: GPUBuffer; // the LSTM tensors, gates packed (gpu-weights.ts)
  private lost: string | null = null;
  private batched: Promise<GPUComputePipeline> | null = null; // compiled on the first batch
  private disposed = false;

  constructor(
    readonly config: ModelConfig,
    private readonly device: GPUDevice,
    private readonly single: GPUComputePipeline,
    private readonly maxPerDispatch: number,
    private readonly group: number,
  ) {
    this.slots = weightSlots(config);
    const last = this.slots[this.slots.length - 1]!;
    this.weights = new Float32Array(last.offset + last.size);
    this.weightBuffer = device.createBuffer({ size: this.weights.byteLength, usage: STORAGE | COPY_DST });
    this.packed = new Float32Array(packedFloats(config));
    this.packedBuffer = device.createBuffer({ size: this.packed.byteLength, usage: STORAGE | COPY_DST });
    this.upload();
    void device.lost.then((info) => void (this.lost = info.message || String(info.reason)));
  }

  setWeights(weights: readonly NamedWeight[] | readonly Float32Array[]): void {
    checkWeights(this.slots, weights, (slot, values) => this.weights.set(values, slot.offset));
    this.upload();
  }

  private upload(): void {
    packLstmWeights(this.config, this.weights, this.packed);
    this.device.queue.writeBuffer(this.weightBuffer, 0, this.weights);
    this.device.queue.writeBuffer(this.packedBuffer, 0, this.packed);
  }

  getWeights(): NamedWeight[] {
    return this.slots.map((s) => ({ name: s.name, shape: [...s.shape], values: this.weights.slice(s.offset, s.offset + s.size) }));
  }

  /** Windows one dispatch may take (a multiple of `group`): the windows binding's limit and the workgroup count's. */
  private windowsPerDispatch(group: number): number {
    const perWindow = 4 * this.config.windowBars * this.config.nFeatures;
    const windows = Math.min(this.maxPerDispatch, MAX_WORKGROUPS * group, Math.floor(this.device.limits.maxStorageBufferBindingSize / perWindow));
    return Math.max(group, Math.floor(windows / group) * group);
  }

  private pipelineFor(n: number): Promise<{ pipeline: GPUComputePipeline; group: number }> {
    if (n === 1 || this.group === 1) return Promise.resolve({ pipeline: this.single, group: 1 });
    this.batched ??= compileForward(this.device, this.config, this.group);
    return this.batched.then((pipeline) => ({ pipeline, group: this.group }));
  }

  async predict(x: Float32Array, n: number): Promise<Float32Array> {
    if (this.disposed) throw new Error('This WebGPU engine was disposed; create another.');
    if (this.lost) throw new Error(`The WebGPU device was lost (${this.lost}); create the engine again on a new device.`);
    checkEngineInputs(this.config, x, null, n);
    const { device } = this;
    const C = this.config.nClasses, size = this.config.windowBars * this.config.nFeatures;
    const { pipeline, group } = await this.pipelineFor(n);
    const per = Math.min(Math.ceil(n / group) * group, this.windowsPerDispatch(group)); // a multiple of group
    const xBuffer = device.createBuffer({ size: 4 * per * size, usage: STORAGE | COPY_DST }); // past n: padding, results dropped
    const outBuffer = device.createBuffer({ size: 4 * per * C, usage: STORAGE | COPY_SRC });
    const readBuffer = device.createBuffer({ size: 4 * n * C, usage: MAP_READ | COPY_DST });
    try {
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [this.packedBuffer, this.weightBuffer, xBuffer, outBuffer].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      for (let first = 0; first < n; first += per) {
        const count = Math.min(per, n - first);
        // queue-ordered: lands after the previous chunk's submit has read the buffer, before this one's
        device.queue.writeBuffer(xBuffer, 0, x as Float32Array<ArrayBuffer>, first * size, count * size); // a shared-memory view is allowed too
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(Math.ceil(count / group));
        pass.end();
        encoder.copyBufferToBuffer(outBuffer, 0, readBuffer, 4 * first * C, 4 * count * C);
        device.queue.submit([encoder.finish()]);
      }
      await readBuffer.mapAsync(1 /* GPUMapMode.READ */);
      return new Float32Array(readBuffer.getMappedRange()).slice(); // [n, C]
    } finally {
      for (const b of [xBuffer, outBuffer, readBuffer]) b.destroy();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.weightBuffer.destroy();
    this.packedBuffer.destroy();
  }
}
