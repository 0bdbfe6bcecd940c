// The model card: what the model was trained on, its test metrics beside the baselines on the same days, the
// reliability diagram, the placeholder features, and one plain sentence on what the accuracy means.
import { type ArtifactMetadata, CLASS_NAMES, labelRuleFor } from '@coinsphere/model/core';

import type { GateDecisions } from './api-client.ts';
import { h, pct, svg } from './dom.ts';
import { term } from './glossary.ts';

type Report = NonNullable<NonNullable<ArtifactMetadata['metrics']>['test']>;
type Metrics = Report['model'];

/** The model's backtest against the better of the two simple rules: 'better', 'same' (within 2 points) or 'worse'. */
function edgeOf(t: Report): { kind: 'better' | 'same' | 'worse'; best: number } {
  const best = Math.max(t.majority.accuracy, t.persistence.accuracy);
  const edge = t.model.accuracy - best;
  return { kind: edge > 0.02 ? 'better' : edge >= -0.02 ? 'same' : 'worse', best };
}

const VERDICT_WORDS = { better: 'better than', same: 'no better than', worse: 'worse than' } as const;

/** The headline's verdict on the model, one line: "Model quality (backtest): no better than the simple rules (…)". */
export function qualityVerdict(m: ArtifactMetadata): { kind: 'better' | 'same' | 'worse' | 'unknown'; text: string } {
  const t = m.metrics?.test;
  if (!t || t.n === 0) return { kind: 'unknown', text: 'Model quality: unknown, it has no test metrics.' };
  const { kind, best } = edgeOf(t);
  return { kind, text: `Model quality (backtest): ${VERDICT_WORDS[kind]} the simple rules, right ${pct(t.model.accuracy)} of ${t.n} test ${m.scope === 'pooled' ? 'predictions' : 'days'} against ${pct(best)} for the better rule.` };
}

/** The sentence a reader should take away from the test accuracy. */
export function accuracySentence(m: ArtifactMetadata): string {
  const t = m.metrics?.test;
  if (!t || t.n === 0) return 'This model has no test metrics, so nothing is known about how often it is right.';
  const kind = edgeOf(t).kind;
  const verdict = kind === 'better' ? `a little better than the simpler rules, on past data only` : `${VERDICT_WORDS[kind]} the simpler rules`;
  const test = m.splitDates.test;
  return (
    `Backtest: on ${t.n} held-out test ${m.scope === 'pooled' ? 'predictions' : 'days'}${test ? ` (${test.start} to ${test.end})` : ''} the model named the right ${m.horizonDays}-day direction ` +
    `${pct(t.model.accuracy)} of the time; always saying "${mostCommon(t)}" was right ${pct(t.majority.accuracy)} and repeating the last ` +
    `${m.horizonDays}-day move ${pct(t.persistence.accuracy)}. That is ${verdict}: a past hit rate, not a promise, and a single prediction ` +
    `can be wrong whatever its confidence.`
  );
}

function mostCommon(t: Report): string {
  const s = t.majority.perClass;
  return CLASS_NAMES.reduce((a, b) => (s[b].support > s[a].support ? b : a));
}

function metricsTable(t: Report): HTMLTableElement {
  const rows: Array<[Node, (m: Metrics) => string]> = [
    [term('accuracy'), (m) => pct(m.accuracy)],
    [term('macro-f1'), (m) => m.macroF1.toFixed(3)],
    [term('log-loss'), (m) => m.logLoss.toFixed(3)],
    [term('brier', 'Brier'), (m) => m.brier.toFixed(3)],
    [term('ece', 'ECE'), (m) => m.ece.toFixed(3)],
  ];
  const cols: Array<[Node | string, Metrics]> = [['Model', t.model], [term('majority'), t.majority], [term('persistence'), t.persistence]];
  return h(
    'table',
    { class: 'metrics', 'data-testid': 'model-metrics' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, `${t.n} test days`), ...cols.map(([name]) => h('th', { scope: 'col' }, name)))),
    h('tbody', {}, ...rows.map(([label, f]) => h('tr', {}, h('th', { scope: 'row' }, label), ...cols.map(([, m]) => h('td', {}, f(m)))))),
  );
}

