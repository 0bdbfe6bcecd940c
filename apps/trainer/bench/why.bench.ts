// `npx tsx apps/trainer/bench/why.bench.ts [--db <folder>]`: the "why this call" case of the browser benchmark
// (web-why.ts) on its own. Builds the dashboard and serves it over a database with the served pooled recipe trained
// and published (the one given with --db, else a temp PGlite with BTC, ETH and LTC from ../shared/data's Kaggle
// files, or three synthetic assets without them, trained one epoch: the weights differ from a full run's, the
// shapes and steps' cost do not), then prints web-why.ts's table.
import { openDatabase, upsertCandles } from '@coinsphere/data';
import { makeSyntheticCandles } from '@coinsphere/model/core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboard, CHROMIUM_PATH, HAS_CHROMIUM, launchChromium, runCli, startServe } from '../../../tests/support/web.ts';
import { benchWhyCase, whyTable } from './web-why.ts';

const args = process.argv.slice(2);
const dbArg = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
if (!HAS_CHROMIUM) {
  console.error(`The why bench needs Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH.`);
  process.exit(1);
}
const SHARED = process.env.COINSPHERE_SHARED_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
const KAGGLE = resolve(SHARED, 'kaggle-cryptocurrency-historical-prices');

/** A database with the pooled recipe trained at 7 days and published. */
async function prepare(work: string): Promise<string> {
  if (dbArg) return dbArg;
  const db = join(work, 'db');
  if (existsSync(KAGGLE)) {
    const r = await runCli(['ingest', '--db', db, '--csv', ...['coin_Bitcoin.csv', 'coin_Ethereum.csv', 'coin_Litecoin.csv'].map((f) => join(KAGGLE, f))]);
    if (r.code !== 0) throw new Error(`ingest failed: ${r.stderr}`);
  } else {
    const d = await openDatabase(db);
    for (const [k, s] of ['BTC', 'ETH', 'LTC'].entries()) await upsertCandles(d, makeSyntheticCandles(1200, 3 + k).map((c) => ({ ...c, symbol: s, interval: '1d' as const, source: 'synthetic' })));
    await d.close();
  }
  for (const cmd of [['train', '--db', db, '--pooled', '--horizons', '7', '--epochs', '1', '--quiet'], ['publish', '--db', db]]) {
    const r = await runCli(cmd, { COINSPHERE_ARTIFACTS: join(work, 'artifacts') });
    if (r.code !== 0) throw new Error(`${cmd[0]} failed: ${r.stderr}`);
  }
  return db;
}

const work = mkdtempSync(join(tmpdir(), 'cs-bench-why-'));
try {
  console.log(`Building the dashboard and preparing the pooled model (${existsSync(KAGGLE) ? 'Kaggle BTC, ETH, LTC' : 'synthetic candles'})…`);
  const [, db] = await Promise.all([buildDashboard(join(work, 'web')), prepare(work)]);
  const server = await startServe(db, join(work, 'web'), { COINSPHERE_ARTIFACTS: join(work, 'artifacts') });
  const browser = await launchChromium();
  try {
    const pages = await benchWhyCase(browser, server.url, 'BTC');
    console.log(`\nChromium ${browser.version()}, ${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}.\n`);
    for (const line of whyTable(pages)) console.log(line);
  } finally {
    await browser.close();
    await server.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
