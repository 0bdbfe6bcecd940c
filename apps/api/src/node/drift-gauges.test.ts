// The drift gauges' feed over a real ApiMetrics: the stored summaries become gauges at once and again on each
// refresh, a summary without drift clears its slot, and a failed read is reported while the gauges keep their values.
import type { MonitoringSummary } from '@coinsphere/serving/contract';
import { describe, expect, it, vi } from 'vitest';
import { feedDriftGauges } from './drift-gauges.ts';
import { ApiMetrics } from './metrics.ts';

const summary = (psi: number | null): MonitoringSummary => ({
  symbol: 'BTC', horizonDays: 7, modelVersion: 'v1', trainedAt: '2024-06-01T00:00:00.000Z', modelAgeDays: 1, expiryDays: 90, expiresAt: '2024-08-30T00:00:00.000Z', expired: false, trainingDistribution: true,
  drift: psi === null ? null : { recentDays: 90, nRows: 90, reference: 'asset', features: [{ feature: 'ret_1d', psi, level: 'stable' }] },
  driftNote: psi === null ? 'too little history' : null, drifting: [], newestPrediction: null, computedAt: '2024-06-02T00:00:00.000Z',
});

async function gauges(m: ApiMetrics): Promise<Array<[string | number | undefined, number]>> {
  const metric = await m.registry.getSingleMetric('coinsphere_feature_drift_psi')!.get();
  return metric.values.map((v) => [v.labels.feature, v.value]);
}

describe('feedDriftGauges', () => {
  it('sets the stored summaries at once, refreshes them on its timer, and keeps the last values when a read fails', async () => {
    vi.useFakeTimers();
    try {
      const m = new ApiMetrics();
      const reads: Array<MonitoringSummary[] | Error> = [[summary(0.3)], [summary(0.1)], new Error('store down'), [summary(null)]];
      const errors: string[] = [];
      const stop = await feedDriftGauges(m, async () => { const r = reads.shift()!; if (r instanceof Error) throw r; return r; }, (e) => errors.push(e), 1000);
      expect(await gauges(m)).toEqual([['ret_1d', 0.3]]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(await gauges(m)).toEqual([['ret_1d', 0.1]]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(errors).toEqual(['drift gauges not refreshed: store down']);
      expect(await gauges(m)).toEqual([['ret_1d', 0.1]]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(await gauges(m)).toEqual([]); // drift not computed this time: no stale gauge left
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
