// sortRows: the overview sorts by the value itself (a $0.09 coin below a $100 one), unknown values last both ways;
// coverageNote: how many assets it shows, and why not the 20 the product aims at when the data hold fewer.
import { describe, expect, it } from 'vitest';
import type { OverviewRow } from './overview-data.ts';
import { coverageNote, sortRows } from './overview-table.ts';

const row = (symbol: string, price: number | null, risk: number | string): OverviewRow => ({ symbol, modelled: true, lastDay: '2021-01-01', price, change24h: null, change7d: null, prediction: null, risk, hitRate: 'none resolved yet' });
const ROWS = [row('SYN', 100, 40), row('ALT', 0.09, 'no score stored'), row('NOM', null, 70), row('BIG', 60000, 10)];
const order = (key: string, descending: boolean) => sortRows(ROWS, { key, descending }).map((r) => r.symbol);

describe('sortRows', () => {
  it('sorts numbers as numbers, either way, with unknown values last', () => {
    expect(order('price', false)).toEqual(['ALT', 'SYN', 'BIG', 'NOM']);
    expect(order('price', true)).toEqual(['BIG', 'SYN', 'ALT', 'NOM']);
    expect(order('risk', true)).toEqual(['NOM', 'SYN', 'BIG', 'ALT']);
  });
  it('sorts symbols as text', () => {
    expect(order('symbol', false)).toEqual(['ALT', 'BIG', 'NOM', 'SYN']);
  });
});

describe('coverageNote', () => {
  it('counts the assets and those with a model, and says why there are fewer than 20', () => {
    const note = coverageNote([...ROWS, { ...ROWS[0]!, symbol: 'OFF', modelled: false }]);
    expect(note).toMatch(/^5 assets, 4 with a model at this horizon\. Coinsphere aims at the 20 largest non-stable coins; this database holds prices for these 5 only/);
    expect(note).toContain('npx coinsphere ingest --symbols');
  });
  it('says only the counts at 20 assets or more', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => ({ ...ROWS[0]!, symbol: `C${i}` }));
    expect(coverageNote(twenty)).toBe('20 assets, 20 with a model at this horizon.');
  });
});
