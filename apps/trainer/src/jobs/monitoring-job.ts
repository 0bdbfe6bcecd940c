// The monitoring computation (issue #16), once: for every served model (servedModel of each asset and horizon) its
// age and expiry, and for each asset it serves the drift (PSI per feature) of the asset's newest inputs against the
// model's training distribution, the out-of-distribution flag of its newest published prediction and the live track
// record. `coinsphere monitor` prints it; publish stores it per asset and horizon as the wire MonitoringSummary
// (GET /v1/monitoring/{symbol}) and pushes it to the edge. Reads metadata only, never weights. Must not import a
// command.
import { latestPredictions, listModels, listSeries, readModelInputs, saveMonitoringSummaries, servedModel, type Database, type ModelRecord } from '@coinsphere/data';
import { DRIFT_RECENT_DAYS, modelAge, PSI_DRIFT, PSI_WATCH, recentFeatureDrift, type FeatureDrift, type ModelAge, type OutOfDistribution } from '@coinsphere/model/core';
import { DrizzleStore } from '@coinsphere/serving/node';
import { MonitoringSummarySchema, type MonitoringSummary, type TrackRecord } from '@coinsphere/serving/contract';
import { readRegisteredMetadata } from '../artifact-files.ts';

/** One asset a model serves. */
export interface MonitoredAsset {
  symbol: string;
  /** PSI per feature over the newest `nRows` days, against the asset's own training rows ('asset') or, for an
   *  asset the model never trained on, all of them ('all'); null with `driftNote` when it could not be computed. */
  drift: { nRows: number; reference: 'asset' | 'all'; features: FeatureDrift[] } | null;
  driftNote?: string;
  /** Features at level 'drift' (PSI above PSI_DRIFT and above the training stretches' 95th percentile). */
  drifting: string[];
  /** The newest published prediction of this model for the asset, with its flag (null: none published, or
   *  published before the flag was recorded). */
  newestPrediction: { asOf: string; outOfDistribution: OutOfDistribution | null } | null;
  /** This model's live track record for the asset since it went live (computeTrackRecords, as GET /v1/track-record
   *  serves it): resolved predictions and accuracy beside the baselines on the same days; null before any resolved. */
  live: { resolved: number; pending: number; accuracy: number; baselines: Record<string, number> } | null;
}

/** One served model. */
export interface MonitoredModel extends ModelAge {
  symbol: string;
  horizonDays: number;
  version: string;
  createdAt: string;
  /** False for an artifact trained before the training distribution was recorded (no drift, no flag). */
  trainingDistribution: boolean;
  assets: MonitoredAsset[];
}

/** What `monitor --json` prints. */
export interface MonitorReport {
  checkedAt: string;
  expiryDays: number;
  recentDays: number;
  thresholds: { watch: number; drift: number };
  models: MonitoredModel[];
  /** One line per problem: an expired model, an asset with drifted features. Non-empty = exit MONITOR_ALERT_EXIT. */
  alerts: string[];
}

/** The served models, each with the assets it serves (as publish groups them). */
async function servedModels(db: Database): Promise<Array<{ record: ModelRecord; symbols: string[] }>> {
  const symbols = [...new Set((await listSeries(db)).filter((s) => s.interval === '1d').map((s) => s.symbol))].sort();
  const horizons = [...new Set((await listModels(db.orm)).map((m) => m.horizonDays))].sort((a, b) => a - b);
  const byModel = new Map<number, { record: ModelRecord; symbols: string[] }>();
  for (const h of horizons) {
    for (const symbol of symbols) {
      const record = await servedModel(db.orm, symbol, h);
      if (record) (byModel.get(record.id) ?? byModel.set(record.id, { record, symbols: [] }).get(record.id)!).symbols.push(symbol);
    }
  }
  return [...byModel.values()];
}

