/// <reference types="@webgpu/types" />
// Training on WebGPU: the fused engine's training API (setWeights / trainBatch / evaluate / gradients, tfjs-order
// weights, the same loss, dropout masks, weight decay and Adam) over the passes of train-wgsl.ts. A step is three
// dispatches in one submit (window pass, gradient pass, Adam); the weights, gradient and moments never leave the
// GPU, and a step reads back only its [n, C + 1] probabilities and losses. Runtime-neutral: the device is passed in.
import type { ModelConfig, NamedWeight } from '@coinsphere/model/core';

import { checkEngineConfig, checkEngineInputs, checkWeights } from '../engine-inputs.ts';
import type { TrainStepOptions } from '../fused-lstm.ts';
import { weightSlots, type WeightSlot } from '../weight-layout.ts';
import {
  ADAM_PARAMS_BYTES,
  adamPassWgsl,
  gradientPassWgsl,
  PER_WEIGHT_WORKGROUP,
  trainLayout,
  trainWorkgroupBytes,
  trainWorkgroupSize,
  WINDOW_PARAMS_BYTES,
  windowPassWgsl,
} from './train-wgsl.ts';

const MAP_READ = 0x1, COPY_SRC = 0x4, COPY_DST = 0x8, UNIFORM = 0x40, STORAGE = 0x80;
const MAX_WORKGROUPS = 65535;
const EVAL_CHUNK = 256; // windows per dispatch when evaluating or predicting, at least

/** Options of {@link createWebGpuTrainer}. */
export interface WebGpuTrainerOptions {
  config: ModelConfig;
  /** A device (requestEngineDevice gets one). Not destroyed by dispose(). */
  device: GPUDevice;
  /**
   * Windows per workgroup of the window pass (1, 2, 4 or 8; default 1): each weight loaded serves that many
   * windows, fewer workgroups run. More suits a software adapter; 1 keeps a large GPU busiest at small batches.
   */
  windowsPerWorkgroup?: number;
}

/** A weights snapshot kept on the GPU (fit loops' best epoch), without a readback. */
export interface GpuSnapshot {
  readonly buffer: GPUBuffer;
}

/** A model being trained on a GPU. Calls are queued in order; await each before changing its inputs' buffers. */
export interface WebGpuTrainer {
  readonly config: ModelConfig;
  /** Sets all weights (tfjs order and shapes); resets Adam's moments and step, as the fused engine does. */
  setWeights(weights: readonly NamedWeight[] | readonly Float32Array[]): void;
  /** Copies of all weights in tfjs order and shapes (a readback). */
  getWeights(): Promise<NamedWeight[]>;
  /**
   * One Adam step on a batch (the fused engine's trainBatch: same options and defaults); resolves to the batch's
   * mean cross-entropy before the step (with dropout) and the probabilities [n, C] of that forward pass.
   */
  trainBatch(x: Float32Array, labels: Int32Array, n: number, options?: TrainStepOptions): Promise<{ loss: number; probabilities: Float32Array }>;
  /** Mean cross-entropy and probabilities [n, C] without dropout. */
  evaluate(x: Float32Array, labels: Int32Array, n: number): Promise<{ loss: number; probabilities: Float32Array }>;
  /** Probabilities [n, C] without dropout. */
  predict(x: Float32Array, n: number): Promise<Float32Array>;
  /** Gradients of the mean cross-entropy (no dropout, no weight decay) in tfjs order; for parity tests. */
  gradients(x: Float32Array, labels: Int32Array, n: number): Promise<NamedWeight[]>;
  /** A copy of the weights on the GPU. */
  snapshot(): GpuSnapshot;
  /** Puts a snapshot's weights back; resets Adam as setWeights does. */
  restore(snapshot: GpuSnapshot): void;
  release(snapshot: GpuSnapshot): void;
  dispose(): void;
}

