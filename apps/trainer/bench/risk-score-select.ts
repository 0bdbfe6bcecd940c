// Issue #15's last target, under a protocol fixed in advance (BENCHMARKS.md, "Can a better-founded score rank
// forward volatility above trailing volatility?"): candidate scores judged by their pooled Spearman with the forward
// 30-day close-to-close volatility on the selection rows (forecast days before 2019-01-01) only; the chosen one is
// then confirmed once on the later rows.
//   npx tsx apps/trainer/bench/risk-score-select.ts                    selection figures only
//   npx tsx apps/trainer/bench/risk-score-select.ts --confirm B        + confirmation and all rows for candidate B
//   npx tsx apps/trainer/bench/risk-score-select.ts --post-hoc         + confirmation for every candidate (after)
import { listCsvFiles, parseCsvFile } from '@coinsphere/data';
import {
  addNormalRow, assessRiskAt, blockBootstrap, type Candle, computeRiskPanel, createNormalEquations, DAY_MS, DEFAULT_RISK_OPTIONS,
  forwardCloseVolatility, harTarget, midRanks, pearsonCorrelation, type RiskPanel, RISK_SCORE_WEIGHTS, type RiskValue, selectUniverse,
  sizeRisk, ageRisk, solveNormalEquations, trailingMean, VARIANCE_FLOOR, volatilityRisk, type ScoreInputs,
} from '@coinsphere/model/core';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    csv: { type: 'string', multiple: true, default: ['../shared/data/cryptodatadownload-binance-daily', '../shared/data/kaggle-cryptocurrency-historical-prices'] },
    confirm: { type: 'string' },
    'post-hoc': { type: 'boolean', default: false },
    iterations: { type: 'string', default: '1000' },
  },
});
const ITER = Number(values.iterations);
const SPLIT_MS = DEFAULT_RISK_OPTIONS.selectUntilMs;

const candidates = (await Promise.all(listCsvFiles(values.csv).map((f) => parseCsvFile(f)))).filter((p) => p.interval === '1d').map((p) => ({ symbol: p.symbol, source: p.source, candles: p.rows as Candle[] }));
const series = selectUniverse(candidates).series.map((s) => ({ symbol: s.symbol, candles: s.candles }));
const panel = computeRiskPanel(series);
const opts = panel.options;

/** Candidate D's volatility: the pooled log HAR with a fourth, 90-day component, walk-forward exactly as
 *  walkForwardHar (rows whose 30-day target ended before the day, refitted every refitDays); the 4-component
 *  forecast where the 90-day mean is not yet defined. */
function har90Forecast(p: RiskPanel): Float64Array[] {
  const quarterly = p.assets.map((a) => trailingMean(a.days.variance, 90, Math.floor(90 * opts.maxGapShare)));
  const row = (k: number, i: number, out: Float64Array) => {
    const h = p.assets[k]!.har;
    const v = [h.daily[i]!, h.weekly[i]!, h.monthly[i]!, quarterly[k]![i]!];
    if (!v.every(Number.isFinite)) return false;
    out[0] = 1;
    v.forEach((x, j) => (out[j + 1] = Math.log(Math.max(VARIANCE_FLOOR, x))));
    return true;
  };
  const ne = createNormalEquations(5);
  const out = p.assets.map((a) => new Float64Array(a.days.nDays).fill(Number.NaN));
  const x = new Float64Array(5);
  let fit: { beta: Float64Array; residualVariance: number } | null = null;
  for (let g = 0; g < p.calendar.nDays; g++) {
    p.assets.forEach((a, k) => {
      const i = g - p.calendar.offsets[k]! - 30 - 1;
      const y = i >= 0 && i < a.days.nDays ? a.target[30][i]! : Number.NaN;
      if (Number.isFinite(y) && row(k, i, x)) addNormalRow(ne, x, harTarget(y, true));
    });
    if (g % opts.refitDays === 0 && ne.n >= opts.minTrainRows) fit = solveNormalEquations(ne);
    p.assets.forEach((a, k) => {
      const i = g - p.calendar.offsets[k]!;
      if (i < 0 || i >= a.days.nDays) return;
      if (fit && row(k, i, x)) {
        let z = 0;
        for (let j = 0; j < 5; j++) z += fit.beta[j]! * x[j]!;
        out[k]![i] = Math.max(VARIANCE_FLOOR, Math.exp(z + fit.residualVariance / 2));
      } else out[k]![i] = p.forecast[k]![30][i]!;
    });
  }
  return out;
}
const har90 = har90Forecast(panel);

