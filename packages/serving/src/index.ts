// @coinsphere/serving: the layer between the data and whoever serves or publishes predictions. The store
// interface the API reads and publish writes through, the serving cache (its key and entry format, the in-process
// LRU, the fallback wrapper), publishing a batch and the serving settings. Runtime-neutral: must not import
// node:* (the database store and Redis are in ./node). The wire schemas are in ./contract.
export type { AssetSummary, EvaluationRecord, GateDecisionRecord, ModelRecord, ServingStore, StoreStats } from './store.ts';
export { decodeEntry, encodeEntry, hashString, predictionKey, type CacheEntry, type CacheHealth, type CacheWriteReport, type ServingCache } from './serving-cache.ts';
export { MemoryCache } from './memory-cache.ts';
export { FallbackCache, type FallbackCacheOptions } from './fallback-cache.ts';
export { publishPredictions, toEntry } from './publish.ts';
export { parseServingEnv, servingEnvOf, SERVING_ENV_SHAPE, type ServingEnv } from './env.ts';
export { addDays, modelSourceFor, realisedOutcome, thresholdsFromMetadata, thresholdsOf, type RealisedOutcome, type ReturnThresholds } from './outcome.ts';
export { computeTrackRecords, TRACK_WINDOW_DAYS, type TrackRecordRow } from './track-record.ts';
export { TrackRecordMemo } from './track-record-memo.ts';
export { baselineCalls } from './baseline-calls.ts';
