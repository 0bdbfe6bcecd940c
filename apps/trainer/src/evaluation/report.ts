// Writes the evaluation report: report.json (the same object as --json), one SVG per plot and report.html that
// shows the tables and plots. The folder is written through a temporary sibling and renamed at the end, so a
// failure never leaves half a report.
import { assetPlots, escapeXml as esc, verdict, type EvaluationResult } from '@coinsphere/model/core';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatSummary, formatTiming } from './format-text.ts';
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The plots of a result, file name → SVG text (the same builders as the dashboard's model card). */
export function renderPlots(r: EvaluationResult): Map<string, string> {
  const files = new Map<string, string>();
  for (const h of r.horizons) {
    for (const a of Object.values(h.assets)) {
      const tag = `${a.symbol.toLowerCase()}-${h.horizonDays}d`;
      const plots = assetPlots(a, r.config.trading);
      for (const kind of ['reliability', 'confusion', 'folds', 'equity'] as const) if (plots[kind]) files.set(`${kind}-${tag}.svg`, plots[kind]);
    }
  }
  return files;
}

function table(head: string[], rows: string[][]): string {
  return `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

/** report.html for a result whose plots are `plots` (same folder). */
export function renderHtml(r: EvaluationResult, plots: Map<string, string>): string {
  const parts: string[] = [];
  const img = (name: string) => (plots.has(name) ? `<img src="${name}" alt="${name}">` : '');
  parts.push(`<h1>Coinsphere walk-forward evaluation</h1><p>${esc(r.generatedAt)} · preset <b>${esc(r.preset)}</b> · ${r.config.foldDays}-day test blocks · ${r.config.windowDays ? `rolling ${r.config.windowDays}-day history` : 'expanding history'} · model ${esc(JSON.stringify(r.config.modelConfig.lstmUnits))} units, window ${r.config.modelConfig.windowBars} days, up to ${r.config.training.epochs} epochs (patience ${r.config.training.patience})</p>`);
  parts.push(`<h2>Specification targets</h2>` + table(['asset', 'horizon', 'metric', 'target', 'measured [95% CI]', 'verdict'], r.targets.map((t) => {
    const f = t.metric === 'accuracy' ? pct : (x: number) => x.toFixed(3);
    return [t.symbol, `${t.horizonDays}d`, t.metric, t.target, `${f(t.measured)} [${f(t.lower)}, ${f(t.upper)}]`, t.pass ? 'PASS' : 'FAIL'];
  })));
  for (const h of r.horizons) {
    parts.push(`<h2>${h.horizonDays}-day horizon</h2>`);
    for (const a of Object.values(h.assets)) {
      const tag = `${a.symbol.toLowerCase()}-${h.horizonDays}d`;
      const lines = Object.entries(a.overall.accuracyDifference).map(([name, d]) => `model vs ${name}: ${(d.estimate * 100).toFixed(1)} points [${(d.lower * 100).toFixed(1)}, ${(d.upper * 100).toFixed(1)}] → ${verdict(d)}`);
      parts.push(`<h3>${esc(a.symbol)} · ${a.folds.length} folds, ${esc(a.folds[0]?.testStart ?? '')}..${esc(a.folds.at(-1)?.testEnd ?? '')}</h3>`);
      parts.push(`<pre>${esc(formatSummary(a.overall, `${a.symbol} ${h.horizonDays}d, all test blocks`))}</pre><ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`);
      parts.push(`<p>Calibration: ECE ${a.calibration.eceUncalibrated.estimate.toFixed(3)} before temperature scaling, ${a.calibration.eceCalibrated.estimate.toFixed(3)} after; T per fold ${a.calibration.temperatures.map((t) => t.toFixed(2)).join(', ')}.</p>`);
      parts.push(table(['strategy', 'CAGR', 'Sharpe', 'max drawdown', 'turnover / year', 'exposure'], Object.entries(a.trading.strategies).map(([k, s]) => [k, pct(s.cagr), s.sharpe.toFixed(2), pct(s.maxDrawdown), s.turnoverPerYear.toFixed(0), pct(s.exposure)])));
      parts.push(`<div class="plots">${img(`folds-${tag}.svg`)}${img(`reliability-${tag}.svg`)}${img(`confusion-${tag}.svg`)}${img(`equity-${tag}.svg`)}</div>`);
    }
    if (Object.keys(h.assets).length > 1) parts.push(`<h3>All assets pooled</h3><pre>${esc(formatSummary(h.pooledAssets, `${h.horizonDays}d, all assets`))}</pre>`);
  }
  if (r.timing) parts.push(`<h2>Time</h2><p>${esc(formatTiming(r.timing))}</p>`);
  parts.push(`<h2>How to read this</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul><p>Data: ${Object.entries(r.data).map(([s, d]) => `${s} ${d.source} ${d.first}..${d.last} (${d.days} days)`).join('; ')}</p>`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Coinsphere evaluation</title><style>
body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f4f4f4}pre{background:#f8f8f8;padding:8px;overflow-x:auto;font-size:12px}.plots img{margin:4px;border:1px solid #ddd}
</style></head><body>${parts.join('\n')}</body></html>\n`;
}

/** Writes the report into `folder` (created; replaced if it exists) and returns the path of report.html. */
export async function writeReport(folder: string, r: EvaluationResult): Promise<string> {
  const dir = resolve(folder);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const plots = renderPlots(r);
  for (const [name, svg] of plots) await writeFile(resolve(tmp, name), svg);
  await writeFile(resolve(tmp, 'report.json'), JSON.stringify(r));
  await writeFile(resolve(tmp, 'report.html'), renderHtml(r, plots));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return resolve(dir, 'report.html');
}
