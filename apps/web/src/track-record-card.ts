// The live track record panel (issue #16): how the served model's published predictions fared once their horizon
// passed, beside chance and the baselines recorded with them on the same days, per window; the resolved predictions
// over time (track-record-chart.ts) and the live calibration as a diagram and a table. Every number is the API's
// GET /v1/track-record (computeTrackRecords, the one computation); this file only words and draws it, and the chart
// legend's live line is worded here from the same record. Live, never backtest.
import { servedRecordOf, type TrackFigures, type TrackRecord, type TrackRecordResponse, type TrackWindow } from '@coinsphere/serving/contract';
import { h, pct } from './dom.ts';
import { reliabilityDiagram } from './model-card.ts';
import { trackRecordChart } from './track-record-chart.ts';

const WINDOW_WORDS: Record<TrackWindow['window'], string> = { '30d': 'last 30 days', '90d': 'last 90 days', '365d': 'last 365 days', live: 'since it went live' };

/** The record of the model serving now (`modelVersion`), else the newest model's; null when there is none. */
export function servedRecord(answer: TrackRecordResponse | null, modelVersion: string | null): TrackRecord | null {
  return answer && servedRecordOf(answer.records, modelVersion);
}

/** How many of a window's resolved predictions came true (its accuracy is hits / resolved). */
export const hitsOf = (w: TrackWindow): number => Math.round((w.model?.accuracy.estimate ?? 0) * w.resolved);

/** The chart legend's live line, from the same record as the panel. */
export function liveLegend(record: TrackRecord | null): string {
  const w = record?.windows.find((x) => x.window === 'live');
  if (!record || !w?.model) return 'Live: no published prediction has resolved yet.';
  return `Live: ${hitsOf(w)} of ${w.resolved} published predictions came true (${pct(w.model.accuracy.estimate)}).`;
}

/** The panel for `record` (null: nothing published at this horizon; an Error: the API failed). */
export function renderTrackRecord(record: TrackRecord | null | Error, symbol: string, horizonDays: number): HTMLElement {
  const box = (...children: Array<HTMLElement | string | null>) => h('div', { class: 'track-record', 'data-testid': 'track-record' }, h('h3', {}, 'Live track record ', h('span', { class: 'badge' }, 'LIVE')), ...children);
  if (record instanceof Error) return box(h('p', { class: 'muted', 'data-testid': 'track-record-error' }, `Could not load the live track record: ${record.message}`));
  if (!record) return box(h('p', { class: 'muted', 'data-testid': 'track-record-summary' }, `Nothing published for ${symbol} at ${horizonDays} days yet, so there is no live record; \`npx coinsphere publish\` starts one.`));
  const live = record.windows.find((w) => w.window === 'live')!;
  const note = h('p', { class: 'muted' }, 'Live: the predictions as they were published, each checked against the close once its horizon passed, by the band it was published with. The model card\'s figures are a backtest (held-out days before it went live); the two are never mixed.');
  if (!live.model) {
    return box(h('p', { 'data-testid': 'track-record-summary', 'data-resolved': '0' }, `Since ${record.liveSince}, ${record.published} ${horizonDays}-day predictions of ${symbol} were published; none has resolved yet (${record.pending} still open).`), note);
  }
  const b = live.baselines;
  const base = [
    b.persistence && `repeating the last move ${pct(b.persistence.accuracy.estimate)}`,
    b.majority && `always the training majority ${pct(b.majority.accuracy.estimate)}`,
    b.momentum && `momentum ${pct(b.momentum.accuracy.estimate)}`,
    b.logistic && `a logistic regression on the same features ${pct(b.logistic.accuracy.estimate)}`,
  ].filter(Boolean).join(', ');
  const summary = h(
    'p',
    { 'data-testid': 'track-record-summary', 'data-resolved': String(live.resolved), 'data-accuracy': String(live.model.accuracy.estimate) },
    `Since ${record.liveSince}, ${live.resolved} of ${record.published} published ${horizonDays}-day predictions of ${symbol} have resolved (${record.pending} still open): ` +
      `${hitsOf(live)} came true, ${pct(live.model.accuracy.estimate)} (95% interval ${pct(live.model.accuracy.lower)} to ${pct(live.model.accuracy.upper)}). ` +
      `A blind guess is right ${pct(live.chanceAccuracy)}${base ? `; on the same days ${base}` : ''}.`,
  );
  const cell = (f: { accuracy: { estimate: number } } | null) => h('td', {}, f ? pct(f.accuracy.estimate) : '–');
  const table = h(
    'table',
    { class: 'metrics', 'data-testid': 'track-record-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'accuracy'), h('th', {}, 'resolved'), h('th', {}, 'model'), h('th', {}, 'persistence'), h('th', {}, 'majority'), h('th', {}, 'momentum'), h('th', {}, 'logistic'), h('th', {}, 'model Brier'))),
    h('tbody', {}, ...record.windows.map((w) => h('tr', { 'data-window': w.window }, h('th', {}, WINDOW_WORDS[w.window]), h('td', {}, String(w.resolved)), cell(w.model), cell(w.baselines.persistence), cell(w.baselines.majority), cell(w.baselines.momentum), cell(w.baselines.logistic), h('td', {}, w.model ? w.model.brier.estimate.toFixed(3) : '–')))),
  );
  const chart = trackRecordChart(record);
  return box(
    summary,
    chart && h('figure', { class: 'track-chart' }, chart, h('figcaption', {}, 'Resolved predictions over time: each mark is one as-of day (filled: it came true); the lines are the share that came true over the last 30 resolved, for the model, the best baseline on the same days, and chance.')),
    h('div', { class: 'card-row' }, table, h('figure', {}, reliabilityDiagram(live.model.reliability), h('figcaption', {}, 'Live calibration: how often each confidence came true.'))),
    reliabilityTable(live.model.reliability),
    note,
  );
}

/** The live calibration as numbers: per confidence bin, how many predictions, their mean confidence and how many came true. */
function reliabilityTable(bins: TrackFigures['reliability']): HTMLElement {
  const rows = bins.filter((b) => b.count > 0).map((b) => h('tr', {}, h('th', {}, `${pct(b.lower)} to ${pct(b.upper)}`), h('td', {}, String(b.count)), h('td', {}, pct(b.meanConfidence)), h('td', {}, pct(b.accuracy))));
  return h(
    'table',
    { class: 'metrics', 'data-testid': 'track-record-reliability' },
    h('thead', {}, h('tr', {}, h('th', {}, 'confidence'), h('th', {}, 'predictions'), h('th', {}, 'mean confidence'), h('th', {}, 'came true'))),
    h('tbody', {}, ...rows),
  );
}
