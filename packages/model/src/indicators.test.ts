// The hand-written indicators against technicalindicators 3.1, the reference they replace: every value must be the
// library's bit for bit (Object.is, so NaN and -0 count too), on random walks of every scale, the synthetic candles,
// and the degenerate series where the library's quirks show (constant prices, a flat start, series shorter than a period).
import fc from 'fast-check';
import { BollingerBands, EMA, MACD, RSI, SMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';

import { bollingerSeries, emaSeries, macdSeries, rsiSeries, smaSeries } from './indicators.ts';
import { makeRng, randomNormal } from './random.ts';
import { makeSyntheticCandles } from './synthetic-candles.ts';

/** The library's result spread over n rows ending at the last one (as the feature code aligns it). */
function alignEnd(result: readonly number[], n: number): number[] {
  return [...new Array<number>(n - result.length).fill(Number.NaN), ...result];
}

/** Indices where `ours` and `ref` differ as bits (Object.is), with both values: empty when identical. */
function differences(ours: ArrayLike<number>, ref: readonly number[], fromRow = 0): [number, number, number][] {
  expect(ours.length).toBe(ref.length);
  const out: [number, number, number][] = [];
  for (let i = fromRow; i < ref.length; i++) if (!Object.is(ours[i], ref[i])) out.push([i, ours[i]!, ref[i]!]);
  return out;
}

/** Every indicator of both feature sets on `close`, ours against the library's; fromRow for the tail-only ones. */
function expectSameAsLibrary(close: number[], fromRow = 0): void {
  const n = close.length;
  for (const period of [1, 2, 9, 12, 14, 20, 26, 50]) {
    expect(differences(smaSeries(close, period), alignEnd(SMA.calculate({ period, values: close }), n))).toEqual([]);
    expect(differences(emaSeries(close, period), alignEnd(EMA.calculate({ period, values: close }), n))).toEqual([]);
  }
  for (const period of [2, 14]) {
    expect(differences(rsiSeries(close, period, fromRow), alignEnd(RSI.calculate({ period, values: close }), n), fromRow)).toEqual([]);
  }
  const macd = MACD.calculate({ values: close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false });
  const ours = macdSeries(close, 12, 26, 9);
  expect(differences(ours.macd, alignEnd(macd.map((m) => m.MACD ?? Number.NaN), n))).toEqual([]);
  expect(differences(ours.signal, alignEnd(macd.map((m) => m.signal ?? Number.NaN), n))).toEqual([]);
  const bb = BollingerBands.calculate({ period: 20, stdDev: 2, values: close });
  const band = bollingerSeries(close, 20, 2, fromRow);
  expect(differences(band.upper, alignEnd(bb.map((b) => b.upper), n), fromRow)).toEqual([]);
  expect(differences(band.lower, alignEnd(bb.map((b) => b.lower), n), fromRow)).toEqual([]);
}

/** A geometric random walk from `start` with daily volatility `vol` and fat tails (a jump now and then). */
function walk(n: number, seed: number, start: number, vol: number): number[] {
  const rng = makeRng(seed);
  let c = start;
  return Array.from({ length: n }, () => (c *= Math.exp(vol * randomNormal(rng) * (rng() < 0.03 ? 5 : 1))));
}

describe('indicators', () => {
  it('equal technicalindicators on the synthetic candles of every length around the warm-ups', () => {
    for (const n of [0, 1, 2, 13, 14, 15, 19, 20, 25, 26, 27, 33, 34, 35, 49, 50, 51, 400]) {
      expectSameAsLibrary(makeSyntheticCandles(n, 7).map((c) => c.close));
    }
  });

  it('equal technicalindicators on random walks from a millionth of a dollar to $100,000, from any row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 600 }), fc.constantFrom(1e-6, 0.07, 1, 100, 65_000), fc.constantFrom(0.005, 0.03, 0.12), fc.integer({ min: 0, max: 600 }), (seed, n, start, vol, fromRow) => {
        expectSameAsLibrary(walk(n, seed, start, vol), Math.min(fromRow, n));
      }),
      { numRuns: 150 },
    );
  });

  it('equal technicalindicators on any positive doubles, including repeats and wild jumps', () => {
    const price = fc.oneof(fc.double({ min: 1e-12, max: 1e12, noNaN: true }), fc.constantFrom(1, 0.1, 3, 100));
    fc.assert(fc.property(fc.array(price, { minLength: 0, maxLength: 120 }), fc.nat({ max: 120 }), (close, fromRow) => expectSameAsLibrary(close, Math.min(fromRow, close.length))), { numRuns: 300 });
  });

  it('keep the library\'s quirks: MACD\'s signal of exactly 0 is undefined, RSI of constant prices is 100, a falsy EMA seed is stepped once more', () => {
    for (const c of [0.1, 1, 3, 7.77, 100, 65_000.5]) {
      const close = new Array<number>(80).fill(c);
      expectSameAsLibrary(close);
      expectSameAsLibrary(close, 60);
    }
    expect(Array.from(rsiSeries(new Array<number>(30).fill(2), 14).subarray(14))).toEqual(new Array(16).fill(100));
    for (const values of [[3, -3, 4, 1, -2, 6], [1, -1, 0.5], [Number.NaN, 1, 2, 3], [0, 0, 0, 1, 2]]) {
      for (const period of [1, 2, 3]) expect(differences(emaSeries(values, period), alignEnd(EMA.calculate({ period, values }), values.length))).toEqual([]); // a seed of 0 or NaN
    }
    const flatThenMoving = [...new Array<number>(40).fill(5), ...walk(60, 3, 5, 0.02)];
    expectSameAsLibrary(flatThenMoving);
    expectSameAsLibrary(flatThenMoving, 45);
  });
});
