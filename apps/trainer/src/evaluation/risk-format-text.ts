// Plain-text rendering of the risk module's walk-forward evaluation (evaluateRisk) for the terminal, written once
// for `coinsphere evaluate --risk` and bench/risk-eval.ts: the HAR variant chosen, HAR against each naive variance
// forecast (QLIKE and MSE with intervals of the difference), the drawdown probabilities against the climatological
// rate with their reliability tables, the score's rank correlation beside trailing volatility's, and the targets.
// Symbols are printed through printable (they come from files). Pure: no node:*.
import { printable, toIsoDay, type RiskEvaluation } from '@coinsphere/model/core';
import { drawdownLabel, formatFigure as f, formatInterval } from './risk-labels.ts';
import type { RiskTargetCheck } from './risk-targets.ts';

function volatilityLines(r: RiskEvaluation): string[] {
  const out = [`HAR variant per horizon: ${Object.entries(r.harChoice).map(([h, c]) => `${h} d ${c.logs ? 'logs' : 'levels'} (${c.how}; selection QLIKE levels ${f(c.selectionQlike.level)}, logs ${f(c.selectionQlike.log)} on ${c.selectionRows} rows)`).join('; ')}`];
  for (const v of r.volatility) {
    out.push(`${v.horizonDays}-day variance, ${v.n} rows on ${v.days} days. Mean QLIKE: ${Object.entries(v.mean).map(([n, m]) => `${n} ${f(m.qlike)}`).join(', ')}`);
    for (const [n, d] of Object.entries(v.harMinus)) out.push(`  HAR − ${n.padEnd(10)} QLIKE ${formatInterval(d.qlike, 4, true).padEnd(32)} MSE ${formatInterval(d.mse, 4, true)}`);
  }
  return out;
}

function drawdownLines(r: RiskEvaluation): string[] {
  const out = ['drawdown          rows  event rate  Brier (calibrated)        Brier (climatology)       Brier − clim                ECE                       raw Brier  raw ECE'];
  for (const d of r.drawdown) {
    out.push(`${drawdownLabel(d.key).padEnd(12)} ${String(d.n).padStart(9)}  ${f(d.eventRate, 3).padEnd(10)}  ${formatInterval(d.brier).padEnd(25)} ${formatInterval(d.climatologyBrier).padEnd(25)} ${formatInterval(d.brierMinusClimatology, 4, true).padEnd(27)} ${formatInterval(d.ece).padEnd(25)} ${f(d.rawBrier).padEnd(10)} ${f(d.rawEce)}`);
  }
  out.push('', 'reliability (calibrated): mean forecast / observed share (rows) per probability bin');
  out.push(`bin        ${r.drawdown.map((d) => drawdownLabel(d.key).padEnd(24)).join('')}`.trimEnd());
  const bins = r.drawdown[0]?.reliability ?? [];
  bins.forEach((b, j) => {
    const cells = r.drawdown.map((d) => {
      const c = d.reliability[j]!;
      return (c.count > 0 ? `${c.meanConfidence.toFixed(3)} / ${c.accuracy.toFixed(3)} (${c.count})` : '-').padEnd(24);
    });
    out.push(`${b.lower.toFixed(1)}-${b.upper.toFixed(1)}    ${cells.join('')}`.trimEnd());
  });
  return out;
}

function scoreLines(r: RiskEvaluation): string[] {
  const s = r.score;
  const out = [`Spearman over ${s.n} (asset, day) rows      score                     trailing 30-d vol         HAR 30-d vol              score − trailing`];
  for (const [name, b] of [['forward 30-d volatility', s.forwardVolatility], ['forward 30-d max drawdown', s.forwardMaxDrawdown]] as const) {
    out.push(`  ${name.padEnd(37)} ${formatInterval(b.score, 3).padEnd(25)} ${formatInterval(b.trailingVolatility, 3).padEnd(25)} ${formatInterval(b.harVolatility, 3).padEnd(25)} ${formatInterval(b.scoreMinusTrailing, 3, true)}`);
  }
  return out;
}

/** One line per target: met or not met, what was asked, and the figures. */
export function formatRiskTargets(checks: readonly RiskTargetCheck[]): string {
  return ['Targets (issue #15):', ...checks.map((c) => `  ${c.holds ? 'MET    ' : 'NOT MET'}  ${c.asked}: ${c.evidence}`)].join('\n');
}

/** The assets evaluated, with their first day, days and scored days. */
export function formatRiskAssets(r: RiskEvaluation): string {
  return `assets (${r.assets.length}): ${r.assets.map((a) => `${printable(a.symbol, 40)} from ${toIsoDay(a.firstDayMs)} (${a.days} days, ${a.scoredDays} scored)`).join(', ')}`;
}

/** The whole evaluation as the terminal shows it; `targets` from checkRiskTargets. */
export function formatRiskEvaluation(r: RiskEvaluation, targets: readonly RiskTargetCheck[]): string {
  return [
    formatRiskAssets(r),
    `reported from ${toIsoDay(r.evaluateFromMs)} (earlier days choose the HAR variant); intervals: 95% day-block bootstrap; on a difference, * = its interval lies below 0, + = above 0`,
    '', ...volatilityLines(r), '', ...drawdownLines(r), '', ...scoreLines(r), '', formatRiskTargets(targets),
  ].join('\n');
}
