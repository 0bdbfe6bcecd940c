// Integrated gradients on the fused engine (model's explain/ through engine's inputGradients: crosses packages):
// an ensemble of five networks of the served shape (32-16-8 units, 10-day windows of 20 features), trained a few
// hundred steps so its weights are not the initial ones, behind a temperature. Faithfulness: the attributions sum
// to P(x) - P(baseline) within IG_TOLERANCE (5e-4), the intervals halving from 32 until they do (the trapezoid rule's
// error, falling as 1/steps², plus float32 rounding of the gradients, ~1e-7 each over 200 inputs); a feature whose
// input weights are zero in every member gets exactly 0.
import { loadFusedLstm } from '@coinsphere/engine/node';
import type { FusedLstm } from '@coinsphere/engine';
import { initWeights, SERVED_RECIPE, type ModelConfig } from '@coinsphere/model/core';
import { DEFAULT_IG_STEPS, IG_TOLERANCE, integratedGradients } from '@coinsphere/model/explain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CONFIG: ModelConfig = SERVED_RECIPE.modelConfig;
const STEP = CONFIG.windowBars * CONFIG.nFeatures;
const IGNORED = 7;
const model = { windowBars: CONFIG.windowBars, nFeatures: CONFIG.nFeatures, temperature: 1.3 };
const window = Float32Array.from({ length: STEP }, (_, i) => 1.4 * Math.sin(i * 0.61 + 0.2) + 0.3 * Math.cos(i * 2.3)); // [T, F]

/** Five networks trained 200 steps as the served recipe trains (lr 3e-4, weight decay 1e-3) on a rule of the
 *  inputs, so they learn something; with `ignore`, feature IGNORED's input weights zeroed. */
async function trainedEnsemble(ignore: boolean): Promise<FusedLstm[]> {
  const n = 64;
  const x = Float32Array.from({ length: n * STEP }, (_, i) => Math.sin(i * 0.37) * 1.5 + Math.cos(i * 0.011));
  const labels = Int32Array.from({ length: n }, (_, b) => (x[b * STEP + STEP - 3]! > 0.5 ? 2 : x[b * STEP + STEP - 3]! < -0.5 ? 0 : 1));
  const engines: FusedLstm[] = [];
  for (const seed of SERVED_RECIPE.seeds) {
    const e = await loadFusedLstm(CONFIG, 1);
    e.setWeights(initWeights(CONFIG, seed));
    for (let s = 0; s < 200; s++) e.trainBatch(x, labels, n, { learningRate: 3e-4, weightDecay: 1e-3, seed: s });
    if (ignore) {
      const w = e.getWeights();
      const kernel = w[0]!.values; // lstm_1/kernel [F, 4 * U1]: row IGNORED is what the network reads of the feature
      kernel.fill(0, IGNORED * w[0]!.shape[1]!, (IGNORED + 1) * w[0]!.shape[1]!);
      e.setWeights(w);
    }
    engines.push(e);
  }
  return engines;
}

describe('integrated gradients on the fused engine (five networks, temperature 1.3)', () => {
  const s = {} as { plain: FusedLstm[]; blind: FusedLstm[] };
  beforeAll(async () => {
    s.plain = await trainedEnsemble(false);
    s.blind = await trainedEnsemble(true);
  }, 120_000);
  afterAll(() => [...(s.plain ?? []), ...(s.blind ?? [])].forEach((e) => e.dispose()));

  it('sum to P(x) - P(baseline) within the tolerance, for every class, the fixed-step gap falling as 1/steps²', async () => {
    const rows: string[] = [];
    for (let k = 0; k < 3; k++) {
      const gaps = [];
      for (const steps of [16, DEFAULT_IG_STEPS, 256]) gaps.push((await integratedGradients(model, s.plain, window, k, steps, 0)).completenessGap);
      const ig = await integratedGradients(model, s.plain, window, k);
      rows.push(`class ${k}: P ${ig.probability.toFixed(4)} vs baseline ${ig.baselineProbability.toFixed(4)}; gap at 16/${DEFAULT_IG_STEPS}/256 steps ${gaps.map((g) => g.toExponential(2)).join(' / ')}; adaptive: ${ig.steps} steps, gap ${ig.completenessGap.toExponential(2)}`);
      expect(Math.abs(ig.probability - ig.baselineProbability)).toBeGreaterThan(1e-3);
      expect(Math.abs(ig.completenessGap)).toBeLessThanOrEqual(IG_TOLERANCE);
      expect(Math.abs(gaps[2]!)).toBeLessThan(Math.abs(gaps[0]!) / 4); // a wrong gradient would not converge at all
    }
    console.log(`[explain-fused] completeness:\n  ${rows.join('\n  ')}`);
  });

  it('give exactly 0 to a feature no member reads', async () => {
    const ig = await integratedGradients(model, s.blind, window, 2);
    expect(Math.abs(ig.perFeature[IGNORED]!)).toBe(0);
    const others = Array.from(ig.perFeature).filter((_, f) => f !== IGNORED).map(Math.abs);
    expect(Math.max(...others)).toBeGreaterThan(1e-3);
    expect(Math.abs(ig.completenessGap)).toBeLessThanOrEqual(IG_TOLERANCE);
  });
});
