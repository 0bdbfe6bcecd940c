import { describe, expect, it } from 'vitest';

import { classifyReturn, ewmaVolatility, fitLabelThresholds, fitVolatilityRule, forwardReturns, thresholdsAt } from './labels.ts';
import { makeRng, randomNormal } from './random.ts';

/** A random walk whose daily volatility is 1% for `calm` days, then 6%. */
function regimes(calm: number, wild: number, seed: number): number[] {
  const rng = makeRng(seed);
  const out = [100];
  for (let t = 1; t < calm + wild; t++) out.push(out[t - 1]! * Math.exp((t < calm ? 0.01 : 0.06) * randomNormal(rng)));
  return out;
}

const neutralShare = (classes: number[]) => classes.filter((c) => c === 1).length / classes.length;

describe('ewmaVolatility', () => {
  it('follows its recursion and uses no later close', () => {
    const close = [100, 101, 99, 102, 103, 101, 100, 104, 102, 103, 105, 104];
    const s = ewmaVolatility(close, 5);
    const a = 2 / 6;
    let v = Math.log(101 / 100) ** 2;
    for (let t = 2; t <= 11; t++) v = (1 - a) * v + a * Math.log(close[t]! / close[t - 1]!) ** 2;
    expect(s[11]).toBeCloseTo(Math.sqrt(v), 12);
    expect(Number.isNaN(s[9]!)).toBe(true);
    expect(ewmaVolatility(close.slice(0, 11), 5)[10]).toBe(s[10]);
  });
});

describe('volatility-scaled labels', () => {
  const close = regimes(600, 600, 5);
  const h = 7;
  const fwd = forwardReturns(close, h);
  const sigma = ewmaVolatility(close);
  const rows = Array.from({ length: close.length - h - 30 }, (_, i) => i + 30);
  const trainRows = rows.filter((t) => t < 900);

  it('fits k so that a third of the training samples are neutral', () => {
    const rule = fitVolatilityRule(trainRows.map((t) => fwd[t]!), trainRows.map((t) => sigma[t]!), h);
    const classes = trainRows.map((t) => classifyReturn(fwd[t]!, thresholdsAt(rule, sigma, t, h)));
    expect(neutralShare(classes)).toBeCloseTo(1 / 3, 2);
  });

  it('keeps "neutral" near a third in the calm and the wild regime, where a fixed band does not', () => {
    const rule = fitVolatilityRule(trainRows.map((t) => fwd[t]!), trainRows.map((t) => sigma[t]!), h);
    const fixed = fitLabelThresholds(trainRows.map((t) => fwd[t]!));
    const calm = rows.filter((t) => t > 100 && t < 550);
    const wild = rows.filter((t) => t > 700);
    const vol = (part: number[]) => neutralShare(part.map((t) => classifyReturn(fwd[t]!, thresholdsAt(rule, sigma, t, h))));
    const fix = (part: number[]) => neutralShare(part.map((t) => classifyReturn(fwd[t]!, fixed)));
    expect(Math.abs(vol(calm) - vol(wild))).toBeLessThan(0.12);
    expect(fix(calm) - fix(wild)).toBeGreaterThan(0.3); // most calm days are "neutral" under one fixed band
  });
});
