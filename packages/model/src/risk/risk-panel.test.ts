import { describe, expect, it } from 'vitest';
import { type Candle, DAY_MS } from '../candle.ts';
import { makeSyntheticCandles } from '../synthetic-candles.ts';
import { assessRisk, assessRiskAt, riskScores } from './assess-risk.ts';
import { evaluateRisk } from './evaluate-risk.ts';
import { fixture, garchCandles, START } from './garch-fixture.ts';
import { computeRiskPanel, type RiskSeries } from './risk-panel.ts';

const panelOf = (series: RiskSeries[]) => computeRiskPanel(series, { harLogs: true, selectUntilMs: START + 400 * DAY_MS, simulationPaths: 2000 });

describe('the risk panel', () => {
  it('scores a clean asset once the pooled fits have enough past rows, with every component beside the score', () => {
    const panel = panelOf(fixture());
    const late = assessRisk(panel, 'A1', START + 650 * DAY_MS);
    expect(late.score.ok).toBe(true);
    expect((late.score as { value: number }).value).toBeGreaterThan(0);
    expect((late.score as { value: number }).value).toBeLessThan(100);
    for (const c of ['volatility7d', 'volatility30d', 'drawdown10pct7d', 'drawdown25pct30d', 'amihudPercentile', 'spreadPercentile', 'size'] as const) {
      expect(late.components[c].ok).toBe(true);
    }
    expect(late.components.marketCapUsd).toMatchObject({ ok: false, reason: 'no-market-cap' });
    expect(late.components.size).toMatchObject({ ok: true, value: { basis: 'volume' } });
    expect(assessRisk(panel, 'A1', START + 40 * DAY_MS).score).toMatchObject({ ok: false, reason: 'model-not-fitted' });
  });

  it('does not leak: changing every candle after day t leaves every value at day t unchanged', () => {
    const base = fixture();
    const t = 600;
    const changed = base.map((s) => ({ symbol: s.symbol, candles: s.candles.map((c, i) => (i <= t ? c : { ...c, high: c.high! * 1.3, close: c.close * 1.2, low: c.low! * 0.7 })) }));
    const a = panelOf(base);
    const b = panelOf(changed);
    for (let k = 0; k < 4; k++) {
      for (const i of [t - 100, t - 1, t]) {
        expect(assessRiskAt(b, k, i)).toEqual(assessRiskAt(a, k, i));
        expect(b.forecast[k]![30][i]).toBe(a.forecast[k]![30][i]);
      }
      expect(assessRiskAt(b, k, t + 1)).not.toEqual(assessRiskAt(a, k, t + 1));
    }
  });

  it('gives the same scores for the same candles', () => {
    expect(riskScores(panelOf(fixture(500)))).toEqual(riskScores(panelOf(fixture(500))));
  });
});

describe('bad input gives a named reason, never a number', () => {
  const scoreOf = (candles: Candle[], day: number) => {
    const series = [...fixture(), { symbol: 'X', candles }];
    return assessRisk(panelOf(series), 'X', START + day * DAY_MS);
  };

  it('too little history', () => {
    const young = garchCandles(700, 9).slice(680);
    const r = scoreOf(young, 690);
    expect(r.score).toMatchObject({ ok: false, reason: 'too-little-history' });
    expect(r.components.ageDays).toBe(11);
  });

  it('a gap of days inside the lookback', () => {
    const gappy = garchCandles(700, 9).filter((_, i) => i < 640 || i > 650);
    expect(scoreOf(gappy, 660).score).toMatchObject({ ok: false, reason: 'gap-in-lookback' });
    expect(scoreOf(gappy, 699).score.ok).toBe(true); // one month later the window is whole again
  });

  it('zero volume', () => {
    const dead = garchCandles(700, 9).map((c, i) => (i === 655 ? { ...c, quoteVolumeUsd: 0, baseVolume: 0 } : c));
    const r = scoreOf(dead, 660);
    expect(r.components.amihud).toMatchObject({ ok: false, reason: 'zero-volume' });
    expect(r.score).toMatchObject({ ok: false, reason: 'zero-volume' });
  });

  it('closes only: the variance falls back to close-to-close and the spread has no range to work from', () => {
    const closes = makeSyntheticCandles(700, 9, { priceOnly: true, startMs: START, withoutMarketCap: true });
    const r = scoreOf(closes, 660);
    expect(r.components.varianceSource).toBe('close-to-close');
    expect(r.components.volatility30d.ok).toBe(true);
    expect(r.components.spread).toMatchObject({ ok: false, reason: 'no-high-low' });
    expect(r.score).toMatchObject({ ok: false, reason: 'no-high-low' });
  });

  it('a market cap sets the size tier when the candle has one', () => {
    const capped = makeSyntheticCandles(700, 9, { startMs: START });
    expect(scoreOf(capped, 660).components.size).toMatchObject({ ok: true, value: { basis: 'market-cap' } });
  });

  it('refuses unsorted candles and duplicate symbols whole', () => {
    const c = garchCandles(100, 1);
    expect(() => panelOf([{ symbol: 'A', candles: [c[1]!, c[0]!] }])).toThrow(/oldest first/);
    expect(() => panelOf([{ symbol: 'A', candles: c }, { symbol: 'A', candles: c }])).toThrow(/distinct symbols/);
  });
});

describe('evaluateRisk on a small fixture', () => {
  it('reports every figure with an interval, HAR beating yesterday on a clustered process', () => {
    const r = evaluateRisk(fixture(900), { harLogs: 'auto', selectUntilMs: START + 400 * DAY_MS, simulationPaths: 2000, bootstrapIterations: 100 });
    expect(r.volatility.map((v) => v.horizonDays)).toEqual([7, 30]);
    for (const v of r.volatility) {
      for (const d of Object.values(v.harMinus)) expect(d.qlike.lower).toBeLessThanOrEqual(d.qlike.upper);
      expect(v.harMinus.yesterday.qlike.upper).toBeLessThan(0);
    }
    expect(r.drawdown).toHaveLength(4);
    for (const d of r.drawdown) {
      expect(d.ece.estimate).toBeGreaterThanOrEqual(0);
      expect(d.brier.estimate).toBeLessThan(0.3);
    }
    expect(r.score.n).toBeGreaterThan(100);
    expect(Number.isFinite(r.score.forwardVolatility.score.estimate)).toBe(true);
    expect(r.harChoice[7].how).toBe('auto');
  });
});
