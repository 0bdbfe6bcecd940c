// `npm run bench:gpu [-- --json]`: the specification's model on a GPU through tfjs's WebGPU backend (Dawn over
// Vulkan in Node, the `--backend webgpu` path of `coinsphere train`) and through our WebGPU engine (WGSL, one
// dispatch a call) on the same adapter, against the fused WebAssembly engine on the same machine's CPU in the same
// run, and PyTorch + cuDNN on the same GPU (torch_cuda_ref.py, run from here when python3 has torch with CUDA).
// Training samples/s at batch 32 (the specification's) and 256 (tfjs, our WebGPU trainer, PyTorch), predict 1 and
// 256 windows (tfjs, ours, PyTorch), and the probabilities' parity with the fused engine on the same weights.
// Refuses to run on a software adapter (SwiftShader): those figures say nothing about a GPU; `bench:webgpu-train`
// times training there.
import * as tf from '@tensorflow/tfjs';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { buildModel, DEFAULT_MODEL_CONFIG, fitTfjs, initWeights } from '@coinsphere/model';
import { execFile } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { selectBackend } from '../src/backends.ts';
import { median, parity as parityWithFused, randomData } from '../src/commands/bench-runtimes.ts';
import { webgpuEngineFigures, webgpuTrainFigures } from './webgpu-engine-figures.ts';

const json = process.argv.includes('--json');
const cfg = DEFAULT_MODEL_CONFIG;
const { windowBars: T, nFeatures: F } = cfg;
const log = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);

/**
 * Samples/s of the trainer's own tfjs loop (fitTfjs: the path of `coinsphere train --engine tfjs --backend webgpu`)
 * over `batches` batches: the second of two epochs, so shader compilation stays out; it includes a validation
 * pass over 64 windows.
 */
async function tfjsTrain(batch: number, batches: number): Promise<number> {
  const model = buildModel(cfg, 42);
  const n = batch * batches;
  const { x, labels } = randomData(n + 64, 1);
  const train = { x: x.subarray(0, n * T * F), y: labels.subarray(0, n), n };
  const val = { x: x.subarray(n * T * F), y: labels.subarray(n), n: 64 };
  const fit = await fitTfjs(model, { train, val }, { epochs: 2, patience: 10, batchSize: batch });
  model.dispose();
  return n / (fit.history[1]!.elapsedMs / 1000);
}

async function tfjsPredict(): Promise<{ predict1Ms: number; predict256Ms: number }> {
  const model = buildModel(cfg, 42);
  const { x } = randomData(256, 2);
  const run = async (n: number) => {
    const out = tf.tidy(() => model.predict(tf.tensor3d(x.subarray(0, n * T * F), [n, T, F]), { batchSize: 256 }) as tf.Tensor);
    await out.data();
    out.dispose();
  };
  const time = async (n: number, reps: number) => {
    for (let i = 0; i < 2; i++) await run(n);
    const ms: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await run(n);
      ms.push(performance.now() - t0);
    }
    return median(ms);
  };
  const r = { predict1Ms: await time(1, 20), predict256Ms: await time(256, 5) };
  model.dispose();
  return r;
}

async function fused(threads: number): Promise<{ train: number; predict1Ms: number; predict256Ms: number }> {
  const engine = await loadFusedLstm(cfg, threads);
  try {
    engine.setWeights(initWeights(cfg, 42));
    const { x, labels } = randomData(256, 1);
    const xb = x.subarray(0, 32 * T * F), yb = labels.subarray(0, 32);
    engine.trainBatch(xb, yb, 32);
    let steps = 0;
    const t0 = performance.now();
    while (steps < 5 || performance.now() - t0 < 2000) engine.trainBatch(xb, yb, 32, { seed: steps++ });
    const train = (steps * 32) / ((performance.now() - t0) / 1000);
    const time = (n: number, reps: number) => {
      const xn = x.subarray(0, n * T * F);
      engine.predict(xn, n);
      return median(Array.from({ length: reps }, () => {
        const t = performance.now();
        engine.predict(xn, n);
        return performance.now() - t;
      }));
    };
    return { train, predict1Ms: time(1, 50), predict256Ms: time(256, 5) };
  } finally {
    engine.dispose();
  }
}

