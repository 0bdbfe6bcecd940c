// The fused LSTM engine's TypeScript face: validates input, lays out flat f32 buffers in WebAssembly memory,
// splits a batch over threads and runs Adam. Runtime-neutral: no node:*, no process, no tfjs; the wasm bytes
// (or a compiled Module) and, for threads, a worker factory are passed in.
import type { ModelConfig, NamedWeight } from '@coinsphere/model/core';

import { CONTROL_BYTES, MAX_SLICES, ThreadPool, type SpawnWorker } from './thread-pool.ts';
import { checkEngineConfig, checkEngineInputs, checkWeights } from './engine-inputs.ts';
import { transposedFloats, weightSlots, type WeightSlot } from './weight-layout.ts';

/** Options of {@link createFusedLstm}. */
export interface FusedLstmOptions {
  config: ModelConfig;
  /** fused-lstm.wasm (one thread) or fused-lstm-shared.wasm (threads), as bytes or a compiled Module. */
  wasm: BufferSource | WebAssembly.Module;
  /** Threads in all, the calling one included (default 1). More than 1 needs `spawnWorker` and the shared build. */
  threads?: number;
  /** Starts a worker from source; required when threads > 1 (node.ts supplies one). */
  spawnWorker?: SpawnWorker;
}

/** Options of one training step. Defaults: the specification's Adam (PyTorch-style weight decay). */
export interface TrainStepOptions {
  /** Adam step size (default 1e-3). */
  learningRate?: number;
  /** L2 added to the gradient as PyTorch's Adam does: g += weightDecay · w (default 1e-5). */
  weightDecay?: number;
  /** Dropout rate after each LSTM layer (default config.dropout; 0 turns it off). */
  dropout?: number;
  /** Seed of this step's dropout masks (default: the step number). */
  seed?: number;
  beta1?: number;
  beta2?: number;
  /** Adam epsilon (default 1e-7, tfjs's; PyTorch uses 1e-8). */
  epsilon?: number;
}

/** A model in WebAssembly memory with its Adam state. Not safe to call re-entrantly. */
export interface FusedLstm {
  readonly config: ModelConfig;
  /** Threads actually used (1 when shared memory or workers are unavailable). */
  readonly threads: number;
  /** Sets all weights (tfjs order and shapes, as `model.getWeights()`); resets Adam's moments and step. */
  setWeights(weights: readonly NamedWeight[] | readonly Float32Array[]): void;
  /** Copies of all weights in tfjs order and shapes, so `model.setWeights` takes them. */
  getWeights(): NamedWeight[];
  /** Probabilities [n, nClasses] for windows x [n, windowBars, nFeatures] (no dropout). */
  predict(x: Float32Array, n: number): Float32Array;
  /** One Adam step on a batch; returns the batch's mean cross-entropy before the step (with dropout). */
  trainBatch(x: Float32Array, labels: Int32Array, n: number, options?: TrainStepOptions): number;
  /**
   * Probabilities [n, nClasses] of the last trainBatch's forward pass, with its dropout masks: training accuracy
   * as Keras and PyTorch report it, without a second forward pass.
   */
  lastTrainProbabilities(): Float32Array;
  /** Mean cross-entropy and probabilities [n, nClasses] without dropout. */
  evaluate(x: Float32Array, labels: Int32Array, n: number): { loss: number; probabilities: Float32Array };
  /** Gradients of the mean cross-entropy (no dropout, no weight decay) in tfjs order; for parity tests. */
  gradients(x: Float32Array, labels: Int32Array, n: number): NamedWeight[];
  /**
   * Gradients with respect to the input windows (no dropout): for each window i, d(Σ_c seeds[i, c] · p_c(x_i))/dx_i,
   * the probabilities' vector-Jacobian product (seeds one-hot at class k: the gradient of p_k). Runs the training
   * backward pass down to the input without any weight gradient. x [n, windowBars, nFeatures], seeds [n, nClasses];
   * returns gradients [n, windowBars, nFeatures] and the probabilities [n, nClasses] of the same forward pass.
   * @throws on a wrong length or a non-finite value in x or seeds.
   */
  inputGradients(x: Float32Array, n: number, seeds: Float32Array): { gradients: Float32Array; probabilities: Float32Array };
  /** Stops the worker threads. */
  dispose(): void;
}

