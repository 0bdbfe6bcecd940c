import { describe, expect, it } from 'vitest';

import { DAY_MS } from './candle.ts';
import { runEpochs, type EpochStepper, type TrainingPart } from './fit-loop.ts';
import { recencyWeights } from './pooled-dataset.ts';
import { makeRng, weightedIndices } from './random.ts';
import { resolveTrainingConfig } from './training-config.ts';

// Ten years of daily windows, one per day, oldest first; each label is the window's index, so the batches the loop
// hands the stepper say which windows an epoch drew.
const nDays = 3650;
const endDayMs = Float64Array.from({ length: nDays }, (_, i) => Date.UTC(2015, 0, 1) + i * DAY_MS);
const part = (weights?: Float64Array): TrainingPart => ({ x: new Float32Array(nDays), y: Int32Array.from({ length: nDays }, (_, i) => i), n: nDays, weights });

/** The windows every batch of `epochs` epochs delivered, as ages in days (samplesPerEpoch 8,192 is capped at the 3,650 windows). */
async function drawnAges(train: TrainingPart, seed = 7, epochs = 3): Promise<number[]> {
  const ages: number[] = [];
  const stepper: EpochStepper<null> = {
    trainBatch: (_xb, yb, n) => {
      for (let r = 0; r < n; r++) ages.push(nDays - 1 - yb[r]!);
      return { loss: 1, hits: 0 };
    },
    validate: () => ({ loss: 1, acc: 0 }),
    snapshot: () => null,
    restore: () => {},
  };
  await runEpochs(stepper, train, 1, resolveTrainingConfig({ seed, epochs, patience: epochs, batchSize: 64, samplesPerEpoch: 8192 }), {});
  return ages;
}

const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;
/** The mean age the weights 0.5^(age / h) imply over ages 0..nDays-1. */
const expectedAge = (h: number) => {
  let num = 0;
  let den = 0;
  for (let a = 0; a < nDays; a++) {
    num += a * 0.5 ** (a / h);
    den += 0.5 ** (a / h);
  }
  return num / den;
};

describe('recency-weighted sampling (recipe.recencyHalfLifeDays)', () => {
  it('weighs a window by 0.5^(age / half-life), age counted back from the newest window', () => {
    const w = recencyWeights(endDayMs, 365);
    expect(w[nDays - 1]).toBe(1);
    expect(w[nDays - 1 - 365]).toBeCloseTo(0.5, 12);
    expect(w[nDays - 1 - 730]).toBeCloseTo(0.25, 12);
    expect(() => recencyWeights(endDayMs, 0)).toThrow(/recencyHalfLifeDays = 0 must be a number of days > 0/);
    expect(() => recencyWeights(endDayMs, Number.NaN)).toThrow(/recencyHalfLifeDays = NaN/);
  });

  it.each([365, 1095])('draws windows whose mean age follows a half-life of %i days', async (h) => {
    const ages = await drawnAges(part(recencyWeights(endDayMs, h)));
    expect(ages).toHaveLength(3 * nDays);
    expect(Math.abs(mean(ages) - expectedAge(h)) / expectedAge(h)).toBeLessThan(0.03);
    // Half of the total weight lies within one half-life of the cut-off (less the sliver beyond ten years).
    const recentShare = ages.filter((a) => a < h).length / ages.length;
    const expectedShare = (1 - 0.5) / (1 - 0.5 ** (nDays / h));
    expect(Math.abs(recentShare - expectedShare)).toBeLessThan(0.02);
  });

  it('leaves the unweighted loop as it was: a subset of distinct windows spread over all ten years', async () => {
    const ages = await drawnAges(part(), 7, 1);
    expect(new Set(ages).size).toBe(nDays);
    expect(mean(ages)).toBeCloseTo((nDays - 1) / 2, 6);
    expect(mean(await drawnAges(part(recencyWeights(endDayMs, 365)), 7, 1))).toBeLessThan(600);
  });

  it('is deterministic per seed and differs between seeds', async () => {
    const train = part(recencyWeights(endDayMs, 365));
    expect(await drawnAges(train, 3)).toEqual(await drawnAges(train, 3));
    expect(await drawnAges(train, 4)).not.toEqual(await drawnAges(train, 3));
  });

  it('draws an index in proportion to its weight and refuses weights that cannot be sampled', () => {
    const draws = weightedIndices([0, 1, 3], 40_000, makeRng(1));
    expect(draws.includes(0)).toBe(false);
    expect(draws.filter((i) => i === 2).length / draws.length).toBeCloseTo(0.75, 1);
    expect(() => weightedIndices([0, 0], 5, makeRng(1))).toThrow(/sum to 0; at least one must be positive/);
    expect(() => weightedIndices([1, -1], 5, makeRng(1))).toThrow(/Sampling weight 1 is -1/);
  });
});
