// `coinsphere monitor [--json] [--expiry-days N] [--days N]`: for every served model (servedModel of each asset and
// horizon), its age and expiry, and for each asset it serves the drift (PSI per feature) of the asset's newest inputs
// against the model's training distribution and the out-of-distribution flag of its newest published prediction,
// computed by jobs/monitoring-job.ts (the computation publish stores for GET /v1/monitoring). Exits 4 when any model
// is expired or any feature has drifted (PSI above 0.25 and above what 90-day stretches of the asset's own training
// rows scored), so cron or CI can alert on it (docs/monitoring.md); 3 stays "the database is locked". Must not import
// a command.
import { DRIFT_RECENT_DAYS } from '@coinsphere/model/core';
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { readArtifactsRoot, readModelExpiryDays } from '../cli/env.ts';
import { action, CliError } from '../cli/errors.ts';
import { terminalText } from '../cli/format.ts';
import { flag, positiveInt } from '../cli/flags.ts';
import { collectMonitor, label, topDrift, type MonitoredAsset, type MonitorReport } from '../jobs/monitoring-job.ts';

export type { MonitoredAsset, MonitoredModel, MonitorReport } from '../jobs/monitoring-job.ts';

/** The exit code of a monitor run that found an expired model or a drifted feature. */
export const MONITOR_ALERT_EXIT = 4;

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
