// Entry of the dashboard: reads the configuration and the URL (?symbol=, ?horizon=, ?backend=, ?api=), then
// starts the controller. Wiring only.
import './styles.css';

import { createApiClient } from './api-client.ts';
import { type BackendName, parseBackend } from './backends.ts';
import { Dashboard, showError } from './dashboard.ts';
import { byId } from './dom.ts';
import { readWebEnv } from './env.ts';
import { PriceChart } from './price-chart.ts';
import { notify } from './prediction-view.ts';

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
  const dashboard = new Dashboard(createApiClient(env.apiBaseUrl), new PriceChart(byId('chart')), forced);
  const horizon = params.get('horizon');
  void dashboard.guard(() => dashboard.start(params.get('symbol'), horizon === null ? null : Number(horizon)));
} catch (error) {
  showError(error);
}
