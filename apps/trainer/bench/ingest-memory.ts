// `npm run bench:ingest -- --memory [MB]`: peak memory of one CSV ingest. Writes a CryptoDataDownload hourly file
// of about MB megabytes (default 200) into a temp folder, then ingests it into a fresh PGlite folder in a child
// process and reads that process's peak resident set (getrusage maxrss). The baseline, measured in the same run,
// is the same child ingesting a 24-row file: Node, tsx and PGlite themselves. Run with the child's own code, so
// `git stash` of the ingest code gives the figure before a change.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The child (in the data package: the memory regression test runs it too) prints one JSON line.
const CHILD = fileURLToPath(new URL('../../../packages/data/src/ingest/ingest-csv-child.ts', import.meta.url));
const HOUR_MS = 3_600_000;

/** Writes a CryptoDataDownload hourly export (newest first, as the exchange gives it) of `rows` hours. */
export function writeHourlyCsv(file: string, rows: number): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, 'Timestamps are UTC timezone,https://www.CryptoDataDownload.com\nUnix,Date,Symbol,Open,High,Low,Close,Volume BNCH,Volume USDT,tradecount\n');
    const t0 = Date.UTC(1990, 0, 1);
    let chunk = '';
    for (let i = rows - 1; i >= 0; i--) {
      const c = 100 + (i % 977) / 10;
      chunk += `${(t0 + i * HOUR_MS) / 1000}.0,2000-01-01 00-AM,BNCHUSDT,${c},${(c + 1.5).toFixed(2)},${(c - 1.25).toFixed(2)},${(c + 0.5).toFixed(2)},${(10 + (i % 13)).toFixed(3)},${(1000 + i % 1000).toFixed(2)},${i % 500}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

function ingestInChild(file: string, db: string): { maxRssMb: number; seconds: number; candles: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, db, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`The ingest child failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { ok: boolean; error?: string; maxRssMb: number; seconds: number; candles: number };
  if (!out.ok) throw new Error(`The ingest was refused: ${out.error}`);
  return out;
}

/** Runs the memory benchmark and prints its table. */
export function runMemoryBench(megabytes: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-mem-'));
  try {
    const big = join(dir, 'Binance_BNCHUSDT_1h.csv');
    writeHourlyCsv(big, Math.round((megabytes * 1e6) / 84)); // about 84 bytes a line
    const small = join(dir, 'small', 'Binance_BNCHUSDT_1h.csv');
    mkdirSync(join(dir, 'small'));
    writeHourlyCsv(small, 24);
    const base = ingestInChild(small, join(dir, 'db-small'));
    const run = ingestInChild(big, join(dir, 'db-big'));
    const mb = statSync(big).size / 1e6;
    console.log(`CSV ingest peak memory: one ${mb.toFixed(0)} MB CryptoDataDownload hourly file, ${run.candles.toLocaleString('en-US')} candles, into a fresh PGlite folder`);
    console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}`);
    console.log('| run | peak RSS (MB) | above baseline (MB) | above baseline / file size | seconds |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(`| 24-row file (baseline) | ${base.maxRssMb.toFixed(0)} | 0 | - | ${base.seconds.toFixed(1)} |`);
    console.log(`| ${mb.toFixed(0)} MB file | ${run.maxRssMb.toFixed(0)} | ${(run.maxRssMb - base.maxRssMb).toFixed(0)} | ${((run.maxRssMb - base.maxRssMb) / mb).toFixed(2)}x | ${run.seconds.toFixed(1)} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