// the rows of the score table (a score and a known forward 30 days), every day from the first score
interface Row { day: number; asset: number; comp: ScoreInputs; vol90: number; trailing: number; fwd: number }
const rows: Row[] = [];
panel.assets.forEach((a, k) => {
  const fwd = forwardCloseVolatility(a.days, 30);
  for (let i = 0; i < a.days.nDays; i++) {
    const { score, components: c } = assessRiskAt(panel, k, i);
    const trailing = Math.sqrt(a.naive.trailing30[i]!);
    if (!score.ok || !Number.isFinite(trailing) || !Number.isFinite(fwd[i]!) || !Number.isFinite(har90[k]![i]!)) continue;
    const v = <T>(x: RiskValue<T>): T => { if (!x.ok) throw new Error(`a scored row lacks a component: ${x.detail}`); return x.value; };
    rows.push({
      day: a.days.firstDayMs + i * DAY_MS, asset: k, trailing, fwd: fwd[i]!, vol90: volatilityRisk(Math.sqrt(har90[k]![i]!)),
      comp: {
        volatility: volatilityRisk(v(c.volatility30d)),
        drawdown: (v(c.drawdown10pct30d) + v(c.drawdown25pct30d)) / 2,
        liquidity: (v(c.amihudPercentile) + v(c.spreadPercentile)) / 2,
        size: sizeRisk(v(c.size).tier),
        age: ageRisk(c.ageDays),
      },
    });
  }
});
const selection = rows.filter((r) => r.day < SPLIT_MS);
const confirmation = rows.filter((r) => r.day >= SPLIT_MS);

type Weights = ScoreInputs;
const KEYS = ['volatility', 'drawdown', 'liquidity', 'size', 'age'] as const;
const scoreOf = (w: Weights, vol: 'har' | 'har90') => (r: Row) => KEYS.reduce((s, key) => s + w[key] * (key === 'volatility' && vol === 'har90' ? r.vol90 : r.comp[key]), 0);
const spearman = (x: number[], y: number[]) => pearsonCorrelation(midRanks(x), midRanks(y));

/** The 0.05 simplex grid (no minimum): the weights with the best selection Spearman. */
function bestWeights(rs: Row[], vol: 'har' | 'har90'): { w: Weights; rho: number } {
  const yr = midRanks(rs.map((r) => r.fwd));
  let best = { w: { volatility: 1, drawdown: 0, liquidity: 0, size: 0, age: 0 }, rho: -Infinity };
  for (let a = 0; a <= 20; a++) for (let b = 0; a + b <= 20; b++) for (let c = 0; a + b + c <= 20; c++) for (let d = 0; a + b + c + d <= 20; d++) {
    const w = { volatility: a / 20, drawdown: b / 20, liquidity: c / 20, size: d / 20, age: (20 - a - b - c - d) / 20 };
    const rho = pearsonCorrelation(midRanks(rs.map(scoreOf(w, vol))), yr);
    if (rho > best.rho + 1e-12) best = { w, rho };
  }
  return best;
}

const ONLY_VOL: Weights = { volatility: 1, drawdown: 0, liquidity: 0, size: 0, age: 0 };
const cW = bestWeights(selection, 'har');
const dW = bestWeights(selection, 'har90');
const cands: Record<string, { what: string; f: (r: Row) => number }> = {
  A: { what: 'current score', f: scoreOf({ ...RISK_SCORE_WEIGHTS }, 'har') },
  B: { what: 'HAR 30-day forecast alone', f: scoreOf(ONLY_VOL, 'har') },
  C: { what: `weights re-chosen (${KEYS.map((k) => cW.w[k].toFixed(2)).join('/')})`, f: scoreOf(cW.w, 'har') },
  D: { what: `HAR + 90-day component, weights re-chosen (${KEYS.map((k) => dW.w[k].toFixed(2)).join('/')})`, f: scoreOf(dW.w, 'har90') },
};

/** Spearman of f and of trailing volatility with the forward volatility on rs, and their difference, with the
 *  day-block bootstrap of the evaluation (blocks of 30 days, all assets of a day together). */
