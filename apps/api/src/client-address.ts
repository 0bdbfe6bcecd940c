// Which client a request comes from, for rate limiting: the socket's peer address, or, when that peer is a trusted
// reverse proxy (TRUST_PROXY), the client the proxies name in X-Forwarded-For. The header is never read otherwise,
// since any client can send one. Runtime-neutral: must not import node:*.
import type { TrustProxy } from './config.ts';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f]*:[0-9a-f:]*(:(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3})?$/i;
const MAX_ID_CHARS = 64; // a bucket key, not a stored value: whatever a client sends stays short

/** An address as compared and keyed: trimmed, lower case, an IPv4-mapped IPv6 address (::ffff:1.2.3.4) as IPv4. */
function normalize(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith('::ffff:') && IPV4.test(a.slice(7)) ? a.slice(7) : a;
}

/**
 * Parses TRUST_PROXY: a whole number of proxy hops in front of the server (0: none), or a comma-separated list of
 * the proxies' IP addresses. Throws an Error naming the bad value and what is allowed.
 */
export function parseTrustProxy(text: string): TrustProxy {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value) === 0 ? null : { hops: Number(value) };
  const addresses = value.split(',').map(normalize).filter(Boolean);
  const bad = addresses.find((a) => !IPV4.test(a) && !IPV6.test(a));
  if (addresses.length === 0 || bad !== undefined) {
    throw new Error(`TRUST_PROXY must be a number of proxy hops (e.g. 1) or a comma-separated list of proxy IP addresses (e.g. 127.0.0.1,10.0.0.5); "${bad ?? text}" is neither`);
  }
  return { addresses };
}

/**
 * The client id of a request whose socket peer is `socketAddress` and whose X-Forwarded-For is `forwardedFor`.
 * Without `trust`, the peer. With `{ hops: n }`, the address n hops back: the peer is the nearest proxy, and each
 * proxy appends the address it saw, so X-Forwarded-For's n-th entry from the right (or its first, when shorter).
 * With `{ addresses }`: the peer when it is not one of them; else the right-most X-Forwarded-For entry that is not a
 * trusted proxy (entries left of it were written by the client and are not believed).
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trust: TrustProxy): string {
  if (!trust) return socketAddress ?? 'anonymous'; // the hot path without proxies: no string work
  const peer = socketAddress ? normalize(socketAddress) : 'anonymous';
  if (!forwardedFor) return peer;
  const hops = forwardedFor.split(',').map(normalize).filter(Boolean).reverse(); // nearest first
  if ('hops' in trust) return (hops[Math.min(trust.hops, hops.length) - 1] ?? peer).slice(0, MAX_ID_CHARS);
  const trusted = new Set(trust.addresses);
  if (!trusted.has(peer)) return peer;
  const client = hops.find((a) => !trusted.has(a)) ?? hops.at(-1) ?? peer;
  return client.slice(0, MAX_ID_CHARS);
}
