// Hand-written SVG plots of an evaluation: reliability diagram, confusion matrix, accuracy by fold with intervals,
// equity curves. The trainer's report writes them as files and the dashboard's model card shows the same ones.
// Plain strings, no dependencies; each plot has a title, axes and a legend. Every text that comes from data is
// escaped, every attribute is a number or a fixed colour. Pure; no tfjs, no node:*, no DOM.
import { CLASS_NAMES } from '../labels.ts';
import type { ClassificationMetrics, ReliabilityBin } from '../metrics.ts';
import type { ConfidenceInterval } from './bootstrap.ts';

const W = 560;
const H = 340;
const M = { left: 56, right: 150, top: 34, bottom: 46 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#7f7f7f'];

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for SVG or HTML, as text content or inside a quoted attribute (`&`, `<`, `>`, `"` and `'`). */
export const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
const esc = escapeXml;

function frame(title: string, body: string, xLabel: string, yLabel: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${M.left}" y="20" font-size="13" font-weight="bold">${esc(title)}</text>
<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="none" stroke="#999"/>
${body}
<text x="${M.left + PW / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>
<text transform="translate(14 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>
</svg>\n`;
}

function legend(names: string[]): string {
  return names.map((n, i) => `<rect x="${M.left + PW + 12}" y="${M.top + i * 16}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${M.left + PW + 26}" y="${M.top + 9 + i * 16}">${esc(n)}</text>`).join('\n');
}

function yAxis(lo: number, hi: number, fmt: (v: number) => string, ticks = 5): { y: (v: number) => number; svg: string } {
  const y = (v: number) => M.top + PH - ((v - lo) / (hi - lo || 1)) * PH;
  let svg = '';
  for (let k = 0; k <= ticks; k++) {
    const v = lo + ((hi - lo) * k) / ticks;
    svg += `<line x1="${M.left}" x2="${M.left + PW}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${M.left - 4}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text>\n`;
  }
  return { y, svg };
}

/** Reliability diagram: accuracy against mean confidence per bin, for several predictors; the diagonal is perfect. */
export function reliabilitySvg(title: string, series: Record<string, ReliabilityBin[]>): string {
  const x = (v: number) => M.left + v * PW;
  const { y, svg } = yAxis(0, 1, (v) => v.toFixed(1));
  let body = svg + `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#aaa" stroke-dasharray="4 3"/>`;
  for (let k = 0; k <= 5; k++) body += `<text x="${x(k / 5)}" y="${M.top + PH + 14}" text-anchor="middle">${(k / 5).toFixed(1)}</text>`;
  Object.entries(series).forEach(([, bins], i) => {
    const pts = bins.filter((b) => b.count > 0);
    const c = COLORS[i % COLORS.length];
    body += `<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${pts.map((b) => `${x(b.meanConfidence)},${y(b.accuracy)}`).join(' ')}"/>`;
    body += pts.map((b) => `<circle cx="${x(b.meanConfidence)}" cy="${y(b.accuracy)}" r="${Math.min(7, 2 + Math.sqrt(b.count) / 4)}" fill="${c}" fill-opacity="0.6"><title>${Number(b.count)} rows</title></circle>`).join('');
  });
  return frame(title, body + legend(Object.keys(series)), 'mean top-class probability in bin (dot size: rows)', 'share correct');
}

/** Confusion matrix as a heat map, true classes as rows, with counts and row shares. */
export function confusionSvg(title: string, confusion: number[][], names: readonly string[]): string {
  const cell = Math.min(PW, PH) / names.length;
  let body = '';
  confusion.forEach((row, i) => {
    const total = row.reduce((s, v) => s + v, 0) || 1;
    row.forEach((v, j) => {
      const share = v / total;
      const x = M.left + j * cell;
      const y = M.top + i * cell;
      body += `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${Math.round(255 - 200 * share)},${Math.round(255 - 140 * share)},255)" stroke="#fff"/>`;
      body += `<text x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" font-size="13">${Number(v)}</text><text x="${x + cell / 2}" y="${y + cell / 2 + 15}" text-anchor="middle" fill="#555">${(share * 100).toFixed(0)}% of row</text>`;
    });
    body += `<text x="${M.left - 4}" y="${M.top + i * cell + cell / 2}" text-anchor="end">${esc(names[i] ?? '')}</text>`;
    body += `<text x="${M.left + i * cell + cell / 2}" y="${M.top + names.length * cell + 14}" text-anchor="middle">${esc(names[i] ?? '')}</text>`;
  });
  return frame(title, body, 'predicted class', 'true class').replace(`<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="none" stroke="#999"/>`, '');
}

