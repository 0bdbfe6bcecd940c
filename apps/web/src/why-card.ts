// "Why this call" (issue #18): the attributions of the page's own prediction, computed here on the fused engine by
// @coinsphere/model/explain (what `publish` computes for the served one), shown as the features pushing toward the
// call and away from it, in words; beside the published attributions when the API's prediction is for the same model
// and day, with how far the two differ. Self-contained: the dashboard mounts it with one call (showWhyCard).
// Browser-only; must not import node:* or tfjs.
import type { ModelInputs } from '@coinsphere/model/core';
import { callDrivers, explainPrediction, type GradientRunner, type PredictionAttributions } from '@coinsphere/model/explain';
import type { ServedPrediction } from '@coinsphere/serving/contract';

import type { BrowserModel } from './browser-model-type.ts';
import { h, pct } from './dom.ts';

/** What the card explains: the page's prediction of `symbol` from `inputs`, and the API's for comparison. */
export interface WhyRequest {
  symbol: string;
  inputs: ModelInputs;
  prediction: { class: PredictionAttributions['class']; asOf: string; modelVersion: string };
  served: Pick<ServedPrediction, 'asOf' | 'modelVersion' | 'attributions'> | null;
}

/** The attributions computed here and the wall time they took (ms, the engine's calls and the window's features). */
export interface WhyResult {
  attributions: PredictionAttributions;
  ms: number;
}

const hasGradients = (runners: readonly unknown[]): runners is GradientRunner[] =>
  runners.every((r) => typeof (r as Partial<GradientRunner>).inputGradients === 'function');

/**
 * Computes the attributions of the page's prediction on the fused engine: `model`'s runners when it is the fused
 * one, else the model `fused()` loads (the same artifact; the tfjs backends have no input gradients).
 */
export async function computeWhy(model: BrowserModel, fused: () => Promise<BrowserModel>, req: Pick<WhyRequest, 'symbol' | 'inputs' | 'prediction'>): Promise<WhyResult> {
  const engine = hasGradients(model.runners) ? model : await fused();
  if (!hasGradients(engine.runners)) throw new Error('The fused engine gave no input gradients; rebuild the dashboard.');
  const t0 = performance.now();
  const attributions = await explainPrediction(engine.metadata, engine.runners, req.symbol, req.inputs, req.prediction.class);
  return { attributions, ms: performance.now() - t0 };
}

/** Largest |difference| between two explanations' attributions, feature by feature (Infinity when they differ in shape). */
export function attributionsDiff(a: Pick<PredictionAttributions, 'features'>, b: Pick<PredictionAttributions, 'features'>): number {
  if (a.features.length !== b.features.length || a.features.some((f, i) => f.name !== b.features[i]!.name)) return Infinity;
  return Math.max(0, ...a.features.map((f, i) => Math.abs(f.attribution - b.features[i]!.attribution)));
}

function driverList(title: string, arrow: string, items: ReturnType<typeof callDrivers>['toward'], testid: string): HTMLElement {
  const list = items.length ? h('ul', { 'data-testid': testid }, ...items.map((d) => h('li', {}, `${arrow} ${d.text[0]!.toUpperCase()}${d.text.slice(1)}`))) : h('p', { class: 'muted', 'data-testid': testid }, 'None.');
  return h('div', { class: 'why-side' }, h('h3', {}, title), list);
}

/** The comparison with the published explanation, when the API's prediction is for the same model and day. */
function servedNote(mine: PredictionAttributions, req: WhyRequest): string {
  const s = req.served;
  if (!s?.attributions) return 'The published prediction carries no explanation yet (it was published before explanations were).';
  if (s.modelVersion !== req.prediction.modelVersion || s.asOf !== req.prediction.asOf) return `The published prediction is for another model or day (${s.asOf}), so its explanation is not compared.`;
  const diff = attributionsDiff(mine, s.attributions);
  return diff <= 1e-5 ? 'The published explanation agrees with this one.' : `The published explanation differs from this one by up to ${(diff * 100).toFixed(3)} points.`;
}

/** The card for a computed explanation. */
export function renderWhy(result: WhyResult, req: WhyRequest): HTMLElement {
  const a = result.attributions;
  const drivers = callDrivers(a, 3);
  const served = req.served?.attributions;
  return h(
    'div',
    { 'data-testid': 'why', 'data-state': 'ready', 'data-ms': result.ms.toFixed(3), 'data-value': JSON.stringify(a.features.map((f) => f.attribution)), ...(served ? { 'data-served': JSON.stringify(served.features.map((f) => f.attribution)) } : {}) },
    h('h2', {}, 'Why this call'),
    h('p', {}, `What moved the chance of ${a.class} from ${pct(a.baselineProbability)}, with every input at its usual level, to ${pct(a.probability)} today:`),
    h('div', { class: 'why-sides' }, driverList(`Pushing toward ${a.class}`, '▲', drivers.toward, 'why-toward'), driverList(`Pushing away from ${a.class}`, '▼', drivers.away, 'why-away')),
    h('p', { class: 'muted', 'data-testid': 'why-method' }, `“Points” are percentage points of that chance, summed over the days the model reads; “usual” is the average of the data the model was trained on. Integrated gradients, ${a.steps} steps, computed in this browser in ${result.ms.toFixed(1)} ms (the parts add up to the change within ${Math.abs(a.completenessGap * 100).toFixed(4)} points). ${servedNote(a, req)}`),
  );
}

let shown = 0; // the latest call's number: an earlier call that finishes later (another asset) shows nothing

/** Computes and shows the card in #why-call (made at the end of the page when the page has none); never throws. */
export async function showWhyCard(model: BrowserModel, fused: () => Promise<BrowserModel>, req: WhyRequest): Promise<void> {
  const call = ++shown;
  let box = document.getElementById('why-call');
  if (!box) document.querySelector('main')?.append((box = h('section', { id: 'why-call', 'aria-label': 'Why this call' })));
  if (!box) return;
  box.setAttribute('aria-busy', 'true');
  box.replaceChildren(h('div', { 'data-testid': 'why', 'data-state': 'loading' }, h('h2', {}, 'Why this call'), h('p', { class: 'muted' }, 'Working out which inputs drove the call…')));
  try {
    const result = await computeWhy(model, fused, req);
    if (call === shown) box.replaceChildren(renderWhy(result, req));
  } catch (error) {
    if (call === shown) box.replaceChildren(h('div', { 'data-testid': 'why', 'data-state': 'error' }, h('h2', {}, 'Why this call'), h('p', { class: 'muted' }, `Could not work out why: ${error instanceof Error ? error.message : String(error)}`)));
  } finally {
    if (call === shown) box.removeAttribute('aria-busy');
  }
}
