// The plots of the risk evaluation's report, as SVG text: a reliability diagram per drawdown key (the model's
// reliabilitySvg, relabelled for an event probability), HAR − naive QLIKE with its interval per horizon and naive
// forecast, and the mean forward 30-day volatility by tenth of the score beside trailing volatility's. Every text
// from data is escaped, every attribute is a number or a fixed colour. Pure: no node:*.
// The last two have no twin in packages/model's svg-plots (whose frame is private); when the dashboard shows the
// risk evaluation they belong there, beside reliabilitySvg.
import { escapeXml as esc, reliabilitySvg, type DrawdownEvaluation, type VolatilityEvaluation } from '@coinsphere/model/core';
import { drawdownLabel, formatInterval } from './risk-labels.ts';
import type { ScoreVolatilityBins } from './risk-score-bins.ts';

const W = 560;
const H = 340;
const COLORS = ['#1f77b4', '#d62728'];

/** `svg` with the text `from` replaced by `to`; throws when `from` is not there (a builder's label changed). */
function relabel(svg: string, from: string, to: string): string {
  if (!svg.includes(`>${from}<`)) throw new Error(`The reliability plot has no label "${from}" to replace; reliabilitySvg's labels changed.`);
  return svg.replace(`>${from}<`, `>${esc(to)}<`);
}

/** Reliability of one drawdown key's calibrated probabilities: observed event share against mean forecast per bin. */
export function drawdownReliabilitySvg(d: DrawdownEvaluation): string {
  const svg = reliabilitySvg(`P(fall > ${drawdownLabel(d.key)}): reliability, ECE ${d.ece.estimate.toFixed(3)}, n = ${d.n}`, { calibrated: d.reliability });
  return relabel(relabel(svg, 'mean top-class probability in bin (dot size: rows)', 'mean forecast probability in bin (dot size: rows)'), 'share correct', 'share of days the fall happened');
}

function frame(title: string, body: string, xLabel: string, yLabel: string, left: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${left}" y="20" font-size="13" font-weight="bold">${esc(title)}</text>
${body}
<text x="${left + (W - left - 20) / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>
<text transform="translate(14 ${H / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>
</svg>\n`;
}

/** [lo, hi] around `values` with 5% room each side, always holding 0 when `withZero`. */
function range(values: number[], withZero: boolean): [number, number] {
  const lo = Math.min(...values, ...(withZero ? [0] : []));
  const hi = Math.max(...values, ...(withZero ? [0] : []));
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.05;
  return [lo - pad, hi + pad];
}

/** HAR − naive mean QLIKE per horizon and naive forecast: a dot and its 95% interval; left of the 0 line = HAR better. */
export function qlikeDifferencesSvg(volatility: readonly VolatilityEvaluation[]): string {
  const rows = volatility.flatMap((v) => Object.entries(v.harMinus).map(([name, d]) => ({ label: `${v.horizonDays} d − ${name}`, ci: d.qlike })));
  const m = { left: 110, right: 190, top: 34, bottom: 46 };
  const pw = W - m.left - m.right;
  const [lo, hi] = range(rows.flatMap((r) => [r.ci.lower, r.ci.upper]), true);
  const x = (v: number) => m.left + ((v - lo) / (hi - lo)) * pw;
  const rowH = (H - m.top - m.bottom) / Math.max(1, rows.length);
  let body = `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${H - m.top - m.bottom}" fill="none" stroke="#999"/>`;
  body += `<line x1="${x(0)}" x2="${x(0)}" y1="${m.top}" y2="${H - m.bottom}" stroke="#aaa" stroke-dasharray="4 3"/>`;
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    body += `<text x="${x(v)}" y="${H - m.bottom + 14}" text-anchor="middle">${v.toFixed(2)}</text>`;
  }
  rows.forEach((r, j) => {
    const y = m.top + (j + 0.5) * rowH;
    const c = r.ci.upper < 0 ? COLORS[0] : COLORS[1];
    body += `<text x="${m.left - 6}" y="${y + 4}" text-anchor="end">${esc(r.label)}</text>`;
    body += `<line x1="${x(r.ci.lower)}" x2="${x(r.ci.upper)}" y1="${y}" y2="${y}" stroke="${c}" stroke-width="2"/><circle cx="${x(r.ci.estimate)}" cy="${y}" r="3.5" fill="${c}"/>`;
    body += `<text x="${m.left + pw + 6}" y="${y + 4}">${esc(formatInterval(r.ci, 3, true))}</text>`;
  });
  return frame('HAR − naive mean QLIKE, 95% day-block bootstrap intervals', body, 'difference in mean QLIKE (below 0: HAR better; blue: the interval excludes 0)', 'horizon − naive forecast', m.left);
}

/** Mean realised forward 30-day volatility by tenth of the rows ranked by the score and by trailing volatility. */
export function scoreBinsSvg(bins: ScoreVolatilityBins): string {
  const series = { score: bins.score, 'trailing 30-d volatility': bins.trailingVolatility };
  const m = { left: 56, right: 160, top: 34, bottom: 46 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const n = Math.max(bins.score.length, bins.trailingVolatility.length);
  const [lo, hi] = range(Object.values(series).flat().map((b) => b.meanForwardVolatility * 100), false);
  const x = (j: number) => m.left + ((j + 0.5) / n) * pw;
  const y = (v: number) => m.top + ph - ((v - lo) / (hi - lo)) * ph;
  let body = `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`;
  for (let k = 0; k <= 5; k++) {
    const v = lo + ((hi - lo) * k) / 5;
    body += `<line x1="${m.left}" x2="${m.left + pw}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${m.left - 4}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}%</text>`;
  }
  for (let j = 0; j < n; j++) body += `<text x="${x(j)}" y="${m.top + ph + 14}" text-anchor="middle">${j + 1}</text>`;
  Object.entries(series).forEach(([name, b], s) => {
    const c = COLORS[s % COLORS.length];
    body += `<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${b.map((p, j) => `${x(j)},${y(p.meanForwardVolatility * 100)}`).join(' ')}"/>`;
    body += b.map((p, j) => `<circle cx="${x(j)}" cy="${y(p.meanForwardVolatility * 100)}" r="3" fill="${c}"><title>${Number(p.n)} rows, mean ${esc(name)} ${p.meanPredictor.toFixed(4)}</title></circle>`).join('');
    body += `<rect x="${m.left + pw + 12}" y="${m.top + s * 16}" width="10" height="10" fill="${c}"/><text x="${m.left + pw + 26}" y="${m.top + 9 + s * 16}">${esc(name)}</text>`;
  });
  return frame(`Forward 30-day volatility by tenth of the ranking (n = ${Number(bins.n)})`, body, 'tenth of the (asset, day) rows, lowest to highest', 'mean forward 30-d daily volatility', m.left);
}
