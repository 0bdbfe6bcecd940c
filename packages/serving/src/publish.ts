// Publishing a batch of predictions: write it to the store in one transaction, then rewrite exactly the
// serving-cache keys whose latest prediction changed, in one atomic setMany, so readers (every API process, and
// Redis's near caches through its invalidation channel) see the new batch at once. The API's POST /v1/predictions
// and `coinsphere publish` both call this. Runtime-neutral: must not import node:*.
import type { Prediction, PublishResult } from './contract/index.ts';
import { decodeEntry, encodeEntry, hashString, predictionKey, type CacheEntry, type CacheWriteReport, type ServingCache } from './serving-cache.ts';
import type { ServingStore } from './store.ts';

/** The monitoring fields in a fixed key order; absent (undefined, left out of the JSON) for a prediction without them. */
function monitoringEntry(m: Prediction['monitoring']): Prediction['monitoring'] {
  if (!m) return undefined;
  const ood = m.outOfDistribution && { flag: m.outOfDistribution.flag, distance: m.outOfDistribution.distance, threshold: m.outOfDistribution.threshold };
  return { outOfDistribution: ood, modelAgeDays: m.modelAgeDays, expiryDays: m.expiryDays, expiresAt: m.expiresAt, expired: m.expired };
}

/** The attributions in a fixed key order; absent for a prediction without them. */
function attributionsEntry(a: Prediction['attributions']): Prediction['attributions'] {
  if (!a) return undefined;
  const features = a.features.map((f) => ({ name: f.name, attribution: f.attribution, value: f.value }));
  return { method: a.method, class: a.class, baseline: a.baseline, steps: a.steps, probability: a.probability, baselineProbability: a.baselineProbability, completenessGap: a.completenessGap, features };
}

/** Serialises a prediction with a fixed key order, so equal predictions give equal bodies and ETags. */
export function toEntry(p: Prediction, storedAtMs: number): CacheEntry {
  const body = JSON.stringify({
    symbol: p.symbol,
    horizonDays: p.horizonDays,
    asOf: p.asOf,
    class: p.class,
    probabilities: { bearish: p.probabilities.bearish, neutral: p.probabilities.neutral, bullish: p.probabilities.bullish },
    confidence: p.confidence,
    modelVersion: p.modelVersion,
    placeholders: p.placeholders,
    signal: p.signal,
    band: p.band && { lowerReturn: p.band.lowerReturn, upperReturn: p.band.upperReturn, lowerPrice: p.band.lowerPrice, upperPrice: p.band.upperPrice, closeAtAsOf: p.band.closeAtAsOf },
    monitoring: monitoringEntry(p.monitoring),
    attributions: attributionsEntry(p.attributions),
    createdAt: p.createdAt,
  });
  return { storedAtMs, etag: `W/"${hashString(body)}"`, body };
}

/**
 * Stores a validated batch (all or nothing; PublishBatchSchema validates it), then rewrites the cache keys whose
 * latest prediction changed. Returns the number of rows written and exactly those keys, and `cacheNotWritten` when
 * the cache's configured backend did not take them (Redis down). Throws what the store or the cache throws; a failed
 * cache write leaves the stored batch, which readers get once their entries expire.
 */
export async function publishPredictions(store: ServingStore, cache: ServingCache, batch: Prediction[], nowMs: () => number = Date.now): Promise<PublishResult> {
  await store.savePredictions(batch);
  const byHorizon = new Map<number, Set<string>>();
  for (const p of batch) (byHorizon.get(p.horizonDays) ?? byHorizon.set(p.horizonDays, new Set()).get(p.horizonDays)!).add(p.symbol);
  const now = nowMs();
  const writes: Array<[string, string]> = [];
  for (const [horizonDays, symbolSet] of byHorizon) {
    const symbols = [...symbolSet];
    const keys = symbols.map((s) => predictionKey(s, horizonDays));
    const [latest, cached] = await Promise.all([
      store.latestPredictions(symbols, horizonDays),
      cache.getMany(keys).catch(() => keys.map(() => null)),
    ]);
    for (const row of latest) {
      const i = symbols.indexOf(row.symbol);
      const entry = toEntry(row, now);
      if (decodeEntry(cached[i] ?? null)?.etag !== entry.etag) writes.push([keys[i]!, encodeEntry(entry)]);
    }
  }
  const report = await cache.setMany(writes); // one MULTI on Redis: readers see all of it or none
  const result: PublishResult = { written: batch.length, changedKeys: writes.map(([k]) => k) };
  if (report) result.cacheNotWritten = { backend: report.notWrittenTo, message: notWrittenMessage(report, writes.length) };
  return result;
}

/** What a publish says when its cache writes missed the configured backend: what happened and what to do. */
function notWrittenMessage(report: CacheWriteReport, keys: number): string {
  return `The ${keys} changed cache keys were not written to ${report.notWrittenTo} (${report.reason}); the batch is stored, and cached reads show it once their entries expire (CACHE_FRESH_SECONDS). Check REDIS_URL and publish again once ${report.notWrittenTo} answers to refresh the cache at once.`;
}
