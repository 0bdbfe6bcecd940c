// `coinsphere monitor [--json] [--expiry-days N] [--days N]`: for every served model (servedModel of each asset and
// horizon), its age and expiry, and for each asset it serves the drift (PSI per feature) of the asset's newest inputs
// against the model's training distribution and the out-of-distribution flag of its newest published prediction.
// Exits 4 when any model is expired or any feature has drifted (PSI above 0.25 and above what 90-day stretches of
// the asset's own training rows scored), so cron or CI can alert on it
// (docs/monitoring.md); 3 stays "the database is locked". Reads metadata only, never weights. Must not import a
// command.
import { latestPredictions, listModels, listSeries, readModelInputs, servedModel, type Database, type ModelRecord } from '@coinsphere/data';
import { DRIFT_RECENT_DAYS, modelAge, PSI_DRIFT, PSI_WATCH, recentFeatureDrift, type FeatureDrift, type ModelAge, type OutOfDistribution } from '@coinsphere/model/core';
import { DrizzleStore } from '@coinsphere/serving/node';
import type { Command } from 'commander';
import type { TrackRecord } from '@coinsphere/serving/contract';
import { readRegisteredMetadata } from '../artifact-files.ts';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { readArtifactsRoot, readModelExpiryDays } from '../cli/env.ts';
import { action, CliError } from '../cli/errors.ts';
import { terminalText } from '../cli/format.ts';
import { flag, positiveInt } from '../cli/flags.ts';

/** The exit code of a monitor run that found an expired model or a drifted feature. */
export const MONITOR_ALERT_EXIT = 4;

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

const label = (m: { symbol: string; horizonDays: number; version: string }) => `${m.symbol} ${m.horizonDays}d ${m.version}`;

/** `ret_1d 0.41, log_vol_30d 0.30` for the drifted features, largest PSI first (at most 4). */
function topDrift(a: MonitoredAsset): string {
  const shown = (a.drift?.features ?? []).filter((f) => f.level === 'drift').sort((x, y) => y.psi - x.psi);
  return shown.slice(0, 4).map((f) => `${f.feature} ${f.psi.toFixed(2)}`).join(', ') + (shown.length > 4 ? `, +${shown.length - 4} more` : '');
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function assetLine(a: MonitoredAsset, recentDays: number): string {
  const p = a.newestPrediction;
  const ood = !p ? 'no prediction published' : !p.outOfDistribution ? `newest prediction ${p.asOf}: no flag recorded` : `newest prediction ${p.asOf}: ${p.outOfDistribution.flag ? 'OUT OF DISTRIBUTION' : 'within the training distribution'} (distance ${p.outOfDistribution.distance.toFixed(2)}, threshold ${p.outOfDistribution.threshold.toFixed(2)})`;
  const live = a.live ? `; live: right ${pct(a.live.accuracy)} of ${a.live.resolved} resolved (${[`chance 33.3%`, ...Object.entries(a.live.baselines).map(([n, v]) => `${n} ${pct(v)}`)].join(', ')})` : '; live: nothing resolved yet';
  if (!a.drift) return `  ${a.symbol}: drift not computed (${a.driftNote}); ${ood}${live}`;
  const watch = a.drift.features.filter((f) => f.level === 'watch').length;
  const drift = a.drifting.length > 0 ? `DRIFT in ${a.drifting.length} of ${a.drift.features.length} features (${topDrift(a)})` : 'no feature drifted';
  const against = a.drift.reference === 'asset' ? 'against its own training rows' : "against all training rows (the model never trained on it)";
  return `  ${a.symbol}: the last ${a.drift.nRows} of ${recentDays} days ${against}: ${drift}${watch ? `, ${watch} to watch` : ''}; ${ood}${live}`;
}

/** Human-readable monitor lines. */
export function renderMonitor(r: MonitorReport): string {
  if (r.models.length === 0) return 'No model is served yet: nothing to monitor. Train one with `coinsphere train --pooled`.\n';
  const lines: string[] = [];
  for (const m of r.models) {
    const age = `trained ${m.createdAt.slice(0, 10)}, ${m.modelAgeDays} days old, ${m.expired ? `EXPIRED on ${m.expiresAt.slice(0, 10)}` : `expires ${m.expiresAt.slice(0, 10)}`} (${m.expiryDays}-day expiry)`;
    lines.push(`${label(m)}: ${age}${m.trainingDistribution ? '' : '; no training distribution recorded (retrain to get drift and the out-of-distribution flag)'}`);
    for (const a of m.assets) lines.push(assetLine(a, r.recentDays));
  }
  lines.push(r.alerts.length === 0 ? 'OK: no model expired, no feature drifted.' : `${r.alerts.length} alert(s):`, ...r.alerts.map((a) => `  ${a}`));
  return `${lines.join('\n')}\n`;
}

interface MonitorFlags extends DbOption {
  json?: boolean;
  expiryDays?: number;
  days: number;
}

/** Registers `monitor`. */
export function register(program: Command): void {
  const command = program
    .command('monitor')
    .description(`Check every served model: age and expiry, drift of each asset's recent inputs, the newest prediction's out-of-distribution flag; exits ${MONITOR_ALERT_EXIT} on an expired model or a drifted feature`);
  flag(command, '--expiry-days <days>', 'days after training at which a model expires (default MODEL_EXPIRY_DAYS, else 90)', positiveInt);
  flag(command, '--days <days>', 'newest days of each asset compared with the training distribution', positiveInt, DRIFT_RECENT_DAYS);
  addDbOption(command.option('--json', 'print one JSON object')).action(
    action(async (f: MonitorFlags) => {
      const report = await withDatabase(f, (db) => collectMonitor(db, { artifactsRoot: readArtifactsRoot(), expiryDays: f.expiryDays ?? readModelExpiryDays(), recentDays: f.days }));
      process.stdout.write(f.json ? `${JSON.stringify(report)}\n` : terminalText(renderMonitor(report)));
      if (report.alerts.length > 0) {
        throw new CliError(`monitor: ${report.alerts.length} alert(s), ${report.alerts[0]}${report.alerts.length > 1 ? ', …' : ''}. Retrain with \`coinsphere train --pooled\` (then \`coinsphere publish\`).`, MONITOR_ALERT_EXIT);
      }
    }),
  );
}
