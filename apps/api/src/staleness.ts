// Whether a served prediction is stale, and why, decided at serve time from the server's clock: its data (the
// `asOf` day it was computed from) are older than @coinsphere/model's freshness rule allows, and/or it came from
// the cache while the store was unreachable. Every prediction payload (latest, several, history, POST /v1/predict,
// on Node and Workers) carries `stale` and `staleReasons` from here. Runtime-neutral: must not import node:*.
import { dataFreshness } from '@coinsphere/model/core';
import type { StaleReason } from '@coinsphere/serving/contract';

/** Why a prediction made from data as of `asOf` (YYYY-MM-DD) is stale at `nowMs`; empty when it is not. */
export function staleReasons(asOf: string, nowMs: number, storeUnreachable = false): StaleReason[] {
  const reasons: StaleReason[] = [];
  if (dataFreshness(asOf, nowMs).stale) reasons.push('data_old');
  if (storeUnreachable) reasons.push('store_unreachable');
  return reasons;
}

/** The payload fields, `{ stale, staleReasons }`. */
export function staleness(reasons: readonly StaleReason[]): { stale: boolean; staleReasons: StaleReason[] } {
  return { stale: reasons.length > 0, staleReasons: [...reasons] };
}

/** `,"stale":…,"staleReasons":[…]}` appended to a JSON object body (which must end with `}`). */
export function withStaleness(body: string, reasons: readonly StaleReason[]): string {
  return `${body.slice(0, -1)},"stale":${reasons.length > 0},"staleReasons":${JSON.stringify(reasons)}}`;
}

/** The ETag of a body served with `reasons`: a stale answer never shares an ETag (and so a 304) with a fresh one. */
export function staleEtag(etag: string, reasons: readonly StaleReason[]): string {
  return reasons.length === 0 ? etag : `${etag.slice(0, -1)}-${reasons.join('-')}"`;
}
