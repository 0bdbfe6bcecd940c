// The risk evaluation's report folder, as `evaluate --report` writes the LSTM's: report.json (the same object as
// --json), one SVG per plot and report.html with the tables, the targets and the plots. Written whole or not at all
// (writeReportFolder). Plot file names are fixed (no symbol in them); every text in report.html is escaped.
import { escapeXml as esc, parseDrawdownKey, toIsoDay, type ConfidenceInterval, type DrawdownKey, type RiskEvaluation } from '@coinsphere/model/core';
import { resolve } from 'node:path';
import { writeReportFolder } from './report-folder.ts';
import { htmlPage, htmlTable } from './report-html.ts';
import { drawdownLabel, formatInterval } from './risk-labels.ts';
import { drawdownReliabilitySvg, qlikeDifferencesSvg, scoreBinsSvg } from './risk-plots.ts';
import type { ScoreVolatilityBins } from './risk-score-bins.ts';
import type { RiskTargetCheck } from './risk-targets.ts';

/** What --json prints and report.json holds: the evaluation and the targets judged on it. */
export type RiskEvaluationReport = RiskEvaluation & { targets: RiskTargetCheck[] };

/** `reliability-10pct-7d.svg` for the key `0.1@7`. */
export function reliabilityFileName(key: DrawdownKey): string {
  const { fall, horizonDays } = parseDrawdownKey(key);
  return `reliability-${Math.round(fall * 100)}pct-${horizonDays}d.svg`;
}

/** The report's plots, file name → SVG: one reliability diagram per drawdown key, the QLIKE differences, the score's tenths. */
export function renderRiskPlots(r: RiskEvaluation, bins: ScoreVolatilityBins): Map<string, string> {
  const plots = new Map(r.drawdown.map((d) => [reliabilityFileName(d.key), drawdownReliabilitySvg(d)]));
  plots.set('qlike-differences.svg', qlikeDifferencesSvg(r.volatility));
  plots.set('score-tenths.svg', scoreBinsSvg(bins));
  return plots;
}

/** report.html for the evaluation `r` whose plots are `plots` (same folder). */
export function renderRiskHtml(r: RiskEvaluationReport, plots: ReadonlyMap<string, string>): string {
  const img = (name: string) => (plots.has(name) ? `<img src="${esc(name)}" alt="${esc(name)}">` : '');
  const ci = (c: ConfidenceInterval, d = 4) => formatInterval(c, d);
  const diff = (c: ConfidenceInterval, d = 4) => formatInterval(c, d, true);
  const parts = [
    `<h1>Coinsphere risk evaluation (Degen Risk Score)</h1><p>Walk-forward, pooled over ${r.assets.length} assets; reported from ${esc(toIsoDay(r.evaluateFromMs))} (earlier days choose the HAR variant). Intervals: 95% day-block bootstrap; on a difference, * = its interval lies below 0, + = above 0.</p>`,
    `<h2>Targets</h2>${htmlTable(['target', 'verdict', 'figures'], r.targets.map((t) => [t.asked, t.holds ? 'MET' : 'NOT MET', t.evidence]))}`,
    `<h2>Volatility forecast: HAR against the naive forecasts on the same rows</h2>`,
    htmlTable(['horizon', 'rows (days)', 'naive', 'mean QLIKE HAR / naive', 'HAR − naive QLIKE', 'HAR − naive MSE'], r.volatility.flatMap((v) => Object.entries(v.harMinus).map(([n, d]) => [
      `${v.horizonDays} d`, `${v.n} (${v.days})`, n, `${v.mean.har.qlike.toFixed(4)} / ${v.mean[n as keyof typeof v.mean].qlike.toFixed(4)}`, diff(d.qlike), diff(d.mse),
    ]))),
    `<div class="plots">${img('qlike-differences.svg')}</div>`,
    `<h2>Drawdown probabilities against the climatological rate</h2>`,
    htmlTable(['fall, horizon', 'rows', 'event rate', 'Brier', 'climatology Brier', 'Brier − climatology', 'ECE', 'raw Brier', 'raw ECE'], r.drawdown.map((d) => [
      drawdownLabel(d.key), String(d.n), d.eventRate.toFixed(3), ci(d.brier), ci(d.climatologyBrier), diff(d.brierMinusClimatology), ci(d.ece), d.rawBrier.toFixed(4), d.rawEce.toFixed(4),
    ])),
    `<div class="plots">${r.drawdown.map((d) => img(reliabilityFileName(d.key))).join('')}</div>`,
    `<h2>The score: Spearman rank correlation over ${r.score.n} (asset, day) rows</h2>`,
    htmlTable(['with', 'score', 'trailing 30-d volatility', 'HAR 30-d forecast', 'score − trailing'], ([['forward 30-d volatility', r.score.forwardVolatility], ['forward 30-d max drawdown', r.score.forwardMaxDrawdown]] as const).map(([name, b]) => [
      name, ci(b.score, 3), ci(b.trailingVolatility, 3), ci(b.harVolatility, 3), diff(b.scoreMinusTrailing, 3),
    ])),
    `<div class="plots">${img('score-tenths.svg')}</div>`,
    `<h2>Assets</h2>${htmlTable(['symbol', 'first day', 'days', 'scored days'], r.assets.map((a) => [a.symbol, toIsoDay(a.firstDayMs), String(a.days), String(a.scoredDays)]))}`,
  ];
  return htmlPage('Coinsphere risk evaluation', parts);
}

/** Writes the report into `folder` (created; replaced if it exists) and returns the path of report.html. */
export async function writeRiskReport(folder: string, r: RiskEvaluationReport, bins: ScoreVolatilityBins): Promise<string> {
  const plots = renderRiskPlots(r, bins);
  const files = new Map([...plots, ['report.json', JSON.stringify(r)], ['report.html', renderRiskHtml(r, plots)]]);
  return resolve(await writeReportFolder(folder, files), 'report.html');
}
