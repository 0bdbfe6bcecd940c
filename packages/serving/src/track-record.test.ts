// computeTrackRecords against a hand count: a model and its baselines on the same resolved days, windows cut back
// from the newest resolved prediction, pending and baseline-less rows counted apart, and deterministic intervals.
import { CLASS_NAMES, computeMetrics } from '@coinsphere/model/core';
import { describe, expect, it } from 'vitest';
import { computeTrackRecords, type TrackRecordRow } from './track-record.ts';

const hot = (c: 'bearish' | 'neutral' | 'bullish') => ({ bearish: c === 'bearish' ? 1 : 0, neutral: c === 'neutral' ? 1 : 0, bullish: c === 'bullish' ? 1 : 0 });
const shares = { bearish: 0.3, neutral: 0.4, bullish: 0.3 };
const row = (asOf: string, called: 'bearish' | 'neutral' | 'bullish', p: number, realised: TrackRecordRow['realisedClass'], persistence: 'bearish' | 'neutral' | 'bullish' | null = 'bullish'): TrackRecordRow => ({
  asOf,
  modelVersion: 'v1',
  probabilities: { ...{ bearish: (1 - p) / 2, neutral: (1 - p) / 2, bullish: (1 - p) / 2 }, [called]: p },
  realisedClass: realised,
  baselines: persistence === null ? null : { persistence: hot(persistence), majority: shares },
});

describe('computeTrackRecords', () => {
  const rows: TrackRecordRow[] = [
    row('2024-01-01', 'bullish', 0.6, 'bullish'), // model right, persistence right
    row('2024-01-20', 'bearish', 0.5, 'bullish'), // model wrong, persistence right
    row('2024-03-01', 'neutral', 0.4, 'neutral'), // model right, persistence wrong
    row('2024-03-10', 'bullish', 0.8, 'bearish'), // model wrong, persistence wrong
    row('2024-03-15', 'bullish', 0.7, 'bullish'), // model right, persistence right
    row('2023-12-01', 'bullish', 0.7, 'bearish', null), // resolved before baselines were recorded: left out
    row('2024-03-20', 'bullish', 0.7, null), // pending
  ];
  const [record] = computeTrackRecords('BTC', 7, rows);

  it('counts published, resolved, pending and baseline-less predictions, and when it went live', () => {
    expect(record).toMatchObject({ kind: 'live', symbol: 'BTC', horizonDays: 7, modelVersion: 'v1', liveSince: '2023-12-01', published: 7, resolved: 6, pending: 1, withoutBaselines: 1 });
  });

  it('gives the model and its baselines on the same resolved days, as counted by hand', () => {
    const live = record!.windows.find((w) => w.window === 'live')!;
    expect(live).toMatchObject({ resolved: 5, fromDay: '2024-01-01', toDay: '2024-03-15', chanceAccuracy: 1 / 3 });
    expect(live.model!.accuracy.estimate).toBeCloseTo(3 / 5, 12);
    expect(live.baselines.persistence!.accuracy.estimate).toBeCloseTo(3 / 5, 12);
    expect(live.baselines.majority!.accuracy.estimate).toBeCloseTo(1 / 5, 12); // always neutral: right on 03-01 only
    expect(live.baselines.momentum).toBeNull(); // not recorded on these rows
    // Brier by hand: sum over rows of sum_k (p_k - [y = k])^2, over 5
    const brier = [(0.4 ** 2 + 0.2 ** 2 + 0.2 ** 2), (0.5 ** 2 + 0.25 ** 2 + 0.75 ** 2), (0.6 ** 2 + 0.3 ** 2 + 0.3 ** 2), (0.9 ** 2 + 0.1 ** 2 + 0.8 ** 2), (0.3 ** 2 + 0.15 ** 2 + 0.15 ** 2)];
    expect(live.model!.brier.estimate).toBeCloseTo(brier.reduce((s, b) => s + b, 0) / 5, 12);
    expect(live.baselines.persistence!.brier.estimate).toBeCloseTo((2 * 2) / 5, 12); // a wrong one-hot call costs 2
    for (const f of [live.model!, live.baselines.persistence!]) {
      expect(f.accuracy.lower).toBeLessThanOrEqual(f.accuracy.estimate);
      expect(f.accuracy.upper).toBeGreaterThanOrEqual(f.accuracy.estimate);
    }
    expect(live.model!.reliability.reduce((s, b) => s + b.count, 0)).toBe(5);
  });

  it('lists the counted resolved days, oldest first, with whether the model and each recorded baseline came true', () => {
    expect(record!.resolvedDays).toEqual([
      { asOf: '2024-01-01', hit: true, baselineHits: { persistence: true, majority: false } },
      { asOf: '2024-01-20', hit: false, baselineHits: { persistence: true, majority: false } },
      { asOf: '2024-03-01', hit: true, baselineHits: { persistence: false, majority: true } },
      { asOf: '2024-03-10', hit: false, baselineHits: { persistence: false, majority: false } },
      { asOf: '2024-03-15', hit: true, baselineHits: { persistence: true, majority: false } },
    ]);
  });

  it('gives the estimates computeMetrics gives on the same rows (macro-F1 and Brier as the walk-forward defines them)', () => {
    const counted = rows.filter((r) => r.realisedClass !== null && r.baselines !== null);
    const y = counted.map((r) => CLASS_NAMES.indexOf(r.realisedClass!));
    const live = record!.windows.find((w) => w.window === 'live')!;
    const model = computeMetrics(counted.flatMap((r) => CLASS_NAMES.map((c) => r.probabilities[c])), y, 5);
    const persistence = computeMetrics(counted.flatMap((r) => CLASS_NAMES.map((c) => r.baselines!.persistence![c])), y, 5);
    expect([live.model!.accuracy.estimate, live.model!.macroF1.estimate, live.model!.brier.estimate]).toEqual([model.accuracy, model.macroF1, model.brier].map((v) => expect.closeTo(v, 12)));
    expect(live.baselines.persistence!.macroF1.estimate).toBeCloseTo(persistence.macroF1, 12);
    expect(live.model!.reliability).toEqual(model.reliability);
  });

  it('cuts the windows back from the newest resolved prediction', () => {
    const w30 = record!.windows.find((w) => w.window === '30d')!;
    expect(w30).toMatchObject({ resolved: 3, fromDay: '2024-03-01', toDay: '2024-03-15' }); // 2024-02-15 < asOf <= 2024-03-15
    expect(w30.model!.accuracy.estimate).toBeCloseTo(2 / 3, 12);
    expect(record!.windows.find((w) => w.window === '90d')!.resolved).toBe(5);
  });

  it('gives the same intervals for the same rows, in any order, and one record per model version', () => {
    expect(computeTrackRecords('BTC', 7, [...rows].reverse())).toEqual([record]);
    const two = computeTrackRecords('BTC', 7, [...rows, { ...rows[0]!, modelVersion: 'v2', asOf: '2024-04-01' }]);
    expect(two.map((r) => [r.modelVersion, r.published])).toEqual([['v1', 7], ['v2', 1]]);
  });

  it('has no figures where nothing is resolved yet', () => {
    const [pending] = computeTrackRecords('BTC', 7, [row('2024-03-20', 'bullish', 0.7, null)]);
    expect(pending!.windows.every((w) => w.resolved === 0 && w.model === null && w.baselines.persistence === null)).toBe(true);
  });
});
