// Entry of the asset page: reads the configuration and the URL (?symbol=, ?horizon=, ?backend=, ?api=), then
// starts the controller. A bad ?api= is said in words with a link to the page without it. Wiring only.
import './styles.css';

import { createApiClient } from './api-client.ts';
import { type BackendName, parseBackend } from './backends.ts';
import { wireChartControls } from './chart-controls.ts';
import { Dashboard, showError } from './dashboard.ts';
import { byId } from './dom.ts';
import { BadApiUrlError, readWebEnv } from './env.ts';
import { notify } from './notices.ts';
import { PriceChart } from './price-chart.ts';

const params = new URLSearchParams(window.location.search);
let forced: BackendName | null = null;
const requested = params.get('backend');
if (requested !== null && requested !== 'auto') {
  try {
    forced = parseBackend(requested);
  } catch (error) {
    notify('error', 'Bad ?backend= value:', `${(error as Error).message} Choosing automatically instead.`, 'backend-param');
  }
}

try {
  const env = readWebEnv(window.location);
  const chart = new PriceChart(byId('chart'), byId('chart-hover'), byId('chart-summary'));
  wireChartControls(chart);
  const dashboard = new Dashboard(createApiClient(env.apiBaseUrl), chart, forced);
  void dashboard.guard(() => dashboard.start(params.get('symbol'), params.get('horizon')));
  window.addEventListener('popstate', () => void dashboard.guard(() => dashboard.followUrl())); // Back and Forward show the URL's asset
} catch (error) {
  if (error instanceof BadApiUrlError) {
    const without = new URL(window.location.href);
    without.searchParams.delete('api');
    document.body.dataset.state = 'error';
    document.querySelector('main')?.setAttribute('aria-busy', 'false');
    notify('error', 'Bad ?api= value:', `${error.message}`, 'load:error', { label: 'Open the dashboard without ?api=', href: without.href });
  } else showError(error);
}
