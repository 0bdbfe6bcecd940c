// The answer for one asset and day: the score 0-100 beside every component it is made of, each a value or the
// named reason it has none. A score needs all of its components; it is never made of missing data.
// Pure; must not import tfjs or node:*.
import { DAY_MS } from '../candle.ts';
import { toIsoDay } from '../dates.ts';
import { type AssetInputs, type DrawdownKey, parseDrawdownKey } from './asset-inputs.ts';
import { VARIANCE_SOURCES, type VarianceSource } from './range-variance.ts';
import type { RiskView } from './risk-panel.ts';
import { type RiskValue, riskMissing, riskOk } from './risk-reason.ts';
import { combineRiskScore, volatilityRisk } from './risk-score.ts';
import { ageRisk, MARKET_CAP_TIER_USD, sizeRisk, sizeTier, type SizeTier, VOLUME_TIER_USD } from './size-age.ts';

/** Size: the tier, what it was judged on, and the USD figure. */
export interface RiskSize {
  tier: SizeTier;
  basis: 'market-cap' | 'volume';
  /** Market cap, or 30-day mean daily volume, USD. */
  valueUsd: number;
}

/** The components of the score for one asset and day. */
export interface RiskComponents {
  /** Forecast daily volatility (sqrt of the mean daily variance, log-return units) over the next 7 and 30 days. */
  volatility7d: RiskValue<number>;
  volatility30d: RiskValue<number>;
  /** Calibrated P(the price falls more than 10% / 25% below today's close within 7 / 30 days). */
  drawdown10pct7d: RiskValue<number>;
  drawdown25pct7d: RiskValue<number>;
  drawdown10pct30d: RiskValue<number>;
  drawdown25pct30d: RiskValue<number>;
  /** Amihud illiquidity: 30-day mean |log return| per $1M of volume. */
  amihud: RiskValue<number>;
  /** Percentile (0-1) of amihud across the assets that day; high = illiquid. */
  amihudPercentile: RiskValue<number>;
  /** Abdi-Ranaldo spread estimate, a fraction of price. */
  spread: RiskValue<number>;
  spreadPercentile: RiskValue<number>;
  size: RiskValue<RiskSize>;
  marketCapUsd: RiskValue<number>;
  /** Calendar days since the first candle, today included. */
  ageDays: number;
  /** Where today's variance came from ('close-to-close' when the source gives no high/low). */
  varianceSource: VarianceSource;
}

/** The risk of one asset on one day. */
export interface RiskAssessment {
  symbol: string;
  dayMs: number;
  /** 0 (calm) to 100 (wild): how violent the next weeks are likely to be. Not a recommendation. */
  score: RiskValue<number>;
  components: RiskComponents;
}

/** Fewest-history and gap rules every component shares (null when the day passes them). */
export function lookbackProblem(panel: RiskView, a: AssetInputs, i: number): RiskValue<never> | null {
  const need = panel.options.lookbackDays;
  const allowed = Math.floor(need * panel.options.maxGapShare);
  if (i + 1 < need) return riskMissing('too-little-history', `${i + 1} days of history; needs ${need}`);
  if (!a.days.present[i]) return riskMissing('gap-in-lookback', 'no candle on this day');
  if (a.gapDays[i]! > allowed) return riskMissing('gap-in-lookback', `${a.gapDays[i]} of the last ${need} days have no candle; at most ${allowed} may be missing`);
  return null;
}

const finiteOr = (v: number, missing: () => RiskValue<number>): RiskValue<number> => (Number.isFinite(v) ? riskOk(v) : missing());

/** Why there is no HAR forecast at day i: a window with too many missing days, or no fit yet. */
function forecastProblem(panel: RiskView, a: AssetInputs, i: number): RiskValue<never> {
  const inputs = [a.har.daily[i]!, a.har.weekly[i]!, a.har.monthly[i]!];
  return inputs.every(Number.isFinite)
    ? riskMissing('model-not-fitted', `the pooled HAR needs ${panel.options.minTrainRows} past rows`)
    : riskMissing('gap-in-lookback', `a HAR window (1, 5 or 22 days) misses more than ${panel.options.maxGapShare * 100}% of its days`);
}

function drawdownValue(panel: RiskView, k: number, i: number, key: DrawdownKey, gate: RiskValue<never> | null): RiskValue<number> {
  if (gate) return gate;
  const h = parseDrawdownKey(key).horizonDays;
  return finiteOr(panel.drawdown.calibrated[k]![key][i]!, () => {
    if (Number.isFinite(panel.drawdown.raw[k]![key][i]!)) return riskMissing('model-not-fitted', `fewer than ${panel.options.minCalibrationEach} past events and non-events to calibrate on`);
    if (Number.isFinite(panel.forecast[k]![h][i]!)) return riskMissing('model-not-fitted', `the Student-t needs ${panel.options.minTrainRows} past standardized returns`);
    return forecastProblem(panel, panel.assets[k]!, i);
  });
}

function sizeValue(a: AssetInputs, i: number, gate: RiskValue<never> | null): RiskValue<RiskSize> {
  const cap = a.days.marketCapUsd[i]!;
  if (Number.isFinite(cap)) return riskOk({ tier: sizeTier(cap, MARKET_CAP_TIER_USD), basis: 'market-cap', valueUsd: cap });
  if (gate) return gate;
  if (a.liquidity.zeroVolumeDays[i]! > 0) return riskMissing('zero-volume', `${a.liquidity.zeroVolumeDays[i]} of the last 30 days have zero or no volume`);
  const vol = a.liquidity.meanDollarVolume[i]!;
  return riskOk({ tier: sizeTier(vol, VOLUME_TIER_USD), basis: 'volume', valueUsd: vol });
}