/** Monitors every served model of `db` at `nowMs`. */
export async function collectMonitor(db: Database, opts: { artifactsRoot: string; expiryDays: number; recentDays?: number; nowMs?: number }): Promise<MonitorReport> {
  const nowMs = opts.nowMs ?? Date.now();
  const recentDays = opts.recentDays ?? DRIFT_RECENT_DAYS;
  const models: MonitoredModel[] = [];
  const store = new DrizzleStore(db);
  for (const { record, symbols } of await servedModels(db)) {
    const m = await readRegisteredMetadata(opts.artifactsRoot, record);
    const assets: MonitoredAsset[] = [];
    for (const symbol of symbols) {
      if (m.scope === 'asset' && m.symbol !== symbol) continue;
      const newest = (await latestPredictions(db.orm, [symbol], record.horizonDays)).find((p) => p.modelVersion === record.version);
      const newestPrediction = newest ? { asOf: newest.asOf, outOfDistribution: newest.monitoring?.outOfDistribution ?? null } : null;
      const live = liveOf((await store.trackRecord(symbol, record.horizonDays)).find((t) => t.modelVersion === record.version));
      const drift = await readModelInputs(db, m, symbol).then((inputs) => recentFeatureDrift(m, symbol, inputs, recentDays)).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      if (drift instanceof Error || drift === null) {
        assets.push({ symbol, drift: null, driftNote: drift === null ? 'no training distribution recorded' : drift.message, drifting: [], newestPrediction, live });
        continue;
      }
      assets.push({ symbol, drift, drifting: drift.features.filter((f) => f.level === 'drift').map((f) => f.feature), newestPrediction, live });
    }
    models.push({ symbol: record.symbol, horizonDays: record.horizonDays, version: record.version, createdAt: m.createdAt, trainingDistribution: m.trainingDistribution !== undefined, ...modelAge(m.createdAt, nowMs, opts.expiryDays), assets });
  }
  const alerts = models.flatMap((mm) => [
    ...(mm.expired ? [`${label(mm)} is ${mm.modelAgeDays} days old, past its ${mm.expiryDays}-day expiry (${mm.expiresAt.slice(0, 10)})`] : []),
    ...mm.assets.filter((a) => a.drifting.length > 0).map((a) => `${a.symbol} under ${label(mm)}: ${a.drifting.length} feature(s) drifted (${topDrift(a)})`),
  ]);
  return { checkedAt: new Date(nowMs).toISOString(), expiryDays: opts.expiryDays, recentDays, thresholds: { watch: PSI_WATCH, drift: PSI_DRIFT }, models, alerts };
}

/** The since-live window of a track record, in the few numbers monitor prints. */
function liveOf(t: TrackRecord | undefined): MonitoredAsset['live'] {
  const w = t?.windows.find((x) => x.window === 'live');
  if (!t || !w?.model) return null;
  const baselines = Object.fromEntries(Object.entries(w.baselines).flatMap(([name, f]) => (f ? [[name, f.accuracy.estimate]] : [])));
  return { resolved: w.resolved, pending: t.pending, accuracy: w.model.accuracy.estimate, baselines };
}

/** `BTC 7d 2025-01-14T10-00-00Z`. */
export const label = (m: { symbol: string; horizonDays: number; version: string }) => `${m.symbol} ${m.horizonDays}d ${m.version}`;

/** `ret_1d 0.41, log_vol_30d 0.30` for the drifted features, largest PSI first (at most 4). */
export function topDrift(a: MonitoredAsset): string {
  const shown = (a.drift?.features ?? []).filter((f) => f.level === 'drift').sort((x, y) => y.psi - x.psi);
  return shown.slice(0, 4).map((f) => `${f.feature} ${f.psi.toFixed(2)}`).join(', ') + (shown.length > 4 ? `, +${shown.length - 4} more` : '');
}

/** The report as one wire MonitoringSummary per asset and horizon (each asset has one served model per horizon),
 *  validated with the contract's schema; throws, naming the field, when one does not fit it. */
export function monitoringSummaries(r: MonitorReport): MonitoringSummary[] {
  return r.models.flatMap((m) =>
    m.assets.map((a) =>
      MonitoringSummarySchema.parse({
        symbol: a.symbol,
        horizonDays: m.horizonDays,
        modelVersion: m.version,
        trainedAt: m.createdAt,
        modelAgeDays: m.modelAgeDays,
        expiryDays: m.expiryDays,
        expiresAt: m.expiresAt,
        expired: m.expired,
        trainingDistribution: m.trainingDistribution,
        drift: a.drift && { recentDays: r.recentDays, ...a.drift },
        driftNote: a.driftNote ?? null,
        drifting: a.drifting,
        newestPrediction: a.newestPrediction,
        computedAt: r.checkedAt,
      }),
    ),
  );
}

/** Computes the summaries of every served model at `nowMs` and stores them (one transaction); returns them. */
export async function storeMonitoringSummaries(db: Database, opts: Parameters<typeof collectMonitor>[1]): Promise<MonitoringSummary[]> {
  const summaries = monitoringSummaries(await collectMonitor(db, opts));
  await saveMonitoringSummaries(db, summaries.map((s) => ({ symbol: s.symbol, horizonDays: s.horizonDays, summary: s, computedAtMs: Date.parse(s.computedAt) })));
  return summaries;
}

/** Pushes the summaries of each of `symbols` (every horizon's) to the edge's PUT /v1/admin/monitoring/{symbol};
 *  returns the symbols pushed (those with a summary). */
export async function pushMonitoringToEdge(call: (method: string, path: string, body: string) => Promise<unknown>, summaries: readonly MonitoringSummary[], symbols: readonly string[]): Promise<string[]> {
  const pushed: string[] = [];
  for (const symbol of symbols) {
    const own = summaries.filter((s) => s.symbol === symbol);
    if (own.length === 0) continue;
    await call('PUT', `/v1/admin/monitoring/${symbol}`, JSON.stringify({ summaries: own }));
    pushed.push(symbol);
  }
  return pushed;
}
