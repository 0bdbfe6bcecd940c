// What a walk-forward plan will cost before it runs: the fused engine's time per training window and per
// validation window, measured on this machine a moment before (one engine thread, as each fold process runs),
// times the plan's windows and the epochs early stopping allows. A full evaluation with the specification's
// config runs for hours on two cores; the estimate lets a user choose --fold-days, --window and --no-pooled
// knowingly, and `evaluate --plan` prints it without training.
import { loadFusedLstm } from '@coinsphere/engine/node';
import { initWeights, type ModelConfig, type PlanEstimate, type TrainingConfig } from '@coinsphere/model/core';
import type { FoldTask } from './fold-task.ts';

/** CPU ms per window on one engine thread: training (forward, backward, its share of the Adam step at the
 * configured batch size) and validation (forward only). */
export type WindowCost = PlanEstimate['cost'];

/** Times a few training steps and forward passes of `modelConfig` on random windows. ~0.5 s for the spec model. */
export async function measureWindowCost(modelConfig: ModelConfig, batchSize: number, reps = 3): Promise<WindowCost> {
  const engine = await loadFusedLstm(modelConfig, 1);
  try {
    engine.setWeights(initWeights(modelConfig, 1));
    const size = modelConfig.windowBars * modelConfig.nFeatures;
    const x = Float32Array.from({ length: batchSize * size }, (_, i) => Math.sin(i * 0.37));
    const y = Int32Array.from({ length: batchSize }, (_, i) => i % modelConfig.nClasses);
    const time = (fn: () => void) => {
      fn(); // warm-up: compiles the hot paths
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) fn();
      return (performance.now() - t0) / reps / batchSize;
    };
    return { trainMs: time(() => engine.trainBatch(x, y, batchSize)), validateMs: time(() => engine.predict(x, batchSize)) };
  } finally {
    engine.dispose();
  }
}

/** Best epoch of a typical fold on the real files (BENCHMARKS.md: best epochs 0-5, mostly 1-3). */
const TYPICAL_BEST_EPOCH = 2;

/** Windows of one part of a task (one epoch), summed over its assets. */
export function windowsOf(task: FoldTask, part: 'train' | 'val'): number {
  return task.assets.reduce((n, a) => n + a.fold[part].end - a.fold[part].start, 0);
}

/** Pure arithmetic over the planned tasks; `cores` bounds how many processes run at full speed at once. */
export function estimatePlan(tasks: FoldTask[], training: Pick<TrainingConfig, 'epochs' | 'patience'>, cost: WindowCost, jobs: number, cores: number): PlanEstimate {
  const trainWindows = tasks.reduce((s, t) => s + windowsOf(t, 'train'), 0);
  const valWindows = tasks.reduce((s, t) => s + windowsOf(t, 'val'), 0);
  const epochs = {
    min: Math.min(training.epochs, training.patience + 1),
    typical: Math.min(training.epochs, TYPICAL_BEST_EPOCH + training.patience + 1),
  };
  const perEpochMs = trainWindows * cost.trainMs + valWindows * cost.validateMs;
  const parallel = Math.max(1, Math.min(jobs, cores, tasks.length));
  const cpuMs = { min: perEpochMs * epochs.min, typical: perEpochMs * epochs.typical };
  return {
    tasks: tasks.length,
    pooledTasks: tasks.filter((t) => t.kind === 'pooled').length,
    trainWindows,
    valWindows,
    cost,
    epochs,
    parallel,
    cpuMs,
    wallMs: { min: cpuMs.min / parallel, typical: cpuMs.typical / parallel },
  };
}

/** "1 h 05 min", "24 min", "40 s". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

/** One paragraph for the log and for `evaluate --plan`. */
export function formatEstimate(e: PlanEstimate): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return (
    `${e.tasks} fold models (${e.pooledTasks} pooled): ${n(e.trainWindows)} training and ${n(e.valWindows)} validation windows per epoch in all. ` +
    `The engine takes ${e.cost.trainMs.toFixed(2)} ms per training window and ${e.cost.validateMs.toFixed(2)} ms per validation window here ` +
    `(measured just now, one thread). At ${e.epochs.typical} epochs per model (${e.epochs.min} if every model's first epoch were its best), ` +
    `expect about ${formatDuration(e.wallMs.typical)} with ${e.parallel} at a time (at least ${formatDuration(e.wallMs.min)}; ` +
    `${formatDuration(e.cpuMs.typical)} of CPU). Fewer or smaller folds: --fold-days, --window, --no-pooled, --max-folds.`
  );
}