function liquidityValues(panel: RiskView, a: AssetInputs, k: number, i: number, gate: RiskValue<never> | null) {
  const zero = a.liquidity.zeroVolumeDays[i]!;
  const gap = () => riskMissing('gap-in-lookback', `more than ${panel.options.maxGapShare * 100}% of the 30-day window is missing`);
  const amihud: RiskValue<number> = gate ?? (zero > 0 ? riskMissing('zero-volume', `${zero} of the last 30 days have zero or no volume`) : finiteOr(a.liquidity.amihud[i]!, gap));
  const spread: RiskValue<number> = gate ?? finiteOr(a.liquidity.spread[i]!, () => Number.isFinite(a.days.logMid[i]!) ? gap() : riskMissing('no-high-low', 'the spread estimator needs daily high and low'));
  const fewAssets = () => riskMissing('too-few-assets', `fewer than ${panel.options.minAssetsForPercentile} assets have a value that day`);
  const pct = (v: RiskValue<number>, p: number): RiskValue<number> => (v.ok ? finiteOr(p, fewAssets) : v);
  return { amihud, spread, amihudPercentile: pct(amihud, panel.amihudPercentile[k]![i]!), spreadPercentile: pct(spread, panel.spreadPercentile[k]![i]!) };
}

function components(panel: RiskView, k: number, i: number): RiskComponents {
  const a = panel.assets[k]!;
  const gate = lookbackProblem(panel, a, i);
  const vol = (h: 7 | 30): RiskValue<number> => gate ?? finiteOr(Math.sqrt(panel.forecast[k]![h][i]!), () => forecastProblem(panel, a, i));
  const cap = a.days.marketCapUsd[i]!;
  return {
    volatility7d: vol(7), volatility30d: vol(30),
    drawdown10pct7d: drawdownValue(panel, k, i, '0.1@7', gate), drawdown25pct7d: drawdownValue(panel, k, i, '0.25@7', gate),
    drawdown10pct30d: drawdownValue(panel, k, i, '0.1@30', gate), drawdown25pct30d: drawdownValue(panel, k, i, '0.25@30', gate),
    ...liquidityValues(panel, a, k, i, gate),
    size: sizeValue(a, i, gate),
    marketCapUsd: Number.isFinite(cap) ? riskOk(cap) : riskMissing('no-market-cap', 'the source gives no market cap; size uses 30-day volume'),
    ageDays: i + 1 + (panel.ageOffsetDays?.[k] ?? 0),
    varianceSource: VARIANCE_SOURCES[a.days.varianceSource[i]!]!,
  };
}

function score(c: RiskComponents): RiskValue<number> {
  const needed = { volatility30d: c.volatility30d, drawdown10pct30d: c.drawdown10pct30d, drawdown25pct30d: c.drawdown25pct30d,
    amihudPercentile: c.amihudPercentile, spreadPercentile: c.spreadPercentile, size: c.size };
  for (const [name, v] of Object.entries(needed)) if (!v.ok) return riskMissing(v.reason, `${name}: ${v.detail}`);
  const ok = <T>(v: RiskValue<T>) => (v as { value: T }).value;
  return riskOk(combineRiskScore({
    volatility: volatilityRisk(ok(c.volatility30d)),
    drawdown: (ok(c.drawdown10pct30d) + ok(c.drawdown25pct30d)) / 2,
    liquidity: (ok(c.amihudPercentile) + ok(c.spreadPercentile)) / 2,
    size: sizeRisk(ok(c.size).tier),
    age: ageRisk(c.ageDays),
  }));
}

/** The assessment of asset `k` of the panel on its local day `i` (0 = its first candle). */
export function assessRiskAt(panel: RiskView, k: number, i: number): RiskAssessment {
  const a = panel.assets[k]!;
  const c = components(panel, k, i);
  return { symbol: a.symbol, dayMs: a.days.firstDayMs + i * DAY_MS, score: score(c), components: c };
}

/** The assessment of `symbol` on the UTC day `dayMs`. Throws when the panel has no such asset or day. */
export function assessRisk(panel: RiskView, symbol: string, dayMs: number): RiskAssessment {
  const k = panel.assets.findIndex((a) => a.symbol === symbol);
  if (k < 0) throw new Error(`No asset "${symbol}" in the risk panel. Should be one of: ${panel.assets.map((a) => a.symbol).join(', ')}.`);
  const a = panel.assets[k]!;
  const i = Math.round((dayMs - a.days.firstDayMs) / DAY_MS);
  if (i < 0 || i >= a.days.nDays) throw new Error(`${symbol} has candles from ${toIsoDay(a.days.firstDayMs)} to ${toIsoDay(a.days.firstDayMs + (a.days.nDays - 1) * DAY_MS)}, not on ${toIsoDay(dayMs)}.`);
  return assessRiskAt(panel, k, i);
}

/** Every asset's score on every day of its history ([nDays] per asset, NaN where there is none). */
export function riskScores(panel: RiskView): Float64Array[] {
  return panel.assets.map((a, k) => Float64Array.from({ length: a.days.nDays }, (_, i) => {
    const s = assessRiskAt(panel, k, i).score;
    return s.ok ? s.value : Number.NaN;
  }));
}