/** Reliability diagram: accuracy against mean confidence per bin (bar width ∝ count), with the diagonal. */
export function reliabilityDiagram(bins: Metrics['reliability']): SVGElement {
  const W = 220, P = 24;
  const x = (v: number) => P + v * (W - 2 * P);
  const y = (v: number) => W - P - v * (W - 2 * P);
  const max = Math.max(1, ...bins.map((b) => b.count));
  const bars = bins
    .filter((b) => b.count > 0)
    .map((b) => {
      const w = Math.max(2, (x(b.upper) - x(b.lower)) * (0.3 + 0.7 * (b.count / max)));
      const cx = (x(b.lower) + x(b.upper)) / 2;
      return svg('rect', { x: cx - w / 2, y: y(b.accuracy), width: w, height: y(0) - y(b.accuracy), fill: '#60a5fa' }, svg('title', {}, document.createTextNode(`${b.count} predictions at ${pct(b.meanConfidence)} confidence: ${pct(b.accuracy)} right`)));
    });
  const label = (tx: number, ty: number, s: string, anchor = 'middle') => svg('text', { x: tx, y: ty, 'font-size': 10, 'text-anchor': anchor, fill: '#475569' }, document.createTextNode(s));
  return svg(
    'svg',
    { viewBox: `0 0 ${W} ${W}`, width: W, height: W, role: 'img', 'aria-label': 'Reliability diagram', 'data-testid': 'reliability-diagram' },
    svg('line', { x1: x(0), y1: y(0), x2: x(1), y2: y(1), stroke: '#94a3b8', 'stroke-dasharray': '4 3' }),
    svg('line', { x1: x(0), y1: y(0), x2: x(1), y2: y(0), stroke: '#334155' }),
    svg('line', { x1: x(0), y1: y(0), x2: x(0), y2: y(1), stroke: '#334155' }),
    ...bars,
    label(W / 2, W - 4, 'confidence'),
    label(x(0) + 4, P - 10, 'accuracy', 'start'),
    label(x(0), y(0) + 12, '0'),
    label(x(1), y(0) + 12, '1'),
  );
}

/** How the model draws its classes for `symbol`, in words. */
function labelsText(m: ArtifactMetadata, symbol: string): string {
  const rule = labelRuleFor(m.labels, symbol);
  if (rule.kind === 'volatility') return `a band of ±${rule.k.toFixed(2)} × the asset's daily volatility × √${m.horizonDays}, so it widens in wild markets`;
  return `bearish below ${pct(rule.lower)}, bullish above ${pct(rule.upper)} over ${m.horizonDays} days`;
}

