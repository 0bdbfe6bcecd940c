// Latest predictions through the serving cache. Fresh entries (younger than `freshMs`) are served without the
// store; older ones are revalidated against the store and, when the store is unreachable, served anyway, marked
// stale (`store_unreachable`). Whatever the cache, a prediction whose data are old is marked stale (`data_old`)
// when it is served. Publishing is @coinsphere/serving's publishPredictions (the trainer's publish calls it too).
// Runtime-neutral: must not import node:*.
import { decodeEntry, encodeEntry, predictionKey, publishPredictions, toEntry, type CacheEntry, type ServingCache } from '@coinsphere/serving';
import type { Prediction, PublishResult, StaleReason } from '@coinsphere/serving/contract';
import { ApiError } from './errors.ts';
import { entryBodyNow } from './served-monitoring.ts';
import { staleEtag, staleReasons, withStaleness } from './staleness.ts';
import type { ApiStore } from './store.ts';

const nullOnError = (): null => null;

/** A latest prediction as read: the cached entry and whether it came from the cache because the store was down. */
export interface ServedEntry {
  entry: CacheEntry;
  storeUnreachable: boolean;
}

/** What is sent for an entry: the body with `stale` and `staleReasons`, and its ETag. */
export interface ServedResponse {
  body: string;
  etag: string;
  reasons: StaleReason[];
}

const asOfByEntry = new WeakMap<CacheEntry, string | null>(); // entries are memoised by raw string: parsed once

/** The `asOf` day in an entry's body, or null when it has none. */
export function entryAsOf(entry: CacheEntry): string | null {
  let asOf = asOfByEntry.get(entry);
  if (asOf === undefined) {
    const parsed = /"asOf":"(\d{4}-\d{2}-\d{2})"/.exec(entry.body); // toEntry writes it as the third key
    asOf = parsed ? parsed[1]! : null;
    asOfByEntry.set(entry, asOf);
  }
  return asOf;
}

/** Why `entry` is stale at `nowMs` (none when its body has no asOf and the store answered). */
export function entryStaleReasons(entry: CacheEntry, nowMs: number, storeUnreachable = false): StaleReason[] {
  const asOf = entryAsOf(entry);
  return asOf === null ? (storeUnreachable ? ['store_unreachable'] : []) : staleReasons(asOf, nowMs, storeUnreachable);
}

/** The response for a served entry at `nowMs`: staleness and the model's age and expiry (under `expiryDays`) as of
 *  then, each changing the ETag. */
export function servedResponse(s: ServedEntry, nowMs: number, expiryDays: number): ServedResponse {
  const reasons = entryStaleReasons(s.entry, nowMs, s.storeUnreachable);
  const { body, etagSuffix } = entryBodyNow(s.entry, nowMs, expiryDays);
  const etag = etagSuffix === '' ? s.entry.etag : `${s.entry.etag.slice(0, -1)}${etagSuffix}"`;
  return { body: withStaleness(body, reasons), etag: staleEtag(etag, reasons), reasons };
}

export class PredictionsService {
  constructor(
    private readonly store: ApiStore,
    private readonly cache: ServingCache,
    private readonly freshMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** The cached entry of (symbol, horizon) when it is fresh, else null; never asks the store. The hot path:
   *  synchronous where the cache holds the key in this process (the LRU, Redis's near cache), else one cache
   *  read; and no closure per call (tsx wraps each closure it creates in a naming helper). */
  readFresh(symbol: string, horizonDays: number): CacheEntry | null | Promise<CacheEntry | null> {
    const key = predictionKey(symbol, horizonDays);
    const raw = this.cache.getSync?.(key);
    if (raw !== undefined) return this.freshEntry(raw);
    return this.cache.getMany([key]).then(this.freshFirst, nullOnError);
  }

  private freshEntry(raw: string | null): CacheEntry | null {
    if (raw === null) return null;
    let e: CacheEntry | null | undefined = this.decoded.get(raw); // the same cached string decodes to the same entry object
    if (e === undefined) {
      e = decodeEntry(raw);
      if (e === null) return null;
      if (this.decoded.size >= 1000) this.decoded.clear();
      this.decoded.set(raw, e);
    }
    return this.nowMs() - e.storedAtMs < this.freshMs ? e : null;
  }

  private readonly decoded = new Map<string, CacheEntry>();

  private readonly freshFirst = (raws: Array<string | null>): CacheEntry | null => this.freshEntry(raws[0] ?? null);

  /** Latest predictions of `symbols` at one horizon, in order; null where none exists. Throws 503 when a
   *  symbol is neither cached nor readable from the store. */
  async readLatest(symbols: readonly string[], horizonDays: number): Promise<Array<ServedEntry | null>> {
    const keys = symbols.map((s) => predictionKey(s, horizonDays));
    const cached = await this.cache.getMany(keys).catch(() => keys.map(() => null)); // one MGET: one snapshot
    const entries = cached.map(decodeEntry);
    const now = this.nowMs();
    const out: Array<ServedEntry | null> = entries.map((e) => (e && now - e.storedAtMs < this.freshMs ? { entry: e, storeUnreachable: false } : null));
    const missing = symbols.filter((_, i) => out[i] === null);
    if (missing.length === 0) return out;

    let rows: Prediction[];
    try {
      rows = await this.store.latestPredictions(missing, horizonDays);
    } catch (err) {
      const held = await this.withHeldLocally(keys, entries);
      if (held.every((e, i) => out[i] !== null || e !== null)) return held.map((e, i) => out[i] ?? { entry: e!, storeUnreachable: true });
      throw new ApiError(503, 'store_unavailable', 'The prediction store is unreachable and nothing is cached for this request; retry shortly.', { cause: err });
    }
    const bySymbol = new Map(rows.map((r) => [r.symbol, r]));
    const refill: Array<[string, string]> = [];
    symbols.forEach((symbol, i) => {
      if (out[i] !== null) return;
      const row = bySymbol.get(symbol);
      if (!row) return;
      const entry = toEntry(row, now);
      out[i] = { entry, storeUnreachable: false };
      refill.push([keys[i]!, encodeEntry(entry)]);
    });
    await this.cache.setMany(refill).catch(() => {}); // a cache write failure must not fail a read
    return out;
  }

  /** `entries` with each miss filled from what this process still holds (the cache's fallback), for when the store
   *  cannot be asked: a Redis that restarted empty lost keys the LRU beside it still has. */
  private async withHeldLocally(keys: readonly string[], entries: Array<CacheEntry | null>): Promise<Array<CacheEntry | null>> {
    if (!this.cache.getHeldLocally || entries.every((e) => e !== null)) return entries;
    const held = await this.cache.getHeldLocally(keys).catch(() => keys.map(() => null));
    return entries.map((e, i) => e ?? decodeEntry(held[i] ?? null));
  }

  /** Stores a validated batch (all or nothing), then rewrites the cache keys whose latest prediction changed
   *  (publishPredictions). Returns the number of rows written and exactly those keys. */
  publish(batch: Prediction[]): Promise<PublishResult> {
    return publishPredictions(this.store, this.cache, batch, this.nowMs);
  }
}
