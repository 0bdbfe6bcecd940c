// Layout detection and row mapping over small fixtures written in the test; the row rules of validate.ts.
import { describe, expect, it } from 'vitest';
import { readCsvLines, splitCsvLine } from './csv-text.ts';
import { LayoutError, mapLayout, parseColumnsOption, parseTimestamp } from './csv-layouts.ts';
import { validateSeries } from './validate.ts';

const DAY = 86_400_000;

const KAGGLE = `SNo,Name,Symbol,Date,High,Low,Open,Close,Volume,Marketcap
1,Bitcoin,BTC,2013-04-29 23:59:59,147.5,134.0,134.4,144.5,0.0,1603768864.5
2,Bitcoin,BTC,2013-04-30 23:59:59,146.9,134.1,144.0,139.0,0.0,0.0
`;

const CDD_HOURLY = `Timestamps are UTC timezone,https://www.CryptoDataDownload.com
Unix Timestamp,Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USDT
1506463200.0,2017-09-26 06-PM,BTCUSDT,3930,3934.9,3888.67,3904.97,44.21,172760.14
1506463200.0,2017-09-26 10-PM,BTCUSDT,3930,3934.9,3888.67,3904.97,44.21,172760.14
1506459600.0,2017-09-26 05-PM,BTCUSDT,3888.7,3935,3888.69,3930,14.49,
1506452400.0,2017-09-26 03-PM,BTCUSDT,3900,3900,3900,3900,0.0,0.0
1506445200.0,2017-09-26 01-PM,BTCUSDT,3897,3927.18,3890.98,3891.03,5.81,22703.51
`;

const COINGECKO = `snapped_at,price,market_cap,total_volume
2017-04-01 00:00:00 UTC,1080.5,17600000000,90000000
2017-04-02 00:00:00 UTC,1098.07,,80231506.35
2017-04-03 00:00:00 UTC,1143.8,18700000000,0
`;

