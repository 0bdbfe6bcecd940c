// The snapshot on both drivers: export writes the pooled universe (one series per coin, a stablecoin left out
// with its reason) and loading it gives back exactly what was stored; a damaged or edited snapshot is refused
// whole, naming the problem and the fix, and leaves the database as it was. Then the bundled snapshot itself.
import { makeSyntheticCandles, type Candle } from '@coinsphere/model/core';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSeries, readCandles, upsertCandles } from '../candles.ts';
import type { Database } from '../database.ts';
import { DataError } from '../errors.ts';
import { TEST_DRIVERS, useTestDatabase } from '../test-databases.ts';
import { exportSnapshot, SNAPSHOT_MAX_BYTES } from './export-snapshot.ts';
import { BUNDLED_SNAPSHOT_DIR, ingestSnapshot, readSnapshot } from './ingest-snapshot.ts';
import { SNAPSHOT_DATA_FILE, SNAPSHOT_MANIFEST_FILE, SNAPSHOT_README_FILE, SnapshotManifestSchema } from './snapshot-format.ts';

/** A stablecoin: $1 with tiny noise. */
function stablecoin(n: number): Candle[] {
  return makeSyntheticCandles(n, 9).map((c, i) => {
    const close = 1 + 0.001 * Math.sin(i);
    return { ...c, open: close, high: close * 1.0005, low: close * 0.9995, close, marketCapUsd: null };
  });
}

const rowsOf = (symbol: string, source: string, candles: Candle[]) => candles.map((c) => ({ ...c, symbol, interval: '1d' as const, source }));

