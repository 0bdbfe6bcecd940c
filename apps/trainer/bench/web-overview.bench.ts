// `npm run bench:web:overview [-- --keep <folder>] [--reps 5]` (issue #18): the time from navigation to the overview
// page with every asset's row drawn (its `coinsphere:overview-ready` mark), in fresh browser contexts so nothing is
// cached, beside the baseline measured in the same run on the same server: the asset page's navigation to its first
// in-browser prediction (the figure the dashboard was already held to). Also counts the rows and the requests the
// page made, and the slowest of them. The database: the bundled snapshot's 16 assets (what `npm start` loads
// offline), BTC and ETH trained for one epoch and published, so most rows are assets without a model; --keep
// <folder> prepares it there once and reuses it on the next run (db/ and artifacts/ inside).
import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { buildDashboard, CHROMIUM_PATH, HAS_CHROMIUM, launchChromium, runCli, startServe } from '../../../tests/support/web.ts';

/** What one fresh overview load took. */
interface OverviewLoad {
  ms: number;
  rows: number;
  requests: number;
  /** The slowest requests: path, ms, bytes. */
  slowest: Array<[string, number, number]>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Opens `url` in a fresh context and waits for `mark`; returns its time from navigation and what the page fetched. */
async function timeToMark(browser: Browser, url: string, mark: string): Promise<OverviewLoad> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: 300_000 });
  const seen = await page.evaluate((name) => {
    const m = performance.getEntriesByName(name)[0] as PerformanceMark | undefined;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const slowest = resources
      .map((r): [string, number, number] => [new URL(r.name).pathname + new URL(r.name).search, Math.round(r.responseEnd - r.startTime), r.encodedBodySize])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6);
    return m ? { ms: m.startTime, rows: document.querySelectorAll('[data-testid=overview] tbody tr').length, requests: resources.length, slowest } : null;
  }, mark);
  await context.close();
  if (!seen) throw new Error(`${url}: no ${mark} mark (the page ended in an error?).`);
  return seen;
}

/** `reps` fresh loads of the overview and of the asset page of `symbol` (the baseline), alternating. */
async function benchOverview(browser: Browser, baseUrl: string, symbol: string, reps = 5) {
  const overview: OverviewLoad[] = [];
  const asset: OverviewLoad[] = [];
  await timeToMark(browser, `${baseUrl}/overview.html`, 'coinsphere:overview-ready'); // warm the server's caches once
  for (let i = 0; i < reps; i++) {
    overview.push(await timeToMark(browser, `${baseUrl}/overview.html`, 'coinsphere:overview-ready'));
    asset.push(await timeToMark(browser, `${baseUrl}/?symbol=${symbol}&backend=fused`, 'coinsphere:first-prediction'));
  }
  return { overview, asset };
}

/** The overview case as a BENCHMARKS.md table. */
function logOverview(r: Awaited<ReturnType<typeof benchOverview>>, symbol: string, log: (s: string) => void): void {
  const o = r.overview.map((x) => x.ms);
  const a = r.asset.map((x) => x.ms);
  const span = (xs: number[]) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;
  log(`\nOverview: ${r.overview[0]!.rows} asset rows, ${r.overview[0]!.requests} requests; ${r.overview.length} fresh contexts each; baseline: the ${symbol} asset page's first prediction (fused) in the same run.`);
  log('| page | navigation → ready (ms, median; range) | vs baseline |');
  log('|---|---:|---:|');
  log(`| overview, every asset drawn | ${median(o).toFixed(0)} (${span(o)}) | ${(median(o) / median(a)).toFixed(2)}x |`);
  log(`| asset page, first prediction (baseline) | ${median(a).toFixed(0)} (${span(a)}) | 1.00x |`);
  log(`Slowest requests of the last overview load (ms, bytes): ${r.overview.at(-1)!.slowest.map(([p, ms, b]) => `${p} ${ms} ms ${b} B`).join('; ')}`);
}

/** The bundled snapshot's assets, BTC and ETH trained for one epoch, published. */
async function snapshotDatabase(work: string): Promise<{ db: string; env: Record<string, string> }> {
  const db = join(work, 'db');
  const env = { COINSPHERE_ARTIFACTS: join(work, 'artifacts') };
  if (existsSync(join(work, 'artifacts'))) return { db, env }; // prepared by an earlier run with --keep
  for (const cmd of [['ingest', '--db', db, '--snapshot'], ...['BTC', 'ETH'].map((s) => ['train', '--db', db, '--symbol', s, '--epochs', '1', '--quiet']), ['publish', '--db', db]]) {
    const r = await runCli(cmd, env);
    if (r.code !== 0) throw new Error(`${cmd[0]} failed: ${r.stderr}`);
  }
  return { db, env };
}

const args = process.argv.slice(2);
const flagValue = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
if (!HAS_CHROMIUM) {
  console.error(`bench:web:overview needs Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH.`);
  process.exit(1);
}
const reps = Number(flagValue('--reps') ?? 5);
const work = mkdtempSync(join(tmpdir(), 'cs-bench-overview-'));
try {
  console.log('Building the dashboard and preparing the snapshot database…');
  const keep = flagValue('--keep');
  const [, prepared] = await Promise.all([buildDashboard(join(work, 'web')), snapshotDatabase(keep ?? work)]);
  const server = await startServe(prepared.db, join(work, 'web'), prepared.env);
  const browser = await launchChromium();
  try {
    const result = await benchOverview(browser, server.url, 'BTC', reps);
    console.log(`\nChromium ${browser.version()}, ${cpus().length} cores (${cpus()[0]?.model}).`);
    logOverview(result, 'BTC', (s) => console.log(s));
  } finally {
    await browser.close();
    await server.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
