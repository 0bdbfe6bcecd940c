// The asset page's panels as one set: every [data-panel] section says which asset it shows (data-symbol), and when
// another asset is picked all of them are emptied and named for it before anything loads, so a failure can never
// leave one asset's chart, prediction or model card under another's name. While loading, <main> is aria-busy.
// Browser-only.
import { byId, h } from './dom.ts';

/** The boxes a load fills, emptied on each new load (the summary's lines are reset by resetPanels itself). */
const BOXES = ['model-card', 'model-gate', 'track-record', 'model-evaluation', 'probabilities'] as const;
/** Text lines of the summary and prediction panels, emptied (or set to "…") on each new load. */
const LINES = ['quality-verdict', 'prediction-band', 'prediction-signal', 'prediction-meta', 'api-prediction-meta', 'agreement', 'live-summary', 'recent-summary', 'data-as-of'] as const;

/** Marks the page as loading (or not) for assistive technology and the tests. */
export function setBusy(busy: boolean): void {
  document.querySelector('main')?.setAttribute('aria-busy', String(busy));
}

/** Names every panel for `symbol` at `horizonDays` and empties what an earlier asset left in them. */
export function resetPanels(symbol: string, horizonDays: number): void {
  for (const panel of Array.from(document.querySelectorAll<HTMLElement>('[data-panel]'))) panel.dataset.symbol = symbol;
  byId('asset-title').textContent = `${symbol} · ${horizonDays}-day direction`;
  document.title = `${symbol} ${horizonDays}-day direction · Coinsphere`;
  byId('headline').replaceChildren(`Loading ${symbol}…`);
  for (const id of ['prediction-class', 'confidence', 'api-prediction-class']) byId(id).textContent = '…';
  for (const id of LINES) byId(id).textContent = '';
  for (const id of BOXES) byId(id).replaceChildren(h('p', { class: 'muted pending-box' }, `Loading ${symbol}…`));
  byId('prediction-monitoring').hidden = true;
  setBusy(true);
}

/** After a failed load: the panels still waiting say they are empty because of the message above, for `symbol`. */
export function failPanels(symbol: string): void {
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.pending-box'))) el.textContent = `${symbol}: not loaded, see the message at the top.`;
  const headline = byId('headline');
  if (headline.textContent?.startsWith('Loading')) headline.textContent = `${symbol}: no prediction, see the message at the top.`;
  setBusy(false);
}
