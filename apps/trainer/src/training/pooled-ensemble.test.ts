// fitPooledEnsemble with recipe.recencyHalfLifeDays (#13 experiment): the option reaches the training loop, stays
// deterministic, and leaves validation unweighted.
import { DAY_MS, makeSyntheticCandles, prepareAssetFrame, preparePooledFold, SERVED_RECIPE, type PooledRecipe } from '@coinsphere/model/core';
import { describe, expect, it } from 'vitest';
import { fitPooledEnsemble } from './pooled-ensemble.ts';

const start = Date.UTC(2018, 0, 1);
const recipe: PooledRecipe = {
  ...SERVED_RECIPE,
  horizonDays: 7,
  seeds: [1],
  training: { ...SERVED_RECIPE.training, epochs: 2, patience: 2, samplesPerEpoch: 512 },
};
const series = [makeSyntheticCandles(1500, 1, { startMs: start }), makeSyntheticCandles(1300, 2, { startMs: start + 200 * DAY_MS })];
const frames = series.map((c, i) => prepareAssetFrame(`A${i}`, c, recipe, { market: series[0] }));
const day = (i: number) => start + i * DAY_MS;
const fold = preparePooledFold(frames, { trainEndDayMs: day(1200), valStartDayMs: day(1208), valEndDayMs: day(1300), testStartDayMs: day(1308), testEndDayMs: day(1400) }, recipe);

describe('fitPooledEnsemble with recencyHalfLifeDays', () => {
  it('trains different networks from the same seed than without it, and the same ones every time', async () => {
    const plain = await fitPooledEnsemble(fold, recipe, 1);
    const recent = await fitPooledEnsemble(fold, { ...recipe, recencyHalfLifeDays: 365 }, 1);
    const again = await fitPooledEnsemble(fold, { ...recipe, recencyHalfLifeDays: 365 }, 1);
    expect(Array.from(recent.valRaw)).toEqual(Array.from(again.valRaw));
    expect(Array.from(recent.valRaw)).not.toEqual(Array.from(plain.valRaw));
  }, 60_000);

  it('refuses a half-life that is not a positive number of days, saying what to use', async () => {
    await expect(fitPooledEnsemble(fold, { ...recipe, recencyHalfLifeDays: -30 }, 1)).rejects.toThrow(/recencyHalfLifeDays = -30 must be a number of days > 0/);
  });
});
