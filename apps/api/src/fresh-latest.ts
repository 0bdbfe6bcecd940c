// The hottest read, answered without Hono's Request/Response objects: a fresh cached latest prediction for
// `/v1/predictions/<SYMBOL>[?horizon=N]`, as plain status, headers and body. Returns null for anything else
// (other parameters, an Origin needing CORS, a miss, an async cache, a rate-limited client) so the caller falls
// through to the validated Hono route, which answers those, errors included. Runtime-neutral: no node:*.
import type { CacheEntry } from '@coinsphere/serving';
import type { PredictionsService } from './predictions-service.ts';
import { servedResponse } from './predictions-service.ts';
import { entryExpiresMs } from './served-monitoring.ts';
import type { RateLimiter } from './rate-limit.ts';
import { etagMatches } from './routes/http.ts';
import { HORIZON_MAX_DAYS, HORIZON_MIN_DAYS, SYMBOL_PATTERN } from '@coinsphere/serving/contract';
import { utcDayStart } from '@coinsphere/model/core';

/** A ready answer: status, headers and body (null for 304). */
export interface FreshAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  body: string | null;
}

/** Answers `GET <url>` from a fresh cache entry, or null to defer to the app. Synchronous on the LRU; a
 *  promise on Redis or KV. */
export type AnswerFresh = (url: string, ifNoneMatch: string | undefined, origin: string | undefined, clientId: string) => FreshAnswer | null | Promise<FreshAnswer | null>;

const PREFIX = '/v1/predictions/';

/** Parses `/v1/predictions/<symbol>[?horizon=N]` (path only, or a full URL) into symbol and horizon, or null. */
export function parseLatestPath(url: string): { symbol: string; horizonDays: number } | null {
  const start = url.indexOf(PREFIX, url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2));
  if (start < 0) return null;
  const q = url.indexOf('?', start);
  const symbol = url.slice(start + PREFIX.length, q < 0 ? undefined : q);
  if (!SYMBOL_PATTERN.test(symbol)) return null;
  const query = q < 0 ? '' : url.slice(q + 1);
  const horizonDays = query === '' ? 7 : /^horizon=\d{1,3}$/.test(query) ? Number(query.slice(8)) : NaN;
  if (!(horizonDays >= HORIZON_MIN_DAYS && horizonDays <= HORIZON_MAX_DAYS)) return null;
  return { symbol: symbol.toUpperCase(), horizonDays };
}

/** The 200 or 304 answer for a fresh entry at `nowMs` (whose data may still be old: then it says stale; whose model
 *  may have expired since publish: then it says so, under `expiryDays`). The 200 answer is built once per entry, UTC
 *  day and side of the model's expiry (staleness and the model's age depend only on the day: dataFreshness,
 *  modelAge), so the hot path neither formats days nor re-checks the rules per request. */
export function freshAnswer(entry: CacheEntry, ifNoneMatch: string | undefined, cacheControl: string, nowMs: number, expiryDays: number): FreshAnswer {
  const day = utcDayStart(nowMs); // the day dataFreshness and modelAge judge by
  let built = ok200.get(entry);
  if (!built || built.day !== day || built.expiryDays !== expiryDays || (nowMs >= built.expiresMs) !== built.expired) {
    const { body, etag } = servedResponse({ entry, storeUnreachable: false }, nowMs, expiryDays);
    const expiresMs = entryExpiresMs(entry, expiryDays);
    built = { day, expiryDays, expiresMs, expired: nowMs >= expiresMs, answer: { status: 200, headers: { etag, 'cache-control': cacheControl, vary: 'Origin', 'content-type': 'application/json; charset=utf-8' }, body } };
    ok200.set(entry, built);
  }
  const { etag } = built.answer.headers;
  if (etagMatches(ifNoneMatch, etag!)) return { status: 304, headers: { etag: etag!, 'cache-control': cacheControl, vary: 'Origin' }, body: null };
  return built.answer;
}
const ok200 = new WeakMap<CacheEntry, { day: number; expiryDays: number; expiresMs: number; expired: boolean; answer: FreshAnswer }>(); // entries are memoised by PredictionsService.readFresh

/** Builds the synchronous answerer over the app's service, limiter and CORS setting. */
export function createAnswerFresh(predictions: PredictionsService, limiter: RateLimiter | null, corsOn: boolean, cacheControl: string, nowMs: () => number, expiryDays: number): AnswerFresh {
  const finish = (entry: CacheEntry | null, ifNoneMatch: string | undefined, clientId: string): FreshAnswer | null => {
    if (entry === null) return null;
    if (limiter && limiter.take(clientId, 'read') !== true) return null; // async or refused: the app answers (429)
    return freshAnswer(entry, ifNoneMatch, cacheControl, nowMs(), expiryDays);
  };
  // Clients repeat the same few URLs: remember each URL's parse (bounded), so the hot path skips the regexes.
  const parsed = new Map<string, { symbol: string; horizonDays: number } | null>();
  return (url, ifNoneMatch, origin, clientId) => {
    if (corsOn && origin !== undefined) return null; // let the CORS middleware decide
    let target = parsed.get(url);
    if (target === undefined) {
      target = parseLatestPath(url);
      if (parsed.size >= 1024) parsed.clear();
      parsed.set(url, target);
    }
    if (!target) return null;
    const entry = predictions.readFresh(target.symbol, target.horizonDays);
    if (entry instanceof Promise) return entry.then((e) => finish(e, ifNoneMatch, clientId));
    return finish(entry, ifNoneMatch, clientId);
  };
}
