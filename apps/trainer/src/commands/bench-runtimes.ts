// `coinsphere bench [--json]`: training samples/s at batch 32 and predict latency (1 and 256 windows) for tfjs
// cpu, tfjs wasm, the fused engine on one and on all threads, and the PyTorch reference when /usr/bin/python3
// has torch; plus the fused engine's parity with tfjs. Figures are only comparable within one run. Loaded by
// `bench` (bench.ts) when it runs, so that tfjs is imported by no other command.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import * as tf from '@tensorflow/tfjs';

import { loadFusedLstm } from '@coinsphere/engine/node';
import { buildModel, DEFAULT_MODEL_CONFIG, initWeights, makeRng } from '@coinsphere/model';

const RUNTIMES = ['tfjs-cpu', 'tfjs-wasm', 'fused-1t', 'fused', 'torch'] as const;
type Runtime = (typeof RUNTIMES)[number];
type Figures = Partial<Record<Runtime, number>>;

/** The one object `bench --json` prints. */
export interface BenchResult {
  train: Figures; // samples/s at batch 32
  predict1Ms: Figures; // median ms for one window
  predict256Ms: Figures; // ms for 256 windows
  parity: { maxAbsDiff: number; maxAbsDiffWasm: number };
  machine: { cpu: string; cores: number; node: string };
  notes: string[];
}

const BATCH = 32;
const { windowBars: T, nFeatures: F } = DEFAULT_MODEL_CONFIG;

