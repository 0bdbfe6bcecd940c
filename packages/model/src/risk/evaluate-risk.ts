// The honest evaluation of the risk model, walk-forward and pooled over every asset: the HAR forecast against the
// naive forecasts on the same rows (QLIKE and MSE, with day-block bootstrap intervals of the differences), the
// calibrated drawdown probabilities against the climatological rate (reliability, ECE, Brier), and the score's rank
// correlation with what followed beside trailing volatility's. Rows before `evaluateFromMs` (the HAR selection
// period) are not reported. Pure; must not import tfjs or node:*.
import { DAY_MS } from '../candle.ts';
import { blockBootstrap, type ConfidenceInterval } from '../evaluation/bootstrap.ts';
import type { ReliabilityBin } from '../metrics.ts';
import { assessRiskAt, lookbackProblem } from './assess-risk.ts';
import { DRAWDOWN_SPECS, type DrawdownKey, NAIVE_NAMES } from './asset-inputs.ts';
import { binaryCalibration, brierScore } from './binary-calibration.ts';
import { forwardCloseVolatility, forwardMaxDrawdown } from './forward-outcomes.ts';
import { VARIANCE_FLOOR } from './har.ts';
import { qlikeLoss, squaredErrorLoss } from './losses.ts';
import { midRanks, pearsonCorrelation } from './rank-correlation.ts';
import { RISK_HORIZONS_DAYS, type RiskHorizon, type RiskOptions } from './risk-options.ts';
import { computeRiskPanel, type HarChoice, type RiskPanel, type RiskSeries } from './risk-panel.ts';

/** Options of evaluateRisk: the model's, plus the reporting period and the bootstrap. */
export interface EvaluateRiskOptions extends RiskOptions {
  /** First forecast day reported, epoch ms (default: the model's selectUntilMs). */
  evaluateFromMs: number;
  /** Bootstrap resamples (default 1000). */
  bootstrapIterations: number;
  bootstrapSeed: number;
}

export type ForecastName = 'har' | (typeof NAIVE_NAMES)[number];

/** One horizon's variance forecasts on the same rows. */
export interface VolatilityEvaluation {
  horizonDays: RiskHorizon;
  n: number;
  /** Distinct forecast days (the bootstrap's blocks are drawn over them). */
  days: number;
  /** Mean loss of each forecast. */
  mean: Record<ForecastName, { qlike: number; mse: number }>;
  /** Mean loss of HAR minus a naive forecast's: negative = HAR better. */
  harMinus: Record<(typeof NAIVE_NAMES)[number], { qlike: ConfidenceInterval; mse: ConfidenceInterval }>;
}

/** One (fall, horizon) drawdown probability on the same rows as its climatology. */
export interface DrawdownEvaluation {
  key: DrawdownKey;
  n: number;
  eventRate: number;
  brier: ConfidenceInterval;
  climatologyBrier: ConfidenceInterval;
  /** Brier of the calibrated probability minus the climatological rate's: negative = better than the base rate. */
  brierMinusClimatology: ConfidenceInterval;
  ece: ConfidenceInterval;
  /** Before calibration (the Student-t probability itself). */
  rawBrier: number;
  rawEce: number;
  reliability: ReliabilityBin[];
}

/** Spearman correlations over (asset, day) rows with the realised forward 30 days. */
export interface ScoreEvaluation {
  n: number;
  forwardVolatility: { score: ConfidenceInterval; trailingVolatility: ConfidenceInterval; harVolatility: ConfidenceInterval; scoreMinusTrailing: ConfidenceInterval };
  forwardMaxDrawdown: { score: ConfidenceInterval; trailingVolatility: ConfidenceInterval; harVolatility: ConfidenceInterval; scoreMinusTrailing: ConfidenceInterval };
}

/** Everything evaluateRisk reports. */
export interface RiskEvaluation {
  evaluateFromMs: number;
  assets: { symbol: string; firstDayMs: number; days: number; scoredDays: number }[];
  harChoice: Record<RiskHorizon, HarChoice>;
  volatility: VolatilityEvaluation[];
  drawdown: DrawdownEvaluation[];
  score: ScoreEvaluation;
}

