// Flags on the API's stored prediction and a compact monitoring summary (issue #16), shown in the track-record
// panel: whether the served prediction is stale (its data old, or served from cache while the store was down), from
// an expired model (its age recomputed with the page's clock by modelAgeNow, as the server does with its own) or on
// inputs out of the training distribution; and GET /v1/monitoring/{symbol}'s model age, expiry and drift per feature.
// Words only: every flag and figure is the API's or the one rule in @coinsphere/model. Browser only.
import { modelAge, modelAgeNow, monitoringNotes } from '@coinsphere/model/core';
import type { MonitoringSummary, ServedPrediction, StaleReason } from '@coinsphere/serving/contract';
import { h } from './dom.ts';

const STALE_WORDS: Record<StaleReason, string> = {
  data_old: 'its data are more than 2 days old: ingest newer candles and publish again',
  store_unreachable: 'it came from the cache while the prediction store was unreachable',
};

/** What the page flags about a served prediction at the page's clock `nowMs`. */
export interface ServedFlags {
  stale: boolean;
  expired: boolean;
  outOfDistribution: boolean;
  /** One plain sentence per flag set. */
  notes: string[];
}

/** The flags of the API's stored prediction `p` at `nowMs` (its model's age as of then, not as of publish). */
export function servedFlags(p: ServedPrediction, nowMs: number): ServedFlags {
  const m = p.monitoring ? { ...p.monitoring, ...modelAgeNow(p.monitoring, nowMs) } : null;
  const notes = p.staleReasons.map((r) => `The API's prediction is stale: ${STALE_WORDS[r]}.`);
  if (m) notes.push(...monitoringNotes(m).map((n) => `The API's prediction: ${n}`));
  return { stale: p.stale, expired: m?.expired ?? false, outOfDistribution: m?.outOfDistribution?.flag ?? false, notes };
}

/** The flags line of the API's stored prediction (hidden when none is set or there is no prediction). */
export function renderServedFlags(p: ServedPrediction | null, nowMs: number): HTMLElement {
  const f = p ? servedFlags(p, nowMs) : null;
  const el = h('div', { class: 'monitoring-flag', 'data-testid': 'served-flags', 'data-stale': String(f?.stale ?? false), 'data-expired': String(f?.expired ?? false), 'data-ood': String(f?.outOfDistribution ?? false) }, ...(f?.notes ?? []).map((n) => h('p', {}, n)));
  el.hidden = !f || f.notes.length === 0;
  return el;
}

/** The monitoring summary in a few lines: model, age and expiry (at `nowMs`), drift per feature, the newest flag. */
export function renderMonitoringSummary(s: MonitoringSummary | null | Error, symbol: string, horizonDays: number, nowMs: number): HTMLElement {
  const box = (...children: Array<HTMLElement | string | null>) => h('div', { class: 'monitoring-summary', 'data-testid': 'monitoring-summary' }, h('h4', {}, 'Monitoring'), ...children);
  if (s instanceof Error) return box(h('p', { class: 'muted' }, `Could not load the monitoring summary: ${s.message}`));
  if (!s) return box(h('p', { class: 'muted' }, `No monitoring summary of ${symbol} at ${horizonDays} days yet; \`npx coinsphere publish\` computes one.`));
  const age = modelAge(s.trainedAt, nowMs, s.expiryDays);
  const ageLine = h('p', { 'data-testid': 'monitoring-age', 'data-expired': String(age.expired), 'data-age-days': String(age.modelAgeDays) }, `Model ${s.modelVersion}: ${age.modelAgeDays} days old, ${age.expired ? `expired on ${age.expiresAt.slice(0, 10)} (its ${age.expiryDays}-day expiry): retrain` : `expires on ${age.expiresAt.slice(0, 10)}`}.`);
  const ood = s.newestPrediction?.outOfDistribution;
  const oodLine = s.newestPrediction && h('p', { class: 'muted' }, `Newest prediction (${s.newestPrediction.asOf}): ${ood ? (ood.flag ? `inputs out of the training distribution (distance ${ood.distance.toFixed(2)} > ${ood.threshold.toFixed(2)})` : `inputs like the training data (distance ${ood.distance.toFixed(2)} ≤ ${ood.threshold.toFixed(2)})`) : 'no training distribution recorded'}.`);
  if (!s.drift) return box(ageLine, h('p', { class: 'muted' }, `Drift: ${s.driftNote ?? 'not computed'}.`), oodLine);
  const driftLine = h('p', { 'data-testid': 'monitoring-drift', 'data-drifting': s.drifting.join(',') }, `Drift of the last ${s.drift.nRows} days against ${s.drift.reference === 'asset' ? "the asset's own" : 'all'} training rows (computed ${s.computedAt.slice(0, 10)}): ${s.drifting.length === 0 ? 'no feature drifted' : `${s.drifting.join(', ')} drifted`}.`);
  const rows = [...s.drift.features].sort((a, b) => b.psi - a.psi).map((f) => h('tr', { 'data-feature': f.feature, 'data-level': f.level, class: f.level === 'drift' ? 'drift' : '' }, h('th', {}, f.feature), h('td', {}, f.psi.toFixed(3)), h('td', {}, f.level)));
  const table = h('table', { class: 'metrics compact', 'data-testid': 'monitoring-features' }, h('thead', {}, h('tr', {}, h('th', {}, 'feature'), h('th', {}, 'PSI'), h('th', {}, 'level'))), h('tbody', {}, ...rows));
  return box(ageLine, driftLine, h('details', {}, h('summary', {}, `PSI per feature (${s.drift.features.length})`), table), oodLine);
}

/**
 * The panel part for the API's stored prediction `served` of `symbol`: its flags at once, the monitoring summary
 * (`load`: GET /v1/monitoring/{symbol}) when it arrives. `nowMs`: the page's clock.
 */
export function monitoringPanel(served: ServedPrediction | null, symbol: string, horizonDays: number, load: () => Promise<MonitoringSummary | null>, nowMs = Date.now()): HTMLElement {
  const summary = h('div', { 'data-testid': 'monitoring-summary', 'data-state': 'loading' });
  const panel = h('div', { class: 'monitoring', 'data-testid': 'monitoring' }, renderServedFlags(served, nowMs), summary);
  void load().then(
    (s) => summary.replaceWith(renderMonitoringSummary(s, symbol, horizonDays, nowMs)),
    (e: unknown) => summary.replaceWith(renderMonitoringSummary(e instanceof Error ? e : new Error(String(e)), symbol, horizonDays, nowMs)),
  );
  return panel;
}
