// Renders the prediction panel (the in-browser prediction, the API's cached one and whether they agree) and
// the notices. The data-testid hooks the browser tests read live here: prediction-class,
// prediction-probabilities (data-value: JSON [bearish, neutral, bullish]), backend-used (data-value: the
// backend name), inference-ms, api-prediction-class, prediction-monitoring (shown for an expired model or
// out-of-distribution inputs; data-ood and data-expired: "true" or "false"; data-distance: the window's distance).
import { CLASS_NAMES, type Candle, dataFreshness, formatDataAge, monitoringNotes, STALE_AFTER_DAYS } from '@coinsphere/model';

import type { ApiPrediction } from './api-client.ts';
import { BACKEND_LABELS } from './backends.ts';
import { byId, h, pct } from './dom.ts';
import type { BrowserPrediction } from './inference.ts';

/** A price with as many digits as a $0.09 coin needs. */
export function price(v: number): string {
  return `$${v >= 100 ? v.toLocaleString('en-US', { maximumFractionDigits: 0 }) : v.toPrecision(4)}`;
}

/** The day `days` after `isoDay`. */
const dayAfter = (isoDay: string, days: number) => new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Shows the in-browser prediction: the call (or "no clear signal"), the probabilities and the band in price. */
export function showBrowserPrediction(p: BrowserPrediction): void {
  const cls = byId('prediction-class');
  cls.textContent = p.class;
  cls.className = `class ${p.signal === 'none' ? 'no-signal' : p.class}`;
  byId('confidence').textContent = pct(p.confidence);
  const signal = byId('prediction-signal');
  signal.dataset.value = p.signal;
  signal.textContent =
    p.signal === 'none'
      ? `No clear signal: the model leans ${p.class} at ${pct(p.confidence)}, below the threshold it speaks above (chosen on validation data); a blind guess among three outcomes is right a third of the time.`
      : `The model's call: ${p.class} at ${pct(p.confidence)} (a blind guess among three outcomes is right a third of the time).`;
  const b = p.band;
  const band = byId('prediction-band');
  band.textContent = `"Neutral" means ${p.symbol} closes between ${price(b.lowerPrice)} and ${price(b.upperPrice)} on ${dayAfter(p.asOf, p.horizonDays)} (${pct(b.lowerReturn)} to +${pct(b.upperReturn)} from ${price(b.closeAtAsOf)} on ${p.asOf}); below is bearish, above bullish.`;
  showMonitoring(p);
  const probs = byId('probabilities');
  probs.dataset.value = JSON.stringify(CLASS_NAMES.map((c) => p.probabilities[c]));
  probs.replaceChildren(
    ...CLASS_NAMES.map((c) =>
      h('div', { class: `bar ${c}` }, h('span', { class: 'name' }, c), h('span', { class: 'track' }, h('span', { class: 'fill', style: `width:${(p.probabilities[c] * 100).toFixed(2)}%` })), h('span', { class: 'value' }, pct(p.probabilities[c]))),
    ),
  );
  byId('prediction-meta').textContent = `${p.horizonDays}-day direction after ${p.asOf} · model ${p.modelVersion}`;
  const used = byId('backend-used');
  used.dataset.value = p.backend;
  used.textContent = BACKEND_LABELS[p.backend];
  const ms = byId('inference-ms');
  ms.dataset.value = String(p.inferenceMs);
  ms.textContent = `${p.inferenceMs < 10 ? p.inferenceMs.toFixed(2) : p.inferenceMs.toFixed(0)} ms`;
}

/** Flags, in plain words, a prediction from an expired model or on inputs unlike the training data (hidden otherwise). */
function showMonitoring(p: BrowserPrediction): void {
  const el = byId('prediction-monitoring');
  const notes = monitoringNotes(p.monitoring);
  el.dataset.ood = String(p.monitoring.outOfDistribution?.flag ?? false);
  el.dataset.expired = String(p.monitoring.expired);
  el.dataset.distance = String(p.monitoring.outOfDistribution?.distance ?? ''); // the parity test reads it
  el.textContent = notes.join(' ');
  el.hidden = notes.length === 0;
}