/** Rewrites the data file through `edit` (on its CSV lines) and re-signs the manifest, as a careful tamperer would. */
function editRows(dir: string, edit: (lines: string[]) => void): void {
  const file = join(dir, SNAPSHOT_DATA_FILE);
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
  edit(lines);
  const data = gzipSync(`${lines.join('\n')}\n`);
  writeFileSync(file, data);
  const manifest = JSON.parse(readFileSync(join(dir, SNAPSHOT_MANIFEST_FILE), 'utf8'));
  manifest.dataFile = { ...manifest.dataFile, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  writeFileSync(join(dir, SNAPSHOT_MANIFEST_FILE), JSON.stringify(manifest));
}

describe.each(TEST_DRIVERS)('snapshot export and ingest on $name', (driver) => {
  const database = useTestDatabase(driver);
  const source = useTestDatabase(driver);
  let db: Database;
  let work: string;
  const btc = makeSyntheticCandles(400, 1, { withoutMarketCap: true });
  const btcOld = makeSyntheticCandles(300, 4); // the same coin at another source, ending earlier: not chosen
  const eth = makeSyntheticCandles(380, 2);

  beforeAll(async () => {
    db = database();
    work = mkdtempSync(join(tmpdir(), 'cs-snapshot-'));
    await upsertCandles(source(), [...rowsOf('BTC', 'binance', btc), ...rowsOf('BTC', 'coinmarketcap', btcOld), ...rowsOf('ETH', 'coinmarketcap', eth), ...rowsOf('USDT', 'coinmarketcap', stablecoin(300))]);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('exports one series per coin, says what it left out and why, and loads back exactly what was stored', async () => {
    const dir = join(work, 'snap');
    const report = await exportSnapshot(source(), dir, { nowMs: Date.parse('2026-12-01T00:00:00Z') });
    expect(readdirSync(dir).sort()).toEqual([SNAPSHOT_README_FILE, SNAPSHOT_DATA_FILE, SNAPSHOT_MANIFEST_FILE].sort());
    expect(report.manifest.series.map((s) => `${s.symbol}/${s.source}/${s.rows}`)).toEqual(['BTC/binance/400', 'ETH/coinmarketcap/380']);
    expect(report.excluded).toEqual([expect.objectContaining({ symbol: 'USDT', reason: 'stablecoin' })]);
    expect(readFileSync(join(dir, SNAPSHOT_README_FILE), 'utf8')).toMatch(/USDT \(coinmarketcap\): stablecoin/);

    const loaded = await ingestSnapshot(db, dir);
    expect(loaded.series.map((s) => s.written)).toEqual([{ inserted: 400, updated: 0, unchanged: 0 }, { inserted: 380, updated: 0, unchanged: 0 }]);
    expect((await readCandles(db, { symbol: 'BTC', interval: '1d', source: 'binance' })).candles).toEqual(btc);
    expect((await readCandles(db, { symbol: 'ETH', interval: '1d', source: 'coinmarketcap' })).candles).toEqual(eth);
    const again = await ingestSnapshot(db, dir);
    expect(again.series.map((s) => s.written.unchanged)).toEqual([400, 380]);
  });

  it('refuses a data file whose bytes do not match the manifest, and writes nothing', async () => {
    const dir = join(work, 'damaged');
    cpSync(join(work, 'snap'), dir, { recursive: true });
    const file = join(dir, SNAPSHOT_DATA_FILE);
    const bytes = readFileSync(file);
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(file, bytes);
    const before = await listSeries(db);
    const error = await ingestSnapshot(db, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).kind).toBe('input');
    expect((error as Error).message).toMatch(/is damaged or was edited: candles-1d\.csv\.gz has \d+ bytes and sha256 [0-9a-f]{12}…, its manifest says/);
    expect((error as Error).message).toContain('Nothing was written. Restore the bundled one (`git checkout packages/data/snapshot`)');
    expect(await listSeries(db)).toEqual(before);
  });

  it('refuses a re-signed file with one bad row whole, naming the line and the rule it breaks', async () => {
    const dir = join(work, 'bad-row');
    cpSync(join(work, 'snap'), dir, { recursive: true });
    editRows(dir, (lines) => {
      const f = lines[450]!.split(',');
      f[6] = '-3'; // close
      lines[450] = f.join(',');
    });
    const before = await listSeries(db);
    const error = await ingestSnapshot(db, dir).catch((e: unknown) => e);
    expect((error as Error).message).toContain('has a bad row: candles-1d.csv.gz line 451 (ETH coinmarketcap): close is -3; prices must be finite and positive');
    expect(await listSeries(db)).toEqual(before);
  });

  it('refuses rows the manifest does not describe', async () => {
    const dir = join(work, 'dropped-row');
    cpSync(join(work, 'snap'), dir, { recursive: true });
    editRows(dir, (lines) => void lines.splice(2, 1));
    const error = await ingestSnapshot(db, dir).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/does not match its manifest for BTC\/binance: the manifest says 400 rows 2020-01-01\.\.\S+, candles-1d\.csv\.gz has 399 rows/);
  });
});

describe('snapshot folders that are not snapshots', () => {
  const work = mkdtempSync(join(tmpdir(), 'cs-snapshot-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('names what is missing or unreadable and the fix', () => {
    expect(() => readSnapshot(join(work, 'nowhere'))).toThrow(/nowhere does not exist\. Nothing was written\./);
    expect(() => readSnapshot(work)).toThrow(/has no manifest\.json \(is it a snapshot folder\?\)/);
    writeFileSync(join(work, SNAPSHOT_MANIFEST_FILE), JSON.stringify({ format: 'coinsphere-candle-snapshot', formatVersion: 9 }));
    expect(() => readSnapshot(work)).toThrow(/is format version 9; this version of Coinsphere reads version 1/);
  });
});

describe('the bundled snapshot', () => {
  const files = readdirSync(BUNDLED_SNAPSHOT_DIR);

  it('weighs at most 2 MB, in our own format and file names', () => {
    expect(files.sort()).toEqual([SNAPSHOT_README_FILE, SNAPSHOT_DATA_FILE, SNAPSHOT_MANIFEST_FILE].sort());
    const total = files.reduce((n, f) => n + statSync(join(BUNDLED_SNAPSHOT_DIR, f)).size, 0);
    expect(total).toBeLessThanOrEqual(SNAPSHOT_MAX_BYTES);
    for (const f of files) expect(f).not.toMatch(/^(Binance_|coin_)|-usd-max\.csv$/); // the shared files' names
  });

  it('holds the pooled universe: 16 coins, the Binance ones to 2026-03-30, without USDT, USDC and WBTC, and checks out row by row', () => {
    const { manifest, series } = readSnapshot();
    expect(SnapshotManifestSchema.parse(manifest)).toEqual(manifest);
    expect(series).toHaveLength(16);
    const bySymbol = new Map(manifest.series.map((s) => [s.symbol, s]));
    for (const s of ['BTC', 'ETH', 'SOL', 'BNB', 'XRP', 'ADA', 'DOGE', 'TRX']) expect(bySymbol.get(s)).toMatchObject({ source: 'binance', last: '2026-03-30' });
    expect(manifest.excluded.map((e) => `${e.symbol}:${e.reason}`)).toEqual(['USDC:stablecoin', 'USDT:stablecoin', 'WBTC:wrapped']);
    const readme = readFileSync(join(BUNDLED_SNAPSHOT_DIR, SNAPSHOT_README_FILE), 'utf8');
    expect(readme).toContain('CryptoDataDownload');
    expect(readme).toContain('CoinMarketCap');
  });
});
