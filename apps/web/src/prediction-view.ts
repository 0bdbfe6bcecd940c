// Renders the asset page's prediction: the headline in plain words ("No clear signal: bearish 34%, neutral 33%,
// bullish 33%; chance is 33%", naming the asset, horizon and date) with the neutral band in % and in price, the
// detail panel (the in-browser prediction, the API's published one and whether they agree), and the data's age.
// Developer detail (backend, timings, model versions, probability differences) goes to the settings' diagnostics.
// The data-testid hooks the browser tests read live here: headline, prediction-class, prediction-probabilities
// (data-value: JSON [bearish, neutral, bullish]), backend-used (data-value: the backend name), inference-ms,
// api-prediction-class, agreement (data-value), prediction-monitoring (shown for an expired model or out-of-
// distribution inputs; data-ood and data-expired: "true" or "false"; data-distance: the window's distance).
import { CLASS_NAMES, type Candle, dataFreshness, formatDataAge, monitoringNotes, STALE_AFTER_DAYS } from '@coinsphere/model';

import type { ApiPrediction } from './api-client.ts';
import { BACKEND_LABELS } from './backends.ts';
import { callName, callStrength, CHANCE_WORDS, formatPrice, headlineWords, probabilityWords, signedPct } from './call-words.ts';
import { byId, h, pct } from './dom.ts';
import { term } from './glossary.ts';
import type { BrowserPrediction } from './inference.ts';
import { clearNotices, diagnose, notify } from './notices.ts';

/** The day `days` after `isoDay`. */
export const dayAfter = (isoDay: string, days: number) => new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The headline: asset, horizon and date, then the call and the probabilities beside chance. */
function showHeadline(p: BrowserPrediction): void {
  const line = byId('headline');
  line.dataset.signal = p.signal;
  line.dataset.value = headlineWords(p);
  line.replaceChildren(
    h('span', { class: 'when' }, `${p.symbol}, ${p.horizonDays} days after ${p.asOf}: `),
    h('strong', { class: `call ${callStrength(p) === 'call' ? p.class : 'no-signal'}` }, callName(p)),
    `: ${probabilityWords(p)}; `,
    term('chance', CHANCE_WORDS),
  );
  const b = p.band;
  byId('prediction-band').replaceChildren(
    term('band', 'Neutral'),
    ` means ${p.symbol} closes between ${formatPrice(b.lowerPrice, b.closeAtAsOf)} (${signedPct(b.lowerReturn)}) and ${formatPrice(b.upperPrice, b.closeAtAsOf)} (${signedPct(b.upperReturn)}) on ${dayAfter(p.asOf, p.horizonDays)}, ` +
      `from ${formatPrice(b.closeAtAsOf)} on ${p.asOf}; below is bearish, above bullish.`,
  );
}

/** Shows the in-browser prediction: the headline, the call (or "no clear signal"), the probabilities, the band. */
export function showBrowserPrediction(p: BrowserPrediction): void {
  showHeadline(p);
  const cls = byId('prediction-class');
  cls.textContent = p.class;
  cls.className = `class ${callStrength(p) === 'call' ? p.class : 'no-signal'}`;
  byId('confidence').textContent = pct(p.confidence);
  const signal = byId('prediction-signal');
  signal.dataset.value = p.signal;
  signal.textContent =
    p.signal === 'none'
      ? `No clear signal: the model leans ${p.class} at ${pct(p.confidence)}, below the threshold it speaks above (chosen on validation data); a blind guess among three outcomes is right a third of the time.`
      : `The model's call: ${p.class} at ${pct(p.confidence)} (a blind guess among three outcomes is right a third of the time).`;
  showMonitoring(p);
  const probs = byId('probabilities');
  probs.dataset.value = JSON.stringify(CLASS_NAMES.map((c) => p.probabilities[c]));
  probs.replaceChildren(
    ...CLASS_NAMES.map((c) =>
      h('div', { class: `bar ${c}` }, h('span', { class: 'name' }, c), h('span', { class: 'track' }, h('span', { class: 'fill', style: `width:${(p.probabilities[c] * 100).toFixed(2)}%` })), h('span', { class: 'value' }, pct(p.probabilities[c]))),
    ),
  );
  byId('prediction-meta').textContent = `${p.symbol}: ${p.horizonDays}-day direction after ${p.asOf}, computed in this browser.`;
  diagnose('model', `Model version ${p.modelVersion}.`);
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

/** Shows the API's published prediction (or that there is none) and whether it agrees with the browser's. */
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
  byId('api-prediction-meta').textContent = `confidence ${pct(api.confidence)} · after ${api.asOf}${unreachable}`;
  if (!mine) return;
  const comparable = api.asOf === mine.asOf && api.modelVersion === mine.modelVersion;
  const maxDiff = Math.max(...CLASS_NAMES.map((c) => Math.abs(api.probabilities[c] - mine.probabilities[c])));
  const state = !comparable ? 'different-input' : api.class === mine.class ? 'agree' : 'disagree';
  agreement.dataset.value = state;
  agreement.className = `agreement ${state}`;
  agreement.textContent =
    state === 'different-input'
      ? `Not comparable: the API's prediction is for ${api.asOf}, this one for ${mine.asOf} (or another model). Run \`npx coinsphere publish\` to refresh it.`
      : state === 'agree' ? 'Agrees with the prediction computed in this browser.' : 'Disagrees with the prediction computed in this browser.';
  diagnose('agreement', comparable ? `API vs browser: largest probability difference ${maxDiff.toExponential(1)}.` : `API model ${api.modelVersion} for ${api.asOf}; browser model ${mine.modelVersion} for ${mine.asOf}.`);
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
