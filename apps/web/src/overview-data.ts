// The overview's data: one row per asset the API holds candles for, at one horizon: the latest close with its
// 24-hour and 7-day change (the last 8 daily candles), the published call (one batched GET /v1/predictions for
// every asset with a model), the Degen Risk Score (GET /v1/risk) and the live hit rate (GET /v1/track-record),
// read in parallel. An asset with data but no model is a row that says so; a failed read leaves its cell empty
// with the reason, never the row out. Browser-safe; no DOM.
import type { ApiClient, ApiPrediction, Asset } from './api-client.ts';
import { hitsOf, servedRecord } from './track-record-card.ts';
import { hasModel } from './url-state.ts';

/** One asset's row. `null` values are unknown (with `why` saying so); errors are kept as their message. */
export interface OverviewRow {
  symbol: string;
  /** The asset has a model at this horizon. */
  modelled: boolean;
  lastDay: string | null;
  price: number | null;
  change24h: number | null;
  change7d: number | null;
  prediction: ApiPrediction | null;
  /** 0-100, or the words for why there is none. */
  risk: number | string;
  /** Live hits of resolved published predictions, or the words for why there are none. */
  hitRate: { hits: number; resolved: number; accuracy: number } | string;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The rows of every asset at `horizonDays`, in the API's order. Throws only when the asset list cannot be read. */
export async function loadOverview(api: ApiClient, horizonDays: number): Promise<OverviewRow[]> {
  const assets = await api.assets();
  const modelled = assets.filter((a) => hasModel(a) && a.horizons.includes(horizonDays));
  const batches = Array.from({ length: Math.ceil(modelled.length / 50) }, (_, i) => modelled.slice(i * 50, i * 50 + 50).map((a) => a.symbol));
  const predictions = Promise.all(batches.map((b) => api.latestPredictions(b, horizonDays))).then((all) => new Map(all.flat().map((p) => [p.symbol, p])));
  predictions.catch(() => undefined); // read in each row, where its failure is said
  return Promise.all(assets.map((a) => loadRow(api, a, horizonDays, modelled.includes(a), predictions)));
}

async function loadRow(api: ApiClient, asset: Asset, horizonDays: number, modelled: boolean, predictions: Promise<Map<string, ApiPrediction>>): Promise<OverviewRow> {
  const served = modelled ? predictions.then((m) => m.get(asset.symbol) ?? null, () => null) : Promise.resolve(null);
  const [prices, prediction, risk, hitRate] = await Promise.all([
    lastPrices(api, asset),
    served,
    api.risk(asset.symbol).then(
      (r) => (!r.available ? 'no score stored' : r.risk.score.ok ? r.risk.score.value : 'no score today'),
      (e: unknown) => `not loaded: ${message(e)}`,
    ),
    modelled ? liveHitRate(api, asset.symbol, horizonDays, served) : Promise.resolve('no model'),
  ]);
  return { symbol: asset.symbol, modelled, lastDay: asset.lastDay, ...prices, prediction, risk, hitRate };
}

/** The newest close and its change over 1 and 7 days, from the last 8 days of candles. */
async function lastPrices(api: ApiClient, asset: Asset): Promise<Pick<OverviewRow, 'price' | 'change24h' | 'change7d'>> {
  if (!asset.lastDay) return { price: null, change24h: null, change7d: null };
  const lastMs = Date.parse(`${asset.lastDay}T00:00:00Z`);
  const candles = await api.candles(asset.symbol, isoDay(lastMs - 7 * DAY_MS), asset.lastDay).catch(() => []);
  const last = candles.at(-1);
  if (!last) return { price: null, change24h: null, change7d: null };
  const closeOn = (ms: number) => candles.find((c) => c.openTimeMs === ms)?.close;
  const change = (days: number) => {
    const before = closeOn(last.openTimeMs - days * DAY_MS);
    return before ? last.close / before - 1 : null;
  };
  return { price: last.close, change24h: change(1), change7d: change(7) };
}

/** The served model's live record: hits of the resolved published predictions since it went live. */
async function liveHitRate(api: ApiClient, symbol: string, horizonDays: number, served: Promise<ApiPrediction | null>): Promise<OverviewRow['hitRate']> {
  const answer = await api.trackRecord(symbol, horizonDays).catch((e: unknown) => new Error(message(e)));
  if (answer instanceof Error) return `not loaded: ${answer.message}`;
  const record = servedRecord(answer, (await served)?.modelVersion ?? null);
  const live = record?.windows.find((w) => w.window === 'live');
  if (!record) return 'nothing published';
  if (!live?.model || live.resolved === 0) return 'none resolved yet';
  return { hits: hitsOf(live), resolved: live.resolved, accuracy: live.model.accuracy.estimate };
}
