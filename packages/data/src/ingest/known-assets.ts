// Names and external ids of the assets this product knows out of the box (the ones in ../shared/data and the
// usual majors, STATIC_TOP_ASSETS among them). Other symbols work too; they need a CoinGecko id from the user for `--from coingecko`.

/** Symbol -> display name and CoinGecko id. */
export const KNOWN_ASSETS: Readonly<Record<string, { name: string; coingeckoId: string }>> = {
  BTC: { name: 'Bitcoin', coingeckoId: 'bitcoin' },
  ETH: { name: 'Ethereum', coingeckoId: 'ethereum' },
  SOL: { name: 'Solana', coingeckoId: 'solana' },
  BNB: { name: 'BinanceCoin', coingeckoId: 'binancecoin' },
  XRP: { name: 'XRP', coingeckoId: 'ripple' },
  ADA: { name: 'Cardano', coingeckoId: 'cardano' },
  DOGE: { name: 'Dogecoin', coingeckoId: 'dogecoin' },
  TRX: { name: 'Tron', coingeckoId: 'tron' },
  DOT: { name: 'Polkadot', coingeckoId: 'polkadot' },
  LINK: { name: 'ChainLink', coingeckoId: 'chainlink' },
  LTC: { name: 'Litecoin', coingeckoId: 'litecoin' },
  XLM: { name: 'Stellar', coingeckoId: 'stellar' },
  XMR: { name: 'Monero', coingeckoId: 'monero' },
  EOS: { name: 'EOS', coingeckoId: 'eos' },
  ATOM: { name: 'Cosmos', coingeckoId: 'cosmos' },
  UNI: { name: 'Uniswap', coingeckoId: 'uniswap' },
  BCH: { name: 'BitcoinCash', coingeckoId: 'bitcoin-cash' },
  ZEC: { name: 'Zcash', coingeckoId: 'zcash' },
  SUI: { name: 'Sui', coingeckoId: 'sui' },
  HBAR: { name: 'Hedera', coingeckoId: 'hedera-hashgraph' },
  AVAX: { name: 'Avalanche', coingeckoId: 'avalanche-2' },
  SHIB: { name: 'ShibaInu', coingeckoId: 'shiba-inu' },
  TON: { name: 'Toncoin', coingeckoId: 'the-open-network' },
  USDT: { name: 'Tether', coingeckoId: 'tether' },
  USDC: { name: 'USDCoin', coingeckoId: 'usd-coin' },
  WBTC: { name: 'WrappedBitcoin', coingeckoId: 'wrapped-bitcoin' },
};

/** Quote currencies stripped from exchange pair names (BTCUSDT -> BTC), longest first. */
export const QUOTE_SUFFIXES = ['FDUSD', 'USDT', 'BUSD', 'USDC', 'USD'] as const;

/**
 * The base symbol of a pair (`BTCUSDT` -> `BTC`, `ETH/USDT` -> `ETH`); a plain symbol is returned upper-cased.
 * Only pair separators (`/`, `-`, `_`, `:`, spaces) are removed: any other character stays, so the symbol rule
 * (normalizeAssetSymbol) refuses it instead of a stripped text passing as another coin.
 */
export function baseSymbolOf(pair: string): string {
  const clean = pair.trim().toUpperCase().replace(/[/\-_: ]/g, '');
  for (const quote of QUOTE_SUFFIXES) {
    if (clean.length > quote.length && clean.endsWith(quote)) return clean.slice(0, -quote.length);
  }
  return clean;
}
