// Writes the evaluation report: report.json (the same object as --json), one SVG per plot and report.html that
// shows the tables and plots. The folder is written through a temporary sibling and renamed at the end, so a
// failure never leaves half a report. Every text in report.html is escaped (esc), and every file name is built
// from a symbol by plotFileName, so no symbol can inject markup or name a file outside the report folder.
import { assetPlots, escapeXml as esc, IMPORTANCE_READING_WORDS, importanceReading, isAssetSymbol, verdict, type EvaluationResult } from '@coinsphere/model/core';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { formatSummary, formatTiming } from './format-text.ts';
import { writeReportFolder } from './report-folder.ts';
import { htmlPage, htmlTable as table } from './report-html.ts';
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const PLOT_KINDS = ['folds', 'reliability', 'confusion', 'equity'] as const;

/**
 * The file name of one plot: `<kind>-<symbol>-<h>d.svg` with the symbol lower-cased. A symbol that breaks the
 * symbol rule (a database written before ingest checked symbols) is named by its letters and digits and a hash
 * of the whole text instead, so the name never holds `/`, `..` or markup and two symbols never share a file.
 */
export function plotFileName(kind: (typeof PLOT_KINDS)[number], symbol: string, horizonDays: number): string {
  const tag = isAssetSymbol(symbol)
    ? symbol.toLowerCase()
    : `x${symbol.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 20)}-${createHash('sha256').update(symbol).digest('hex').slice(0, 12)}`;
  return `${kind}-${tag}-${Math.trunc(horizonDays)}d.svg`;
}

/** The plots of a result, file name → SVG text (the same builders as the dashboard's model card). */
export function renderPlots(r: EvaluationResult): Map<string, string> {
  const files = new Map<string, string>();
  for (const h of r.horizons) {
    for (const a of Object.values(h.assets)) {
      const plots = assetPlots(a, r.config.trading);
      for (const kind of PLOT_KINDS) if (plots[kind]) files.set(plotFileName(kind, a.symbol, h.horizonDays), plots[kind]);
    }
  }
  return files;
}

/** report.html for a result whose plots are `plots` (same folder). */
export function renderHtml(r: EvaluationResult, plots: Map<string, string>): string {
  const parts: string[] = [];
  const img = (name: string) => (plots.has(name) ? `<img src="${esc(name)}" alt="${esc(name)}">` : '');
  parts.push(`<h1>Coinsphere walk-forward evaluation</h1><p>${esc(r.generatedAt)} · preset <b>${esc(r.preset)}</b> · ${r.config.foldDays}-day test blocks · ${r.config.windowDays ? `rolling ${r.config.windowDays}-day history` : 'expanding history'} · model ${esc(JSON.stringify(r.config.modelConfig.lstmUnits))} units, window ${r.config.modelConfig.windowBars} days, up to ${r.config.training.epochs} epochs (patience ${r.config.training.patience})</p>`);
  parts.push(`<h2>Specification targets</h2>` + table(['asset', 'horizon', 'metric', 'target', 'measured [95% CI]', 'verdict'], r.targets.map((t) => {
    const f = t.metric === 'accuracy' ? pct : (x: number) => x.toFixed(3);
    return [t.symbol, `${t.horizonDays}d`, t.metric, t.target, `${f(t.measured)} [${f(t.lower)}, ${f(t.upper)}]`, t.pass ? 'PASS' : 'FAIL'];
  })));
  for (const h of r.horizons) {
    parts.push(`<h2>${h.horizonDays}-day horizon</h2>`);
    for (const a of Object.values(h.assets)) {
      const lines = Object.entries(a.overall.accuracyDifference).map(([name, d]) => `model vs ${name}: ${(d.estimate * 100).toFixed(1)} points [${(d.lower * 100).toFixed(1)}, ${(d.upper * 100).toFixed(1)}] → ${verdict(d)}`);
      parts.push(`<h3>${esc(a.symbol)} · ${a.folds.length} folds, ${esc(a.folds[0]?.testStart ?? '')}..${esc(a.folds.at(-1)?.testEnd ?? '')}</h3>`);
      parts.push(`<pre>${esc(formatSummary(a.overall, `${a.symbol} ${h.horizonDays}d, all test blocks`))}</pre><ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`);
      parts.push(`<p>Calibration: ECE ${a.calibration.eceUncalibrated.estimate.toFixed(3)} before temperature scaling, ${a.calibration.eceCalibrated.estimate.toFixed(3)} after; T per fold ${a.calibration.temperatures.map((t) => t.toFixed(2)).join(', ')}.</p>`);
      parts.push(table(['strategy', 'CAGR', 'Sharpe', 'max drawdown', 'turnover / year', 'exposure'], Object.entries(a.trading.strategies).map(([k, s]) => [k, pct(s.cagr), s.sharpe.toFixed(2), pct(s.maxDrawdown), s.turnoverPerYear.toFixed(0), pct(s.exposure)])));
      parts.push(`<div class="plots">${PLOT_KINDS.map((kind) => img(plotFileName(kind, a.symbol, h.horizonDays))).join('')}</div>`);
    }
    if (Object.keys(h.assets).length > 1) parts.push(`<h3>All assets pooled</h3><pre>${esc(formatSummary(h.pooledAssets, `${h.horizonDays}d, all assets`))}</pre>`);
    if (h.importance) {
      const imp = h.importance;
      const iv = (d: { estimate: number; lower: number; upper: number }, f: (x: number) => string) => `${f(d.estimate)} [${f(d.lower)}, ${f(d.upper)}]`;
      parts.push(`<h3>What the model leans on: permutation importance</h3><p>Each input shuffled in turn over ${imp.rows} test rows (${imp.days} days, ${imp.folds} folds), the same model predicting again; 95% intervals from a ${esc(imp.interval)}.</p>`);
      parts.push(table(['rank', 'input', 'rise in log loss (nats)', 'accuracy lost (points)', 'reading'], imp.features.map((f, i) => [
        String(i + 1), f.name, iv(f.logLoss, (x) => x.toFixed(4)), iv(f.accuracy, (x) => (100 * x).toFixed(1)), IMPORTANCE_READING_WORDS[importanceReading(f)],
      ])));
    }
  }
  if (r.timing) parts.push(`<h2>Time</h2><p>${esc(formatTiming(r.timing))}</p>`);
  parts.push(`<h2>How to read this</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul><p>Data: ${esc(Object.entries(r.data).map(([s, d]) => `${s} ${d.source} ${d.first}..${d.last} (${d.days} days)`).join('; '))}</p>`);
  return htmlPage('Coinsphere evaluation', parts);
}

/** Writes the report into `folder` (created; replaced if it exists) and returns the path of report.html. */
export async function writeReport(folder: string, r: EvaluationResult): Promise<string> {
  const plots = renderPlots(r);
  const files = new Map([...plots, ['report.json', JSON.stringify(r)], ['report.html', renderHtml(r, plots)]]);
  return resolve(await writeReportFolder(folder, files), 'report.html');
}
