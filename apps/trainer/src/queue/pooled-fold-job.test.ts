// A served-recipe fold's outcome as fold_results stores it (jsonb): through JSON and back, every probability and the
// permutation importance (#18) arrive as they left, and an outcome stored before the importance decodes without one.
import { describe, expect, it } from 'vitest';
import type { PooledFoldOutcome } from '../evaluation/pooled-fold.ts';
import { decodePooledOutcome, encodePooledOutcome } from './pooled-fold-job.ts';

const outcome: PooledFoldOutcome = {
  symbols: ['BTC', 'ETH'], asset: [0, 1], dayMs: [0, 0], y: [2, 0], nextDayReturn: [0.01, -0.02], lower: [-0.05, -0.05], upper: [0.05, 0.05],
  probs: { model: Float32Array.from([0.2, 0.3, 0.5, 0.6, 0.3, 0.1]) }, temperature: 1.1, priors: null, abstainBelow: 0.4,
  valEce: { before: 0.05, after: 0.03 }, epochs: [8], nTrain: 100, nVal: 20, skipped: [], wallMs: 1000,
  val: { y: [1], probs: { uncalibrated: Float32Array.from([0.3, 0.4, 0.3]) } }, classShares: { train: [0.3, 0.4, 0.3], trailing: [0.3, 0.4, 0.3], val: [0, 1, 0] },
  importance: { features: ['ret_7d', 'rsi_14'], rows: [0, 1], logLoss: [[0.125, -0.000001], [0, 0]], accuracy: [[1, 0], [0, 0]], repeats: 1 }, importanceMs: 40,
};

describe('a pooled fold outcome through fold_results', () => {
  it('keeps the probabilities and the importance exactly', () => {
    const back = decodePooledOutcome(JSON.parse(JSON.stringify(encodePooledOutcome(outcome))));
    expect(back).toEqual(outcome);
    expect(back.probs.model).toBeInstanceOf(Float32Array);
  });

  it('decodes an outcome stored before the importance was measured, without one', () => {
    const { importance: _i, importanceMs: _m, ...old } = outcome;
    expect(decodePooledOutcome(JSON.parse(JSON.stringify(encodePooledOutcome(old)))).importance).toBeUndefined();
  });
});
