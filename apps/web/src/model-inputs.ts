// What a model reads for one asset, fetched from the API: the daily candles of the series the model was trained
// on for it (metadata.dataSources; an asset it never saw: its longest history), the hourly candles of the days the
// page's windows cover when the model's features read them (change_1h), and the market factor's (BTC) candles when
// they use it, from the source the model learnt BTC from. As `coinsphere predict` reads them from the database,
// so the page computes the same numbers. Browser-safe.
import { type ArtifactMetadata, DAY_MS, FEATURE_SETS, MARKET_SYMBOL, type ModelInputs } from '@coinsphere/model/core';

import { MAX_HOURLY_DAYS } from '@coinsphere/serving/contract';

import { type ApiClient, type Asset, SOURCE_PATTERN } from './api-client.ts';


/**
 * The first day of hourly candles the page needs: those of every day inside the windows it predicts from, the
 * newest one and the `recentDays` past predictions ending `horizonDays` before it (change_1h of day t reads day t's
 * hourly candles only, so earlier ones change nothing). At most MAX_HOURLY_DAYS back from `lastDay`.
 */
export function hourlyFromDay(metadata: ArtifactMetadata, firstDay: string, lastDay: string, recentDays: number): string {
  const days = Math.min(MAX_HOURLY_DAYS, metadata.windowBars + (recentDays > 0 ? metadata.horizonDays + recentDays : 0));
  const from = new Date(Date.parse(`${lastDay}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return from < firstDay ? firstDay : from;
}

/**
 * The inputs of `metadata`'s model for `asset` (first to last day of its data; hourly candles for the days of the
 * newest window and of `recentDays` past predictions); warns through `warn`.
 */
export async function fetchModelInputs(api: ApiClient, metadata: ArtifactMetadata, asset: Asset, warn: (text: string) => void = () => {}, recentDays = 0): Promise<ModelInputs> {
  const sourceOf = (symbol: string): string | undefined => {
    const source = metadata.dataSources[symbol];
    if (source !== undefined && !SOURCE_PATTERN.test(source)) {
      warn(`the model was trained on "${source}", a name the API cannot be asked for; using the longest history instead, so the prediction may differ from \`coinsphere predict\`.`);
      return undefined;
    }
    return source;
  };
  const candles = api.candles(asset.symbol, asset.firstDay!, asset.lastDay!, sourceOf(asset.symbol));
  const needsMarket = FEATURE_SETS[metadata.featureSet].usesMarket && asset.symbol !== MARKET_SYMBOL;
  const market = needsMarket ? api.candles(MARKET_SYMBOL, asset.firstDay!, asset.lastDay!, sourceOf(MARKET_SYMBOL)).catch(() => undefined) : undefined;
  const hourly = FEATURE_SETS[metadata.featureSet].usesHourly
    ? api.hourlyCandles(asset.symbol, hourlyFromDay(metadata, asset.firstDay!, asset.lastDay!, recentDays), asset.lastDay!).catch((error: unknown) => {
        warn(`the hourly candles could not be read (${(error as Error).message}); change_1h is neutral here, so the prediction may differ from \`coinsphere predict\`.`);
        return undefined;
      })
    : undefined;
  return { candles: await candles, hourly: await hourly, market: await market };
}