/** PyTorch + cuDNN on the same GPU (torch_cuda_ref.py), or why not: the baseline the training figures are read against. */
async function torchReference(): Promise<{ train32: number; train256: number; predict1Ms: number; predict256Ms: number; device: string } | { skipped: string }> {
  const script = fileURLToPath(new URL('./torch_cuda_ref.py', import.meta.url));
  try {
    const { stdout } = await promisify(execFile)(process.env.PYTHON ?? 'python3', [script], { timeout: 600_000 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as { train32: number; train256: number; predict1Ms: number; predict256Ms: number; device: string };
  } catch (error) {
    return { skipped: `${(error as Error).message.split('\n')[0]} (pip install torch with CUDA, or set PYTHON)` };
  }
}

const choice = await selectBackend('webgpu');
if (/swiftshader|llvmpipe|software/i.test(choice.detail)) {
  log(`bench:gpu needs a hardware GPU; the only adapter is a software one (${choice.detail}).`);
  process.exit(1);
}
log(`tfjs ${tf.getBackend()}: ${choice.detail}`);

// Parity first: the same weights in tfjs-webgpu and in the fused engine, the same 8 windows.
const parity = await parityWithFused();
log(`parity: max |webgpu - fused| = ${parity.toExponential(2)}`);

const ours = await webgpuEngineFigures(true);
log(`our WebGPU engine: ${JSON.stringify(ours)}`);
const oursTrain = await webgpuTrainFigures(true, [32, 256], { minSteps: 20, budgetMs: 3000 });
log(`our WebGPU trainer: ${JSON.stringify(oursTrain)}`);
const torch = await torchReference();
log(`PyTorch + cuDNN: ${JSON.stringify(torch)}`);
const webgpu = { train32: await tfjsTrain(32, 10), train256: await tfjsTrain(256, 4), ...(await tfjsPredict()) };
log(`webgpu: ${JSON.stringify(webgpu)}`);
const fused1 = await fused(1);
log(`fused 1 thread: ${JSON.stringify(fused1)}`);
const fusedAll = await fused(availableParallelism());
log(`fused ${availableParallelism()} threads: ${JSON.stringify(fusedAll)}`);

const result = {
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version, adapter: choice.detail },
  parity,
  webgpu,
  ours,
  oursTrain,
  torch,
  fused1,
  fusedAll,
  ratios: {
    train32WebgpuVsFused: webgpu.train32 / fusedAll.train,
    predict1FusedVsWebgpu: webgpu.predict1Ms / fused1.predict1Ms,
    predict256FusedVsWebgpu: webgpu.predict256Ms / fusedAll.predict256Ms,
    predict1OursVsTfjsWebgpu: webgpu.predict1Ms / ours.predict1Ms,
    predict256OursVsTfjsWebgpu: webgpu.predict256Ms / ours.predict256Ms,
    predict1OursVsFused1: fused1.predict1Ms / ours.predict1Ms,
    predict256OursVsFusedAll: fusedAll.predict256Ms / ours.predict256Ms,
    train32OursVsTfjsWebgpu: oursTrain.samplesPerSecond[32]! / webgpu.train32,
    train32OursVsFusedAll: oursTrain.samplesPerSecond[32]! / fusedAll.train,
    ...('train32' in torch && {
      train32OursVsTorch: oursTrain.samplesPerSecond[32]! / torch.train32,
      train256OursVsTorch: oursTrain.samplesPerSecond[256]! / torch.train256,
      predict1OursVsTorch: torch.predict1Ms / ours.predict1Ms,
      predict256OursVsTorch: torch.predict256Ms / ours.predict256Ms,
    }),
  },
};
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else log(JSON.stringify(result.ratios));
process.exit(0); // Dawn keeps the process alive