describe('CSV layouts', () => {
  it('reads the Kaggle layout: High,Low,Open,Close order, end-of-day stamp to that day 00:00, market cap 0 missing', () => {
    const mapped = mapLayout('coin_Bitcoin.csv', readCsvLines(KAGGLE));
    expect(mapped).toMatchObject({ layout: 'coinmarketcap', symbol: 'BTC', interval: '1d', source: 'coinmarketcap', assetName: 'Bitcoin' });
    expect(mapped.rows[0]).toMatchObject({ line: 2, openTimeMs: Date.UTC(2013, 3, 29), open: 134.4, high: 147.5, low: 134, close: 144.5, quoteVolumeUsd: 0 });
    const series = validateSeries(mapped.rows, '1d');
    expect(series.candles.map((c) => c.marketCapUsd)).toEqual([1603768864.5, null]);
    expect(series.candles.map((c) => c.quoteVolumeUsd)).toEqual([0, 0]); // zero volume is real data: kept
  });

  it('reads CryptoDataDownload hourly by Unix seconds, ignores the Date column, collapses identical duplicates, drops maintenance fillers', () => {
    const mapped = mapLayout('Binance_BTCUSDT_1h.csv', readCsvLines(CDD_HOURLY));
    expect(mapped).toMatchObject({ layout: 'cryptodatadownload', symbol: 'BTC', interval: '1h', source: 'binance', binanceSymbol: 'BTCUSDT' });
    const series = validateSeries(mapped.rows, '1h', { dropMaintenance: true });
    expect(series.duplicates).toBe(1);
    expect(series.maintenanceDropped).toBe(1);
    expect(series.problems).toEqual([]);
    expect(series.candles.map((c) => c.openTimeMs)).toEqual([1506445200000, 1506459600000, 1506463200000]); // oldest first
    expect(series.candles[1]?.quoteVolumeUsd).toBeNull(); // an empty volume is missing, not invalid
    expect(series.gaps).toEqual([{ fromMs: 1506448800000, toMs: 1506456000000, missingBars: 3 }]);
  });

  it('reads CoinGecko as price-only candles stored one day earlier, without the provisional last row', () => {
    const mapped = mapLayout('btc-usd-max.csv', readCsvLines(COINGECKO));
    expect(mapped).toMatchObject({ layout: 'coingecko', symbol: 'BTC', source: 'coingecko', provisionalDropped: 1 });
    expect(mapped.rows.map((r) => r.openTimeMs)).toEqual([Date.UTC(2017, 2, 31), Date.UTC(2017, 3, 1)]);
    expect(mapped.rows[1]).toMatchObject({ open: null, high: null, low: null, close: 1098.07, marketCapUsd: null });
  });

  it('maps a generic CSV with --columns and refuses one without', () => {
    const text = 'day,ticker,px,vol\n2024-01-02,ABCUSDT,10,5\n2024-01-01,ABCUSDT,9,4\n';
    expect(() => mapLayout('x.csv', readCsvLines(text))).toThrow(/unrecognised layout.*--columns/);
    const mapped = mapLayout('x.csv', readCsvLines(text), { columns: parseColumnsOption('time=day,close=px,volume=vol,symbol=ticker'), source: 'mine' });
    expect(mapped).toMatchObject({ symbol: 'ABC', interval: '1d', source: 'mine' });
    expect(mapped.rows.map((r) => [r.openTimeMs, r.close, r.baseVolume])).toEqual([[Date.UTC(2024, 0, 2), 10, 5], [Date.UTC(2024, 0, 1), 9, 4]]);
    expect(() => parseColumnsOption('when=day,close=px')).toThrow(/Bad --columns entry "when=day"/);
  });

  it('names a missing required column with its header line', () => {
    const text = KAGGLE.replace(',Close,', ',Shut,');
    expect(() => mapLayout('coin_Bitcoin.csv', readCsvLines(text))).toThrow(LayoutError);
    expect(() => mapLayout('coin_Bitcoin.csv', readCsvLines(text))).toThrow(/missing required column Close/);
  });

  it('refuses a symbol that is not a ticker in every layout, naming its line, and strips only pair separators', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const kaggle = KAGGLE.replaceAll(',BTC,', `,${evil},`);
    expect(() => mapLayout('coin_X.csv', readCsvLines(kaggle))).toThrow(LayoutError);
    expect(() => mapLayout('coin_X.csv', readCsvLines(kaggle))).toThrow(/symbol "<img src=x onerror=alert\(1\)>" \(column Symbol\) is not a ticker: it should be 1 to 15 letters or digits, e\.g\. BTC; fix the file/);
    expect(() => mapLayout('coin_X.csv', readCsvLines(KAGGLE.replaceAll(',BTC,', ',BTC/USD,')))).toThrow(/symbol "BTC\/USD" \(column Symbol\) is not a ticker/);
    expect(() => mapLayout('coin_X.csv', readCsvLines(KAGGLE.replaceAll(',BTC,', ',A123456789012345,')))).toThrow(/is not a ticker/); // 16 characters
    const line = (text: string, name: string) => { try { mapLayout(name, readCsvLines(text)); } catch (e) { return (e as LayoutError).line; } return null; };
    expect(line(kaggle, 'coin_X.csv')).toBe(2);
    expect(line(CDD_HOURLY.replaceAll('BTCUSDT', '<b>USDT'), 'Binance_X_1h.csv')).toBe(3);
    expect(() => mapLayout('Binance_X_1h.csv', readCsvLines(CDD_HOURLY.replaceAll('BTCUSDT', '<b>USDT')))).toThrow(/symbol "<B>" \(column Symbol, .*\) is not a ticker/);
    expect(mapLayout('Binance_X_1h.csv', readCsvLines(CDD_HOURLY.replaceAll('BTCUSDT', 'BTC/USDT')))).toMatchObject({ symbol: 'BTC', binanceSymbol: 'BTCUSDT' });
    const generic = 'day,px,ticker\n2024-01-02,10,ev;il\n';
    expect(() => mapLayout('x.csv', readCsvLines(generic), { columns: parseColumnsOption('time=day,close=px,symbol=ticker') })).toThrow(/symbol "EV;IL" \(column ticker\) is not a ticker/);
    expect(() => mapLayout('averyveryverylongname-usd-max.csv', readCsvLines(COINGECKO))).toThrow(/symbol "averyveryverylongname" \(the file name.*\) is not a ticker/);
  });

  it('parses timestamps: day, day with time, Unix seconds and ms, offsets; NaN for nonsense', () => {
    expect(parseTimestamp('2021-07-06')).toBe(Date.UTC(2021, 6, 6));
    expect(parseTimestamp('2021-07-06 23:59:59')).toBe(Date.UTC(2021, 6, 6, 23, 59, 59));
    expect(parseTimestamp('2021-07-06T02:00:00+02:00')).toBe(Date.UTC(2021, 6, 6));
    expect(parseTimestamp('1600498800.0')).toBe(1600498800000);
    expect(parseTimestamp('1774828800000')).toBe(1774828800000);
    expect(parseTimestamp('2021-02-30')).toBeNaN();
    expect(parseTimestamp('yesterday')).toBeNaN();
  });

  it('splits quoted fields', () => {
    expect(splitCsvLine('a,"b,c","d ""e"""')).toEqual(['a', 'b,c', 'd "e"']);
  });
});

describe('row rules', () => {
  const base = { line: 2, openTimeMs: Date.UTC(2020, 0, 1), open: 10, high: 12, low: 9, close: 11, baseVolume: 1, quoteVolumeUsd: 11, marketCapUsd: 5 };
  const cases: Array<[string, Partial<typeof base>, RegExp]> = [
    ['unparseable timestamp', { openTimeMs: Number.NaN }, /unparseable timestamp/],
    ['off-boundary timestamp', { openTimeMs: Date.UTC(2020, 0, 1, 5) }, /not on a 1d boundary/],
    ['non-positive price', { close: 0 }, /close is 0; prices must be finite and positive/],
    ['non-finite price', { open: Number.NaN }, /open is an unparseable value/],
    ['high below close', { close: 13 }, /high 12 is below close 13/],
    ['low above open', { low: 10.5 }, /low 10.5 is above open 10/],
    ['negative volume', { baseVolume: -1 }, /baseVolume is -1/],
  ];
  it.each(cases)('refuses a row with %s', (_name, patch, reason) => {
    const series = validateSeries([{ ...base, ...patch }], '1d');
    expect(series.candles).toEqual([]);
    expect(series.problems[0]?.reason).toMatch(reason);
  });

  it('refuses both rows of a timestamp repeated with different values', () => {
    const series = validateSeries([base, { ...base, line: 3, close: 11.5 }, { ...base, line: 4, openTimeMs: base.openTimeMs + DAY }], '1d');
    expect(series.candles).toHaveLength(1);
    expect(series.problems.map((p) => p.line)).toEqual([2, 3]);
    expect(series.problems[1]?.reason).toMatch(/repeats line 2 with different prices or volumes/);
  });
});
