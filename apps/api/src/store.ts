// The API's view of its stores: the serving store (predictions, models, assets, candles, evaluations; declared in
// @coinsphere/serving, which Node backs with the database and the trainer's publish writes through), plus what
// only the API needs: artifact files to serve and the edge's admin writes. Types only: no runtime imports.
import type { Candle } from '@coinsphere/model/core';
import type { ModelRecord } from '@coinsphere/serving';
import type { AdminMonitoringBody, AdminRiskBody, AdminTrackRecordBody } from '@coinsphere/serving/contract';

export type { AssetSummary, EvaluationRecord, GateDecisionRecord, ModelRecord, ServingStore as ApiStore, StoreStats } from '@coinsphere/serving';

/** Reads artifact files of a model (model.json, metadata.json, weight files). Null when absent. */
export interface ArtifactSource {
  read(model: ModelRecord, file: string): Promise<Uint8Array | null>;
}

/** Which model an artifact file belongs to. */
export type ModelRef = Pick<ModelRecord, 'symbol' | 'horizonDays' | 'version'>;

/**
 * Writes of the edge's registry, artifacts and candles (the admin routes; publish --edge fills them). Only the
 * Worker's KV store has it: on Node the database is the registry and the trainer writes it.
 */
export interface EdgeRegistryWriter {
  putArtifactFile(model: ModelRef, file: string, bytes: Uint8Array): Promise<void>;
  /** Adds or replaces (same symbol, horizon and version) one registry entry. */
  registerModel(model: ModelRecord): Promise<void>;
  /** Replaces the daily (or hourly) candles of `symbol` (oldest first). */
  replaceCandles(symbol: string, candles: Candle[], interval?: '1d' | '1h'): Promise<void>;
  /** Replaces the risk assessments of `symbol` and its newest day's inputs. */
  replaceRisk(symbol: string, body: AdminRiskBody): Promise<void>;
  /** Replaces the live track records of `symbol` (every horizon's). */
  replaceTrackRecord(symbol: string, body: AdminTrackRecordBody): Promise<void>;
  /** Replaces the monitoring summaries of `symbol` (every horizon's). */
  replaceMonitoring(symbol: string, body: AdminMonitoringBody): Promise<void>;
}
