// The headline's words and the coin-sized prices: what the asset page and the overview both print.
import { describe, expect, it } from 'vitest';
import { callName, formatPrice, headlineWords, pricePrecision, signedPct, versusChance } from './call-words.ts';

const flat = { class: 'bearish' as const, probabilities: { bearish: 0.341, neutral: 0.329, bullish: 0.33 }, confidence: 0.341 };

describe('call words', () => {
  it('says "no clear signal" below the threshold, the call above it, with chance beside the probabilities', () => {
    expect(headlineWords({ ...flat, signal: 'none' })).toBe('No clear signal: bearish 34%, neutral 33%, bullish 33%; chance is 33%');
    expect(callName({ ...flat, signal: 'clear' })).toBe('Leans bearish'); // a call 0.8 points above chance
    expect(callName({ ...flat, confidence: 0.52, signal: 'clear' })).toBe('Bearish call');
    expect(versusChance(0.52)).toBe('52% vs 33% chance');
  });
  it('gives a price the digits its size needs: four significant ones, never fewer than two decimals', () => {
    expect(formatPrice(64210.5)).toBe('$64,210.50');
    expect(formatPrice(1.23456)).toBe('$1.235');
    expect(formatPrice(0.0912345)).toBe('$0.09123');
    expect(formatPrice(0.000012345)).toBe('$0.00001235');
    expect(formatPrice(0.5, 0.0912)).toBe('$0.50000'); // at the reference's precision
    expect(pricePrecision(0)).toBe(2);
    expect(signedPct(-0.0421)).toBe('-4.2%');
    expect(signedPct(0.05)).toBe('+5.0%');
  });
});