/** The card for `m` as it predicts `symbol`, ready to put in the page. */
export function renderModelCard(m: ArtifactMetadata, symbol: string): HTMLElement {
  const placeholders = Object.entries(m.featureStatus).filter(([, s]) => s !== 'real');
  const t = m.metrics?.test;
  return h(
    'div',
    { class: 'model-card' },
    h('p', { class: 'plain', 'data-testid': 'accuracy-sentence' }, accuracySentence(m)),
    h(
      'dl',
      {},
      h('dt', {}, 'Model'), h('dd', {}, `${m.scope === 'pooled' ? `one model over ${m.symbols.length} assets${m.symbols.includes(symbol) ? '' : ` (${symbol} not among them)`}` : `${m.symbol} only`} · ${m.horizonDays}-day direction · ${m.members.length > 1 ? `${m.members.length} networks averaged · ` : ''}trained ${m.createdAt.slice(0, 10)}`),
      h('dt', {}, 'Data'), h('dd', {}, `${m.dataSources[symbol] ?? Object.values(m.dataSources).join(', ')}, ${m.dataRange.first} to ${m.dataRange.last} (${m.dataRange.nDays} days${m.scope === 'pooled' ? ' over all assets' : ''})`),
      h('dt', {}, 'Training'), h('dd', {}, `${m.splitDates.train.start} to ${m.splitDates.train.end}; validation to ${m.splitDates.val.end}${m.splitDates.test ? `; test ${m.splitDates.test.start} to ${m.splitDates.test.end}` : ''}`),
      h('dt', {}, 'Labels'), h('dd', {}, labelsText(m, symbol)),
      h('dt', {}, term('temperature')), h('dd', {}, m.temperature.toFixed(3)),
      h('dt', {}, term('placeholder', 'Placeholder features')), h('dd', { 'data-testid': 'placeholder-features' }, placeholders.length ? placeholders.map(([n, s]) => `${n} (${s})`).join(', ') : 'none'),
    ),
    t ? h('div', { class: 'card-row' }, metricsTable(t), h('figure', {}, reliabilityDiagram(t.model.reliability), h('figcaption', {}, term('reliability'), ': bars on the dashed line would mean the confidence can be taken at its word.'))) : null,
  );
}

const DECISION_WORDS = { promoted: 'promoted', kept: 'kept out', forced: 'forced in with --promote' } as const;

/** The promotion gate's newest decision for the asset and horizon, with the numbers it was taken on. */
export function renderGateDecisions(d: GateDecisions | Error, symbol: string, horizonDays: number): HTMLElement {
  const box = (...children: Array<HTMLElement | string | null>) => h('div', { class: 'gate' }, h('h3', {}, 'Promotion gate'), ...children);
  if (d instanceof Error) return box(h('p', { class: 'muted', 'data-testid': 'gate-error' }, `Could not load the gate's decisions: ${d.message}`));
  if (!d.recorded) return box(h('p', { class: 'muted' }, "This API does not keep the gate's decisions (the edge knows which model serves, not why); the Node API over the trainer's database shows them (`npx coinsphere serve`)."));
  const [last, ...older] = d.decisions;
  if (!last) return box(h('p', { class: 'muted' }, `No decision for ${symbol} at ${horizonDays} days: its model predates the gate, or the pooled model serves ${symbol} as an asset it never saw.`));
  const e = last.evidence;
  const row = (who: string, s: NonNullable<typeof e.candidate> | null | undefined) =>
    s ? h('tr', {}, h('th', {}, who), h('td', {}, s.modelVersion), h('td', {}, pct(s.accuracy)), h('td', {}, pct(s.macroF1)), h('td', {}, s.brier.toFixed(4))) : null;
  return box(
    h(
      'p',
      { 'data-testid': 'gate-decision', 'data-value': last.decision },
      `${last.decidedAt.slice(0, 10)}: candidate ${last.candidateVersion} (${last.candidateScope === 'pooled' ? 'pooled' : 'this asset only'}) was `,
      h('strong', {}, DECISION_WORDS[last.decision]),
      e.reason ? ` — ${e.reason}.` : '.',
    ),
    e.candidate && e.rows
      ? h(
          'table',
          { class: 'metrics' },
          h('caption', {}, `On the ${e.rows} held-out days ${e.from} to ${e.to}, the same rows for both (lower Brier is better)`),
          h('tr', {}, h('th', { scope: 'col' }, 'model'), h('th', {}, 'version'), h('th', {}, term('accuracy', 'accuracy')), h('th', {}, term('macro-f1', 'macro-F1')), h('th', {}, term('brier', 'Brier'))),
          row('candidate', e.candidate),
          row('served before', e.incumbent),
        )
      : null,
    older.length ? h('p', { class: 'muted' }, `${older.length} earlier decision${older.length > 1 ? 's' : ''}: ${older.map((o) => `${o.decidedAt.slice(0, 10)} ${DECISION_WORDS[o.decision]}`).join(', ')}.`) : null,
  );
}
