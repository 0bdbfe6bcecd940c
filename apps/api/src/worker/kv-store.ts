// ApiStore over Workers KV: the edge has no database, so publish writes each (symbol, horizon)'s latest
// prediction and history under `db:` keys, and the registry, assets and candles are whatever was pushed there.
// Runtime-neutral: Web Standards only.
import type { Candle } from '@coinsphere/model/core';
import type { AdminMonitoringBody, AdminRiskBody, AdminTrackRecordBody, MonitoringSummary, Prediction, RiskAssessment, RiskInputs, TrackRecord } from '@coinsphere/serving/contract';
import type { ApiStore, ArtifactSource, AssetSummary, EdgeRegistryWriter, EvaluationRecord, GateDecisionRecord, ModelRecord, ModelRef, StoreStats } from '../store.ts';
import { TrackRecordMemo } from '@coinsphere/serving';
import { listKeys, type KvNamespace } from './kv.ts';

const HISTORY_CAP = 2000; // predictions kept per (symbol, horizon) on the edge
const latestKey = (s: string, h: number) => `db:latest:${s}:${h}`;
const historyKey = (s: string, h: number) => `db:hist:${s}:${h}`;
const candlesKey = (s: string) => `db:candles:${s}`;
const hourlyKey = (s: string) => `db:hourly:${s}`;
const RANGES_KEY = 'db:candle-ranges'; // { [symbol]: { firstDay, lastDay } }, so /v1/assets reads one key
const MODELS_KEY = 'db:models';
const riskKey = (s: string) => `db:risk:${s}`; // AdminRiskBody: the stored days and the newest day's inputs
const trackRecordKey = (s: string) => `db:track-record:${s}`; // AdminTrackRecordBody: every horizon's live records
const monitoringKey = (s: string) => `db:monitoring:${s}`; // AdminMonitoringBody: every horizon's summary
const artifactKey = (m: ModelRef, file: string) => `artifact:${m.symbol}:${m.horizonDays}:${m.version}:${file}`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function readJson<T>(kv: KvNamespace, key: string, fallback: T): Promise<T> {
  const raw = await kv.get(key, 'text');
  return raw === null ? fallback : (JSON.parse(raw) as T);
}

const newer = (a: Prediction, b: Prediction) => a.asOf > b.asOf || (a.asOf === b.asOf && a.createdAt >= b.createdAt);

/** The KV-backed store of the Worker. */
export class KvStore implements ApiStore, ArtifactSource, EdgeRegistryWriter {
  readonly kind = 'kv';
  constructor(private readonly kv: KvNamespace) {}

  async stats(): Promise<StoreStats> {
    const [models, newest] = await Promise.all([this.listModels(), this.kv.get('db:newest', 'text')]);
    return { modelCount: models.length, newestPredictionAt: newest };
  }

  async latestPredictions(symbols: readonly string[], horizonDays: number): Promise<Prediction[]> {
    const rows = await Promise.all(symbols.map((s) => readJson<Prediction | null>(this.kv, latestKey(s, horizonDays), null)));
    return rows.filter((r) => r !== null);
  }

  async predictionHistory(symbol: string, horizonDays: number, fromDay: string, toDay: string): Promise<Prediction[]> {
    const rows = await readJson<Prediction[]>(this.kv, historyKey(symbol, horizonDays), []);
    return rows.filter((p) => p.asOf >= fromDay && p.asOf <= toDay);
  }

