// The serving cache: a key/value store of ready-to-send prediction bodies with their ETag and write time.
// Backends: Redis (Node, REDIS_URL), an in-process LRU (Node fallback), KV (Workers).
// Runtime-neutral: must not import node:* or any runtime package.
import { hash53 } from '@coinsphere/model/core';

/** Health of a cache backend as /v1/health reports it. */
export interface CacheHealth {
  backend: string; // 'redis' | 'memory' | 'kv'
  ok: boolean;
  /** Set when a fallback is serving because the configured backend failed, e.g. 'redis'. */
  fallbackFrom?: string;
  detail?: string;
}

/** A key/value cache of strings. `setMany` is atomic where the backend allows it (Redis MULTI, the LRU). */
export interface ServingCache {
  readonly backend: string;
  getMany(keys: readonly string[]): Promise<Array<string | null>>;
  /** Synchronous lookup where the value may be in this process; lets the hot path skip a promise. A string is
   *  the value; null means absent (a cache held wholly in-process: the LRU); undefined means not known here
   *  (Redis's near cache does not hold it): ask getMany. */
  getSync?(key: string): string | null | undefined;
  /** Writes every entry. A cache with a fallback resolves to a CacheWriteReport when its configured backend did not
   *  take the write (Redis down: only this process's memory holds it); otherwise to nothing. */
  setMany(entries: ReadonlyArray<readonly [key: string, value: string]>): Promise<CacheWriteReport | void>;
  deleteMany(keys: readonly string[]): Promise<void>;
  health(): Promise<CacheHealth>;
  /** What this process itself holds for `keys` (a fallback's copies), whatever the configured backend says; for a
   *  read that found nothing there (Redis lost the key) and cannot ask the store either. */
  getHeldLocally?(keys: readonly string[]): Promise<Array<string | null>>;
  close?(): Promise<void>;
}

/** A write the configured backend did not take: which backend (e.g. 'redis') and why. */
export interface CacheWriteReport {
  notWrittenTo: string;
  reason: string;
}

/** One cached body: the prediction JSON, its ETag and when it was written (epoch ms). */
export interface CacheEntry {
  storedAtMs: number;
  etag: string;
  body: string;
}

/** Cache key of the latest prediction of (symbol, horizonDays). */
export function predictionKey(symbol: string, horizonDays: number): string {
  return `cs:v1:pred:${symbol}:${horizonDays}`;
}

/** Encodes an entry as `storedAtMs|etag|body`, so reading it needs no JSON.parse. */
export function encodeEntry(entry: CacheEntry): string {
  return `${entry.storedAtMs}|${entry.etag}|${entry.body}`;
}

/** Decodes `encodeEntry` output; null for anything malformed (treated as a miss). */
export function decodeEntry(raw: string | null): CacheEntry | null {
  if (raw === null) return null;
  const a = raw.indexOf('|');
  const b = a < 0 ? -1 : raw.indexOf('|', a + 1);
  if (b < 0) return null;
  const storedAtMs = Number(raw.slice(0, a));
  if (!Number.isFinite(storedAtMs)) return null;
  return { storedAtMs, etag: raw.slice(a + 1, b), body: raw.slice(b + 1) };
}

/** A fast 53-bit string hash (cyrb53) as hex: ETags without async crypto. */
export function hashString(text: string): string {
  return hash53(text).toString(16);
}
