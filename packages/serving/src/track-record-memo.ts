// A per-process memo of live track records (issue #16): computing one runs the bootstrap over every resolved
// prediction of an asset and horizon, and GET /v1/track-record asked for it on every request. A store keeps each
// (symbol, horizon)'s records under a version token it reads cheaply (the database's counts and newest write times
// of predictions, outcomes and baselines; the Worker's stored body) and computes again only when the token changed,
// so a new outcome or prediction is in the next answer and nothing else is recomputed. Pure; must not import node:*.
import type { TrackRecord } from './contract/index.ts';

/** Records by (symbol, horizon) and version token; the same token gives the same array object. */
export class TrackRecordMemo {
  private readonly entries = new Map<string, { version: string; records: Promise<TrackRecord[]> }>();

  /** @param maxEntries (symbol, horizon) pairs kept; the memo is emptied when a new one would pass it. */
  constructor(private readonly maxEntries = 512) {}

  /** The records of (symbol, horizon) at `version`: the memoised ones while the version holds, else `compute()`'s
   *  (a failed computation is not kept). */
  get(symbol: string, horizonDays: number, version: string, compute: () => Promise<TrackRecord[]>): Promise<TrackRecord[]> {
    const key = `${symbol} ${horizonDays}`;
    const hit = this.entries.get(key);
    if (hit?.version === version) return hit.records;
    if (!hit && this.entries.size >= this.maxEntries) this.entries.clear();
    const records = compute();
    this.entries.set(key, { version, records });
    records.catch(() => {
      if (this.entries.get(key)?.records === records) this.entries.delete(key);
    });
    return records;
  }
}