  async savePredictions(batch: Prediction[]): Promise<void> {
    const groups = new Map<string, Prediction[]>();
    for (const p of batch) groups.set(`${p.symbol}:${p.horizonDays}`, [...(groups.get(`${p.symbol}:${p.horizonDays}`) ?? []), p]);
    let newest = (await this.kv.get('db:newest', 'text')) ?? '';
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const { symbol, horizonDays } = group[0]!;
        const history = await readJson<Prediction[]>(this.kv, historyKey(symbol, horizonDays), []);
        const same = (a: Prediction, b: Prediction) => a.asOf === b.asOf && a.modelVersion === b.modelVersion;
        const merged = [...history.filter((h) => !group.some((p) => same(p, h))), ...group]
          .sort((a, b) => a.asOf.localeCompare(b.asOf) || a.createdAt.localeCompare(b.createdAt))
          .slice(-HISTORY_CAP);
        const latest = merged.reduce((best, p) => (newer(p, best) ? p : best));
        await this.kv.put(historyKey(symbol, horizonDays), JSON.stringify(merged));
        await this.kv.put(latestKey(symbol, horizonDays), JSON.stringify(latest));
      }),
    );
    for (const p of batch) if (p.createdAt > newest) newest = p.createdAt;
    await this.kv.put('db:newest', newest);
  }

  async listAssets(): Promise<AssetSummary[]> {
    const [keys, ranges, models] = await Promise.all([listKeys(this.kv, 'db:latest:'), readJson<Record<string, { firstDay: string; lastDay: string }>>(this.kv, RANGES_KEY, {}), this.listModels()]);
    const bySymbol = new Map<string, AssetSummary>();
    const add = (symbol: string, h: number | null) => {
      const a = bySymbol.get(symbol) ?? { symbol, firstDay: ranges[symbol]?.firstDay ?? null, lastDay: ranges[symbol]?.lastDay ?? null, horizons: [] };
      if (h !== null && !a.horizons.includes(h)) a.horizons.push(h);
      bySymbol.set(symbol, a);
    };
    for (const symbol of Object.keys(ranges)) add(symbol, null);
    const pooledHorizons = models.filter((m) => m.scope === 'pooled' && (m.servedFor?.length ?? 0) > 0).map((m) => m.horizonDays);
    for (const m of models) for (const s of m.servedFor ?? (m.scope === 'pooled' ? [] : [m.symbol])) add(s, m.horizonDays);
    for (const symbol of Object.keys(ranges)) for (const h of pooledHorizons) add(symbol, h);
    for (const k of keys) {
      const [, , symbol = '', h = '0'] = k.split(':');
      add(symbol, Number(h));
    }
    return [...bySymbol.values()].map((a) => ({ ...a, horizons: a.horizons.sort((x, y) => x - y) })).sort((x, y) => x.symbol.localeCompare(y.symbol));
  }

  /** `source` is ignored: the edge holds one series per symbol, the one publish --edge pushed. */
  async dailyCandles(symbol: string, fromMs: number, toMs: number, _source?: string): Promise<Candle[]> {
    const rows = await readJson<Candle[]>(this.kv, candlesKey(symbol), []);
    return rows.filter((k) => k.openTimeMs >= fromMs && k.openTimeMs <= toMs);
  }

  /** The hourly candles publish --edge pushed for a model that reads change_1h (`source` ignored, as for daily). */
  async hourlyCandles(symbol: string, fromMs: number, toMs: number, _source?: string): Promise<Candle[]> {
    const rows = await readJson<Candle[]>(this.kv, hourlyKey(symbol), []);
    return rows.filter((k) => k.openTimeMs >= fromMs && k.openTimeMs <= toMs);
  }

  /** null: the edge does not record which source its candles came from. */
  async candleSources(_symbol: string): Promise<string[] | null> {
    return null;
  }

  listModels(): Promise<ModelRecord[]> {
    return readJson<ModelRecord[]>(this.kv, MODELS_KEY, []);
  }

  /** As publish --edge pushed the gate's choice: the newest model serving the symbol, else the newest pooled model
   *  serving anything at the horizon, else (a registry from before the gate) the symbol's newest model. */
  async servedModel(symbol: string, horizonDays: number): Promise<ModelRecord | null> {
    const newest = (ms: ModelRecord[]) => ms.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.version.localeCompare(a.version))[0] ?? null;
    const atH = (await this.listModels()).filter((m) => m.horizonDays === horizonDays);
    return (
      newest(atH.filter((m) => m.servedFor?.includes(symbol))) ??
      newest(atH.filter((m) => m.scope === 'pooled' && (m.servedFor?.length ?? 0) > 0)) ??
      newest(atH.filter((m) => m.symbol === symbol && m.servedFor === undefined))
    );
  }

  /** Evaluations are not pushed to the edge (publish --edge sends models, candles and predictions). */
  async latestEvaluation(_symbol: string, _horizonDays: number): Promise<EvaluationRecord | null> {
    return null;
  }

  /** Gate decisions are not pushed to the edge: it knows which model serves (servedFor), not why. */
  async gateDecisions(_symbol: string, _horizonDays: number): Promise<GateDecisionRecord[] | null> {
    return null;
  }

  /** The assessments publish --edge pushed for `symbol`: those of its newest `days` days. */
  async riskHistory(symbol: string, days: number): Promise<RiskAssessment[]> {
    const { history } = await readJson<AdminRiskBody>(this.kv, riskKey(symbol), { history: [], inputs: null });
    const newest = history.at(-1);
    if (!newest) return [];
    const from = day(Date.parse(`${newest.day}T00:00:00Z`) - (Math.max(1, Math.floor(days)) - 1) * 86_400_000);
    return history.filter((a) => a.day >= from);
  }

  /** The inputs publish --edge pushed with `symbol`'s newest day, when they are of `dayIso`. */
  async riskInputs(symbol: string, dayIso: string): Promise<RiskInputs | null> {
    const { inputs } = await readJson<AdminRiskBody>(this.kv, riskKey(symbol), { history: [], inputs: null });
    return inputs && day(inputs.model.dayMs) === dayIso ? inputs : null;
  }

  async replaceRisk(symbol: string, body: AdminRiskBody): Promise<void> {
    await this.kv.put(riskKey(symbol), JSON.stringify(body));
  }

  /** The records publish --edge pushed for `symbol` (computed there by computeTrackRecords), those of `horizonDays`;
   *  parsed once per stored body (the body is the memo's version: a push changes it). */
  async trackRecord(symbol: string, horizonDays: number): Promise<TrackRecord[]> {
    const raw = await this.kv.get(trackRecordKey(symbol), 'text');
    if (raw === null) return [];
    return this.trackRecords.get(symbol, horizonDays, raw, async () => (JSON.parse(raw) as AdminTrackRecordBody).records.filter((r) => r.horizonDays === horizonDays));
  }

  private readonly trackRecords = new TrackRecordMemo(64);

  async replaceTrackRecord(symbol: string, body: AdminTrackRecordBody): Promise<void> {
    await this.kv.put(trackRecordKey(symbol), JSON.stringify(body));
  }

  /** The summary publish --edge pushed for `symbol` at `horizonDays` (computed there), or null. */
  async monitoringSummary(symbol: string, horizonDays: number): Promise<MonitoringSummary | null> {
    const { summaries } = await readJson<AdminMonitoringBody>(this.kv, monitoringKey(symbol), { summaries: [] });
    return summaries.find((m) => m.horizonDays === horizonDays) ?? null;
  }

  async replaceMonitoring(symbol: string, body: AdminMonitoringBody): Promise<void> {
    await this.kv.put(monitoringKey(symbol), JSON.stringify(body));
  }

  async read(model: ModelRecord, file: string): Promise<Uint8Array | null> {
    const bytes = await this.kv.get(artifactKey(model, file), 'arrayBuffer');
    return bytes === null ? null : new Uint8Array(bytes);
  }

  async putArtifactFile(model: ModelRef, file: string, bytes: Uint8Array): Promise<void> {
    await this.kv.put(artifactKey(model, file), bytes);
  }

  /** Read-modify-write of one key: publishers must not register concurrently (publish --edge is sequential). */
  async registerModel(model: ModelRecord): Promise<void> {
    const models = (await this.listModels()).filter((m) => !(m.symbol === model.symbol && m.horizonDays === model.horizonDays && m.version === model.version));
    await this.kv.put(MODELS_KEY, JSON.stringify([...models, model]));
  }

  async replaceCandles(symbol: string, candles: Candle[], interval: '1d' | '1h' = '1d'): Promise<void> {
    if (interval === '1h') return this.kv.put(hourlyKey(symbol), JSON.stringify(candles));
    await this.kv.put(candlesKey(symbol), JSON.stringify(candles));
    const ranges = await readJson<Record<string, { firstDay: string; lastDay: string }>>(this.kv, RANGES_KEY, {});
    if (candles.length === 0) delete ranges[symbol];
    else ranges[symbol] = { firstDay: day(candles[0]!.openTimeMs), lastDay: day(candles.at(-1)!.openTimeMs) };
    await this.kv.put(RANGES_KEY, JSON.stringify(ranges));
  }
}