/** Windows of the training passes one dispatch can hold on `limits` (the activation buffer's binding limit). */
export function trainWindowsPerDispatch(config: ModelConfig, limits: GPUSupportedLimits): number {
  const bytes = 4 * trainLayout(config).stride;
  return Math.min(MAX_WORKGROUPS, Math.floor(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / bytes));
}

function checkTrainLimits(config: ModelConfig, limits: GPUSupportedLimits, group: number): void {
  const wg = trainWorkgroupSize(config);
  const need: [string, number, number][] = [
    ['maxComputeInvocationsPerWorkgroup', limits.maxComputeInvocationsPerWorkgroup, wg],
    ['maxComputeWorkgroupSizeX', limits.maxComputeWorkgroupSizeX, wg],
    ['maxComputeWorkgroupStorageSize', limits.maxComputeWorkgroupStorageSize, trainWorkgroupBytes(config, group)],
  ];
  for (const [name, have, want] of need)
    if (have < want)
      throw new Error(`The WebGPU device allows ${name} = ${have}, but training LSTM units ${config.lstmUnits.join('-')}${group > 1 ? ` at ${group} windows a workgroup` : ''} needs ${want}. ${group > 1 ? 'Pass fewer windowsPerWorkgroup, use' : 'Use'} a model with fewer units, or train on the fused WebAssembly engine (--engine fused).`);
  if (trainWindowsPerDispatch(config, limits) < 1)
    throw new Error(`One window's training activations (${4 * trainLayout(config).stride} bytes) exceed the device's maxStorageBufferBindingSize (${limits.maxStorageBufferBindingSize}). Use a shorter window or fewer units, or the fused engine.`);
}

async function compile(device: GPUDevice, code: string, what: string): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ code });
  try {
    return await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  } catch (cause) {
    const info = await module.getCompilationInfo();
    const messages = info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
    throw new Error(`The WebGPU trainer's ${what} shader did not compile on this device${messages ? `: ${messages}` : ''}.`, { cause });
  }
}

/**
 * Compiles the training passes for `config` on `device`. Weights start at zero: call setWeights.
 * @throws if the config is unsupported, the device's limits are too small for it, or a shader fails to compile.
 */
export async function createWebGpuTrainer(options: WebGpuTrainerOptions): Promise<WebGpuTrainer> {
  const { config, device } = options;
  checkEngineConfig(config);
  const group = options.windowsPerWorkgroup ?? 1;
  if (![1, 2, 4, 8].includes(group)) throw new Error(`windowsPerWorkgroup must be 1, 2, 4 or 8; got ${group}.`);
  checkTrainLimits(config, device.limits, group);
  const [windowPass, gradientPass, adamPass] = await Promise.all([
    compile(device, windowPassWgsl(config, group), 'window'),
    compile(device, gradientPassWgsl(config), 'gradient'),
    compile(device, adamPassWgsl(config), 'Adam'),
  ]);
  return new Trainer(config, device, { windowPass, gradientPass, adamPass }, group);
}

interface Pipelines {
  windowPass: GPUComputePipeline;
  gradientPass: GPUComputePipeline;
  adamPass: GPUComputePipeline;
}

class Trainer implements WebGpuTrainer {
  private readonly slots: WeightSlot[];
  private readonly wFloats: number;
  private readonly weights: GPUBuffer;
  private readonly grad: GPUBuffer;
  private readonly m: GPUBuffer;
  private readonly v: GPUBuffer;
  private readonly windowParams: GPUBuffer;
  private readonly adamParams: GPUBuffer;
  private readonly adamGroup: GPUBindGroup;
  private readonly maxWindows: number;
  private cap = 0;
  private x!: GPUBuffer;
  private labels!: GPUBuffer;
  private act!: GPUBuffer;
  private out!: GPUBuffer;
  private windowGroup!: GPUBindGroup;
  private gradientGroup!: GPUBindGroup;
  private step = 0;
  private lost: string | null = null;
  private disposed = false;

