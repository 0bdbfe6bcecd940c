// A published history for the dashboard's end-to-end test (issue #16): the stored latest prediction of an asset
// copied onto the `days` as-of days whose horizon has passed by the newest candle (each with its band re-priced on
// that day's close, as publish would have stored it), with the baselines publish records beside a batch. What
// `coinsphere outcomes` then resolves, so the page has a live track record to show. Test support only.
import { latestPredictions, listModels, openDatabase, readCandles, savePredictions } from '@coinsphere/data';
import { toIsoDay } from '@coinsphere/model/core';
import { recordBaselines } from '../../apps/trainer/src/jobs/track-record-job.ts';

/** Stores `days` past predictions of `symbol` at `horizonDays` (from its `source` series) in the database at `dbDir`. */
export async function publishPastDays(dbDir: string, symbol: string, horizonDays: number, days: number, source: string): Promise<string[]> {
  const db = await openDatabase(dbDir);
  try {
    const [latest] = await latestPredictions(db.orm, [symbol], horizonDays);
    if (!latest?.band) throw new Error(`No published ${symbol} ${horizonDays}d prediction with a band to copy; publish first.`);
    const model = (await listModels(db.orm)).find((m) => m.horizonDays === horizonDays && m.version === latest.modelVersion)!;
    const { candles } = await readCandles(db, { symbol, interval: '1d', source });
    const { lowerReturn, upperReturn } = latest.band;
    const rows = Array.from({ length: days }, (_, k) => {
      const close = candles[candles.length - 1 - horizonDays - k]!;
      const band = { lowerReturn, upperReturn, closeAtAsOf: close.close, lowerPrice: close.close * (1 + lowerReturn), upperPrice: close.close * (1 + upperReturn) };
      // the calls alternate so the record is not one class throughout
      const cls = (['bearish', 'neutral', 'bullish'] as const)[k % 3]!;
      const probabilities = { bearish: 0.2, neutral: 0.2, bullish: 0.2, [cls]: 0.6 };
      return { ...latest, asOf: toIsoDay(close.openTimeMs), band, class: cls, probabilities, confidence: 0.6, createdAtMs: close.openTimeMs + 86_400_000 };
    });
    await savePredictions(db, rows);
    await recordBaselines(db, rows.map((p) => ({ ...p, createdAt: new Date(p.createdAtMs).toISOString(), model })));
    return rows.map((r) => r.asOf);
  } finally {
    await db.close();
  }
}
