// `coinsphere snapshot export [--out packages/data/snapshot] [--significant-digits n]`: writes the database's
// pooled universe (one daily series per coin, stablecoins and wrapped tokens left out, each with its reason) as
// the snapshot folder that `ingest --snapshot` and the main job's offline fallback load. Also the lines every
// command prints after loading a snapshot, so `ingest --snapshot` and `start` say the same thing.
import { BUNDLED_SNAPSHOT_DIR, exportSnapshot, type SnapshotIngestReport } from '@coinsphere/data';
import { dataFreshness, formatDataAge, STALE_AFTER_DAYS, toIsoDay } from '@coinsphere/model/core';
import type { Command } from 'commander';
import { relative } from 'node:path';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { action } from '../cli/errors.ts';
import { flag, intIn } from '../cli/flags.ts';

/** The folder as a user would type it: relative to the working directory when inside it. */
function shown(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') ? rel : dir;
}

/** One line: what a snapshot load wrote and how old its newest bar is (at `nowMs`), with the stale verdict. */
export function snapshotLoadLine(report: SnapshotIngestReport, nowMs: number): string {
  const rows = report.series.reduce((n, s) => n + s.rows, 0);
  const inserted = report.series.reduce((n, s) => n + s.written.inserted, 0);
  const newestMs = Math.max(...report.series.map((s) => s.lastMs));
  const newest = report.series.filter((s) => s.lastMs === newestMs).map((s) => s.symbol);
  const age = dataFreshness(newestMs, nowMs);
  const verdict = age.stale ? `so it is stale (over ${STALE_AFTER_DAYS} days) and every prediction made from it says so` : 'fresh';
  return (
    `Loaded the snapshot ${shown(report.dir)} (exported ${report.manifest.exportedAt.slice(0, 10)}): ${report.series.length} series, ` +
    `${rows.toLocaleString('en-US')} daily candles (${inserted.toLocaleString('en-US')} new). Its newest bar is ${age.asOf} ` +
    `(${newest.length > 3 ? `${newest.slice(0, 3).join(', ')} and ${newest.length - 3} more` : newest.join(', ')}), ${formatDataAge(age.ageDays)}, ${verdict}.`
  );
}

/** One line per series of a snapshot load. */
export function snapshotSeriesLines(report: SnapshotIngestReport): string[] {
  return report.series.map(
    (s) => `${s.symbol} 1d from ${s.source}: ${toIsoDay(s.firstMs)}..${toIsoDay(s.lastMs)}, ${s.rows} candles (${s.written.inserted} new, ${s.written.updated} changed, ${s.written.unchanged} unchanged)`,
  );
}

interface ExportFlags extends DbOption {
  out: string;
  significantDigits?: number;
}

/** Registers `snapshot export`. */
export function register(program: Command): void {
  const snapshot = program.command('snapshot').description('The bundled snapshot of daily candles that works offline: export it from the database');
  const command = snapshot
    .command('export')
    .description('Write the pooled universe of the database (one daily series per coin, minus stablecoins and wrapped tokens) as a snapshot folder')
    .option('--out <folder>', 'snapshot folder, replaced whole', BUNDLED_SNAPSHOT_DIR);
  flag(command, '--significant-digits <n>', 'round numbers to n significant digits (default: full precision)', intIn(6));
  addDbOption(command).action(
    action(async (f: ExportFlags) => {
      const significantDigits = f.significantDigits ?? null;
      const report = await withDatabase(f, (db) => exportSnapshot(db, f.out, { significantDigits }));
      const out = [`Wrote ${shown(report.dir)}: ${report.manifest.series.length} series, ${(report.totalBytes / 1e6).toFixed(2)} MB in all.`];
      for (const s of report.manifest.series) out.push(`  ${s.symbol.padEnd(5)} ${s.source.padEnd(14)} ${s.first}..${s.last}  ${String(s.rows).padStart(5)} rows`);
      out.push(report.excluded.length === 0 ? 'Nothing was left out.' : 'Left out:');
      for (const e of report.excluded) out.push(`  ${e.symbol.padEnd(5)} ${e.source.padEnd(14)} ${e.reason}: ${e.detail}`);
      process.stdout.write(`${out.join('\n')}\n`);
    }),
  );
}
