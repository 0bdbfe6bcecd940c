// readWebEnv: ?api= wins over the build's VITE_API_URL, which wins over the page's origin; bad values refused.
import { describe, expect, it } from 'vitest';
import { readWebEnv } from './env.ts';

const at = (href: string) => new URL(href) as unknown as Location;

describe('readWebEnv', () => {
  it('uses ?api=, then VITE_API_URL, then the page origin, without a trailing slash', () => {
    expect(readWebEnv(at('http://127.0.0.1:8787/?api=https://api.example.com/'), 'http://build')).toEqual({ apiBaseUrl: 'https://api.example.com' });
    expect(readWebEnv(at('http://127.0.0.1:8787/'), 'https://edge.example.com/v/')).toEqual({ apiBaseUrl: 'https://edge.example.com/v' });
    expect(readWebEnv(at('http://127.0.0.1:8787/?backend=wasm'), undefined)).toEqual({ apiBaseUrl: 'http://127.0.0.1:8787' });
  });
  it('refuses a non-http URL, naming it', () => {
    expect(() => readWebEnv(at('http://x/?api=ftp://files.example.com'), undefined)).toThrow('the API address "ftp://files.example.com" must start with http:// or https://');
  });
});
