// The risk panel: the selected asset's Degen Risk Score as this browser computed it (risk-local.ts) beside the one
// the API stored, what the score means (it is not a recommendation), each component in plain words (risk-words.ts)
// and the last 30 days as a small SVG line, days without a score left as gaps with the reason on hover. Without a
// score: the reason and what it means, never a number. Text from the API goes in as text nodes.
// Test hooks: [data-testid=risk] (data-state: loading | computed | served | none | error), risk-score (data-value:
// the score computed here, full precision; data-served: the API's; data-ms: the computation's time), risk-reason
// (data-value: the reason), risk-mismatch, risk-components (one [data-component] row each), risk-history.
import { RISK_SCORE_MEANING } from '@coinsphere/model/core';

import type { RiskResponse } from './api-client.ts';
import { h, svg } from './dom.ts';
import type { LocalRisk } from './risk-local.ts';
import { describeComponents, reasonText } from './risk-words.ts';

/** What the panel knows about one asset. */
export type RiskPanelState =
  | { kind: 'loading'; symbol: string }
  | { kind: 'none'; symbol: string; message: string }
  | { kind: 'error'; symbol: string; message: string }
  | { kind: 'served'; symbol: string; risk: RiskResponse; local: LocalRisk | null; localError: string | null };

/** Largest difference between the browser's score and the API's that still counts as the same. */
export const RISK_SCORE_TOLERANCE = 1e-9;

type Score = RiskResponse['score'];
const scoreText = (v: number) => v.toFixed(1);

/** The big number, or the reason there is none. */
function headline(shown: Score, served: Score, local: LocalRisk | null, day: string): HTMLElement {
  if (!shown.ok) {
    return h('div', { class: 'risk-headline' },
      h('p', { class: 'risk-none', 'data-testid': 'risk-reason', 'data-value': shown.reason }, h('strong', {}, `No score for ${day}: `), reasonText(shown), '.'),
      h('p', { class: 'muted' }, 'A score is only given when every component it is made of has a value; it is never made of missing data.'));
  }
  const attrs: Record<string, string> = { class: 'risk-score', 'data-testid': 'risk-score', 'data-value': local ? String(shown.value) : '', 'data-served': served.ok ? String(served.value) : '', 'data-day': day };
  if (local) {
    attrs['data-ms'] = String(local.ms);
    attrs['data-prepare-ms'] = String(local.prepareMs);
  }
  return h('div', { class: 'risk-headline' },
    h('p', { class: 'headline' }, h('span', attrs, scoreText(shown.value)), h('span', { class: 'muted' }, `of 100, for ${day}`)),
    h('div', { class: 'track risk-track', role: 'img', 'aria-label': `${scoreText(shown.value)} on a scale from 0 (calm) to 100 (wild)` }, h('span', { class: 'fill', style: `width:${shown.value.toFixed(2)}%` })));
}

/** Where the number came from, and whether the browser and the API agree (a notice when they do not). */
function provenance(s: Extract<RiskPanelState, { kind: 'served' }>): HTMLElement[] {
  const served = s.risk.score;
  if (!s.local) {
    const why = s.localError ?? 'the API sent no model to compute it with (publish again to store one)';
    return [h('p', { class: 'muted', 'data-testid': 'risk-origin', 'data-value': 'api' }, `As the API stored it; not recomputed here: ${why}.`)];
  }
  const mine = s.local.assessment.score;
  const ms = s.local.ms < 10 ? s.local.ms.toFixed(2) : s.local.ms.toFixed(0);
  const origin = h('p', { class: 'muted', 'data-testid': 'risk-origin', 'data-value': 'browser' },
    `Computed in your browser in ${ms} ms from ${s.local.candles} daily candles (${s.risk.inputs?.candles.source}, ${s.local.fromDay} to ${s.local.toDay}) with the model the API froze on that day${s.local.prepareMs > 1 ? ` (its drawdown tables, once per page, ${s.local.prepareMs.toFixed(0)} ms while the candles downloaded)` : ''}.`);
  const same = mine.ok && served.ok ? Math.abs(mine.value - served.value) <= RISK_SCORE_TOLERANCE : !mine.ok && !served.ok && mine.reason === served.reason;
  if (same) return [origin];
  const words = (v: Score) => (v.ok ? String(v.value) : `no score (${v.reason})`);
  return [origin, h('p', { class: 'notice warning', role: 'status', 'data-testid': 'risk-mismatch' },
    h('strong', {}, 'Differs from the API: '), `this browser computed ${words(mine)}, the API stored ${words(served)}. The candles or the code differ from what publish used; run \`npx coinsphere publish\` again.`)];
}

