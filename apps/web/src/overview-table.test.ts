// sortRows: the overview sorts by the value itself (a $0.09 coin below a $100 one), unknown values last both ways.
import { describe, expect, it } from 'vitest';
import type { OverviewRow } from './overview-data.ts';
import { sortRows } from './overview-table.ts';

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
