// `npm run bench:ingest`: loads every CSV in ../shared/data into a fresh PGlite folder and a fresh PostgreSQL
// database (127.0.0.1), then loads it again (unchanged re-ingest), and prints rows/s. The baseline, measured in
// the same run, is reading and validating the files without a database; ratios are against it.
// `npm run bench:ingest -- --memory [MB]` measures the peak memory of one generated file instead (ingest-memory.ts).
import { ingestCsv, listCsvFiles, openDatabase, scanCsvFile } from '@coinsphere/data';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempDatabase } from '../../../tests/support/postgres.ts';

if (process.argv[2] === '--memory') {
  const { runMemoryBench } = await import('./ingest-memory.ts');
  runMemoryBench(Number(process.argv[3] ?? 200));
  process.exit(0);
}

// The data folder: the first argument, else ../shared/data beside the checkout.
const SHARED_DATA_DIR = resolve(process.argv[2] ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url)));
if (!existsSync(SHARED_DATA_DIR)) {
  console.error(`bench:ingest needs ${SHARED_DATA_DIR}; pass the data folder: npm run bench:ingest -- <folder>.`);
  process.exit(1);
}
const inputs = readdirSync(SHARED_DATA_DIR).map((f) => join(SHARED_DATA_DIR, f)).filter((p) => statSync(p).isDirectory());

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

// Baseline: parse + validate every file, no database.
const files = listCsvFiles(inputs);
const parse = await time(async () => {
  let n = 0;
  for (const f of files) n += (await scanCsvFile(f)).candles; // pass one of the ingest: read and check, no rows kept
  return n;
});
const rows = parse.value;

const results: Array<{ name: string; ms: number }> = [{ name: 'parse + validate only (baseline)', ms: parse.ms }];

const dir = mkdtempSync(join(tmpdir(), 'cs-bench-'));
const pg = await createTempDatabase('cs_bench');
try {
  for (const [name, target] of [['PGlite', join(dir, 'db')], ['PostgreSQL', pg.url]] as const) {
    const db = await openDatabase(target);
    try {
      const first = await time(() => ingestCsv(db, inputs));
      const again = await time(() => ingestCsv(db, inputs));
      results.push({ name: `${name}: first load`, ms: first.ms }, { name: `${name}: re-ingest (unchanged)`, ms: again.ms });
    } finally {
      await db.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await pg.drop();
}

console.log(`Ingest of ${files.length} files, ${rows} candles from ${SHARED_DATA_DIR}`);
console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}`);
console.log('| run | seconds | rows/s | time vs baseline |');
console.log('|---|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.name} | ${(r.ms / 1000).toFixed(2)} | ${Math.round(rows / (r.ms / 1000)).toLocaleString('en-US')} | ${(r.ms / parse.ms).toFixed(1)}x |`);
}
