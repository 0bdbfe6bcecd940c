// The flag parsers, called directly: each returns the typed value or throws naming the flag, the value and
// what is accepted.
import { describe, expect, it } from 'vitest';
import { day, FlagError, horizonList, httpUrl, intIn, numberIn, oneOf, port, positiveInt, symbol, symbolList, symbolMap } from './flags.ts';

describe('flag parsers', () => {
  it('parse numbers and integers within their bounds', () => {
    expect(numberIn(0).parse('0.5', '--lr')).toBe(0.5);
    expect(numberIn(0, 1).parse(' 1 ', '--min-confidence')).toBe(1);
    expect(positiveInt.parse('12', '--epochs')).toBe(12);
    expect(intIn(0).parse('0', '--seed')).toBe(0);
    expect(port.parse('0', '--port')).toBe(0);
  });

  it('refuse a bad number with the flag, the value and what is accepted', () => {
    expect(() => positiveInt.parse('0', '--epochs')).toThrow('Bad --epochs "0": should be an integer >= 1.');
    expect(() => positiveInt.parse('1.5', '--epochs')).toThrow('Bad --epochs "1.5": should be an integer >= 1.');
    expect(() => positiveInt.parse('', '--epochs')).toThrow(FlagError);
    expect(() => numberIn(0, 1).parse('1.2', '--min-confidence')).toThrow('Bad --min-confidence "1.2": should be a number from 0 to 1.');
    expect(() => numberIn(0).parse('abc', '--lr')).toThrow('Bad --lr "abc": should be a number >= 0.');
    expect(() => port.parse('65536', '--port')).toThrow('Bad --port "65536": should be an integer from 0 to 65535.');
    const e = (() => { try { positiveInt.parse('x', '--jobs'); } catch (error) { return error as FlagError; } })();
    expect(e).toMatchObject({ flag: '--jobs', value: 'x', accepted: 'an integer >= 1', exitCode: 2 });
  });

  it('parse lists, dropping empty items, and refuse a list with one bad item whole', () => {
    expect(symbolList.parse('btc, eth,,SOL', '--symbols')).toEqual(['BTC', 'ETH', 'SOL']);
    expect(horizonList.parse('7,14,30', '--horizons')).toEqual([7, 14, 30]);
    expect(() => horizonList.parse('7,abc', '--horizons')).toThrow('Bad --horizons "7,abc": should be a comma-separated list such as 7,14,30, each an integer from 1 to 365.');
    expect(() => symbolList.parse(' , ', '--symbols')).toThrow('Bad --symbols " , "');
    expect(() => symbolList.parse('BTC,ET H', '--symbols')).toThrow(/each a symbol of letters and digits/);
  });

  it('parse enums, symbols, days, URLs and SYM=value maps', () => {
    expect(oneOf(['fused', 'tfjs'] as const).parse('tfjs', '--engine')).toBe('tfjs');
    expect(() => oneOf(['fused', 'tfjs'] as const).parse('gpu', '--engine')).toThrow('Bad --engine "gpu": should be one of: fused, tfjs.');
    expect(symbol.parse('btc', '--symbol')).toBe('BTC');
    expect(day.parse('2017-01-01', '--since')).toBe(Date.UTC(2017, 0, 1));
    expect(() => day.parse('2017-02-30', '--since')).toThrow('Bad --since "2017-02-30": should be a UTC day as YYYY-MM-DD, e.g. 2017-01-01.');
    expect(httpUrl.parse('http://127.0.0.1:8787', '--edge')).toBe('http://127.0.0.1:8787');
    expect(() => httpUrl.parse('ftp://x', '--edge')).toThrow(/Bad --edge "ftp:\/\/x": should be an http\(s\) URL/);
    expect(symbolMap('PEPE=pepe').parse('pepe=pepe, btc = bitcoin', '--coingecko-ids')).toEqual({ PEPE: 'pepe', BTC: 'bitcoin' });
    expect(() => symbolMap('PEPE=pepe').parse('PEPE', '--coingecko-ids')).toThrow('Bad --coingecko-ids "PEPE": should be SYM=value entries such as PEPE=pepe.');
  });
});