/** Row (asset, local day) iteration over the reported period, days passing the shared lookback rules only. */
function forEachRow(panel: RiskPanel, fromMs: number, visit: (k: number, i: number, dayMs: number) => void): void {
  panel.assets.forEach((a, k) => {
    for (let i = Math.max(0, Math.ceil((fromMs - a.days.firstDayMs) / DAY_MS)); i < a.days.nDays; i++) {
      if (!lookbackProblem(panel, a, i)) visit(k, i, a.days.firstDayMs + i * DAY_MS);
    }
  });
}

function evaluateVolatility(panel: RiskPanel, h: RiskHorizon, opts: EvaluateRiskOptions): VolatilityEvaluation {
  const names: ForecastName[] = ['har', ...NAIVE_NAMES];
  const rows: { day: number; y: number; f: number[] }[] = [];
  forEachRow(panel, opts.evaluateFromMs, (k, i, day) => {
    const a = panel.assets[k]!;
    const y = a.target[h][i]!;
    const f = [panel.forecast[k]![h][i]!, ...NAIVE_NAMES.map((n) => a.naive[n][i]!)].map((v) => Math.max(VARIANCE_FLOOR, v));
    if (Number.isFinite(y) && y > 0 && f.every(Number.isFinite)) rows.push({ day, y, f });
  });
  if (rows.length === 0) throw new Error(`No ${h}-day volatility rows to evaluate from ${new Date(opts.evaluateFromMs).toISOString().slice(0, 10)}.`);
  const q = names.map((_, m) => Float64Array.from(rows, (r) => qlikeLoss(r.y, r.f[m]!)));
  const e = names.map((_, m) => Float64Array.from(rows, (r) => squaredErrorLoss(r.y, r.f[m]!)));
  const mean = (x: Float64Array, idx: Int32Array) => idx.reduce((s, i) => s + x[i]!, 0) / idx.length;
  // statistics: [HAR − naive j in QLIKE for each j, then HAR − naive j in MSE for each j]
  const ci = blockBootstrap(rows.length, (idx) => [q, e].flatMap((loss) => {
    const har = mean(loss[0]!, idx);
    return NAIVE_NAMES.map((_, j) => har - mean(loss[j + 1]!, idx));
  }), { days: Float64Array.from(rows, (r) => r.day), blockLength: h, iterations: opts.bootstrapIterations, seed: opts.bootstrapSeed });
  const identity = Int32Array.from(rows, (_, i) => i);
  return {
    horizonDays: h, n: rows.length, days: new Set(rows.map((r) => r.day)).size,
    mean: Object.fromEntries(names.map((n, m) => [n, { qlike: mean(q[m]!, identity), mse: mean(e[m]!, identity) }])) as VolatilityEvaluation['mean'],
    harMinus: Object.fromEntries(NAIVE_NAMES.map((n, j) => [n, { qlike: ci[j]!, mse: ci[NAIVE_NAMES.length + j]! }])) as VolatilityEvaluation['harMinus'],
  };
}

function evaluateDrawdown(panel: RiskPanel, spec: (typeof DRAWDOWN_SPECS)[number], opts: EvaluateRiskOptions): DrawdownEvaluation {
  const { key, horizonDays } = spec;
  const p: number[] = [], clim: number[] = [], raw: number[] = [], y: number[] = [], days: number[] = [];
  forEachRow(panel, opts.evaluateFromMs, (k, i, day) => {
    const event = panel.assets[k]!.events[key][i]!;
    const cal = panel.drawdown.calibrated[k]![key][i]!;
    if (!Number.isFinite(event) || !Number.isFinite(cal)) return;
    p.push(cal);
    clim.push(panel.drawdown.climatology[k]![key][i]!);
    raw.push(panel.drawdown.raw[k]![key][i]!);
    y.push(event);
    days.push(day);
  });
  if (y.length === 0) throw new Error(`No drawdown rows for ${key} to evaluate.`);
  const [brier, climatologyBrier, brierMinusClimatology, ece] = blockBootstrap(y.length, (idx) => {
    const b = brierScore(p, y, idx);
    const c = brierScore(clim, y, idx);
    return [b, c, b - c, binaryCalibration(p, y, 10, idx).ece];
  }, { days, blockLength: horizonDays, iterations: opts.bootstrapIterations, seed: opts.bootstrapSeed }) as [ConfidenceInterval, ConfidenceInterval, ConfidenceInterval, ConfidenceInterval];
  const cal = binaryCalibration(p, y);
  const rawCal = binaryCalibration(raw, y);
  return { key, n: y.length, eventRate: cal.eventRate, brier, climatologyBrier, brierMinusClimatology, ece, rawBrier: rawCal.brier, rawEce: rawCal.ece, reliability: cal.reliability };
}

