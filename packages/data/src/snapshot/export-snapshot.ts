// `coinsphere snapshot export`: writes the pooled universe of a database (selectUniverse over every stored daily
// series: one series per coin, stablecoins and wrapped tokens left out with their reasons) as a snapshot folder:
// the gzip'd CSV, manifest.json and README.md. The folder is written beside the target and swapped in at the end,
// so a failed export leaves the old snapshot as it was. Node only (files, gzip, sha256).
import { selectUniverse, type SeriesCandidate, type UniverseExclusion } from '@coinsphere/model/core';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { listSeries, readCandles } from '../candles.ts';
import type { Database } from '../database.ts';
import { DataError } from '../errors.ts';
import {
  encodeSnapshotCsv,
  seriesEntry,
  SNAPSHOT_DATA_FILE,
  SNAPSHOT_FORMAT,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_MANIFEST_FILE,
  SNAPSHOT_README_FILE,
  type SnapshotManifest,
} from './snapshot-format.ts';
import { snapshotReadme } from './snapshot-readme.ts';

/** The most a snapshot may weigh (data file, manifest and README together), bytes. */
export const SNAPSHOT_MAX_BYTES = 2 * 1024 * 1024;

/** Options of an export. */
export interface SnapshotExportOptions {
  /** Round numbers to this many significant digits (default: none, full precision). */
  significantDigits?: number | null;
  /** The export time written to the manifest (default: now). */
  nowMs?: number;
}

/** What an export wrote. */
export interface SnapshotExportReport {
  dir: string;
  manifest: SnapshotManifest;
  excluded: UniverseExclusion[];
  /** Bytes of each file written. */
  bytes: Record<string, number>;
  totalBytes: number;
}

/** Every stored daily series as a candidate for the universe. */
async function dailyCandidates(db: Database): Promise<SeriesCandidate[]> {
  const out: SeriesCandidate[] = [];
  for (const s of (await listSeries(db)).filter((x) => x.interval === '1d')) {
    out.push({ symbol: s.symbol, source: s.source, candles: (await readCandles(db, { symbol: s.symbol, interval: '1d', source: s.source })).candles });
  }
  return out;
}

/**
 * Exports the pooled universe of `db` into the folder `dir` (replaced whole). Throws DataError('input') when the
 * database holds no daily candles or the result would be over SNAPSHOT_MAX_BYTES (naming the fix).
 */
export async function exportSnapshot(db: Database, dir: string, opts: SnapshotExportOptions = {}): Promise<SnapshotExportReport> {
  const target = resolve(dir);
  const candidates = await dailyCandidates(db);
  if (candidates.length === 0) {
    throw new DataError('input', 'The database holds no daily candles to export. Ingest some first, e.g. `coinsphere ingest --csv <file-or-folder>`.');
  }
  const universe = selectUniverse(candidates);
  if (universe.series.length === 0) throw new DataError('input', `No series is left to export: ${universe.excluded.map((e) => `${e.symbol} (${e.reason})`).join(', ')}.`);
  const significantDigits = opts.significantDigits ?? null;
  const data = gzipSync(encodeSnapshotCsv(universe.series, significantDigits), { level: 9 });
  const manifest: SnapshotManifest = {
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    exportedAt: new Date(opts.nowMs ?? Date.now()).toISOString(),
    interval: '1d',
    dataFile: { name: SNAPSHOT_DATA_FILE, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') },
    significantDigits,
    series: [...universe.series].sort((a, b) => a.symbol.localeCompare(b.symbol) || a.source.localeCompare(b.source)).map(seriesEntry),
    excluded: universe.excluded.map((e) => ({ symbol: e.symbol, source: e.source, reason: e.reason, detail: e.detail })),
  };
  const files: Record<string, Uint8Array | string> = {
    [SNAPSHOT_DATA_FILE]: data,
    [SNAPSHOT_MANIFEST_FILE]: `${JSON.stringify(manifest, null, 2)}\n`,
    [SNAPSHOT_README_FILE]: snapshotReadme(manifest),
  };
  const bytes = Object.fromEntries(Object.entries(files).map(([name, content]) => [name, Buffer.byteLength(content)]));
  const totalBytes = Object.values(bytes).reduce((s, n) => s + n, 0);
  if (totalBytes > SNAPSHOT_MAX_BYTES) {
    const hint = significantDigits === null ? 'round the numbers (--significant-digits 10)' : 'round further or ingest fewer series';
    throw new DataError('input', `The snapshot would weigh ${(totalBytes / 1e6).toFixed(2)} MB, over the ${SNAPSHOT_MAX_BYTES / 1024 / 1024} MiB limit; ${hint}. Nothing was written.`);
  }
  writeFolder(target, files);
  return { dir: target, manifest, excluded: universe.excluded, bytes, totalBytes };
}

/** Writes `files` into a fresh sibling folder, then swaps it in for `target` (the old one is removed last). */
function writeFolder(target: string, files: Record<string, Uint8Array | string>): void {
  mkdirSync(dirname(target), { recursive: true });
  const fresh = `${target}.export-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(fresh, name), content);
  if (existsSync(target)) renameSync(target, old);
  renameSync(fresh, target);
  rmSync(old, { recursive: true, force: true });
}