const BASE = 65536; // below: the module's own statics
const DESC_BYTES = 128;
const MAX_THREADS = 32;
const PREDICT_SLICE = 32; // samples per slice when predicting on one thread: keeps the activations in cache
const PREDICT_SLICE_MT = 16; // ... and with threads, where the batch is cut into 2 slices per thread
const MODE_PREDICT = 0, MODE_EVALUATE = 1, MODE_TRAIN = 2, MODE_INPUT_GRAD = 3;
const PAGE = 65536;
const MAX_PAGES = 32768; // the builds' --maximumMemory: 2 GiB

interface Exports {
  scratchBytes(desc: number, scratch: number): number;
  runSlice(desc: number, scratch: number): void;
  addInto(dst: number, src: number, count: number): void;
  adam(w: number, g: number, m: number, v: number, count: number, lr: number, b1: number, b2: number,
    eps: number, wd: number, bc1: number, bc2: number): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
}

const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

async function instantiate(wasm: BufferSource | WebAssembly.Module, threads: number) {
  const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm);
  const sharedOk = typeof SharedArrayBuffer !== 'undefined';
  const attempts = threads > 1 && sharedOk ? [true, false] : [false, true];
  let lastError: unknown;
  for (const shared of attempts) {
    if (shared && !sharedOk) continue;
    const memory = shared
      ? new WebAssembly.Memory({ initial: 4, maximum: MAX_PAGES, shared: true })
      : new WebAssembly.Memory({ initial: 4, maximum: MAX_PAGES });
    try {
      const instance = await WebAssembly.instantiate(module, { env: { memory } });
      return { module, memory, shared, exports: instance.exports as unknown as Exports };
    } catch (error) {
      lastError = error; // the build declares the other kind of memory
    }
  }
  throw new Error('Could not instantiate the fused-LSTM wasm; pass fused-lstm.wasm or fused-lstm-shared.wasm.', { cause: lastError });
}

/**
 * Compiles and instantiates the engine. Weights start at zero: call setWeights (e.g. with initWeights(config, seed)).
 * Threads above 1 need SharedArrayBuffer, the shared build and `spawnWorker`; otherwise the engine runs on one.
 * @throws if the config is unsupported (LSTM units not multiples of 4) or the wasm does not instantiate.
 */
export async function createFusedLstm(options: FusedLstmOptions): Promise<FusedLstm> {
  const { config } = options;
  checkEngineConfig(config);
  const wanted = Math.max(1, Math.min(MAX_THREADS, Math.floor(options.threads ?? 1)));
  const { module, memory, shared, exports } = await instantiate(options.wasm, wanted);
  const threads = shared && options.spawnWorker ? wanted : 1;
  const engine = new Engine(config, memory, exports, threads);
  if (threads > 1) engine.pool = await ThreadPool.start(threads - 1, options.spawnWorker!, module, memory, BASE);
  return engine;
}

class Engine implements FusedLstm {
  pool: ThreadPool | null = null;
  private readonly slots: WeightSlot[];
  private readonly wFloats: number; // padded to a multiple of 16
  private readonly weightsAt: number;
  private readonly transAt: number;
  private readonly mAt: number;
  private readonly vAt: number;
  private readonly gradAt: number; // slicesPerCall × wFloats, one block per slice
  private readonly slicesPerCall: number;
  private readonly varAt: number; // inputs, outputs and scratch start here
  private sliceCap = 0;
  private xAt = 0;
  private labelsAt = 0;
  private outAt = 0;
  private seedsAt = 0; // [cap, C] f32: inputGradients' seeds
  private dxAt = 0; // [cap, T, F] f32: inputGradients' output
  private lastTrainN = 0;
  private scratchAt: number[] = [];
  private step = 0;

