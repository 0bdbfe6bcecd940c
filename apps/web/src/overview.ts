// Entry of the overview page (overview.html): every asset in one sortable table at one horizon (?horizon=, written
// back as the user picks, as a new history entry, and followed on Back and Forward), read through the same API
// client as the asset page, with a Retry when the API cannot be read. Marks `coinsphere:overview-ready` once every row is drawn (npm run bench:web times it). Wiring only.
import './styles.css';

import { createApiClient } from './api-client.ts';
import { byId } from './dom.ts';
import { BadApiUrlError, readWebEnv } from './env.ts';
import { renderGlossary } from './glossary.ts';
import { clearNotices, notify } from './notices.ts';
import { loadOverview, type OverviewRow } from './overview-data.ts';
import { renderOverview, type SortState } from './overview-table.ts';
import { DEFAULT_HORIZON, writeUrlParams, type UrlWrite } from './url-state.ts';

const HORIZONS = [7, 14, 30];
let sort: SortState = { key: 'symbol', descending: false };
/** Counts loads, so the answer of a horizon no longer asked for (Back pressed meanwhile) is dropped. */
let loads = 0;

function setState(state: 'loading' | 'ready' | 'error'): void {
  document.body.dataset.state = state;
  document.querySelector('main')?.setAttribute('aria-busy', String(state === 'loading'));
}

async function show(api: ReturnType<typeof createApiClient>, horizonDays: number, history: UrlWrite): Promise<void> {
  setState('loading');
  clearNotices('load:');
  writeUrlParams({ horizon: String(horizonDays) }, history);
  byId<HTMLSelectElement>('horizon').value = String(horizonDays);
  const load = ++loads;
  let rows: OverviewRow[];
  try {
    rows = await loadOverview(api, horizonDays);
    if (load !== loads) return;
  } catch (error) {
    if (load !== loads) return;
    setState('error');
    byId('overview-table').textContent = 'Not loaded: see the message at the top.';
    notify('error', 'Could not read the asset list:', (error as Error).message, 'load:error', { label: 'Retry', run: () => void show(api, horizonDays, 'replace') });
    return;
  }
  const draw = () => byId('overview-table').replaceChildren(renderOverview(rows, horizonDays, sort, (s) => ((sort = s), draw())));
  draw();
  const newest = rows.map((r) => r.lastDay).filter((d): d is string => d !== null).sort().at(-1);
  byId('data-as-of').textContent = newest ? `Newest data: ${newest}` : '';
  setState('ready');
  performance.mark('coinsphere:overview-ready', { detail: { rows: rows.length } });
}

/** The URL's ?horizon= when the overview has it, else 7 days, saying so in place of the last such note. */
function horizonOfUrl(): number {
  const asked = new URLSearchParams(window.location.search).get('horizon');
  const wanted = Number(asked ?? DEFAULT_HORIZON);
  const horizonDays = HORIZONS.includes(wanted) ? wanted : DEFAULT_HORIZON;
  clearNotices('url:');
  if (asked !== null && horizonDays !== wanted) notify('warning', 'Not shown as asked:', `?horizon=${asked} is not one of ${HORIZONS.join(', ')} days; showing ${horizonDays} days.`, 'url:horizon');
  return horizonDays;
}

byId('glossary-box').replaceChildren(renderGlossary());
try {
  const api = createApiClient(readWebEnv(window.location).apiBaseUrl);
  const picker = byId<HTMLSelectElement>('horizon');
  picker.replaceChildren(...HORIZONS.map((d) => new Option(`${d} days`, String(d))));
  picker.onchange = () => void show(api, Number(picker.value), 'push');
  void show(api, horizonOfUrl(), 'replace');
  window.addEventListener('popstate', () => void show(api, horizonOfUrl(), 'replace')); // Back and Forward show the URL's horizon
} catch (error) {
  setState('error');
  const title = error instanceof BadApiUrlError ? 'Bad ?api= value:' : 'Something failed:';
  notify('error', title, (error as Error).message, 'load:error');
}
