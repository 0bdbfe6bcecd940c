// What `coinsphere publish` prints: the summary line, and a warning when Redis did not take the cache writes (the
// batch is stored, but the keys were not written where the API servers read them).
import { describe, expect, it } from 'vitest';
import { renderPublished } from './publish.ts';

describe('renderPublished', () => {
  it('says the cache was not written when Redis missed the changed keys, instead of only counting them', () => {
    const ok = renderPublished([], { written: 2, changedKeys: ['cs:v1:pred:BTC:7', 'cs:v1:pred:ETH:7'] });
    expect(ok).toBe('Stored 2; cache keys changed: 2\n');
    const down = renderPublished([], { written: 2, changedKeys: ['cs:v1:pred:BTC:7', 'cs:v1:pred:ETH:7'], cacheNotWritten: { backend: 'redis', message: 'The 2 changed cache keys were not written to redis (Connection is closed.); publish again once redis answers.' } });
    expect(down).toBe('Warning: The 2 changed cache keys were not written to redis (Connection is closed.); publish again once redis answers.\nStored 2; cache keys changed: 2 (not written: redis is down)\n');
  });
});
