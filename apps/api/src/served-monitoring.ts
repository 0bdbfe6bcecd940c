// A stored prediction's `monitoring` as of the server's clock (issue #16): publish records the model's age and
// expiry as of publish, so a prediction served 200 days later would still say its model is fresh. Every served
// prediction (latest, several, history; Node's fast path and the Worker through the same app) has its age, expiry
// and `expired` recomputed here from the model's training time and the server's MODEL_EXPIRY_DAYS (modelAgeNow),
// beside the out-of-distribution flag publish computed. Runtime-neutral: must not import node:*.
import { modelAgeNow } from '@coinsphere/model/core';
import type { CacheEntry } from '@coinsphere/serving';
import type { Monitoring, Prediction } from '@coinsphere/serving/contract';

/** `monitoring` with its age and expiry as of `nowMs` under `expiryDays`; null or absent stays as it is. */
export function monitoringNow<M extends Monitoring | null | undefined>(m: M, nowMs: number, expiryDays: number): M {
  if (!m) return m;
  return { ...m, ...modelAgeNow(m, nowMs, expiryDays) };
}

/** `p` with monitoringNow applied (a history row, a store read). */
export function predictionNow<P extends Pick<Prediction, 'monitoring'>>(p: P, nowMs: number, expiryDays: number): P {
  return p.monitoring ? { ...p, monitoring: monitoringNow(p.monitoring, nowMs, expiryDays) } : p;
}

type Parsed = { prediction: Record<string, unknown>; monitoring: Monitoring } | null;
const parsedByEntry = new WeakMap<CacheEntry, Parsed>(); // entries are memoised by raw string: parsed once

function parsedOf(entry: CacheEntry): Parsed {
  let parsed = parsedByEntry.get(entry);
  if (parsed === undefined) {
    parsed = null;
    if (entry.body.includes('"expiresAt"')) {
      const prediction = JSON.parse(entry.body) as Record<string, unknown>;
      const m = prediction.monitoring as Monitoring | null | undefined;
      if (m && typeof m.expiresAt === 'string' && typeof m.expiryDays === 'number') parsed = { prediction, monitoring: m };
    }
    parsedByEntry.set(entry, parsed);
  }
  return parsed;
}

/** When the model behind `entry` expires under `expiryDays` (epoch ms); Infinity when the entry records no age. */
export function entryExpiresMs(entry: CacheEntry, expiryDays: number): number {
  const p = parsedOf(entry);
  return p ? Date.parse(modelAgeNow(p.monitoring, 0, expiryDays).expiresAt) : Infinity;
}

/**
 * The entry's body with its monitoring as of `nowMs`, and the suffix its ETag takes when that differs from what
 * was stored (a client holding the publish-time body must not get a 304 for it). The body is the stored one,
 * untouched, when the entry has no monitoring or nothing changed.
 */
export function entryBodyNow(entry: CacheEntry, nowMs: number, expiryDays: number): { body: string; etagSuffix: string } {
  const p = parsedOf(entry);
  if (!p) return { body: entry.body, etagSuffix: '' };
  const now = monitoringNow(p.monitoring, nowMs, expiryDays);
  const was = p.monitoring;
  if (now.modelAgeDays === was.modelAgeDays && now.expiryDays === was.expiryDays && now.expired === was.expired && now.expiresAt === was.expiresAt) return { body: entry.body, etagSuffix: '' };
  return { body: JSON.stringify({ ...p.prediction, monitoring: now }), etagSuffix: `-age${now.modelAgeDays}d${now.expiryDays}${now.expired ? 'x' : ''}` };
}