/** Shows the API's cached prediction (or that there is none) and whether it agrees with the browser's. */
export function showApiPrediction(api: ApiPrediction | null, mine: BrowserPrediction | null): void {
  const cls = byId('api-prediction-class');
  const agreement = byId('agreement');
  if (!api) {
    cls.textContent = 'none';
    cls.className = 'class';
    byId('api-prediction-meta').textContent = 'The API has no published prediction for this model yet: run `npx coinsphere publish`.';
    agreement.textContent = '';
    agreement.dataset.value = 'none';
    return;
  }
  cls.textContent = api.class;
  cls.className = `class ${api.class}`;
  const unreachable = api.staleReasons?.includes('store_unreachable') ? ' · served from cache (store unreachable)' : '';
  byId('api-prediction-meta').textContent = `confidence ${pct(api.confidence)} · after ${api.asOf} · model ${api.modelVersion}${unreachable}`;
  if (!mine) return;
  const comparable = api.asOf === mine.asOf && api.modelVersion === mine.modelVersion;
  const maxDiff = Math.max(...CLASS_NAMES.map((c) => Math.abs(api.probabilities[c] - mine.probabilities[c])));
  const state = !comparable ? 'different-input' : api.class === mine.class ? 'agree' : 'disagree';
  agreement.dataset.value = state;
  agreement.className = `agreement ${state}`;
  agreement.textContent =
    state === 'different-input'
      ? `Not comparable: the API's prediction is for ${api.asOf} with model ${api.modelVersion}, this one for ${mine.asOf} with ${mine.modelVersion}. Run \`npx coinsphere publish\` to refresh it.`
      : `${state === 'agree' ? 'Agrees' : 'Disagrees'} with the browser (largest probability difference ${maxDiff.toExponential(1)}).`;
}

/**
 * Shows "data as of <day>" and, when the data are old, a banner saying so and how to refresh them. The API's
 * verdict (its clock, at serve time) is taken when it has a prediction; otherwise the same rule on the newest
 * candle with this browser's clock.
 */
export function showDataAge(symbol: string, api: ApiPrediction | null, candles: readonly Candle[], nowMs = Date.now()): void {
  const last = candles.at(-1);
  const asOf = api?.asOf ?? (last ? dataFreshness(last.openTimeMs, nowMs).asOf : null);
  const line = byId('data-as-of');
  clearNotices('data:');
  if (asOf === null) {
    line.textContent = '';
    return;
  }
  const age = dataFreshness(asOf, nowMs);
  const stale = api?.staleReasons ? api.staleReasons.includes('data_old') : age.stale;
  line.textContent = `${symbol} data as of ${asOf} (${formatDataAge(age.ageDays)})`;
  line.dataset.value = asOf;
  line.dataset.stale = String(stale);
  if (stale) {
    notify(
      'warning',
      `Stale data: the newest ${symbol} candle is from ${asOf}, ${formatDataAge(age.ageDays)} (more than ${STALE_AFTER_DAYS} days).`,
      `These predictions describe the market as it was then, not now. Fetch newer candles with \`npx coinsphere ingest --from binance --symbols ${symbol}\`, then \`npx coinsphere publish\`.`,
      'data:stale',
    );
  }
}

/** The kinds of message the page shows above everything else. */
export type NoticeKind = 'error' | 'warning' | 'info';

/** Adds a notice (an error says what to do); `id` replaces an earlier notice with the same id. */
export function notify(kind: NoticeKind, title: string, text: string, id = title): void {
  const box = byId('notices');
  box.querySelector(`[data-notice="${CSS.escape(id)}"]`)?.remove();
  box.append(h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-notice': id, 'data-testid': `notice-${kind}` }, h('strong', {}, title), ' ', text));
}

/** Removes every notice whose id starts with `prefix`. */
export function clearNotices(prefix = ''): void {
  for (const n of Array.from(byId('notices').querySelectorAll<HTMLElement>('[data-notice]'))) if (n.dataset.notice?.startsWith(prefix)) n.remove();
}
