// `npm run bench:web [-- --db <folder>] [--json]`: the dashboard's in-browser inference in headless Chromium.
// Builds the dashboard, serves it with `coinsphere serve` over a database with a trained model (the one given
// with --db, else a temp PGlite with real BTC from ../shared/data, or synthetic candles without it, and a
// one-epoch model), then per backend: the median time of one window and of 256 windows on bench.html, and the
// time from navigation to the first in-browser prediction on the dashboard (a fresh browser context each, so
// nothing is cached). Baseline for the ratios: tfjs WASM in the same run.
import { openDatabase, upsertCandles } from '@coinsphere/data';
import { makeSyntheticCandles } from '@coinsphere/model';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { buildDashboard, CHROMIUM_PATH, HAS_CHROMIUM, launchChromium, runCli, startServe } from '../../../tests/support/web.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const dbArg = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
if (!HAS_CHROMIUM) {
  console.error(`bench:web needs Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH.`);
  process.exit(1);
}
// ../shared/data beside the checkout (tests/support/shared-data.ts imports vitest, so not from there).
const SHARED_DATA_DIR = process.env.COINSPHERE_SHARED_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
const HAS_SHARED_DATA = existsSync(SHARED_DATA_DIR);
const sharedData = (...parts: string[]) => resolve(SHARED_DATA_DIR, ...parts);
const log = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);

interface BenchResult {
  backend: string;
  loadMs: number;
  firstCallMs: number;
  oneWindow: { medianMs: number; reps: number };
  batch: { n: number; medianMs: number; perWindowMs: number; reps: number };
}

/** A database with a trained, published model; returns its folder, the symbol and a cleanup. */
async function prepareDatabase(work: string): Promise<{ db: string; symbol: string }> {
  if (dbArg) return { db: dbArg, symbol: 'BTC' };
  const db = join(work, 'db');
  const symbol = HAS_SHARED_DATA ? 'BTC' : 'SYN';
  if (HAS_SHARED_DATA) {
    const r = await runCli(['ingest', '--db', db, '--csv', sharedData('kaggle-cryptocurrency-historical-prices', 'coin_Bitcoin.csv')]);
    if (r.code !== 0) throw new Error(`ingest failed: ${r.stderr}`);
  } else {
    const d = await openDatabase(db);
    await upsertCandles(d, makeSyntheticCandles(1200, 3).map((c) => ({ ...c, symbol, interval: '1d' as const, source: 'synthetic' })));
    await d.close();
  }
  for (const cmd of [['train', '--db', db, '--symbol', symbol, '--epochs', '1', '--quiet'], ['publish', '--db', db]]) {
    const r = await runCli(cmd, { COINSPHERE_ARTIFACTS: join(work, 'artifacts') });
    if (r.code !== 0) throw new Error(`${cmd[0]} failed: ${r.stderr}`);
  }
  return { db, symbol };
}

async function benchPage(browser: Browser, url: string, timeoutMs: number): Promise<BenchResult> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: timeoutMs });
  const text = (await page.textContent('#result')) ?? '';
  await context.close();
  if (text.startsWith('Error')) throw new Error(`${url}: ${text}`);
  return JSON.parse(text) as BenchResult;
}

/** ms from navigation start to the dashboard's first in-browser prediction (performance mark), fresh context. */
async function firstPrediction(browser: Browser, url: string, timeoutMs: number): Promise<{ ms: number; backend: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: timeoutMs });
  const mark = await page.evaluate(() => {
    const m = performance.getEntriesByName('coinsphere:first-prediction')[0] as PerformanceMark | undefined;
    return m ? { ms: m.startTime, backend: (m.detail as { backend: string }).backend } : null;
  });
  await context.close();
  if (!mark) throw new Error(`${url}: the dashboard showed no prediction.`);
  return mark;
}

const work = mkdtempSync(join(tmpdir(), 'cs-bench-web-'));
try {
  log('Building the dashboard and preparing a model…');
  const [, { db, symbol }] = await Promise.all([buildDashboard(join(work, 'web')), prepareDatabase(work)]);
  const server = await startServe(db, join(work, 'web'), { COINSPHERE_ARTIFACTS: join(work, 'artifacts') });
  const browser = await launchChromium();
  try {
    const version = browser.version();
    const rows: Array<BenchResult & { firstPredictionMs: number }> = [];
    for (const backend of ['wasm', 'fused', 'webgpu'] as const) {
      const slow = backend === 'webgpu';
      const reps = slow ? 'reps1=1&reps256=1' : backend === 'wasm' ? 'reps1=15&reps256=3' : 'reps1=50&reps256=10';
      log(`  ${backend}…`);
      const r = await benchPage(browser, `${server.url}/bench.html?backend=${backend}&symbol=${symbol}&${reps}`, 600_000);
      const first = await firstPrediction(browser, `${server.url}/?symbol=${symbol}&backend=${backend}`, 300_000);
      rows.push({ ...r, firstPredictionMs: first.ms });
    }
    const auto = await firstPrediction(browser, `${server.url}/?symbol=${symbol}`, 300_000);
    const base = rows.find((r) => r.backend === 'wasm')!;
    const result = { chromium: version, cpus: cpus().length, cpu: cpus()[0]?.model, symbol, rows, autoFirstPrediction: auto };
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      log(`\nChromium ${version}, ${cpus().length} cores (${cpus()[0]?.model}); ${symbol}; baseline tfjs WASM in this run.\n`);
      log('| backend | 1 window (ms) | 256 windows (ms) | per window (ms) | vs WASM (1 / 256) | first call (ms) | navigation → first prediction (ms) |');
      log('|---|---:|---:|---:|---:|---:|---:|');
      for (const r of rows) {
        const x = (v: number) => `${v.toPrecision(2)}x`;
        const ratio = `${x(base.oneWindow.medianMs / r.oneWindow.medianMs)} / ${x(base.batch.medianMs / r.batch.medianMs)}`;
        log(`| ${r.backend} | ${r.oneWindow.medianMs.toFixed(2)} | ${r.batch.medianMs.toFixed(1)} | ${r.batch.perWindowMs.toFixed(3)} | ${ratio} | ${r.firstCallMs.toFixed(1)} | ${r.firstPredictionMs.toFixed(0)} |`);
      }
      log(`\nAutomatic choice on a first visit: first prediction after ${auto.ms.toFixed(0)} ms on ${auto.backend} (the measurement runs after it).`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
