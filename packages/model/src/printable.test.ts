// The terminal sanitiser and the symbol rule: control characters escaped, length capped, symbols by one rule.
import { describe, expect, it } from 'vitest';
import { normalizeAssetSymbol } from './asset-symbol.ts';
import { printable } from './printable.ts';

describe('printable', () => {
  it('escapes control characters, including escape codes, bidi overrides and DEL, and keeps the rest', () => {
    expect(printable('\x1b[31mred\x07\r\n\u202e\x7f ok é')).toBe('\\x1b[31mred\\x07\\x0d\\x0a\\u202e\\x7f ok é');
    expect(printable(printable('\x1b[2J'))).toBe(printable('\x1b[2J'));
  });

  it('cuts text past the cap and says how much was left out', () => {
    expect(printable('abcdef', 3)).toBe('abc…(3 more characters)');
    expect(printable('x'.repeat(500)).length).toBeLessThan(160);
  });
});

describe('normalizeAssetSymbol', () => {
  it('upper-cases a ticker and refuses anything else rather than stripping it', () => {
    expect(normalizeAssetSymbol(' btc ')).toBe('BTC');
    expect(normalizeAssetSymbol('1INCH')).toBe('1INCH');
    for (const bad of ['', 'BTC/USD', '<b>', 'A'.repeat(16), 'ÉTH', 'B TC']) expect(normalizeAssetSymbol(bad)).toBeNull();
  });
});
