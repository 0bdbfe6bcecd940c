// `coinsphere status [--json]`: per symbol, interval and source: rows, first and last bar, gaps, how old the
// newest bar is and whether that is stale (the rule of @coinsphere/model's dataFreshness); and the database in
// use. `--json` prints one object: { database: {...}, candles: [{ symbol, interval, source, rows, first, last,
// gaps, ageDays, stale }] } with daily dates as YYYY-MM-DD and hourly ones as ISO timestamps; gaps = missing bars.
import { listSeries, migrationState, type Database, type SeriesSummary } from '@coinsphere/data';
import { dataFreshness, STALE_AFTER_DAYS } from '@coinsphere/model/core';
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { action } from '../cli/errors.ts';
import { formatBarTime, terminalText } from '../cli/format.ts';

/** The object `status --json` prints. */
export interface StatusJson {
  database: { kind: Database['kind']; location: string; timescale: boolean; candlesTable: 'hypertable' | 'plain'; migrations: { applied: number; shipped: number } };
  candles: Array<{ symbol: string; interval: string; source: string; rows: number; first: string; last: string; gaps: number; ageDays: number; stale: boolean }>;
}

/** Builds the status object for an open database; ages are taken at `nowMs`. */
export async function collectStatus(db: Database, nowMs = Date.now()): Promise<{ json: StatusJson; series: SeriesSummary[] }> {
  const series = await listSeries(db);
  const migrations = await migrationState(db.orm);
  return {
    series,
    json: {
      database: { kind: db.kind, location: db.location, timescale: db.timescale, candlesTable: db.timescale ? 'hypertable' : 'plain', migrations },
      candles: series.map((s) => ({
        symbol: s.symbol,
        interval: s.interval,
        source: s.source,
        rows: s.rows,
        first: formatBarTime(s.firstMs, s.interval),
        last: formatBarTime(s.lastMs, s.interval),
        gaps: s.missingBars,
        ...(({ ageDays, stale }) => ({ ageDays, stale }))(dataFreshness(s.lastMs, nowMs)),
      })),
    },
  };
}

function gapText(s: SeriesSummary): string {
  if (s.gaps.length === 0) return 'none';
  const shown = s.gaps.slice(0, 3).map((g) => (g.missingBars === 1 ? formatBarTime(g.fromMs, s.interval) : `${formatBarTime(g.fromMs, s.interval)}..${formatBarTime(g.toMs, s.interval)}`));
  const more = s.gaps.length > 3 ? ` +${s.gaps.length - 3} more` : '';
  return `${s.missingBars} missing (${shown.join(', ')}${more})`;
}

/** Human-readable status lines. */
export function renderStatus(json: StatusJson, series: SeriesSummary[]): string {
  const d = json.database;
  const lines = [
    `Database: ${d.kind} ${d.location} (${d.timescale ? 'candles is a TimescaleDB hypertable' : 'plain tables with indexes; TimescaleDB not available'}; migrations ${d.migrations.applied}/${d.migrations.shipped})`,
  ];
  if (series.length === 0) lines.push('No candles yet. Load some with `coinsphere ingest --csv <file-or-folder>` or `coinsphere ingest --from binance --symbols BTC`.');
  else {
    const age = (c: StatusJson['candles'][number]) => `${c.ageDays} d${c.stale ? ', STALE' : ''}`;
    const rows = series.map((s, i) => [s.symbol, s.interval, s.source, String(s.rows), json.candles[i]!.first, json.candles[i]!.last, age(json.candles[i]!), gapText(s)]);
    const head = ['symbol', 'interval', 'source', 'rows', 'first', 'last', 'age', 'gaps'];
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    for (const r of [head, ...rows]) lines.push(r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
    const stale = json.candles.filter((c) => c.stale);
    if (stale.length > 0) {
      const symbols = [...new Set(stale.map((c) => c.symbol))];
      lines.push(
        `${stale.length} of ${json.candles.length} series are stale (newest bar more than ${STALE_AFTER_DAYS} days old); predictions from them are marked stale. ` +
          `Fetch newer candles with \`coinsphere ingest --from binance --symbols ${symbols.slice(0, 8).join(',')}\`.`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Registers `status`. */
export function register(program: Command): void {
  addDbOption(program.command('status').description('Show the database in use and each candle series: rows, first and last bar, gaps'))
    .option('--json', 'print one JSON object instead of a table')
    .action(
      action(async (opts: DbOption & { json?: boolean }) => {
        await withDatabase(opts, async (db) => {
          const { json, series } = await collectStatus(db);
          process.stdout.write(opts.json ? `${JSON.stringify(json)}\n` : terminalText(renderStatus(json, series)));
        });
      }),
    );
}
