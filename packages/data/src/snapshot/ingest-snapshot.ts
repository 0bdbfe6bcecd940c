// `coinsphere ingest --snapshot [folder]` and the main job's offline fallback: loads a snapshot folder (by default
// the one bundled in packages/data/snapshot). Everything is checked before anything is written: the manifest's
// shape and version, the data file's size and sha256, every row by the same rules as a CSV file (validate.ts),
// and that the series match the manifest. Then all series go in one transaction. A damaged or edited snapshot is
// refused whole with DataError('input') naming the problem and the fix. Node only (files, gunzip, sha256).
import type { Candle } from '@coinsphere/model/core';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { upsertAssetsIn } from '../assets.ts';
import { upsertCandlesIn, type UpsertResult } from '../candles.ts';
import type { Database, Orm } from '../database.ts';
import { DataError } from '../errors.ts';
import { validateSeries, type SeriesGap } from '../ingest/validate.ts';
import {
  decodeSnapshotCsv,
  seriesEntry,
  SnapshotLineError,
  SnapshotManifestSchema,
  SNAPSHOT_DATA_FILE,
  SNAPSHOT_FORMAT,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_MANIFEST_FILE,
  type SnapshotManifest,
} from './snapshot-format.ts';

/** The snapshot shipped with the repository (packages/data/snapshot). */
export const BUNDLED_SNAPSHOT_DIR = fileURLToPath(new URL('../../snapshot', import.meta.url));

/** How to get a good snapshot back, appended to every refusal. */
const FIX = 'Nothing was written. Restore the bundled one (`git checkout packages/data/snapshot`) or write a new one with `coinsphere snapshot export --out <folder>`.';

/** A snapshot read and checked whole, ready to write. */
export interface CheckedSnapshot {
  dir: string;
  manifest: SnapshotManifest;
  series: Array<{ symbol: string; source: string; candles: Candle[]; gaps: SeriesGap[]; duplicates: number }>;
}

function refuse(dir: string, problem: string, cause?: unknown): never {
  throw new DataError('input', `The snapshot in ${dir} ${problem}. ${FIX}`, cause === undefined ? undefined : { cause });
}

function readManifest(dir: string): SnapshotManifest {
  const path = join(dir, SNAPSHOT_MANIFEST_FILE);
  if (!existsSync(path)) refuse(dir, `has no ${SNAPSHOT_MANIFEST_FILE} (is it a snapshot folder?)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    refuse(dir, `has a ${SNAPSHOT_MANIFEST_FILE} that is not JSON (${(error as Error).message})`, error);
  }
  const head = json as { format?: unknown; formatVersion?: unknown };
  if (head?.format === SNAPSHOT_FORMAT && head.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    refuse(dir, `is format version ${String(head.formatVersion)}; this version of Coinsphere reads version ${SNAPSHOT_FORMAT_VERSION}`);
  }
  const parsed = SnapshotManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    refuse(dir, `has a ${SNAPSHOT_MANIFEST_FILE} that is not a Coinsphere snapshot manifest (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

function readDataText(dir: string, manifest: SnapshotManifest): string {
  const path = join(dir, manifest.dataFile.name);
  if (!existsSync(path)) refuse(dir, `has no ${manifest.dataFile.name}, which its manifest lists`);
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== manifest.dataFile.bytes || sha256 !== manifest.dataFile.sha256) {
    refuse(dir, `is damaged or was edited: ${manifest.dataFile.name} has ${bytes.length} bytes and sha256 ${sha256.slice(0, 12)}…, its manifest says ${manifest.dataFile.bytes} bytes and ${manifest.dataFile.sha256.slice(0, 12)}…`);
  }
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    return refuse(dir, `has a ${manifest.dataFile.name} that is not gzip data (${(error as Error).message})`, error);
  }
}

/** Reads and checks the snapshot in `dir` without writing anything. Throws DataError('input') naming the problem. */
export function readSnapshot(dir: string = BUNDLED_SNAPSHOT_DIR): CheckedSnapshot {
  const root = resolve(dir);
  if (!existsSync(root)) refuse(root, 'does not exist');
  const manifest = readManifest(root);
  const text = readDataText(root, manifest);
  let decoded;
  try {
    decoded = decodeSnapshotCsv(text);
  } catch (error) {
    if (error instanceof SnapshotLineError) refuse(root, `has a bad row: ${SNAPSHOT_DATA_FILE} line ${error.line}: ${error.message}`, error);
    throw error;
  }
  const series: CheckedSnapshot['series'] = [];
  for (const d of decoded) {
    const checked = validateSeries(d.rows, '1d');
    const problem = checked.problems[0];
    if (problem) refuse(root, `has a bad row: ${SNAPSHOT_DATA_FILE} line ${problem.line} (${d.symbol} ${d.source}): ${problem.reason}`);
    series.push({ symbol: d.symbol, source: d.source, candles: checked.candles, gaps: checked.gaps, duplicates: checked.duplicates });
  }
  const found = new Map(series.map((s) => [`${s.symbol}/${s.source}`, seriesEntry(s)]));
  const range = (e: SnapshotManifest['series'][number]) => `${e.rows} rows ${e.first}..${e.last}`;
  for (const m of manifest.series) {
    const key = `${m.symbol}/${m.source}`;
    const have = found.get(key);
    if (have === undefined) refuse(root, `lists ${key} in its manifest, but ${SNAPSHOT_DATA_FILE} has no rows of it`);
    if (range(have) !== range(m)) refuse(root, `does not match its manifest for ${key}: the manifest says ${range(m)}, ${SNAPSHOT_DATA_FILE} has ${range(have)}`);
    found.delete(key);
  }
  if (found.size > 0) refuse(root, `has rows of ${[...found.keys()].join(', ')} that its manifest does not list`);
  return { dir: root, manifest, series };
}

/** What a snapshot load wrote, per series. */
export interface SnapshotIngestReport {
  dir: string;
  manifest: SnapshotManifest;
  series: Array<{ symbol: string; source: string; rows: number; firstMs: number; lastMs: number; gaps: SeriesGap[]; written: UpsertResult }>;
}

/**
 * Loads the snapshot in `dir` (default: the bundled one) into `db` in one transaction, after readSnapshot has
 * checked all of it. Loading it again changes nothing.
 */
export async function ingestSnapshot(db: Database, dir: string = BUNDLED_SNAPSHOT_DIR): Promise<SnapshotIngestReport> {
  const snapshot = readSnapshot(dir);
  const series = await db.orm.transaction(async (tx) => {
    const orm = tx as unknown as Orm;
    await upsertAssetsIn(orm, snapshot.series.map((s) => ({ symbol: s.symbol, ...(s.source === 'binance' ? { binanceSymbol: `${s.symbol}USDT` } : {}) })));
    const out: SnapshotIngestReport['series'] = [];
    for (const s of snapshot.series) {
      const written = await upsertCandlesIn(orm, s.candles.map((c) => ({ ...c, symbol: s.symbol, interval: '1d' as const, source: s.source })));
      out.push({ symbol: s.symbol, source: s.source, rows: s.candles.length, firstMs: s.candles[0]!.openTimeMs, lastMs: s.candles.at(-1)!.openTimeMs, gaps: s.gaps, written });
    }
    return out;
  });
  return { dir: snapshot.dir, manifest: snapshot.manifest, series };
}
