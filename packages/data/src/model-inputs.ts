// What a model reads for one asset, from the database: the daily candles of the series it was trained on for that
// asset (an asset it never saw: the longest history), the hourly candles when its features use them, and the
// market factor's (BTC) daily candles, from the source it learnt BTC from, when they do. The CLI's predict, the
// publisher and the promotion gate all read through here, so they feed the one inference path the same rows.
import { FEATURE_SETS, MARKET_SYMBOL, type ArtifactMetadata, type ModelInputs } from '@coinsphere/model/core';
import { readCandles } from './candles.ts';
import type { Database } from './database.ts';

/** The inputs of `metadata`'s model for `symbol`; `source` overrides the daily series. */
export async function readModelInputs(db: Database, metadata: ArtifactMetadata, symbol: string, source?: string): Promise<ModelInputs & { source: string }> {
  const set = FEATURE_SETS[metadata.featureSet];
  const daily = await readCandles(db, { symbol, interval: '1d', source: source ?? metadata.dataSources[symbol] });
  const hourly = set.usesHourly ? await readCandles(db, { symbol, interval: '1h' }).then((r) => r.candles, () => undefined) : undefined;
  const market = set.usesMarket && symbol !== MARKET_SYMBOL
    ? await readCandles(db, { symbol: MARKET_SYMBOL, interval: '1d', source: metadata.dataSources[MARKET_SYMBOL] }).then((r) => r.candles, () => undefined)
    : undefined;
  return { candles: daily.candles, hourly, market, source: daily.source };
}
