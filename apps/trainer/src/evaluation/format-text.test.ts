// The terminal's line on the permutation importance: the top inputs with their intervals, and how many are clearly
// used, clearly harmful, or neither.
import type { ImportanceSummary } from '@coinsphere/model/core';
import { describe, expect, it } from 'vitest';
import { formatImportance } from './format-text.ts';

const ci = (estimate: number, lower: number, upper: number) => ({ estimate, lower, upper });
const imp: ImportanceSummary = {
  method: 'permutation', interval: 'block bootstrap over calendar days', rows: 300, days: 150, folds: 2, repeats: 1,
  features: [
    { name: 'rsi_14', logLoss: ci(0.004, 0.001, 0.007), accuracy: ci(0.01, 0, 0.02) },
    { name: 'ret_7d', logLoss: ci(0.001, -0.002, 0.004), accuracy: ci(0, -0.01, 0.01) },
    { name: 'drawdown_90d', logLoss: ci(-0.006, -0.011, -0.002), accuracy: ci(-0.01, -0.02, 0) },
  ],
};

describe('formatImportance', () => {
  it('lists the top inputs with intervals and counts the clear ones on each side', () => {
    expect(formatImportance(imp, 7, 2)).toBe('Importance 7d (permutation, n = 300; rise in log loss, nats): rsi_14 +0.0040 [0.0010, 0.0070], ret_7d +0.0010 [-0.0020, 0.0040]; 1 of 3 clearly used, 1 clearly harmful (shuffling helped), the rest with intervals holding 0');
  });
});
