// Seeded synthetic daily candles for tests, examples and benchmarks: a random walk with regime drift, so the
// three direction classes all occur. Not market data. Must not import anything runtime-specific.
import { type Candle, DAY_MS, HOUR_MS } from './candle.ts';
import { makeRng, randomNormal } from './random.ts';

/** Options of makeSyntheticCandles. */
export interface SyntheticCandleOptions {
  /** First candle's open time, epoch ms (UTC midnight). Default 2020-01-01. */
  startMs?: number;
  /** Daily log-return volatility. Default 0.03. */
  volatility?: number;
  /** Leave market cap null (as Binance files have none). */
  withoutMarketCap?: boolean;
  /** Leave open/high/low null (as CoinGecko snapshots). */
  priceOnly?: boolean;
}

/** `nDays` daily candles from `seed`; the same seed always gives the same candles. */
export function makeSyntheticCandles(nDays: number, seed: number, opts: SyntheticCandleOptions = {}): Candle[] {
  const rng = makeRng(seed);
  const startMs = opts.startMs ?? Date.UTC(2020, 0, 1);
  const vol = opts.volatility ?? 0.03;
  const out: Candle[] = [];
  let close = 100;
  for (let i = 0; i < nDays; i++) {
    const drift = 0.004 * Math.sin((2 * Math.PI * i) / 120); // slow regimes: up, flat, down
    const open = close;
    close = open * Math.exp(drift + vol * randomNormal(rng));
    const high = Math.max(open, close) * (1 + vol * rng() * 0.5);
    const low = Math.min(open, close) * (1 - vol * rng() * 0.5);
    const baseVolume = 1000 * (1 + rng());
    out.push({
      openTimeMs: startMs + i * DAY_MS,
      open: opts.priceOnly ? null : open,
      high: opts.priceOnly ? null : high,
      low: opts.priceOnly ? null : low,
      close,
      baseVolume,
      quoteVolumeUsd: baseVolume * close,
      marketCapUsd: opts.withoutMarketCap ? null : close * 19e6,
    });
  }
  return out;
}

/** 24 hourly candles per daily candle whose last hourly close equals the daily close (a consistent fixture). */
export function makeSyntheticHourly(daily: readonly Candle[], seed: number): Candle[] {
  const rng = makeRng(seed);
  const out: Candle[] = [];
  for (const d of daily) {
    for (let h = 0; h < 24; h++) {
      const close = h === 23 ? d.close : d.close * (1 + 0.01 * (rng() - 0.5));
      out.push({
        openTimeMs: d.openTimeMs + h * HOUR_MS,
        open: null,
        high: null,
        low: null,
        close,
        baseVolume: null,
        quoteVolumeUsd: null,
        marketCapUsd: null,
      });
    }
  }
  return out;
}

/**
 * Daily candles whose volatility switches between calm (0.5% a day) and wild (8%) every `regimeDays`, the phase set
 * by `seed`, and whose wild regimes trend (±3% a day, the sign drawn per regime): a learnable "neutral" (calm weeks
 * stay inside a fixed band) and a learnable direction (momentum), for tests of training and of the promotion gate.
 * Not market data.
 */
export function makeRegimeCandles(nDays: number, seed: number, opts: { startMs?: number; regimeDays?: number } = {}): Candle[] {
  const rng = makeRng(seed);
  const startMs = opts.startMs ?? Date.UTC(2019, 0, 1);
  const regime = opts.regimeDays ?? 120;
  const out: Candle[] = [];
  let close = 100;
  let trend = 0;
  for (let i = 0; i < nDays; i++) {
    const phase = Math.floor((i + seed * 37) / regime);
    const calm = phase % 2 === 0;
    if ((i + seed * 37) % regime === 0 || i === 0) trend = rng() < 0.5 ? -0.03 : 0.03;
    const vol = calm ? 0.005 : 0.08;
    const open = close;
    close = open * Math.exp((calm ? 0 : trend) + vol * randomNormal(rng));
    const high = Math.max(open, close) * (1 + vol * 0.5 * rng());
    const low = Math.min(open, close) * (1 - vol * 0.5 * rng());
    out.push({ openTimeMs: startMs + i * DAY_MS, open, high, low, close, baseVolume: 1000, quoteVolumeUsd: 1000 * close, marketCapUsd: null });
  }
  return out;
}
