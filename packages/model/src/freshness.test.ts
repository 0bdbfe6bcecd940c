import { describe, expect, it } from 'vitest';
import { dataFreshness, formatDataAge, STALE_AFTER_DAYS } from './freshness.ts';

const NOW = Date.parse('2026-12-01T15:30:00Z');

describe('dataFreshness', () => {
  it('counts whole UTC days from the newest bar to today, whatever the hour', () => {
    expect(dataFreshness(Date.parse('2026-11-30T00:00:00Z'), NOW)).toEqual({ asOf: '2026-11-30', ageDays: 1, stale: false });
    expect(dataFreshness('2026-12-01', Date.parse('2026-12-01T23:59:59Z')).ageDays).toBe(0);
  });

  it(`calls data stale once the newest bar is more than ${STALE_AFTER_DAYS} days old`, () => {
    expect(dataFreshness('2026-11-29', NOW).stale).toBe(false);
    expect(dataFreshness('2026-11-28', NOW)).toEqual({ asOf: '2026-11-28', ageDays: 3, stale: true });
    expect(dataFreshness('2026-03-30', NOW)).toEqual({ asOf: '2026-03-30', ageDays: 246, stale: true });
  });

  it('refuses what is not a time or a day, naming it', () => {
    expect(() => dataFreshness('yesterday', NOW)).toThrow(/"yesterday".*YYYY-MM-DD/);
  });

  it('says the age in words', () => {
    expect([0, 1, 246].map(formatDataAge)).toEqual(['today', '1 day old', '246 days old']);
  });
});
