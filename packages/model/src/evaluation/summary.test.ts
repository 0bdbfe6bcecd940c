import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../metrics.ts';
import { oneHot } from './momentum.ts';
import { summarizePredictions } from './summary.ts';
import { checkTargets } from './targets.ts';

describe('summarizePredictions', () => {
  const y = Int32Array.from({ length: 300 }, (_, i) => Math.floor(i / 7) % 3);
  const perfect = oneHot(y);
  const wrong = oneHot(y.map((c) => (c + 1) % 3));
  const uniform = new Float32Array(900).fill(1 / 3);

  it('agrees with computeMetrics, and gives the accuracy difference with an interval', () => {
    const s = summarizePredictions({ y, probs: { model: perfect, majority: uniform, bad: wrong } }, { blockLength: 7, iterations: 200 });
    for (const name of ['model', 'majority', 'bad']) {
      const m = s.predictors[name]!;
      const ref = computeMetrics(name === 'model' ? perfect : name === 'bad' ? wrong : uniform, y);
      expect(m.intervals.accuracy.estimate).toBeCloseTo(ref.accuracy, 12);
      expect(m.intervals.macroF1.estimate).toBeCloseTo(ref.macroF1, 12);
      expect(m.intervals.logLoss.estimate).toBeCloseTo(ref.logLoss, 6);
      expect(m.intervals.ece.estimate).toBeCloseTo(ref.ece, 6);
    }
    expect(s.accuracyDifference.bad).toEqual({ estimate: 1, lower: 1, upper: 1 });
    expect(s.predictors.model!.nonNeutral.coverage).toBeCloseTo(y.filter((c) => c !== 1).length / 300, 12);
  });

  it('passes or fails the specification targets on the measured numbers', () => {
    const rows = checkTargets('BTC', 7, { estimate: 0.55, lower: 0.5, upper: 0.6 }, { estimate: 0.04, lower: 0.02, upper: 0.08 });
    expect(rows.map((r) => [r.metric, r.target, r.pass])).toEqual([['accuracy', '>= 72%', false], ['calibration (ECE)', '<= 5%', true]]);
    expect(checkTargets('SOL', 30, { estimate: 0.56, lower: 0, upper: 1 }, { estimate: 0.2, lower: 0, upper: 1 }).map((r) => r.pass)).toEqual([true, false]);
  });
});
