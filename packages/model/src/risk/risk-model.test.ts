import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../candle.ts';
import { assessRiskAt } from './assess-risk.ts';
import { fixture, garchCandles, START } from './garch-fixture.ts';
import { computeRiskPanel, type RiskSeries } from './risk-panel.ts';
import { assessRiskWithModel, RISK_CANDLE_DAYS, riskModelAt, type RiskModel } from './risk-model.ts';

const panelOf = (series: RiskSeries[]) => computeRiskPanel(series, { selectUntilMs: START + 400 * DAY_MS, simulationPaths: 2000 });
/** Through JSON and back, as publish stores it and a browser reads it. */
const wire = (m: RiskModel): RiskModel => JSON.parse(JSON.stringify(m)) as RiskModel;

describe('the risk model frozen on one day', () => {
  const series = fixture(720);
  const panel = panelOf(series);

  it('gives every asset the assessment the panel gives, from that asset\'s candles alone, on days with and without a score', () => {
    let scored = 0, unscored = 0;
    for (const day of [20, 100, 400, 641, 700, 719]) {
      const model = wire(riskModelAt(panel, START + day * DAY_MS));
      series.forEach((s, k) => {
        const fromModel = assessRiskWithModel(model, s.symbol, s.candles);
        expect(fromModel).toEqual(assessRiskAt(panel, k, day));
        if (fromModel.score.ok) scored++;
        else unscored++;
      });
    }
    expect(scored).toBeGreaterThanOrEqual(12); // the late days are scored...
    expect(unscored).toBeGreaterThanOrEqual(4); // ...the early ones are not, with the panel's reasons
  });

  it('ignores candles after its day, and answers for an asset it has never seen', () => {
    const model = riskModelAt(panel, START + 700 * DAY_MS);
    expect(assessRiskWithModel(model, 'A2', series[2]!.candles.slice(0, 701))).toEqual(assessRiskAt(panel, 2, 700));
    const unseen = assessRiskWithModel(model, 'NEW', garchCandles(720, 11));
    expect(unseen.score.ok).toBe(true);
    expect(unseen.components.amihudPercentile.ok).toBe(true);
  });

  it('depends on the day: a model of another day gives another score', () => {
    const a = assessRiskWithModel(riskModelAt(panel, START + 700 * DAY_MS), 'A1', series[1]!.candles);
    const b = assessRiskWithModel(riskModelAt(panel, START + 719 * DAY_MS), 'A1', series[1]!.candles);
    expect(a.dayMs).toBe(START + 700 * DAY_MS);
    expect(b.score).not.toEqual(a.score);
  });

  it('refuses a model of another method version, and candles that stop before its day, naming the fix', () => {
    const model = riskModelAt(panel, START + 700 * DAY_MS);
    expect(() => assessRiskWithModel({ ...model, methodVersion: 'degen-risk-v0' }, 'A1', series[1]!.candles)).toThrow(/method degen-risk-v0.*Publish again/);
    expect(() => assessRiskWithModel(model, 'A1', series[1]!.candles.slice(0, 600))).toThrow(/2019-08-23; the risk model is for 2019-12-02\. Pass the candles up to that day/);
    expect(() => riskModelAt(panel, START - DAY_MS)).toThrow(/covers 2018-01-01 to/);
  });
});

describe('the risk model over an asset\'s recent candles', () => {
  const series = fixture(720);
  const panel = panelOf(series);
  const model = riskModelAt(panel, START + 719 * DAY_MS);

  it('gives the panel\'s score within 1e-12 from the last RISK_CANDLE_DAYS days and the day the history began', () => {
    series.forEach((s, k) => {
      const whole = assessRiskAt(panel, k, 719);
      const recent = assessRiskWithModel(model, s.symbol, s.candles.slice(-RISK_CANDLE_DAYS), START);
      expect(recent.components.ageDays).toBe(720);
      expect(recent.score.ok && whole.score.ok).toBe(true);
      expect(Math.abs((recent.score as { value: number }).value - (whole.score as { value: number }).value)).toBeLessThan(1e-12);
      expect(Math.abs((recent.components.volatility30d as { value: number }).value - (whole.components.volatility30d as { value: number }).value)).toBeLessThan(1e-15);
    });
  });

  it('counts the age from the history\'s start, not from the first candle given', () => {
    const young = riskModelAt(computeRiskPanel(fixture(400), { selectUntilMs: START + 200 * DAY_MS, simulationPaths: 2000 }), START + 399 * DAY_MS);
    const candles = fixture(400)[0]!.candles;
    const whole = assessRiskWithModel(young, 'A0', candles);
    const recent = assessRiskWithModel(young, 'A0', candles.slice(-RISK_CANDLE_DAYS), START);
    const cut = assessRiskWithModel(young, 'A0', candles.slice(-RISK_CANDLE_DAYS));
    expect([whole.components.ageDays, recent.components.ageDays, cut.components.ageDays]).toEqual([400, 400, RISK_CANDLE_DAYS]);
    expect((cut.score as { value: number }).value).toBeGreaterThan((whole.score as { value: number }).value); // younger reads riskier
  });

  it('refuses too few recent candles, and a history said to begin after its first candle', () => {
    expect(() => assessRiskWithModel(model, 'A1', series[1]!.candles.slice(-30), START)).toThrow(/30 days of candles.*needs the last 90 days\. Pass more candles/);
    expect(() => assessRiskWithModel(model, 'A1', series[1]!.candles, START + DAY_MS)).toThrow(/said to begin on 2018-01-02, after its first candle/);
  });
});
