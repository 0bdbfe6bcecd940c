// The overview's data: one row per asset the API holds candles for, at one horizon, read in ONE request (GET
// /v1/overview, issue #18: one request per asset and panel took the page past 1.5 s on a loaded machine): the
// latest close with its 24-hour and 7-day change (the last 8 daily candles), the published call, the Degen Risk
// Score and the live hit rate of the served model. An asset with data but no model is a row that says so; a
// missing part is the words for why. Browser-safe; no DOM.
import type { ApiClient, ApiPrediction, Asset } from './api-client.ts';
import type { Candle } from '@coinsphere/model/core';
import type { OverviewRowWire } from '@coinsphere/serving/contract';
import { hitsOf } from './track-record-card.ts';
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

/** The rows of every asset at `horizonDays`, in the API's order. Throws when the overview cannot be read. */
export async function loadOverview(api: ApiClient, horizonDays: number): Promise<OverviewRow[]> {
  return (await api.overview(horizonDays)).map((row) => toRow(row, horizonDays));
}

/** One wire row as the table shows it. */
export function toRow(row: OverviewRowWire, horizonDays: number): OverviewRow {
  const { asset, risk } = row;
  const modelled = modelledAt(asset, horizonDays);
  return {
    symbol: asset.symbol,
    modelled,
    lastDay: asset.lastDay,
    ...lastPrices(row.candles),
    prediction: row.prediction,
    risk: risk === null ? 'no score stored' : risk.score.ok ? risk.score.value : 'no score today',
    hitRate: modelled ? liveHitRate(row.trackRecord) : 'no model',
  };
}

const modelledAt = (a: Asset, horizonDays: number) => hasModel(a) && a.horizons.includes(horizonDays);

/** The newest close and its change over 1 and 7 days, from the last 8 days of candles. */
function lastPrices(candles: readonly Candle[]): Pick<OverviewRow, 'price' | 'change24h' | 'change7d'> {
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
function liveHitRate(record: OverviewRowWire['trackRecord']): OverviewRow['hitRate'] {
  if (!record) return 'nothing published';
  const live = record.windows.find((w) => w.window === 'live');
  if (!live?.model || live.resolved === 0) return 'none resolved yet';
  return { hits: hitsOf(live), resolved: live.resolved, accuracy: live.model.accuracy.estimate };
}
