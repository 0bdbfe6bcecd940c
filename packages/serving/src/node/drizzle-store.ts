// The serving store over @coinsphere/data: PostgreSQL or PGlite through its queries, with the wire's ISO
// timestamps. Used by the API's Node entry and by the trainer's publish; never by the Worker or the browser.
import {
  countModels,
  dailyCandleRanges,
  dailyCandleSources,
  gateDecisions,
  latestEvaluation,
  latestPredictions,
  listMonitoringSummaries,
  readMonitoringSummary,
  listModels,
  predictionHistory,
  predictionStats,
  pickSources,
  readCandles,
  riskModelFor,
  riskScoreHistory,
  savePredictions,
  trackedPredictions,
  trackRecordVersion,
  servedHorizons,
  servedModel,
  DataError,
  type Database,
  type ModelRecord as DataModelRecord,
  type PredictionRecord,
  type RiskScoreRecord,
} from '@coinsphere/data';
import type { Candle } from '@coinsphere/model/core';
import { MonitoringSummarySchema, type MonitoringSummary, type Prediction, type RiskAssessment, type RiskInputs, type TrackRecord } from '../contract/index.ts';
import { computeTrackRecords } from '../track-record.ts';
import { TrackRecordMemo } from '../track-record-memo.ts';
import type { AssetSummary, EvaluationRecord, GateDecisionRecord, ModelRecord, ServingStore, StoreStats } from '../store.ts';

const toPrediction = (r: PredictionRecord): Prediction => ({
  symbol: r.symbol,
  horizonDays: r.horizonDays,
  asOf: r.asOf,
  class: r.class,
  probabilities: r.probabilities,
  confidence: r.confidence,
  modelVersion: r.modelVersion,
  placeholders: r.placeholders,
  signal: r.signal,
  band: r.band,
  ...(r.monitoring ? { monitoring: r.monitoring } : {}), // absent for rows published before it was recorded
  ...(r.attributions ? { attributions: r.attributions } : {}),
  createdAt: new Date(r.createdAtMs).toISOString(),
});

const toRiskAssessment = (r: RiskScoreRecord): RiskAssessment => ({
  symbol: r.symbol,
  day: r.day,
  // the table's check keeps a score and a reason from standing together
  score: r.score !== null ? { ok: true, value: r.score } : { ok: false, reason: r.reason!, detail: r.reasonMessage ?? '' },
  components: r.components,
  methodVersion: r.methodVersion,
  createdAt: new Date(r.createdAtMs).toISOString(),
});

const toModel = (m: DataModelRecord): ModelRecord => {
  const { createdAtMs, ...rest } = m;
  return { ...rest, createdAt: new Date(createdAtMs).toISOString() };
};

const day = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));

/** The store of an open Database. */
export class DrizzleStore implements ServingStore {
  readonly kind: string;

  constructor(private readonly db: Database) {
    this.kind = db.kind;
  }

  async stats(): Promise<StoreStats> {
    const [modelCount, preds] = await Promise.all([countModels(this.db.orm), predictionStats(this.db.orm)]);
    return { modelCount, newestPredictionAt: preds.newestCreatedAtMs === null ? null : new Date(preds.newestCreatedAtMs).toISOString() };
  }

  async latestPredictions(symbols: readonly string[], horizonDays: number): Promise<Prediction[]> {
    return (await latestPredictions(this.db.orm, symbols, horizonDays)).map(toPrediction);
  }

  async predictionHistory(symbol: string, horizonDays: number, fromDay: string, toDay: string): Promise<Prediction[]> {
    return (await predictionHistory(this.db.orm, symbol, horizonDays, fromDay, toDay)).map(toPrediction);
  }

  async savePredictions(batch: Prediction[]): Promise<void> {
    await savePredictions(this.db, batch.map((p) => ({ ...p, createdAtMs: Date.parse(p.createdAt) })));
  }

  async listAssets(): Promise<AssetSummary[]> {
    const ranges = await dailyCandleRanges(this.db.orm);
    const served = await servedHorizons(this.db.orm, ranges.map((r) => r.symbol));
    return ranges
      .map((r) => ({ symbol: r.symbol, firstDay: day(r.firstMs), lastDay: day(r.lastMs), horizons: served.get(r.symbol) ?? [] }))
      .sort((x, y) => x.symbol.localeCompare(y.symbol));
  }

