// Test fixtures of the risk module: GARCH(1,1) daily candles, whose volatility clusters as crypto's does, and a
// panel of four such assets. Pure; must not import tfjs or node:*.
import { type Candle, DAY_MS } from '../candle.ts';
import { makeRng, randomNormal } from '../random.ts';
import type { RiskSeries } from './risk-panel.ts';

export const START = Date.UTC(2018, 0, 1);

/** GARCH(1,1) daily candles (volatility clusters, as in crypto) with a range from 24 intraday steps. */
export function garchCandles(nDays: number, seed: number): Candle[] {
  const rng = makeRng(seed);
  let close = 100, v = 0.03 ** 2;
  return Array.from({ length: nDays }, (_, i) => {
    const open = close;
    let hi = open, lo = open;
    for (let s = 0; s < 24; s++) {
      close *= Math.exp(Math.sqrt(v / 24) * randomNormal(rng));
      hi = Math.max(hi, close);
      lo = Math.min(lo, close);
    }
    const r = Math.log(close / open);
    v = 2e-5 + 0.15 * r * r + 0.83 * v;
    const quote = 1e7 * (1 + rng()) * (1 + seed);
    return { openTimeMs: START + i * DAY_MS, open, high: hi, low: lo, close, baseVolume: quote / close, quoteVolumeUsd: quote, marketCapUsd: null };
  });
}

/** Four GARCH assets A0..A3 of `n` days from START. */
export const fixture = (n = 700): RiskSeries[] => [0, 1, 2, 3].map((s) => ({ symbol: `A${s}`, candles: garchCandles(n, s + 1) }));
