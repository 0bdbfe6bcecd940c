// Hand-written SVG plots for the evaluation report: reliability diagram, confusion matrix, accuracy by fold with
// intervals, equity curves. Plain strings, no dependencies; each plot has a title, axes and a legend.
import type { ReliabilityBin } from '@coinsphere/model';

const W = 560;
const H = 340;
const M = { left: 56, right: 150, top: 34, bottom: 46 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#7f7f7f'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

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
    body += pts.map((b) => `<circle cx="${x(b.meanConfidence)}" cy="${y(b.accuracy)}" r="${Math.min(7, 2 + Math.sqrt(b.count) / 4)}" fill="${c}" fill-opacity="0.6"><title>${b.count} rows</title></circle>`).join('');
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
      body += `<text x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" font-size="13">${v}</text><text x="${x + cell / 2}" y="${y + cell / 2 + 15}" text-anchor="middle" fill="#555">${(share * 100).toFixed(0)}% of row</text>`;
    });
    body += `<text x="${M.left - 4}" y="${M.top + i * cell + cell / 2}" text-anchor="end">${names[i]}</text>`;
    body += `<text x="${M.left + i * cell + cell / 2}" y="${M.top + names.length * cell + 14}" text-anchor="middle">${names[i]}</text>`;
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
    body += `<text x="${x(i)}" y="${M.top + PH + 14}" text-anchor="middle">${dayLabels[i] ?? ''}</text>`;
  }
  Object.entries(curves).forEach(([, v], s) => {
    const step = Math.max(1, Math.floor(v.length / 600));
    const pts = v.filter((_, i) => i % step === 0 || i === v.length - 1).map((e, j, arr) => `${x(arr.length === v.length ? j : Math.min(v.length - 1, j * step))},${y(Math.log(Math.max(e, 1e-6)))}`);
    body += `<polyline fill="none" stroke="${COLORS[s % COLORS.length]}" stroke-width="1.3" points="${pts.join(' ')}"/>`;
  });
  return frame(title, body + legend(Object.keys(curves)), 'day (test blocks joined)', 'equity (log scale)');
}
