// What a model reads for one asset, fetched from the API: the daily candles of the series the model was trained
// on for it (metadata.dataSources; an asset it never saw: its longest history), and the market factor's (BTC)
// candles when the model's features use them, from the source the model learnt BTC from. As `coinsphere predict`
// reads them from the database, so the page computes the same numbers. Browser-safe.
import { type ArtifactMetadata, FEATURE_SETS, MARKET_SYMBOL, type ModelInputs } from '@coinsphere/model/core';

import { type ApiClient, type Asset, SOURCE_PATTERN } from './api-client.ts';

/** The inputs of `metadata`'s model for `asset` (first to last day of its data); warns through `warn`. */
export async function fetchModelInputs(api: ApiClient, metadata: ArtifactMetadata, asset: Asset, warn: (text: string) => void = () => {}): Promise<ModelInputs> {
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
  return { candles: await candles, market: await market };
}
