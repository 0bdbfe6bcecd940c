// chooseView: the URL's asset and horizon when there is a model for them, else a default and a sentence saying why.
import { describe, expect, it } from 'vitest';
import { chooseView } from './url-state.ts';

const asset = (symbol: string, horizons: number[]) => ({ symbol, firstDay: '2020-01-01', lastDay: '2021-01-01', horizons });
const ASSETS = [asset('ALT', [7]), asset('BTC', [7, 30]), asset('NOM', [])];

describe('chooseView', () => {
  it('honours ?symbol= (any case) and ?horizon= when the asset has that model', () => {
    expect(chooseView(ASSETS, 'btc', '30')).toMatchObject({ asset: { symbol: 'BTC' }, horizonDays: 30, notes: [] });
    expect(chooseView(ASSETS, 'ALT', null)).toMatchObject({ asset: { symbol: 'ALT' }, horizonDays: 7, notes: [] });
  });
  it('says what it cannot honour: an unknown symbol, one without a model, a missing or malformed horizon', () => {
    expect(chooseView(ASSETS, 'DOGE', null)?.notes).toEqual(['DOGE is not an asset this API holds data for; showing BTC.']);
    expect(chooseView(ASSETS, 'NOM', null)?.notes[0]).toMatch(/^NOM has price data but no trained model yet; showing BTC\. Train one with `npx coinsphere train --symbol NOM`/);
    expect(chooseView(ASSETS, 'ALT', '30')).toMatchObject({ horizonDays: 7, notes: ['There is no 30-day model for ALT; showing 7 days.'] });
    expect(chooseView(ASSETS, null, 'week')).toMatchObject({ horizonDays: 7, notes: ['?horizon=week is not a number of days; showing 7 days.'] });
  });
  it('returns null when no asset has a model', () => {
    expect(chooseView([asset('NOM', [])], null, null)).toBeNull();
  });
});