  constructor(
    readonly config: ModelConfig,
    private readonly memory: WebAssembly.Memory,
    private readonly wasm: Exports,
    readonly threads: number,
  ) {
    this.slots = weightSlots(config);
    const last = this.slots[this.slots.length - 1]!;
    this.wFloats = Math.ceil((last.offset + last.size) / 16) * 16;
    this.slicesPerCall = threads === 1 ? 1 : 2 * threads;
    let p = BASE + CONTROL_BYTES + DESC_BYTES * MAX_SLICES;
    p = align(p);
    this.weightsAt = p; p += this.wFloats * 4;
    this.transAt = p; p += align(transposedFloats(config) * 4);
    this.mAt = p; p += this.wFloats * 4;
    this.vAt = p; p += this.wFloats * 4;
    this.gradAt = p; p += this.wFloats * 4 * this.slicesPerCall;
    this.varAt = align(p);
    this.growTo(this.varAt);
  }

  private get f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  private growTo(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    try {
      if (bytes > MAX_PAGES * PAGE) throw new RangeError(`${bytes} bytes exceed the memory maximum`);
      this.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch (cause) {
      throw new Error(
        `The fused engine needs ${Math.ceil(bytes / 2 ** 20)} MiB of WebAssembly memory for this batch (at most 2048); ` +
          'train on smaller batches (activations take about 1 MiB per sample).',
        { cause },
      );
    }
  }

  private descAt(slice: number): number {
    return BASE + CONTROL_BYTES + DESC_BYTES * slice;
  }

  /** Makes room for slicesPerCall slices of up to `slice` samples each. */
  private reserve(slice: number): void {
    if (slice <= this.sliceCap) return;
    const { windowBars: T, nFeatures: F, nClasses: C } = this.config;
    const cap = slice * this.slicesPerCall;
    let p = this.varAt;
    const xAt = p; p = align(p + cap * T * F * 4);
    const labelsAt = p; p = align(p + cap * 4);
    const outAt = p; p = align(p + cap * C * 4);
    const seedsAt = p; p = align(p + cap * C * 4);
    const dxAt = p; p = align(p + cap * T * F * 4);
    this.growTo(p + 256);
    // the table scratchBytes writes lands at p, past every region in use: nothing live is touched; the input-
    // gradient mode needs the training mode's scratch and one more [T, n, F] block, so it sizes every mode
    const desc = this.writeDesc(0, { n: slice, mode: MODE_INPUT_GRAD, sample0: 0, seed: 0, dropout: 0, invTotal: 0 });
    const bytes = align((this.wasm.scratchBytes(desc, p) >>> 0) + 256); // unsigned: may pass 2 GiB
    const scratchAt: number[] = [];
    for (let t = 0; t < this.threads; t++) {
      scratchAt.push(p);
      p += bytes;
    }
    this.growTo(p); // throws before anything is switched to the new layout
    this.xAt = xAt;
    this.labelsAt = labelsAt;
    this.outAt = outAt;
    this.seedsAt = seedsAt;
    this.dxAt = dxAt;
    this.scratchAt = scratchAt;
    this.sliceCap = slice;
  }


  private writeDesc(
    slice: number,
    d: { n: number; mode: number; sample0: number; seed: number; dropout: number; invTotal: number },
  ): number {
    const { windowBars: T, nFeatures: F, lstmUnits: [u1, u2, u3], denseUnits, nClasses: C } = this.config;
    const at = this.descAt(slice);
    const row = T * F * 4;
    const i32 = new Int32Array(this.memory.buffer, at, DESC_BYTES / 4);
    const f32 = new Float32Array(this.memory.buffer, at, DESC_BYTES / 4);
    i32.set([T, F, u1, u2, u3, denseUnits, C, d.n, d.mode, d.sample0, d.seed | 0]);
    f32[11] = d.dropout;
    f32[12] = d.invTotal;
    i32[13] = this.xAt + d.sample0 * row;
    i32[14] = this.labelsAt + d.sample0 * 4;
    i32[15] = this.weightsAt;
    i32[16] = this.transAt;
    i32[17] = this.gradAt + slice * this.wFloats * 4;
    i32[18] = this.dxAt + d.sample0 * row;
    i32[19] = this.outAt + d.sample0 * C * 4;
    i32[20] = at + 96; // this slice's loss sum (f32)
    i32[21] = this.seedsAt + d.sample0 * C * 4;
    return at;
  }

  /** Cuts samples [0, n) of the staged inputs into slices, runs them in `mode` and returns the loss sum. */
  private runSlices(n: number, mode: number, totalForMean: number, dropout: number, seed: number, sampleBase: number): number {
    const per = Math.ceil(n / this.slicesPerCall);
    const descs: number[] = [];
    for (let i = 0; i * per < n; i++) {
      const start = i * per;
      descs.push(this.writeDesc(i, {
        n: Math.min(per, n - start), mode, sample0: start, seed: seed + sampleBase, dropout, invTotal: 1 / totalForMean,
      }));
    }
    const run = (desc: number, scratch: number) => this.wasm.runSlice(desc, scratch);
    if (this.pool) this.pool.run(descs, this.scratchAt, run);
    else for (const d of descs) run(d, this.scratchAt[0]!);
    let loss = 0;
    const f32 = this.f32;
    for (const d of descs) loss += f32[(d + 96) / 4]!; // in slice order: the sum does not depend on threads
    return loss;
  }

  private stageInputs(x: Float32Array, labels: Int32Array | null, from: number, count: number): void {
    const { windowBars: T, nFeatures: F } = this.config;
    const f32 = this.f32;
    f32.set(x.subarray(from * T * F, (from + count) * T * F), this.xAt / 4);
    if (labels) new Int32Array(this.memory.buffer).set(labels.subarray(from, from + count), this.labelsAt / 4);
  }

  setWeights(weights: readonly NamedWeight[] | readonly Float32Array[]): void {
    const f32 = this.f32;
    checkWeights(this.slots, weights, (slot, values) => f32.set(values, this.weightsAt / 4 + slot.offset));
    f32.fill(0, this.mAt / 4, this.mAt / 4 + this.wFloats);
    f32.fill(0, this.vAt / 4, this.vAt / 4 + this.wFloats);
    this.step = 0;
    this.refreshTransposes();
  }

  private refreshTransposes(): void {
    let at = this.transAt;
    let inputs = this.config.nFeatures;
    this.config.lstmUnits.forEach((u, l) => {
      const kernel = this.slots[l * 3]!, recurrent = this.slots[l * 3 + 1]!;
      this.wasm.transpose(this.weightsAt + kernel.offset * 4, at, inputs, 4 * u);
      at += 4 * u * inputs * 4;
      this.wasm.transpose(this.weightsAt + recurrent.offset * 4, at, u, 4 * u);
      at += 4 * u * u * 4;
      inputs = u;
    });
  }

  getWeights(): NamedWeight[] {
    return this.readBlock(this.weightsAt);
  }

  private readBlock(at: number): NamedWeight[] {
    const f32 = this.f32;
    return this.slots.map((s) => ({
      name: s.name,
      shape: [...s.shape],
      values: f32.slice(at / 4 + s.offset, at / 4 + s.offset + s.size),
    }));
  }

  private check(x: Float32Array, labels: Int32Array | null, n: number): void {
    checkEngineInputs(this.config, x, labels, n);
  }

  /**
   * Runs inference, evaluation (labels) or input gradients (seeds, dx) in rounds that fit the reserved slices;
   * returns the loss sum.
   */
  private infer(x: Float32Array, labels: Int32Array | null, n: number, out: Float32Array, grad?: { seeds: Float32Array; dx: Float32Array }): number {
    const { windowBars: T, nFeatures: F, nClasses: C } = this.config;
    const round = Math.max(this.threads === 1 ? PREDICT_SLICE : PREDICT_SLICE_MT, this.sliceCap) * this.slicesPerCall;
    this.reserve(Math.ceil(Math.min(n, round) / this.slicesPerCall));
    const mode = grad ? MODE_INPUT_GRAD : labels ? MODE_EVALUATE : MODE_PREDICT;
    let loss = 0;
    for (let from = 0; from < n; from += round) {
      const count = Math.min(round, n - from);
      this.stageInputs(x, labels, from, count);
      if (grad) this.f32.set(grad.seeds.subarray(from * C, (from + count) * C), this.seedsAt / 4);
      loss += this.runSlices(count, mode, n, 0, 0, from);
      out.set(this.f32.subarray(this.outAt / 4, this.outAt / 4 + count * C), from * C);
      if (grad) grad.dx.set(this.f32.subarray(this.dxAt / 4, this.dxAt / 4 + count * T * F), from * T * F);
    }
    return loss;
  }

  predict(x: Float32Array, n: number): Float32Array {
    this.check(x, null, n);
    const out = new Float32Array(n * this.config.nClasses);
    this.infer(x, null, n, out);
    return out;
  }

  evaluate(x: Float32Array, labels: Int32Array, n: number): { loss: number; probabilities: Float32Array } {
    this.check(x, labels, n);
    const probabilities = new Float32Array(n * this.config.nClasses);
    const loss = this.infer(x, labels, n, probabilities) / n;
    return { loss, probabilities };
  }

  inputGradients(x: Float32Array, n: number, seeds: Float32Array): { gradients: Float32Array; probabilities: Float32Array } {
    this.check(x, null, n);
    const { windowBars: T, nFeatures: F, nClasses: C } = this.config;
    if (!(seeds instanceof Float32Array) || seeds.length !== n * C)
      throw new Error(`seeds must be a Float32Array [n, nClasses] of ${n} × ${C} = ${n * C} values; got ${seeds.length}.`);
    for (let i = 0; i < seeds.length; i++)
      if (!Number.isFinite(seeds[i])) throw new Error(`seeds[${i}] (window ${Math.floor(i / C)}, class ${i % C}) is ${seeds[i]}; seeds must be finite.`);
    const gradients = new Float32Array(n * T * F);
    const probabilities = new Float32Array(n * C);
    this.infer(x, null, n, probabilities, { seeds, dx: gradients });
    return { gradients, probabilities };
  }

  /** Forward + backward on the whole batch; leaves the summed gradient in thread 0's block. */
  private computeGradients(x: Float32Array, labels: Int32Array, n: number, dropout: number, seed: number): number {
    this.check(x, labels, n);
    if (!(dropout >= 0 && dropout < 1)) throw new Error(`dropout must be in [0, 1); got ${dropout}.`);
    this.reserve(Math.ceil(n / this.slicesPerCall));
    this.stageInputs(x, labels, 0, n);
    this.f32.fill(0, this.gradAt / 4, this.gradAt / 4 + this.wFloats * this.slicesPerCall);
    const loss = this.runSlices(n, MODE_TRAIN, n, dropout, seed, 0) / n;
    for (let i = 1; i < this.slicesPerCall; i++) // fixed order: the same sum whichever thread ran a slice
      this.wasm.addInto(this.gradAt, this.gradAt + i * this.wFloats * 4, this.wFloats);
    return loss;
  }

  gradients(x: Float32Array, labels: Int32Array, n: number): NamedWeight[] {
    this.computeGradients(x, labels, n, 0, 0);
    return this.readBlock(this.gradAt);
  }

  trainBatch(x: Float32Array, labels: Int32Array, n: number, options: TrainStepOptions = {}): number {
    const lr = options.learningRate ?? 1e-3, wd = options.weightDecay ?? 1e-5;
    const b1 = options.beta1 ?? 0.9, b2 = options.beta2 ?? 0.999, eps = options.epsilon ?? 1e-7;
    for (const [k, v] of Object.entries({ learningRate: lr, weightDecay: wd, beta1: b1, beta2: b2, epsilon: eps }))
      if (!Number.isFinite(v) || v < 0) throw new Error(`${k} must be a finite number >= 0; got ${v}.`);
    const loss = this.computeGradients(x, labels, n, options.dropout ?? this.config.dropout, options.seed ?? this.step);
    this.lastTrainN = n;
    this.step++;
    this.wasm.adam(this.weightsAt, this.gradAt, this.mAt, this.vAt, this.wFloats, lr, b1, b2, eps, wd,
      1 - b1 ** this.step, 1 - b2 ** this.step);
    this.refreshTransposes();
    return loss;
  }

  lastTrainProbabilities(): Float32Array {
    const C = this.config.nClasses;
    return this.f32.slice(this.outAt / 4, this.outAt / 4 + this.lastTrainN * C);
  }

  dispose(): void {
    this.pool?.dispose();
    this.pool = null;
  }
}
