// `npm run bench:webgpu-train [-- --json]`: training throughput of our WebGPU trainer (WGSL through Dawn) on
// whatever adapter Dawn finds — SwiftShader where there is no GPU (VK_ICD_FILENAMES is set to it when unset and the
// driver is installed) — against the fused WebAssembly engine on 1 and on all threads and tfjs WASM, in the same
// run, on the specification's model at batch 32, at 1 and at 4 windows a workgroup (the ratios use 4, what
// `train --engine webgpu` runs on a software adapter). The fused engine is timed before and after ours, so a change of
// load during the run shows. On a real GPU, `npm run bench:gpu` times training beside PyTorch too.
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { DEFAULT_MODEL_CONFIG, initWeights } from '@coinsphere/model/core';
import { benchTfjs, randomData } from '../src/commands/bench-runtimes.ts';
import { SWIFTSHADER_ICD } from '../src/dawn-gpu.ts';
import { webgpuTrainFigures } from './webgpu-engine-figures.ts';

if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
const json = process.argv.includes('--json');
const log = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);
const cfg = DEFAULT_MODEL_CONFIG;
const BATCH = 32;

/** Fused training samples/s at batch 32 on `threads` threads: a warm-up step, then at least 5 steps and 2 s. */
async function fusedTrain(threads: number): Promise<number> {
  const engine = await loadFusedLstm(cfg, threads);
  try {
    engine.setWeights(initWeights(cfg, 42));
    const { x, labels } = randomData(BATCH, 1);
    engine.trainBatch(x, labels, BATCH);
    let steps = 0;
    const t0 = performance.now();
    while (steps < 5 || performance.now() - t0 < 2000) engine.trainBatch(x, labels, BATCH, { seed: steps++ });
    return (steps * BATCH) / ((performance.now() - t0) / 1000);
  } finally {
    engine.dispose();
  }
}

const all = availableParallelism();
const load = [loadavg()[0]!];
const before = { fused1: await fusedTrain(1), fusedAll: await fusedTrain(all) };
log(`fused before: ${JSON.stringify(before)}`);
const ours = await webgpuTrainFigures(false, [BATCH], { minSteps: 3, budgetMs: 10_000 });
log(`ours, 1 window a workgroup: ${JSON.stringify(ours)}`);
const ours4 = await webgpuTrainFigures(false, [BATCH], { minSteps: 3, budgetMs: 10_000, windowsPerWorkgroup: 4 });
log(`ours, 4 windows a workgroup (what train --engine webgpu uses on a software adapter): ${JSON.stringify(ours4)}`);
load.push(loadavg()[0]!);
const after = { fused1: await fusedTrain(1), fusedAll: await fusedTrain(all) };
log(`fused after: ${JSON.stringify(after)}`);
const tfjsWasm = (await benchTfjs('wasm', 3, 3, 8)).train;
log(`tfjs wasm: ${tfjsWasm.toFixed(1)} samples/s`);
load.push(loadavg()[0]!);
const oursRate = ours4.samplesPerSecond[BATCH]!;
const result = {
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: all, node: process.version, adapter: ours.adapter, software: ours.software, loadAverage1m: load },
  batch: BATCH,
  samplesPerSecond: { ours4: oursRate, ours1: ours.samplesPerSecond[BATCH]!, fused1Before: before.fused1, fusedAllBefore: before.fusedAll, fused1After: after.fused1, fusedAllAfter: after.fusedAll, tfjsWasm },
  oursSteps: ours.steps[BATCH],
  lossParity: ours.lossParity,
  ratios: {
    ours4VsOurs1: oursRate / ours.samplesPerSecond[BATCH]!,
    oursVsFused1: oursRate / ((before.fused1 + after.fused1) / 2),
    oursVsFusedAll: oursRate / ((before.fusedAll + after.fusedAll) / 2),
    oursVsTfjsWasm: oursRate / tfjsWasm,
  },
};
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else log(JSON.stringify(result, null, 1));
process.exit(0); // Dawn keeps the process alive