function evaluateScore(panel: RiskPanel, opts: EvaluateRiskOptions): ScoreEvaluation {
  const cols = { score: [] as number[], trailing: [] as number[], har: [] as number[], vol: [] as number[], mdd: [] as number[], day: [] as number[] };
  panel.assets.forEach((a, k) => {
    const vol = forwardCloseVolatility(a.days, 30);
    const mdd = forwardMaxDrawdown(a.days, 30);
    for (let i = Math.max(0, Math.ceil((opts.evaluateFromMs - a.days.firstDayMs) / DAY_MS)); i < a.days.nDays; i++) {
      const s = assessRiskAt(panel, k, i).score;
      const row = [Math.sqrt(a.naive.trailing30[i]!), Math.sqrt(panel.forecast[k]![30][i]!), vol[i]!, mdd[i]!];
      if (!s.ok || !row.every(Number.isFinite)) continue;
      cols.score.push(s.value);
      [cols.trailing, cols.har, cols.vol, cols.mdd].forEach((c, j) => c.push(row[j]!));
      cols.day.push(a.days.firstDayMs + i * DAY_MS);
    }
  });
  if (cols.day.length < 3) throw new Error('Too few scored rows with a known forward 30 days to evaluate the score.');
  // ranks once over all rows; a resample's Spearman is the Pearson correlation of these ranks on its rows
  const [score, trailing, har, vol, mdd] = [cols.score, cols.trailing, cols.har, cols.vol, cols.mdd].map(midRanks) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const ci = blockBootstrap(cols.day.length, (idx) => [vol, mdd].flatMap((target) => {
    const s = pearsonCorrelation(score, target, idx);
    const t = pearsonCorrelation(trailing, target, idx);
    return [s, t, pearsonCorrelation(har, target, idx), s - t];
  }), { days: cols.day, blockLength: 30, iterations: opts.bootstrapIterations, seed: opts.bootstrapSeed });
  const block = (o: number) => ({ score: ci[o]!, trailingVolatility: ci[o + 1]!, harVolatility: ci[o + 2]!, scoreMinusTrailing: ci[o + 3]! });
  return { n: cols.day.length, forwardVolatility: block(0), forwardMaxDrawdown: block(4) };
}

/**
 * Runs the risk model over `series` and evaluates it on the forecast days from `evaluateFromMs` on. Every figure
 * carries a 95% moving-block bootstrap interval over calendar days (all assets of a day together; blocks as long as
 * the horizon). Throws when a part has no rows to evaluate.
 */
export function evaluateRisk(series: readonly RiskSeries[], options: Partial<EvaluateRiskOptions> = {}): RiskEvaluation {
  const panel = computeRiskPanel(series, options);
  const opts: EvaluateRiskOptions = { ...panel.options, evaluateFromMs: options.evaluateFromMs ?? panel.options.selectUntilMs, bootstrapIterations: options.bootstrapIterations ?? 1000, bootstrapSeed: options.bootstrapSeed ?? 12345 };
  return evaluatePanel(panel, opts);
}

/** evaluateRisk on a panel already computed. */
export function evaluatePanel(panel: RiskPanel, opts: EvaluateRiskOptions): RiskEvaluation {
  const score = evaluateScore(panel, opts);
  return {
    evaluateFromMs: opts.evaluateFromMs,
    assets: panel.assets.map((a, k) => ({ symbol: a.symbol, firstDayMs: a.days.firstDayMs, days: a.days.nDays,
      scoredDays: Array.from({ length: a.days.nDays }, (_, i) => assessRiskAt(panel, k, i).score.ok).filter(Boolean).length })),
    harChoice: panel.harChoice,
    volatility: RISK_HORIZONS_DAYS.map((h) => evaluateVolatility(panel, h, opts)),
    drawdown: DRAWDOWN_SPECS.map((spec) => evaluateDrawdown(panel, spec, opts)),
    score,
  };
}