function compare(rs: Row[], f: (r: Row) => number) {
  const [s, t, y] = [rs.map(f), rs.map((r) => r.trailing), rs.map((r) => r.fwd)].map(midRanks) as [Float64Array, Float64Array, Float64Array];
  const [cs, ct, cd] = blockBootstrap(rs.length, (idx) => {
    const a = pearsonCorrelation(s, y, idx);
    const b = pearsonCorrelation(t, y, idx);
    return [a, b, a - b];
  }, { days: rs.map((r) => r.day), blockLength: 30, iterations: ITER, seed: 12345 });
  return { cs: cs!, ct: ct!, cd: cd! };
}
const fmt = (c: { estimate: number; lower: number; upper: number }) => `${c.estimate >= 0 ? '+' : ''}${c.estimate.toFixed(3)} [${c.lower.toFixed(3)}, ${c.upper.toFixed(3)}]`;
const days = (rs: Row[]) => new Set(rs.map((r) => r.day)).size;
function report(label: string, rs: Row[], names: string[]) {
  console.log(`\n${label}: ${rs.length} rows on ${days(rs)} days, ${new Set(rs.map((r) => r.asset)).size} assets`);
  for (const n of names) {
    const { cs, ct, cd } = compare(rs, cands[n]!.f);
    console.log(`  ${n} ${cands[n]!.what.padEnd(60)} score ${fmt(cs)}  trailing ${fmt(ct)}  score − trailing ${fmt(cd)}`);
  }
}

/** Diagnostics on rs: each component alone, and the per-day cross-sectional Spearman averaged over days. */
function diagnose(label: string, rs: Row[]) {
  const y = rs.map((r) => r.fwd);
  console.log(`\n${label}, each component alone (pooled Spearman with forward vol): ${KEYS.map((k) => `${k} ${spearman(rs.map((r) => r.comp[k]), y).toFixed(3)}`).join(', ')}; 90-day HAR ${spearman(rs.map((r) => r.vol90), y).toFixed(3)}; trailing ${spearman(rs.map((r) => r.trailing), y).toFixed(3)}`);
  const byDay = new Map<number, Row[]>();
  for (const r of rs) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  const perDay = (f: (r: Row) => number) => {
    const rhos = [...byDay.values()].filter((d) => d.length >= 5).map((d) => spearman(d.map(f), d.map((r) => r.fwd))).filter(Number.isFinite);
    return `${(rhos.reduce((s, x) => s + x, 0) / rhos.length).toFixed(3)} (${rhos.length} days)`;
  };
  console.log(`${label}, per-day cross-section (days with ≥ 5 assets), mean Spearman: ${Object.entries(cands).map(([n, c]) => `${n} ${perDay(c.f)}`).join(', ')}, trailing ${perDay((r) => r.trailing)}`);
  // the time-series part alone: mean over the days of the day's mean forecast vs the day's mean forward vol
  const dayMeans = [...byDay.values()].map((d) => ({ b: d.reduce((s, r) => s + cands.B!.f(r), 0) / d.length, t: d.reduce((s, r) => s + r.trailing, 0) / d.length, y: d.reduce((s, r) => s + r.fwd, 0) / d.length }));
  console.log(`${label}, day means only (time series of the market): B ${spearman(dayMeans.map((d) => d.b), dayMeans.map((d) => d.y)).toFixed(3)}, trailing ${spearman(dayMeans.map((d) => d.t), dayMeans.map((d) => d.y)).toFixed(3)}`);
}

console.log(`universe ${panel.assets.map((a) => a.symbol).join(' ')}; ${rows.length} scored rows with a known forward 30 days`);
report('SELECTION (forecast days before 2019-01-01)', selection, Object.keys(cands));
diagnose('selection', selection);
if (values.confirm) {
  report(`CONFIRMATION (from 2019-01-01), chosen candidate ${values.confirm}`, confirmation, [values.confirm]);
  report(`ALL ROWS, chosen candidate ${values.confirm}`, rows, [values.confirm]);
}
if (values['post-hoc']) {
  report('POST HOC: every candidate on confirmation', confirmation, Object.keys(cands));
  diagnose('confirmation (post hoc)', confirmation);
}