/** Points with vertical interval bars per fold for each series. */
export function intervalsSvg(title: string, labels: string[], series: Record<string, { estimate: number; lower: number; upper: number }[]>, yLabel: string): string {
  const all = Object.values(series).flat();
  const lo = Math.max(0, Math.floor(Math.min(...all.map((p) => p.lower)) * 10) / 10);
  const hi = Math.min(1, Math.ceil(Math.max(...all.map((p) => p.upper)) * 10) / 10);
  const { y, svg } = yAxis(lo, hi, (v) => `${(v * 100).toFixed(0)}%`);
  const n = labels.length;
  const names = Object.keys(series);
  const x = (k: number, s: number) => M.left + ((k + 0.5) / n) * PW + (s - (names.length - 1) / 2) * Math.min(6, PW / n / (names.length + 1));
  let body = svg;
  const every = Math.max(1, Math.ceil(n / 6)); // at most ~7 labels, so they never overlap
  labels.forEach((l, k) => k % every === 0 && (body += `<text x="${x(k, (names.length - 1) / 2)}" y="${M.top + PH + 14}" text-anchor="middle">${esc(n > 8 ? l.slice(0, 7) : l)}</text>`));
  names.forEach((name, s) => {
    const c = COLORS[s % COLORS.length];
    series[name]!.forEach((p, k) => {
      body += `<line x1="${x(k, s)}" x2="${x(k, s)}" y1="${y(p.lower)}" y2="${y(p.upper)}" stroke="${c}" stroke-opacity="0.6"/><circle cx="${x(k, s)}" cy="${y(p.estimate)}" r="2.5" fill="${c}"/>`;
    });
  });
  return frame(title, body + legend(names), 'test block (start day)', yLabel);
}

/** Equity curves (log scale) over the same days. */
export function equitySvg(title: string, dayLabels: string[], curves: Record<string, number[]>): string {
  const logs = Object.values(curves).flat().map((v) => Math.log(Math.max(v, 1e-6)));
  const lo = Math.min(0, ...logs);
  const hi = Math.max(0, ...logs);
  const { y, svg } = yAxis(lo, hi, (v) => `${Math.exp(v).toFixed(2)}x`);
  const n = dayLabels.length;
  const x = (i: number) => M.left + (i / Math.max(1, n - 1)) * PW;
  let body = svg;
  for (let k = 0; k <= 4; k++) {
    const i = Math.round(((n - 1) * k) / 4);
    body += `<text x="${x(i)}" y="${M.top + PH + 14}" text-anchor="middle">${esc(dayLabels[i] ?? '')}</text>`;
  }
  Object.entries(curves).forEach(([, v], s) => {
    const step = Math.max(1, Math.floor(v.length / 600));
    const pts = v.filter((_, i) => i % step === 0 || i === v.length - 1).map((e, j, arr) => `${x(arr.length === v.length ? j : Math.min(v.length - 1, j * step))},${y(Math.log(Math.max(e, 1e-6)))}`);
    body += `<polyline fill="none" stroke="${COLORS[s % COLORS.length]}" stroke-width="1.3" points="${pts.join(' ')}"/>`;
  });
  return frame(title, body + legend(Object.keys(curves)), 'day (test blocks joined)', 'equity (log scale)');
}

/** The parts of one asset's result that its plots draw (an AssetResult has them all). */
export interface AssetPlotInput {
  symbol: string;
  horizonDays: number;
  folds: { testStart: string; predictors: Record<string, { accuracy: ConfidenceInterval }> }[];
  overall: { n: number; predictors: Record<string, { metrics: Pick<ClassificationMetrics, 'reliability' | 'confusion'> }> };
  trading: { dayMs: number[]; equity: Record<string, number[]> };
}

/** The four plots of one asset at one horizon; a plot whose data is absent is left out. */
export interface AssetPlots {
  reliability?: string;
  confusion?: string;
  folds?: string;
  equity?: string;
}

/**
 * The plots of one asset at one horizon, as the report writes them and the dashboard shows them: reliability
 * (model, uncalibrated, pooled, logistic), the model's confusion matrix, accuracy by fold with 95% intervals
 * (model, pooled, logistic, majority: those present on every fold) and the equity curves after costs.
 */
export function assetPlots(a: AssetPlotInput, costs: { feeBps: number; slippageBps: number }): AssetPlots {
  const tag = `${a.symbol} ${a.horizonDays}d`;
  const p = a.overall.predictors;
  const out: AssetPlots = {};
  const reliability = Object.entries({ 'model (T-scaled)': p.model, uncalibrated: p.uncalibrated, pooled: p.pooled, logistic: p.logistic }).filter(([, v]) => v);
  if (reliability.length) out.reliability = reliabilitySvg(`${tag}: reliability (all test blocks)`, Object.fromEntries(reliability.map(([k, v]) => [k, v!.metrics.reliability])));
  if (p.model) out.confusion = confusionSvg(`${tag}: model confusion (n = ${Number(a.overall.n)})`, p.model.metrics.confusion, CLASS_NAMES);
  const names = ['model', 'pooled', 'logistic', 'majority'].filter((n) => a.folds.every((f) => f.predictors[n])); // four, or the chart is unreadable
  if (a.folds.length && names.length) {
    out.folds = intervalsSvg(`${tag}: accuracy by fold, 95% block-bootstrap intervals`, a.folds.map((f) => f.testStart), Object.fromEntries(names.map((n) => [n, a.folds.map((f) => f.predictors[n]!.accuracy)])), 'accuracy');
  }
  if (a.trading.dayMs.length && Object.keys(a.trading.equity).length) {
    out.equity = equitySvg(`${tag}: equity, fees ${costs.feeBps} + slippage ${costs.slippageBps} bps/side`, a.trading.dayMs.map((d) => new Date(d).toISOString().slice(0, 10)), a.trading.equity);
  }
  return out;
}
