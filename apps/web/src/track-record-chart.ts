// The live track record over time (issue #16): one mark per resolved prediction on its as-of day (filled: it came
// true; hollow: it did not), and the rolling hit rate of the model beside chance and the best baseline's on the same
// days. Draws the record's resolvedDays (computeTrackRecords' rows), computes no figure of its own but the rolling
// shares. Browser only.
import type { TrackDay, TrackRecord, TrackRecordBaseline, TrackWindow } from '@coinsphere/serving/contract';
import { TRACK_RECORD_BASELINES } from '@coinsphere/serving/contract';
import { pct, svg } from './dom.ts';

/** Resolved predictions each point of the rolling hit rate averages (fewer at the start). */
export const ROLLING_PREDICTIONS = 30;

const BASELINE_WORDS: Record<TrackRecordBaseline, string> = { persistence: 'repeating the last move', majority: 'the training majority', momentum: 'momentum', logistic: 'logistic regression' };

/** The baseline right most often in `live` (its live window), or null when none was recorded on every day. */
export function bestBaseline(live: TrackWindow | undefined): TrackRecordBaseline | null {
  let best: TrackRecordBaseline | null = null;
  for (const b of TRACK_RECORD_BASELINES) {
    const f = live?.baselines[b];
    if (f && (best === null || f.accuracy.estimate > live!.baselines[best]!.accuracy.estimate)) best = b;
  }
  return best;
}

/** The share of true values among the last `k` up to each index (fewer at the start). */
export function rollingShare(bits: readonly boolean[], k: number): number[] {
  let sum = 0;
  return bits.map((b, i) => {
    sum += b ? 1 : 0;
    if (i >= k && bits[i - k]) sum -= 1;
    return sum / Math.min(i + 1, k);
  });
}

const W = 560, H = 176, P = { left: 34, right: 12, top: 30, bottom: 22 };

function text(x: number, y: number, s: string, anchor = 'start', fill = '#475569'): SVGElement {
  return svg('text', { x, y, 'font-size': 10, 'text-anchor': anchor, fill }, document.createTextNode(s));
}

function polyline(xs: number[], ys: number[], stroke: string, testid: string, dash = ''): SVGElement {
  return svg('polyline', { points: xs.map((x, i) => `${x.toFixed(1)},${ys[i]!.toFixed(1)}`).join(' '), fill: 'none', stroke, 'stroke-width': 1.6, ...(dash ? { 'stroke-dasharray': dash } : {}), 'data-testid': testid });
}

/** The chart of `record`'s resolved predictions; null when none has resolved. */
export function trackRecordChart(record: TrackRecord): SVGElement | null {
  const days: TrackDay[] = record.resolvedDays;
  if (days.length === 0) return null;
  const live = record.windows.find((w) => w.window === 'live');
  const best = bestBaseline(live);
  const t = days.map((d) => Date.parse(`${d.asOf}T00:00:00Z`));
  const [t0, t1] = [t[0]!, Math.max(t.at(-1)!, t[0]! + 86_400_000)];
  const x = (ms: number) => P.left + ((ms - t0) / (t1 - t0)) * (W - P.left - P.right);
  const y = (share: number) => H - P.bottom - share * (H - P.top - P.bottom - 14); // the top 14 px hold the marks
  const xs = t.map(x);
  const k = Math.min(ROLLING_PREDICTIONS, days.length);
  const marks = days.map((d, i) =>
    svg('circle', { cx: xs[i]!, cy: P.top - 6, r: 3, class: d.hit ? 'hit' : 'miss', fill: d.hit ? '#16a34a' : 'none', stroke: d.hit ? '#16a34a' : '#dc2626' }, svg('title', {}, document.createTextNode(`${d.asOf}: ${d.hit ? 'came true' : 'did not come true'}`))),
  );
  const lines = [polyline([x(t0), x(t1)], [y(1 / 3), y(1 / 3)], '#94a3b8', 'track-chart-chance', '4 3'), polyline(xs, rollingShare(days.map((d) => d.hit), k).map(y), '#2563eb', 'track-chart-model')];
  if (best) lines.push(polyline(xs, rollingShare(days.map((d) => d.baselineHits[best] === true), k).map(y), '#ea580c', 'track-chart-baseline'));
  const hits = days.filter((d) => d.hit).length;
  const label = `${hits} of ${days.length} resolved predictions came true; rolling hit rate over ${k} predictions against chance (33.3%)${best ? ` and ${BASELINE_WORDS[best]}` : ''}`;
  return svg(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': label, 'data-testid': 'track-record-chart', 'data-days': days.length, 'data-hits': hits, 'data-baseline': best ?? '' },
    svg('line', { x1: P.left, y1: y(0), x2: W - P.right, y2: y(0), stroke: '#334155' }),
    svg('line', { x1: P.left, y1: y(0), x2: P.left, y2: y(1), stroke: '#334155' }),
    text(P.left - 4, y(1) + 3, '100%', 'end'),
    text(P.left - 4, y(1 / 3) + 3, pct(1 / 3).replace('.3%', '%'), 'end'),
    text(P.left - 4, y(0) + 3, '0%', 'end'),
    text(P.left, H - 6, days[0]!.asOf),
    text(W - P.right, H - 6, days.at(-1)!.asOf, 'end'),
    text(W - P.right, 9, `blue: model; ${best ? `orange: ${BASELINE_WORDS[best]}; ` : ''}dashed: chance; filled mark: came true`, 'end'),
    ...lines,
    ...marks,
  );
}