/** `n` random windows of the specification's shape [n, T, F] in [-1, 1) and labels, from `seed`. */
export function randomData(n: number, seed: number): { x: Float32Array; labels: Int32Array } {
  const rng = makeRng(seed);
  const x = new Float32Array(n * T * F).map(() => rng() * 2 - 1); // [n, T, F]
  return { x, labels: Int32Array.from({ length: n }, () => Math.floor(rng() * 3)) };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeMs(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

export async function benchTfjs(backend: 'cpu' | 'wasm', trainSteps: number, predict1Reps: number, predictN: number) {
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend "${backend}" did not initialise.`);
  await tf.ready();
  const model = buildModel(DEFAULT_MODEL_CONFIG, 42);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const { x, labels } = randomData(Math.max(BATCH, predictN), 1);
  const xb = tf.tensor3d(x.subarray(0, BATCH * T * F), [BATCH, T, F]);
  const yb = tf.oneHot(tf.tensor1d(labels.subarray(0, BATCH), 'int32'), 3);
  await model.trainOnBatch(xb, yb); // warm-up: kernels and optimiser state
  const t0 = performance.now();
  for (let s = 0; s < trainSteps; s++) await model.trainOnBatch(xb, yb);
  const train = (trainSteps * BATCH) / ((performance.now() - t0) / 1000);
  const x1 = tf.tensor3d(x.subarray(0, T * F), [1, T, F]);
  const run = (input: tf.Tensor) => tf.tidy(() => (model.predict(input, { batchSize: 256 }) as tf.Tensor).dataSync());
  run(x1);
  const predict1 = median(Array.from({ length: predict1Reps }, () => timeMs(() => run(x1))));
  const xn = tf.tensor3d(x.subarray(0, predictN * T * F), [predictN, T, F]);
  const predictN_ms = timeMs(() => run(xn));
  tf.dispose([xb, yb, x1, xn]);
  model.dispose();
  return { train, predict1, predict256: (predictN_ms * 256) / predictN };
}

type Engine = Awaited<ReturnType<typeof loadFusedLstm>>;

/** Fused engines on one and on all threads, measured in alternating rounds; the best round counts (shared CPUs). */
async function benchFused(threadCounts: number[], rounds = 3) {
  const engines: Engine[] = [];
  for (const threads of threadCounts) engines.push(await loadFusedLstm(DEFAULT_MODEL_CONFIG, threads));
  const { x, labels } = randomData(256, 1);
  const xb = x.subarray(0, BATCH * T * F), yb = labels.subarray(0, BATCH), x1 = x.subarray(0, T * F);
  const best = engines.map(() => ({ train: 0, predict1: Infinity, predict256: Infinity }));
  for (let round = 0; round < rounds; round++) {
    engines.forEach((engine, e) => {
      const b = best[e]!;
      engine.setWeights(initWeights(DEFAULT_MODEL_CONFIG, 42));
      engine.trainBatch(xb, yb, BATCH); // warm-up
      let steps = 0;
      const t0 = performance.now();
      while (steps < 5 || performance.now() - t0 < 1500) engine.trainBatch(xb, yb, BATCH, { seed: steps++ });
      b.train = Math.max(b.train, (steps * BATCH) / ((performance.now() - t0) / 1000));
      for (let i = 0; i < 10; i++) engine.predict(x1, 1);
      b.predict1 = Math.min(b.predict1, median(Array.from({ length: 200 }, () => timeMs(() => engine.predict(x1, 1)))));
      engine.predict(x, 256);
      b.predict256 = Math.min(b.predict256, median(Array.from({ length: 3 }, () => timeMs(() => engine.predict(x, 256)))));
    });
  }
  engines.forEach((e) => e.dispose());
  return best;
}

/** Parses torch_ref.py's output lines (`train batch32 samples/s 62`, `infer b=1 median ms 8.5`, `infer b=256 ms 1560.0`). */
export function parseTorchOutput(text: string): { train: number; predict1: number; predict256: number } {
  const num = (re: RegExp) => {
    const m = re.exec(text);
    if (!m) throw new Error(`torch_ref.py output lacks ${re.source}; got: ${text.slice(0, 200)}`);
    return Number(m[1]);
  };
  return {
    train: num(/train batch32 samples\/s ([\d.]+)/),
    predict1: num(/infer b=1 median ms ([\d.]+)/),
    predict256: num(/infer b=256 ms ([\d.]+)/),
  };
}

async function benchTorch(notes: string[]) {
  const script = fileURLToPath(new URL('../../../../../shared/reference/torch_ref.py', import.meta.url));
  if (!existsSync(script)) return notes.push(`torch skipped: ${script} not found`), null;
  try {
    const { stdout } = await promisify(execFile)('/usr/bin/python3', [script], { timeout: 300_000 });
    return parseTorchOutput(stdout);
  } catch (error) {
    notes.push(`torch skipped: ${(error as Error).message.split('\n')[0]} (apt-get install python3-torch)`);
    return null;
  }
}

/** Max |fused - tfjs| of the probabilities on the same random weights and 8 windows, on `backend` (default: the
 * active one). Reads asynchronously: tfjs-webgpu has no synchronous read in Node. */
export async function parity(backend?: 'cpu' | 'wasm'): Promise<number> {
  if (backend) await tf.setBackend(backend);
  const n = 8;
  const weights = initWeights(DEFAULT_MODEL_CONFIG, 7);
  const model = buildModel(DEFAULT_MODEL_CONFIG, 7);
  const { x } = randomData(n, 3);
  const out = tf.tidy(() => model.predict(tf.tensor3d(x, [n, T, F])) as tf.Tensor);
  const ref = await out.data();
  out.dispose();
  model.dispose();
  const engine = await loadFusedLstm(DEFAULT_MODEL_CONFIG, 1);
  engine.setWeights(weights);
  const got = engine.predict(x, n);
  engine.dispose();
  return got.reduce((m, v, i) => Math.max(m, Math.abs(v - ref[i]!)), 0);
}

/** Runs every runtime in turn; tfjs-cpu is measured briefly (it is very slow) and scaled where noted. */
export async function runBench(): Promise<BenchResult> {
  const notes: string[] = [];
  const result: BenchResult = {
    train: {}, predict1Ms: {}, predict256Ms: {}, parity: { maxAbsDiff: 0, maxAbsDiffWasm: 0 },
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version }, notes,
  };
  const put = (k: Runtime, r: { train: number; predict1: number; predict256: number } | null) => {
    if (!r) return;
    result.train[k] = Math.round(r.train * 10) / 10;
    result.predict1Ms[k] = Math.round(r.predict1 * 1000) / 1000;
    result.predict256Ms[k] = Math.round(r.predict256 * 10) / 10;
  };
  put('tfjs-cpu', await benchTfjs('cpu', 1, 3, 16));
  notes.push('tfjs-cpu: 1 training step, predict256 scaled from 16 windows');
  result.parity.maxAbsDiff = await parity('cpu');
  put('tfjs-wasm', await benchTfjs('wasm', 3, 10, 256));
  result.parity.maxAbsDiffWasm = await parity('wasm');
  put('torch', await benchTorch(notes));
  const [one, all] = await benchFused([1, availableParallelism()]);
  put('fused-1t', one!);
  put('fused', all!);
  notes.push('fused: best of 3 alternating rounds (1.5 s of training each); torch: its script, 1 thread');
  return result;
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a && b ? `${(a / b).toFixed(1)}x` : '-';
}

/** A table of the figures and the fused engine's ratios against each peer. */
export function formatBench(r: BenchResult): string {
  const rows = RUNTIMES.map(
    (k) => `| ${k} | ${r.train[k] ?? '-'} | ${r.predict1Ms[k] ?? '-'} | ${r.predict256Ms[k] ?? '-'} |`,
  );
  const ratios = RUNTIMES.filter((k) => !k.startsWith('fused')).map(
    (k) => `| fused vs ${k} | ${ratio(r.train.fused, r.train[k])} | ${ratio(r.predict1Ms[k], r.predict1Ms.fused)} | ${ratio(r.predict256Ms[k], r.predict256Ms.fused)} |`,
  );
  return [
    `${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}`,
    '| runtime | train samples/s (batch 32) | predict 1 window (ms) | predict 256 windows (ms) |',
    '|---|---|---|---|', ...rows, ...ratios,
    `parity: max |fused - tfjs cpu| = ${r.parity.maxAbsDiff.toExponential(2)}, vs tfjs wasm ${r.parity.maxAbsDiffWasm.toExponential(2)}`,
    ...r.notes.map((n) => `note: ${n}`),
  ].join('\n');
}
