// Who a request comes from behind reverse proxies: X-Forwarded-For is believed only from trusted proxies, and a bad
// TRUST_PROXY is refused at start naming the value.
import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustProxy } from './client-address.ts';
import { parseApiEnv } from './env.ts';

describe('clientAddress', () => {
  it('is the socket peer without trusted proxies, whatever X-Forwarded-For says', () => {
    expect(clientAddress('198.51.100.7', '1.2.3.4', null)).toBe('198.51.100.7');
    expect(clientAddress(undefined, undefined, null)).toBe('anonymous');
  });

  it('takes the address n hops back with a hop count, and the left-most entry when the header is shorter', () => {
    expect(clientAddress('10.0.0.1', 'forged, 203.0.113.9', { hops: 1 })).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.1', 'forged, 203.0.113.9, 10.0.0.2', { hops: 2 })).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.1', '203.0.113.9', { hops: 3 })).toBe('203.0.113.9');
  });

  it('believes the header only from a listed proxy, and skips listed proxies in it', () => {
    const trust = { addresses: ['10.0.0.1', '10.0.0.2'] };
    expect(clientAddress('198.51.100.7', '203.0.113.9', trust)).toBe('198.51.100.7'); // not a proxy: header ignored
    expect(clientAddress('::ffff:10.0.0.1', 'forged, 203.0.113.9, 10.0.0.2', trust)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.1', '10.0.0.2', trust)).toBe('10.0.0.2');
  });
});

describe('TRUST_PROXY', () => {
  it('accepts hops or addresses and refuses anything else, naming the variable and the value', () => {
    expect(parseTrustProxy('2')).toEqual({ hops: 2 });
    expect(parseTrustProxy('0')).toBeNull();
    expect(parseTrustProxy('127.0.0.1, ::1')).toEqual({ addresses: ['127.0.0.1', '::1'] });
    expect(parseApiEnv({ TRUST_PROXY: '1' }).config.trustProxy).toEqual({ hops: 1 });
    expect(parseApiEnv({}).config.trustProxy).toBeNull();
    expect(() => parseApiEnv({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY: TRUST_PROXY must be a number of proxy hops .*"yes" is neither/);
    expect(() => parseApiEnv({ TRUST_PROXY: '10.0.0.1,300.1.1.1' })).toThrow(/"300\.1\.1\.1" is neither/);
  });
});
