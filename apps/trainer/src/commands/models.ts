// `coinsphere models [--symbol BTC] [--horizon 7] [--json]`: which model each asset is served at each horizon, and
// the promotion gate's decisions behind it, newest first, with the numbers they were taken on (the held-out rows,
// the candidate's and the served model's Brier score). The same decisions GET /v1/models/{symbol}/{horizon}/decisions
// serves and the dashboard's model card shows; the weekly retrain (queue/schedules.ts) adds to them.
import { gateDecisions, listSeries, servedHorizons, servedModel, type Database, type GateDecisionView } from '@coinsphere/data';
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { action } from '../cli/errors.ts';
import { flag, positiveInt, symbol } from '../cli/flags.ts';
import { terminalText } from '../cli/format.ts';

/** One asset and horizon: the model served there and the gate's decisions, newest first. */
export interface ServedEntry {
  symbol: string;
  horizonDays: number;
  served: { version: string; scope: string; trainedAt: string } | null;
  decisions: Array<Omit<GateDecisionView, 'decidedAtMs'> & { decidedAt: string }>;
}

interface ModelsFlags extends DbOption {
  symbol?: string;
  horizon?: number;
  json?: boolean;
}

/** What `models` lists, for the assets with daily candles (or --symbol) at their served horizons (or --horizon). */
export async function collectModels(f: Pick<ModelsFlags, 'symbol' | 'horizon'>, db: Database, limit: number): Promise<ServedEntry[]> {
  const symbols = f.symbol ? [f.symbol] : [...new Set((await listSeries(db)).filter((s) => s.interval === '1d').map((s) => s.symbol))].sort();
  const horizons = await servedHorizons(db.orm, symbols);
  const out: ServedEntry[] = [];
  for (const s of symbols) {
    for (const h of f.horizon ? [f.horizon] : (horizons.get(s) ?? [])) {
      const model = await servedModel(db.orm, s, h);
      const decisions = (await gateDecisions(db.orm, s, h, limit)).map(({ decidedAtMs, ...d }) => ({ ...d, decidedAt: new Date(decidedAtMs).toISOString() }));
      out.push({ symbol: s, horizonDays: h, served: model && { version: model.version, scope: model.scope, trainedAt: new Date(model.createdAtMs).toISOString() }, decisions });
    }
  }
  return out;
}

type Score = { brier?: number } | null | undefined;
const brier = (x: Score) => (typeof x?.brier === 'number' ? x.brier.toFixed(4) : '-');

/** The table for people: one line per asset and horizon, and under --symbol every decision with its numbers. */
export function renderModels(entries: ServedEntry[], detailed: boolean): string {
  if (entries.length === 0) return 'No model is served yet. Train one: `coinsphere train --pooled` (the served recipe over every asset).\n';
  const lines: string[] = [];
  for (const e of entries) {
    const last = e.decisions[0];
    const served = e.served ? `${e.served.version} (${e.served.scope}, trained ${e.served.trainedAt.slice(0, 10)})` : 'none';
    lines.push(`${e.symbol.padEnd(6)} ${String(e.horizonDays).padStart(2)}d  served: ${served}${last ? `; last gate decision ${last.decidedAt.slice(0, 10)}: ${last.decision} ${last.candidateVersion}` : '; no gate decision recorded'}`);
    if (!detailed) continue;
    for (const d of e.decisions) {
      const ev = d.evidence as { rows?: number; from?: string; to?: string; reason?: string; candidate?: Score; incumbent?: Score };
      lines.push(`    ${d.decidedAt.slice(0, 16).replace('T', ' ')}  ${d.decision.padEnd(8)} ${d.candidateVersion} (${d.candidateScope}) over ${d.previousVersion ?? 'none'}: Brier ${brier(ev.candidate)} vs ${brier(ev.incumbent)} on ${ev.rows ?? '?'} rows ${ev.from ?? '?'}..${ev.to ?? '?'}${ev.reason ? `; ${ev.reason}` : ''}`);
    }
  }
  if (!detailed) lines.push('Every decision with its numbers: coinsphere models --symbol <SYMBOL>.');
  return `${lines.join('\n')}\n`;
}

/** Registers `models`. */
export function register(program: Command): void {
  const command = program
    .command('models')
    .description('Show the model served for each asset and horizon, and the promotion gate\'s decisions with their numbers');
  flag(command, '--symbol <symbol>', 'only this asset, with every decision (up to 50) and its numbers', symbol);
  flag(command, '--horizon <days>', 'only this horizon', positiveInt);
  addDbOption(command.option('--json', 'print a JSON array instead of a table')).action(
    action(async (f: ModelsFlags) => {
      const entries = await withDatabase(f, (db) => collectModels(f, db, f.symbol ? 50 : 1));
      process.stdout.write(f.json ? `${JSON.stringify(entries)}\n` : terminalText(renderModels(entries, Boolean(f.symbol))));
    }),
  );
}