/** The components as a definition list, each a value in words or why it has none. */
function componentList(c: RiskResponse['components']): HTMLElement {
  return h('dl', { class: 'risk-components', 'data-testid': 'risk-components' },
    ...describeComponents(c).flatMap((l) => [
      h('dt', { 'data-component': l.key }, l.label),
      h('dd', { 'data-component': l.key, ...(l.reason ? { 'data-reason': l.reason, class: 'muted' } : {}) }, l.text),
    ]));
}

/** The range the sparkline spans: the scores' own, widened to at least 10 points and kept inside 0-100. */
function sparkRange(scores: number[]): { lo: number; hi: number } {
  const mid = scores.length ? (Math.min(...scores) + Math.max(...scores)) / 2 : 50;
  const half = Math.max(5, scores.length ? (Math.max(...scores) - Math.min(...scores)) / 2 + 1 : 5);
  const lo = Math.max(0, Math.floor(mid - half));
  return { lo, hi: Math.min(100, Math.max(lo + 10, Math.ceil(mid + half))) };
}

/** The last days' scores as a line (its range labelled), broken where a day has none (the reason in its title). */
export function riskSparkline(history: RiskResponse['history'], width = 280, height = 64): SVGElement {
  const [left, pad] = [22, 5];
  const scores = history.flatMap((p) => (p.score === null ? [] : [p.score]));
  const { lo, hi } = sparkRange(scores);
  const x = (i: number) => left + (history.length < 2 ? 0 : (i * (width - left - pad)) / (history.length - 1));
  const y = (v: number) => pad + ((hi - v) * (height - 2 * pad)) / (hi - lo);
  let d = '';
  history.forEach((p, i) => {
    if (p.score !== null) d += `${i > 0 && history[i - 1]!.score !== null ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.score).toFixed(1)}`;
  });
  const label = scores.length
    ? `Score over the last ${history.length} days, ${history[0]?.day} to ${history.at(-1)?.day}: from ${scoreText(scores[0]!)} to ${scoreText(scores.at(-1)!)}, between ${scoreText(Math.min(...scores))} and ${scoreText(Math.max(...scores))}; ${history.length - scores.length} days without a score.`
    : `No score on any of the last ${history.length} days.`;
  const title = (text: string) => svg('title', {}, document.createTextNode(text));
  const marks = history.map((p, i) =>
    p.score === null
      ? svg('rect', { x: x(i) - 2, y: height - pad - 3, width: 4, height: 3, class: 'gap', 'data-day': p.day }, title(`${p.day}: no score (${p.reason ?? 'unknown'})`))
      : svg('circle', { cx: x(i), cy: y(p.score), r: 3, class: 'point', 'data-day': p.day }, title(`${p.day}: ${scoreText(p.score)}`)));
  const tick = (v: number, dy: number) => svg('text', { x: 2, y: y(v) + dy }, document.createTextNode(String(v)));
  return svg('svg', { class: 'risk-sparkline', 'data-testid': 'risk-history', role: 'img', 'aria-label': label, width, height, viewBox: `0 0 ${width} ${height}` },
    title(label), ...(scores.length ? [tick(hi, 8), tick(lo, 0)] : []), svg('path', { d, class: 'line' }), ...marks);
}

/** The panel's content for `s`. */
export function renderRisk(s: RiskPanelState): HTMLElement {
  const box = (state: string, ...children: Array<Node | string>) => h('div', { class: 'risk', 'data-testid': 'risk', 'data-state': state, 'data-symbol': s.symbol }, ...children);
  const meaning = h('p', { class: 'plain', 'data-testid': 'risk-meaning' }, RISK_SCORE_MEANING);
  if (s.kind === 'loading') return box('loading', h('p', { class: 'muted' }, `Loading ${s.symbol}'s risk score…`));
  if (s.kind === 'none') return box('none', h('p', { 'data-testid': 'risk-reason', 'data-value': 'not-published' }, `No risk score for ${s.symbol}: ${s.message}`), meaning);
  if (s.kind === 'error') return box('error', h('p', { 'data-testid': 'risk-error' }, `Could not load ${s.symbol}'s risk score: ${s.message}`), meaning);
  const a = s.local?.assessment;
  const shown = a ? a.score : s.risk.score;
  const history = s.risk.history;
  return box(s.local ? 'computed' : 'served',
    h('div', { class: 'risk-main' },
      headline(shown, s.risk.score, s.local, s.risk.day),
      ...provenance(s),
      meaning,
      h('h3', {}, `The last ${history.length} days`),
      history.length ? riskSparkline(history) : h('p', { class: 'muted' }, 'No history stored.'),
      h('p', { class: 'muted' }, `Method ${s.risk.methodVersion}, computed by publish at ${s.risk.createdAt.slice(0, 16).replace('T', ' ')} UTC.`)),
    h('div', { class: 'risk-parts' }, h('h3', {}, 'What it is made of'), componentList(a ? a.components : s.risk.components)));
}
