import { describe, expect, it } from 'vitest';

import { DAY_MS, type Candle } from './candle.ts';
import { makeRng, randomNormal } from './random.ts';
import { makeSyntheticCandles } from './synthetic-candles.ts';
import { pickOneSeriesPerSymbol, selectUniverse, stablecoinDetail, wrapperNameDetail } from './universe.ts';

/** A stablecoin: $1 with tiny noise and, like USDT in 2015, a few wild early prints. */
function stablecoin(n: number, seed: number): Candle[] {
  const rng = makeRng(seed);
  return makeSyntheticCandles(n, seed).map((c, i) => {
    const close = i < 5 ? 1 + 0.3 * rng() : 1 + 0.002 * randomNormal(rng);
    return { ...c, open: close, high: close * 1.001, low: close * 0.999, close };
  });
}

/** A wrapper of `base`: the same price times ~1 with small noise, over its last `n` days. */
function wrapped(base: Candle[], n: number, seed: number): Candle[] {
  const rng = makeRng(seed);
  return base.slice(-n).map((c) => ({ ...c, close: c.close * (1 + 0.002 * randomNormal(rng)) }));
}

describe('selectUniverse', () => {
  const btc = makeSyntheticCandles(900, 1);
  const eth = makeSyntheticCandles(900, 2);
  it('leaves out stablecoins and wrapped tokens, naming why, and keeps the coins', () => {
    const u = selectUniverse([
      { symbol: 'BTC', source: 'binance', candles: btc },
      { symbol: 'ETH', source: 'binance', candles: eth },
      { symbol: 'USDT', source: 'coinmarketcap', candles: stablecoin(600, 3) },
      { symbol: 'WBTC', source: 'coinmarketcap', candles: wrapped(btc, 400, 4) },
    ]);
    expect(u.series.map((s) => s.symbol)).toEqual(['BTC', 'ETH']);
    expect(u.excluded.map((e) => [e.symbol, e.reason])).toEqual([['USDT', 'stablecoin'], ['WBTC', 'wrapped']]);
    expect(u.excluded[1]!.detail).toContain('tracks BTC');
  });

  it('keeps two independent coins even when one is much shorter', () => {
    const u = selectUniverse([
      { symbol: 'BTC', source: 'binance', candles: btc },
      { symbol: 'SOL', source: 'binance', candles: makeSyntheticCandles(300, 9, { startMs: btc[600]!.openTimeMs }) },
    ]);
    expect(u.series.map((s) => s.symbol)).toEqual(['BTC', 'SOL']);
    expect(u.excluded).toEqual([]);
  });

  it('leaves out a series too short to learn from', () => {
    const u = selectUniverse([{ symbol: 'NEW', source: 'binance', candles: makeSyntheticCandles(50, 5) }]);
    expect(u.series).toEqual([]);
    expect(u.excluded[0]).toMatchObject({ symbol: 'NEW', reason: 'short' });
  });
});

describe('pickOneSeriesPerSymbol', () => {
  it('takes the series with the newest data, then the longest, so one price path appears once', () => {
    const old = makeSyntheticCandles(3000, 1, { startMs: Date.UTC(2013, 0, 1) });
    const recent = makeSyntheticCandles(2000, 2, { startMs: Date.UTC(2020, 0, 1) });
    const longerRecent = makeSyntheticCandles(2000 + 1, 3, { startMs: Date.UTC(2020, 0, 1) - DAY_MS });
    const picked = pickOneSeriesPerSymbol([
      { symbol: 'BTC', source: 'coinmarketcap', candles: old },
      { symbol: 'BTC', source: 'binance', candles: recent },
      { symbol: 'BTC', source: 'coingecko', candles: longerRecent },
    ]);
    expect(picked.map((s) => s.source)).toEqual(['coingecko']);
    expect(pickOneSeriesPerSymbol([
      { symbol: 'BTC', source: 'coinmarketcap', candles: old },
      { symbol: 'BTC', source: 'binance', candles: recent },
    ]).map((s) => s.source)).toEqual(['binance']);
  });
});

describe('the rules on other sources (CoinGecko\'s hourly 7-day prices and names)', () => {
  /** 168 hourly closes: a random walk of `dailyVol` per day around `level`. */
  function hourly(level: number, dailyVol: number, seed: number): Candle[] {
    const rng = makeRng(seed);
    let close = level;
    return Array.from({ length: 168 }, (_, i) => {
      close *= Math.exp((dailyVol / Math.sqrt(24)) * randomNormal(rng));
      return { openTimeMs: i * 3_600_000, open: close, high: close, low: close, close, baseVolume: null, quoteVolumeUsd: null, marketCapUsd: null };
    });
  }

  it('judges hourly prices by the daily thresholds: a $1 stablecoin is one, a coin near $1 moving 3% a day is not', () => {
    expect(stablecoinDetail(hourly(1, 0.001, 1), {}, 24)).toMatch(/^median close \$1\.\d{3}, daily volatility 0\.\d\d%$/);
    const coin = hourly(0.98, 0.03, 2);
    expect(stablecoinDetail(coin, {}, 24)).toBeNull();
    expect(stablecoinDetail(coin, {}, 1)).not.toBeNull(); // read as daily bars, its hourly moves look pegged: the scaling matters
  });

  it('names wrapped, staked, bridged and pegged copies by their names, and not coins whose names only contain the letters', () => {
    for (const name of ['Wrapped Bitcoin', 'Lido Staked Ether', 'Coinbase Wrapped BTC', 'Wrapped eETH', 'Bridged USDC (Polygon PoS Bridge)', 'Binance-Peg Dogecoin', 'Kelp DAO Restaked ETH']) {
      expect(wrapperNameDetail(name), name).toMatch(/^its name ".*" says (wrapped|staked|bridged|peg|restaked)$/);
    }
    for (const name of ['Bitcoin', 'Stacks', 'Unwrappedcoin', 'Pepe', 'Stakestone Token', 'Ethereum']) expect(wrapperNameDetail(name), name).toBeNull();
  });
});
