// The store the serving layer reads and writes: predictions, models, assets, candles, evaluations and risk scores, with wire
// timestamps (ISO 8601). Node backs it with @coinsphere/data (DrizzleStore: PostgreSQL or PGlite); the Worker backs
// it with KV. Types only: no runtime imports (the record shapes are the data layer's, with ISO timestamps).
import type { EvaluationRecord as DataEvaluationRecord, GateDecisionView, ModelRecord as DataModelRecord } from '@coinsphere/data';
import type { Candle } from '@coinsphere/model/core';
import type { Asset, MonitoringSummary, Prediction, RiskAssessment, RiskInputs, TrackRecord } from './contract/index.ts';

/** A registered model version as the API serves it: the data layer's record with `createdAt` as ISO 8601.
 *  `location` is the artifact folder (a path on Node, a KV prefix on Workers). `servedFor` (the edge only, as
 *  publish --edge pushed it): the symbols the promotion gate serves it for. */
export type ModelRecord = Omit<DataModelRecord, 'createdAtMs'> & { createdAt: string; servedFor?: string[] };

/** A symbol with data: its candle range (`YYYY-MM-DD`, null when no candles) and the horizons that have a model. */
export type AssetSummary = Asset;

/** A stored walk-forward evaluation (`report` is the whole `coinsphere evaluate` result), `createdAt` as ISO 8601. */
export type EvaluationRecord = Omit<DataEvaluationRecord, 'createdAtMs'> & { createdAt: string };

/** One decision of the promotion gate (`decidedAt` as ISO 8601). */
export type GateDecisionRecord = Omit<GateDecisionView, 'decidedAtMs'> & { decidedAt: string };

/** Counts for /v1/health. */
export interface StoreStats {
  modelCount: number;
  newestPredictionAt: string | null; // ISO 8601
}

/** What the serving layer needs from a database. Every method may throw when the store is unreachable. */
export interface ServingStore {
  readonly kind: string;
  stats(): Promise<StoreStats>;
  /** Latest prediction (newest asOf, then newest createdAt) of each symbol at one horizon, read in one query. */
  latestPredictions(symbols: readonly string[], horizonDays: number): Promise<Prediction[]>;
  predictionHistory(symbol: string, horizonDays: number, fromDay: string, toDay: string): Promise<Prediction[]>;
  /** Writes the batch in one transaction (upsert on symbol+horizon+asOf+modelVersion): all or nothing. */
  savePredictions(batch: Prediction[]): Promise<void>;
  listAssets(): Promise<AssetSummary[]>;
  /**
   * Daily candles of one symbol, openTimeMs in [fromMs, toMs], oldest first, from `source` (without it: the
   * source with the longest history). Empty when the symbol or that source has none in the range.
   */
  dailyCandles(symbol: string, fromMs: number, toMs: number, source?: string): Promise<Candle[]>;
  /**
   * Hourly candles of one symbol, openTimeMs in [fromMs, toMs], oldest first, from `source` (without it: the source
   * with the longest hourly history, as `coinsphere predict` reads them). Empty when it has none in the range.
   */
  hourlyCandles(symbol: string, fromMs: number, toMs: number, source?: string): Promise<Candle[]>;
  /** The daily candles of each symbol in openTimeMs [fromMs, toMs] of its own range, from the source dailyCandles
   *  picks without one, by symbol (none: empty). Optional: a store that has it reads them in fewer queries than one
   *  dailyCandles per symbol (GET /v1/overview falls back to those). */
  dailyCandlesOfEach?(ranges: ReadonlyArray<{ symbol: string; fromMs: number; toMs: number }>): Promise<Map<string, Candle[]>>;
  /** The sources holding daily candles of `symbol`, by name (empty when none); null when the store cannot tell. */
  candleSources(symbol: string): Promise<string[] | null>;
  listModels(): Promise<ModelRecord[]>;
  /** The model served for `symbol` at `horizonDays` (the promotion gate's choice; a pooled model for an asset no
   *  model was promoted for), or null. */
  servedModel(symbol: string, horizonDays: number): Promise<ModelRecord | null>;
  /** The newest evaluation that covered `symbol` at `horizonDays`, or null. */
  latestEvaluation(symbol: string, horizonDays: number): Promise<EvaluationRecord | null>;
  /** The promotion gate's decisions for `symbol` at `horizonDays`, newest first; null when this store does not keep
   *  them (the edge: publish --edge pushes which model serves, not why). */
  gateDecisions(symbol: string, horizonDays: number): Promise<GateDecisionRecord[] | null>;
  /** The stored risk assessments of `symbol` on its newest `days` days (its newest stored day included), oldest
   *  first; empty when it has none. */
  riskHistory(symbol: string, days: number): Promise<RiskAssessment[]>;
  /** The risk model of the UTC day `day` and the series of `symbol` it read, or null when none is stored. */
  riskInputs(symbol: string, day: string): Promise<RiskInputs | null>;
  /** The live track record of `symbol` at `horizonDays`, one per model version that published there (computeTrackRecords),
   *  oldest first; empty when nothing was published. */
  trackRecord(symbol: string, horizonDays: number): Promise<TrackRecord[]>;
  /** The monitoring summary publish stored for `symbol` at `horizonDays` (model age and expiry, drift per feature, the
   *  newest prediction's out-of-distribution flag), or null before any publish stored one. */
  monitoringSummary(symbol: string, horizonDays: number): Promise<MonitoringSummary | null>;
}