  constructor(
    readonly config: ModelConfig,
    private readonly device: GPUDevice,
    private readonly pipelines: Pipelines,
    private readonly group: number,
  ) {
    this.slots = weightSlots(config);
    const last = this.slots[this.slots.length - 1]!;
    this.wFloats = last.offset + last.size;
    const bytes = 4 * this.wFloats;
    this.weights = device.createBuffer({ size: bytes, usage: STORAGE | COPY_DST | COPY_SRC });
    this.grad = device.createBuffer({ size: bytes, usage: STORAGE | COPY_SRC });
    this.m = device.createBuffer({ size: bytes, usage: STORAGE | COPY_DST });
    this.v = device.createBuffer({ size: bytes, usage: STORAGE | COPY_DST });
    this.windowParams = device.createBuffer({ size: WINDOW_PARAMS_BYTES, usage: UNIFORM | COPY_DST });
    this.adamParams = device.createBuffer({ size: ADAM_PARAMS_BYTES, usage: UNIFORM | COPY_DST });
    this.adamGroup = device.createBindGroup({
      layout: pipelines.adamPass.getBindGroupLayout(0),
      entries: [this.weights, this.grad, this.m, this.v, this.adamParams].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    this.maxWindows = Math.floor(trainWindowsPerDispatch(config, device.limits) / group) * group;
    void device.lost.then((info) => void (this.lost = info.message || String(info.reason)));
  }

  /** Buffers for `n` windows a dispatch, rounded up to whole workgroups (grown, never shrunk). */
  private reserve(wanted: number): void {
    const n = Math.ceil(wanted / this.group) * this.group;
    if (n <= this.cap) return;
    if (n > this.maxWindows)
      throw new Error(`A training batch of ${n} windows needs ${Math.ceil((n * 4 * trainLayout(this.config).stride) / 2 ** 20)} MiB of activations, more than this WebGPU device binds (${this.maxWindows} windows); train on smaller batches (--batch-size).`);
    const { windowBars: T, nFeatures: F, nClasses: C } = this.config;
    if (this.cap > 0) for (const b of [this.x, this.labels, this.act, this.out]) b.destroy();
    const d = this.device;
    this.x = d.createBuffer({ size: 4 * n * T * F, usage: STORAGE | COPY_DST });
    this.labels = d.createBuffer({ size: 4 * n, usage: STORAGE | COPY_DST });
    this.act = d.createBuffer({ size: 4 * n * trainLayout(this.config).stride, usage: STORAGE });
    this.out = d.createBuffer({ size: 4 * n * (C + 1), usage: STORAGE | COPY_SRC });
    this.windowGroup = d.createBindGroup({
      layout: this.pipelines.windowPass.getBindGroupLayout(0),
      entries: [this.weights, this.x, this.labels, this.act, this.out, this.windowParams].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    this.gradientGroup = d.createBindGroup({
      layout: this.pipelines.gradientPass.getBindGroupLayout(0),
      entries: [this.x, this.act, this.grad, this.windowParams].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    this.cap = n;
  }

  private usable(): void {
    if (this.disposed) throw new Error('This WebGPU trainer was disposed; create another.');
    if (this.lost) throw new Error(`The WebGPU device was lost (${this.lost}); create the trainer again on a new device.`);
  }

  setWeights(weights: readonly NamedWeight[] | readonly Float32Array[]): void {
    this.usable();
    const flat = new Float32Array(this.wFloats);
    checkWeights(this.slots, weights, (slot, values) => flat.set(values, slot.offset));
    this.device.queue.writeBuffer(this.weights, 0, flat);
    this.resetAdam();
  }

  private resetAdam(): void {
    const zeros = new Float32Array(this.wFloats);
    this.device.queue.writeBuffer(this.m, 0, zeros);
    this.device.queue.writeBuffer(this.v, 0, zeros);
    this.step = 0;
  }

  private async read(src: GPUBuffer, bytes: number, encoder?: GPUCommandEncoder): Promise<Float32Array> {
    const staging = this.device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
    try {
      const e = encoder ?? this.device.createCommandEncoder();
      e.copyBufferToBuffer(src, 0, staging, 0, bytes);
      this.device.queue.submit([e.finish()]);
      await staging.mapAsync(MAP_READ);
      return new Float32Array(staging.getMappedRange()).slice();
    } finally {
      staging.destroy();
    }
  }

  private named(flat: Float32Array): NamedWeight[] {
    return this.slots.map((s) => ({ name: s.name, shape: [...s.shape], values: flat.slice(s.offset, s.offset + s.size) }));
  }

  async getWeights(): Promise<NamedWeight[]> {
    this.usable();
    return this.named(await this.read(this.weights, 4 * this.wFloats));
  }

  /** Stages a chunk's windows, labels and params and encodes the window pass (and the gradient pass when training). */
  private encode(x: Float32Array, labels: Int32Array | null, from: number, n: number, p: { train: boolean; seed: number; rate: number; invN: number }): GPUCommandEncoder {
    const { windowBars: T, nFeatures: F } = this.config;
    const q = this.device.queue;
    q.writeBuffer(this.x, 0, x as Float32Array<ArrayBuffer>, from * T * F, n * T * F);
    q.writeBuffer(this.labels, 0, labels ? (labels as Int32Array<ArrayBuffer>).subarray(from, from + n) : new Int32Array(n));
    const params = new ArrayBuffer(WINDOW_PARAMS_BYTES);
    new Uint32Array(params, 0, 3).set([n, p.train ? 1 : 0, p.seed >>> 0]);
    // 1/(1-rate) rounded as the fused engine's f32 arithmetic rounds it
    new Float32Array(params, 12, 3).set([p.rate, p.rate > 0 ? Math.fround(1 / Math.fround(1 - Math.fround(p.rate))) : 1, p.invN]);
    q.writeBuffer(this.windowParams, 0, params);
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.pipelines.windowPass);
    pass.setBindGroup(0, this.windowGroup);
    pass.dispatchWorkgroups(Math.ceil(n / this.group));
    if (p.train) {
      pass.setPipeline(this.pipelines.gradientPass);
      pass.setBindGroup(0, this.gradientGroup);
      pass.dispatchWorkgroups(Math.ceil(this.wFloats / PER_WEIGHT_WORKGROUP));
    }
    pass.end();
    return encoder;
  }

  /** Splits the chunk's [n, C + 1] read-back into probabilities and the loss sum (in f64). */
  private split(out: Float32Array, n: number, probabilities: Float32Array, at: number): number {
    const C = this.config.nClasses;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      probabilities.set(out.subarray(i * (C + 1), i * (C + 1) + C), (at + i) * C);
      loss += out[i * (C + 1) + C]!;
    }
    return loss;
  }

  private async forwardOnly(x: Float32Array, labels: Int32Array | null, n: number): Promise<{ loss: number; probabilities: Float32Array }> {
    this.usable();
    checkEngineInputs(this.config, x, labels, n);
    const C = this.config.nClasses;
    const chunk = Math.min(this.maxWindows, Math.max(this.cap, Math.min(n, EVAL_CHUNK)));
    this.reserve(Math.min(n, chunk));
    const probabilities = new Float32Array(n * C);
    let loss = 0;
    for (let from = 0; from < n; from += chunk) {
      const count = Math.min(chunk, n - from);
      const encoder = this.encode(x, labels, from, count, { train: false, seed: 0, rate: 0, invN: 1 / n });
      loss += this.split(await this.read(this.out, 4 * count * (C + 1), encoder), count, probabilities, from);
    }
    return { loss: loss / n, probabilities };
  }

  evaluate(x: Float32Array, labels: Int32Array, n: number): Promise<{ loss: number; probabilities: Float32Array }> {
    return this.forwardOnly(x, labels, n);
  }

  async predict(x: Float32Array, n: number): Promise<Float32Array> {
    return (await this.forwardOnly(x, null, n)).probabilities;
  }

  private checkBatch(x: Float32Array, labels: Int32Array, n: number): void {
    this.usable();
    checkEngineInputs(this.config, x, labels, n);
    this.reserve(n);
  }

  async gradients(x: Float32Array, labels: Int32Array, n: number): Promise<NamedWeight[]> {
    this.checkBatch(x, labels, n);
    const encoder = this.encode(x, labels, 0, n, { train: true, seed: 0, rate: 0, invN: 1 / n });
    return this.named(await this.read(this.grad, 4 * this.wFloats, encoder));
  }

  async trainBatch(x: Float32Array, labels: Int32Array, n: number, options: TrainStepOptions = {}): Promise<{ loss: number; probabilities: Float32Array }> {
    const lr = options.learningRate ?? 1e-3, wd = options.weightDecay ?? 1e-5;
    const b1 = options.beta1 ?? 0.9, b2 = options.beta2 ?? 0.999, eps = options.epsilon ?? 1e-7;
    for (const [k, v] of Object.entries({ learningRate: lr, weightDecay: wd, beta1: b1, beta2: b2, epsilon: eps }))
      if (!Number.isFinite(v) || v < 0) throw new Error(`${k} must be a finite number >= 0; got ${v}.`);
    const rate = options.dropout ?? this.config.dropout;
    if (!(rate >= 0 && rate < 1)) throw new Error(`dropout must be in [0, 1); got ${rate}.`);
    this.checkBatch(x, labels, n);
    const encoder = this.encode(x, labels, 0, n, { train: true, seed: options.seed ?? this.step, rate, invN: 1 / n });
    this.step++;
    // the fused engine's f32 arithmetic: lr / (1-β1^t), 1 - β, 1 / (1-β2^t)
    const f = Math.fround;
    const [fb1, fb2] = [f(b1), f(b2)];
    this.device.queue.writeBuffer(this.adamParams, 0, new Float32Array([
      f(f(lr) / f(1 - b1 ** this.step)), fb1, f(1 - fb1), fb2, f(1 - fb2), f(1 / f(1 - b2 ** this.step)), eps, wd,
    ]));
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.pipelines.adamPass);
    pass.setBindGroup(0, this.adamGroup);
    pass.dispatchWorkgroups(Math.ceil(this.wFloats / PER_WEIGHT_WORKGROUP));
    pass.end();
    const C = this.config.nClasses;
    const probabilities = new Float32Array(n * C);
    const loss = this.split(await this.read(this.out, 4 * n * (C + 1), encoder), n, probabilities, 0) / n;
    return { loss, probabilities };
  }

  snapshot(): GpuSnapshot {
    this.usable();
    const buffer = this.device.createBuffer({ size: 4 * this.wFloats, usage: COPY_SRC | COPY_DST });
    const e = this.device.createCommandEncoder();
    e.copyBufferToBuffer(this.weights, 0, buffer, 0, 4 * this.wFloats);
    this.device.queue.submit([e.finish()]);
    return { buffer };
  }

  restore(snapshot: GpuSnapshot): void {
    this.usable();
    const e = this.device.createCommandEncoder();
    e.copyBufferToBuffer(snapshot.buffer, 0, this.weights, 0, 4 * this.wFloats);
    this.device.queue.submit([e.finish()]);
    this.resetAdam();
  }

  release(snapshot: GpuSnapshot): void {
    snapshot.buffer.destroy();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of [this.weights, this.grad, this.m, this.v, this.windowParams, this.adamParams]) b.destroy();
    if (this.cap > 0) for (const b of [this.x, this.labels, this.act, this.out]) b.destroy();
  }
}