  dailyCandles(symbol: string, fromMs: number, toMs: number, source?: string) {
    return this.candlesOf(symbol, '1d', fromMs, toMs, source);
  }

  /** One grouped query picks every symbol's source (pickSources), then one indexed read per symbol. */
  async dailyCandlesOfEach(ranges: ReadonlyArray<{ symbol: string; fromMs: number; toMs: number }>): Promise<Map<string, Candle[]>> {
    const sources = await pickSources(this.db, '1d');
    const read = await Promise.all(ranges.map(async (r) => [r.symbol, sources.has(r.symbol) ? await this.candlesOf(r.symbol, '1d', r.fromMs, r.toMs, sources.get(r.symbol)) : []] as const));
    return new Map(read);
  }

  hourlyCandles(symbol: string, fromMs: number, toMs: number, source?: string) {
    return this.candlesOf(symbol, '1h', fromMs, toMs, source);
  }

  private async candlesOf(symbol: string, interval: '1d' | '1h', fromMs: number, toMs: number, source?: string) {
    try {
      return (await readCandles(this.db, { symbol, interval, fromMs, toMs, source })).candles;
    } catch (err) {
      if (err instanceof DataError && err.kind === 'not-found') return [];
      throw err;
    }
  }

  candleSources(symbol: string): Promise<string[]> {
    return dailyCandleSources(this.db.orm, symbol);
  }

  async listModels(): Promise<ModelRecord[]> {
    return (await listModels(this.db.orm)).map(toModel);
  }

  async servedModel(symbol: string, horizonDays: number): Promise<ModelRecord | null> {
    const m = await servedModel(this.db.orm, symbol, horizonDays);
    return m && toModel(m);
  }

  async latestEvaluation(symbol: string, horizonDays: number): Promise<EvaluationRecord | null> {
    const e = await latestEvaluation(this.db.orm, symbol, horizonDays);
    if (!e) return null;
    const { createdAtMs, ...rest } = e;
    return { ...rest, createdAt: new Date(createdAtMs).toISOString() };
  }

  async gateDecisions(symbol: string, horizonDays: number): Promise<GateDecisionRecord[]> {
    return (await gateDecisions(this.db.orm, symbol, horizonDays)).map(({ decidedAtMs, ...d }) => ({ ...d, decidedAt: new Date(decidedAtMs).toISOString() }));
  }

  async riskHistory(symbol: string, days: number): Promise<RiskAssessment[]> {
    return (await riskScoreHistory(this.db.orm, symbol, days)).map(toRiskAssessment);
  }

  async riskInputs(symbol: string, day: string): Promise<RiskInputs | null> {
    const found = await riskModelFor(this.db.orm, symbol, day);
    return found && { model: found.model, candles: { source: found.source, firstDay: found.firstDay } };
  }

  /** The live records (computeTrackRecords), computed again only when trackRecordVersion says a prediction, outcome
   *  or baseline of (symbol, horizon) was written since: by this process or any other (publish, `coinsphere outcomes`). */
  async trackRecord(symbol: string, horizonDays: number): Promise<TrackRecord[]> {
    const version = await trackRecordVersion(this.db.orm, symbol, horizonDays);
    return this.trackRecords.get(symbol, horizonDays, version, async () => {
      const rows = await trackedPredictions(this.db.orm, symbol, horizonDays);
      return computeTrackRecords(
        symbol,
        horizonDays,
        rows.map((r) => ({ asOf: r.prediction.asOf, modelVersion: r.prediction.modelVersion, probabilities: r.prediction.probabilities, realisedClass: r.outcome?.realisedClass ?? null, baselines: r.baselines })),
      );
    });
  }

  private readonly trackRecords = new TrackRecordMemo();

  /** The stored summary, parsed with the wire schema (a row that no longer parses is refused, not served). */
  async monitoringSummary(symbol: string, horizonDays: number): Promise<MonitoringSummary | null> {
    const row = await readMonitoringSummary(this.db.orm, symbol, horizonDays);
    return row && MonitoringSummarySchema.parse(row.summary);
  }

  /** Every stored summary (by symbol, then horizon), for the Node server's drift gauges. */
  async monitoringSummaries(): Promise<MonitoringSummary[]> {
    return (await listMonitoringSummaries(this.db.orm)).map((r) => MonitoringSummarySchema.parse(r.summary));
  }
}
