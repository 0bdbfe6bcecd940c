import { describe, expect, it } from 'vitest';
import { runStrategy, simulateTrading } from './trading.ts';

const row = (bear: number, neut: number, bull: number) => [bear, neut, bull];

describe('simulateTrading', () => {
  it('goes long, short or flat by class and confidence, and pays fees on each change of position', () => {
    const probs = [row(0.1, 0.1, 0.8), row(0.7, 0.2, 0.1), row(0.3, 0.4, 0.3), row(0.35, 0.3, 0.35)].flat();
    const next = [0.1, -0.1, 0.05, 0.02];
    const r = simulateTrading(probs, next, { minConfidence: 0.4, feeBps: 10, slippageBps: 0 });
    expect(r.positions).toEqual([1, -1, 0, 0]);
    const c = 0.001;
    const expected = (1 + 0.1 - c) * (1 + 0.1 - 2 * c) * (1 - c) * 1;
    expect(r.strategy.equity.at(-1)).toBeCloseTo(expected, 12);
    expect(r.buyAndHold.totalReturn).toBeCloseTo((1.1 - c) * 0.9 * 1.05 * 1.02 - 1, 12);
    expect(r.strategy.exposure).toBe(0.5);
    expect(r.strategy.turnoverPerYear).toBeCloseTo(4 / (4 / 365), 6);
    expect(simulateTrading(probs, next, { allowShort: false }).positions).toEqual([1, 0, 0, 0]);
  });

  it('measures drawdown, CAGR and Sharpe of a known path', () => {
    const s = runStrategy([1, 1, 1, 1], [0.1, -0.5, 0.2, 0.1], 0);
    expect(s.maxDrawdown).toBeCloseTo(0.5, 12);
    expect(s.cagr).toBeCloseTo((1.1 * 0.5 * 1.2 * 1.1) ** (365 / 4) - 1, 6);
    const flat = runStrategy([0, 0], [0.1, 0.2], 0);
    expect(flat).toMatchObject({ totalReturn: 0, sharpe: 0, maxDrawdown: 0 });
    expect(() => simulateTrading([0.2, 0.3], [0.1])).toThrow(/\[n, 3\] probabilities for n = 1/);
  });
});
