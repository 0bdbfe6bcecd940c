// Feeds GET /metrics' drift gauges (coinsphere_feature_drift_psi) from the monitoring summaries publish stores
// (issue #16): read once when the server starts and again every DRIFT_REFRESH_MS, since a summary changes only when
// publish runs. Node only: node.ts wires it; must not import the app or a route.
import type { MonitoringSummary } from '@coinsphere/serving/contract';
import type { ApiMetrics } from './metrics.ts';

/** How often the stored summaries are read again (publish writes them about once a day). */
export const DRIFT_REFRESH_MS = 5 * 60_000;

/** Sets each summary's features as gauges (a summary without drift clears its slot's). Throws what `read` throws. */
export async function refreshDriftGauges(metrics: Pick<ApiMetrics, 'setFeatureDrift'>, read: () => Promise<MonitoringSummary[]>): Promise<number> {
  const summaries = await read();
  for (const s of summaries) metrics.setFeatureDrift(s.symbol, s.horizonDays, (s.drift?.features ?? []).map((f) => ({ feature: f.feature, psi: f.psi })));
  return summaries.length;
}

/**
 * Refreshes the gauges now (resolving once done) and then every `everyMs`; a failed read is reported to `onError`
 * and the gauges keep their last values. Returns the function that stops the timer.
 */
export async function feedDriftGauges(metrics: Pick<ApiMetrics, 'setFeatureDrift'>, read: () => Promise<MonitoringSummary[]>, onError: (message: string) => void, everyMs = DRIFT_REFRESH_MS): Promise<() => void> {
  const refresh = () => refreshDriftGauges(metrics, read).then(() => {}, (err: unknown) => onError(`drift gauges not refreshed: ${err instanceof Error ? err.message : String(err)}`));
  await refresh();
  const timer = setInterval(() => void refresh(), everyMs);
  timer.unref(); // never keeps the process alive
  return () => clearInterval(timer);
}
