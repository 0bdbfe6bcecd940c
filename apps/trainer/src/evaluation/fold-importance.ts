// Permutation importance of a walk-forward fold's model on its test rows (issue #18): the fold's networks on one
// fused engine (batch inference, every scored row in one call per member), their mean calibrated as the fold
// calibrated it, fed to the model package's permutationImportance. Used by the served recipe's folds
// (pooled-fold.ts) and the per-asset ones (fold-task.ts). Must not import a command.
import type { FusedLstm } from '@coinsphere/engine';
import { permutationImportance, type NamedWeight, type PermutationOptions, type RowImportance } from '@coinsphere/model/core';
import { averageRows } from '../training/pooled-ensemble.ts';

/**
 * The walk-forward's settings: one shuffle per feature over every test row. Its cost, against the walk-forward
 * without it, is in BENCHMARKS.md (#18).
 */
export const FOLD_IMPORTANCE: Readonly<PermutationOptions> = { seed: 18, repeats: 1 };

/**
 * Permutation importance of the ensemble `members` (each a network's weights, loaded into `engine` in turn), their
 * mean softmax rows put through `calibrate`, on the test windows [n, windowBars, nFeatures] with labels y.
 * Leaves the last member's weights in the engine.
 */
export function foldImportance(
  engine: FusedLstm,
  members: readonly NamedWeight[][],
  calibrate: (meanRaw: Float32Array) => Float32Array,
  test: { x: Float32Array; y: ArrayLike<number>; n: number },
  names: readonly string[],
  opts: PermutationOptions = FOLD_IMPORTANCE,
): Promise<RowImportance> {
  const predict = (x: Float32Array, n: number) => calibrate(averageRows(members.map((w) => (engine.setWeights(w), engine.predict(x, n)))));
  return permutationImportance(predict, test, engine.config.windowBars, names, opts);
}
