// A CSV ingest in a process of its own, for measuring it: `node --import tsx ingest-csv-child.ts <PGlite folder>
// <csv>…` ingests the files into a fresh PGlite folder and prints one JSON line: what happened (the candles stored,
// or the refusal's message), the series then in the database, the process's peak resident set (MB) and the
// seconds the ingest took. Used by the memory regression test and `npm run bench:ingest -- --memory`.
import { listSeries } from '../candles.ts';
import { openDatabase } from '../open-database.ts';
import { ingestCsv } from './ingest-csv.ts';

const [folder, ...files] = process.argv.slice(2);
if (!folder || files.length === 0) throw new Error('usage: ingest-csv-child.ts <new PGlite folder> <csv file>…');
const db = await openDatabase(folder);
try {
  const started = performance.now();
  const outcome = await ingestCsv(db, files).then(
    (report) => ({ ok: true, candles: report.files.reduce((n, f) => n + f.candles, 0) }),
    (error: unknown) => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
  const seconds = (performance.now() - started) / 1000;
  const maxRssMb = (process.resourceUsage().maxRSS * 1024) / 1e6; // maxRSS is in KiB
  console.log(JSON.stringify({ ...outcome, series: (await listSeries(db)).length, maxRssMb, seconds }));
} finally {
  await db.close();
}
