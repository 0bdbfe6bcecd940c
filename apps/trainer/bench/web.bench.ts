// `npm run bench:web [-- --db <folder>] [--json] [--risk-only]`: the dashboard's in-browser inference in headless Chromium.
// Builds the dashboard, serves it with `coinsphere serve` over a database with a trained model (the one given
// with --db, else a temp PGlite with real BTC from ../shared/data, or synthetic candles without it, and a
// one-epoch model), then per backend: the median time of one window and of 256 windows on bench.html, and the
// time from navigation to the first in-browser prediction on the dashboard (a fresh browser context each, so
// nothing is cached). Baseline for the ratios: tfjs WASM in the same run; our WebGPU engine is also set against
// tfjs's WebGPU backend on the same adapter and against the fused engine. Then one asset's latest risk score
// (bench.html?case=risk: cold, the first call in a fresh page, which simulates the drawdown tables, and warm),
// against the same call in this Node process on the same candles (baseline), and the time the dashboard's risk
// panel reports. The database holds three assets (the score's percentiles need them); only one is trained. Last,
// the attributions of one prediction ("why this call", bench.html?case=why, web-why.ts) against the prediction.
import { openDatabase, upsertCandles } from '@coinsphere/data';
import { makeSyntheticCandles } from '@coinsphere/model';
import { assessRiskWithModel } from '@coinsphere/model/core';
import { CandlesSchema, RiskResponseSchema } from '@coinsphere/serving/contract';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { buildDashboard, CHROMIUM_PATH, HAS_CHROMIUM, launchChromium, runCli, startServe } from '../../../tests/support/web.ts';
import { benchWhyCase, whyTable } from './web-why.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const riskOnly = args.includes('--risk-only'); // the risk case alone (no backends, no WebGPU: a minute, not ten)
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
    const files = ['coin_Bitcoin.csv', 'coin_Ethereum.csv', 'coin_Litecoin.csv'].map((f) => sharedData('kaggle-cryptocurrency-historical-prices', f));
    const r = await runCli(['ingest', '--db', db, '--csv', ...files]);
    if (r.code !== 0) throw new Error(`ingest failed: ${r.stderr}`);
  } else {
    const d = await openDatabase(db);
    for (const [k, s] of [symbol, 'SYNB', 'SYNC'].entries()) await upsertCandles(d, makeSyntheticCandles(1200, 3 + k).map((c) => ({ ...c, symbol: s, interval: '1d' as const, source: 'synthetic' })));
    await d.close();
  }
  for (const cmd of [['train', '--db', db, '--symbol', symbol, '--epochs', '1', '--quiet'], ['publish', '--db', db]]) {
    const r = await runCli(cmd, { COINSPHERE_ARTIFACTS: join(work, 'artifacts') });
    if (r.code !== 0) throw new Error(`${cmd[0]} failed: ${r.stderr}`);
  }
  return { db, symbol };
}

/** What bench.html?case=risk reports (apps/web/src/bench-risk.ts). */
interface RiskBenchResult {
  day: string;
  fromDay: string;
  toDay: string;
  candles: number;
  fetchMs: number;
  coldMs: number;
  warm: { medianMs: number; reps: number; batches: number };
  score: number | null;
  servedScore: number | null;
}

/** The same computation in this process (fresh tables: nothing here has assessed before) on the same candles, warm
 *  in the page's batches. */
async function riskInNode(baseUrl: string, symbol: string, page: RiskBenchResult, reps: number) {
  const risk = RiskResponseSchema.parse(await (await fetch(`${baseUrl}/v1/risk/${symbol}`)).json());
  if (!risk.inputs) throw new Error(`/v1/risk/${symbol} has no inputs.`);
  const url = `${baseUrl}/v1/candles/${symbol}?from=${page.fromDay}&to=${page.toDay}&source=${encodeURIComponent(risk.inputs.candles.source)}`;
  const { candles } = CandlesSchema.parse(await (await fetch(url)).json());
  const startMs = Date.parse(`${risk.inputs.candles.firstDay}T00:00:00Z`);
  let t = performance.now();
  const first = assessRiskWithModel(risk.inputs.model, symbol, candles, startMs);
  const coldMs = performance.now() - t;
  const times: number[] = [];
  for (let b = 0; b < page.warm.batches; b++) {
    t = performance.now();
    for (let i = 0; i < reps; i++) assessRiskWithModel(risk.inputs.model, symbol, candles, startMs);
    times.push((performance.now() - t) / reps);
  }
  return { coldMs, warmMs: median(times), score: first.score.ok ? first.score.value : null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** The times the dashboard's risk panel shows in a fresh context: the score's computation (data-ms) and the drawdown
 *  tables it simulated first, while the candles downloaded (data-prepare-ms). */
async function dashboardRiskMs(browser: Browser, url: string, timeoutMs: number): Promise<{ ms: number; prepareMs: number }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('[data-testid=risk]:not([data-state=loading])', { timeout: timeoutMs });
  const { ms, prepareMs } = await page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-testid=risk-score]');
    return { ms: Number(el?.dataset.ms), prepareMs: Number(el?.dataset.prepareMs) };
  });
  await context.close();
  if (!Number.isFinite(ms)) throw new Error(`${url}: the risk panel computed no score.`);
  return { ms, prepareMs };
}

async function benchPage<T = BenchResult>(browser: Browser, url: string, timeoutMs: number): Promise<T> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: timeoutMs });
  const text = (await page.textContent('#result')) ?? '';
  await context.close();
  if (text.startsWith('Error')) throw new Error(`${url}: ${text}`);
  return JSON.parse(text) as T;
}

/** ms from navigation start to the dashboard's first in-browser prediction (performance mark), fresh context. */
async function firstPrediction(browser: Browser, url: string, timeoutMs: number): Promise<{ ms: number; backend: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url, { timeout: timeoutMs }); // after tfjs WebGPU, SwiftShader may still be busy with its queue
  await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: timeoutMs });
  const mark = await page.evaluate(() => {
    const m = performance.getEntriesByName('coinsphere:first-prediction')[0] as PerformanceMark | undefined;
    return m ? { ms: m.startTime, backend: (m.detail as { backend: string }).backend } : null;
  });
  await context.close();
  if (!mark) throw new Error(`${url}: the dashboard showed no prediction.`);
  return mark;
}

/** The page's WebGPU adapter, as the engine describes it (SwiftShader where there is no GPU). */
async function webgpuAdapter(browser: Browser, url: string): Promise<string> {
  const page = await browser.newPage();
  await page.goto(`${url}/v1/assets`); // any page of the origin: WebGPU needs a secure context (127.0.0.1 is one)
  const name = await page.evaluate(async () => {
    const a = await navigator.gpu?.requestAdapter();
    return a ? [a.info.vendor, a.info.architecture, a.info.description].filter(Boolean).join(' / ') : 'none';
  });
  await page.close();
  return name;
}

/** Fresh pages the risk case runs in (each a cold start), and warm calls per page. */
const RISK_PAGES = 5;
const RISK_REPS = 50;

/** The risk case: RISK_PAGES fresh bench pages, the Node baseline on the first page's candles, the dashboard's panel. */
async function benchRiskCase(browser: Browser, baseUrl: string, symbol: string) {
  const pages: RiskBenchResult[] = [];
  for (let i = 0; i < RISK_PAGES; i++) pages.push(await benchPage<RiskBenchResult>(browser, `${baseUrl}/bench.html?case=risk&symbol=${symbol}&reps=${RISK_REPS}`, 120_000));
  const node = await riskInNode(baseUrl, symbol, pages[0]!, RISK_REPS);
  const panel: Array<{ ms: number; prepareMs: number }> = [];
  for (let i = 0; i < RISK_PAGES; i++) panel.push(await dashboardRiskMs(browser, `${baseUrl}/?symbol=${symbol}&backend=fused`, 300_000));
  return { pages, node, dashboardPanelMs: panel.map((x) => x.ms), dashboardPrepareMs: panel.map((x) => x.prepareMs) };
}

function logRisk(r: Awaited<ReturnType<typeof benchRiskCase>>, symbol: string): void {
  const p = r.pages[0]!;
  const span = (xs: number[], digits = 1) => `${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}`;
  const cold = r.pages.map((x) => x.coldMs);
  const warm = r.pages.map((x) => x.warm.medianMs);
  const diff = p.score !== null && p.servedScore !== null ? Math.abs(p.score - p.servedScore).toExponential(1) : 'n/a';
  log(`\nRisk score of ${symbol} on ${p.day} from ${p.candles} candles (${p.fromDay} to ${p.toDay}); ${r.pages.length} fresh pages, warm: ${p.warm.batches} batches of ${p.warm.reps} calls each; baseline: the same call in Node in this run.`);
  log('| risk score | Chromium (ms, median of pages; range) | Node (ms) | Chromium / Node |');
  log('|---|---:|---:|---:|');
  log(`| cold: first call (drawdown tables simulated) | ${median(cold).toFixed(1)} (${span(cold)}) | ${r.node.coldMs.toFixed(1)} | ${(median(cold) / r.node.coldMs).toFixed(2)}x |`);
  log(`| warm: per call, median of the batches | ${median(warm).toFixed(2)} (${span(warm, 2)}) | ${r.node.warmMs.toFixed(2)} | ${(median(warm) / r.node.warmMs).toFixed(2)}x |`);
  log(`| dashboard's risk panel: the score once the candles are in (data-ms) | ${median(r.dashboardPanelMs).toFixed(2)} (${span(r.dashboardPanelMs, 2)}) | | |`);
  log(`| dashboard's risk panel: its drawdown tables, while the candles download (data-prepare-ms) | ${median(r.dashboardPrepareMs).toFixed(1)} (${span(r.dashboardPrepareMs)}) | | |`);
  log(`Fetching /v1/risk and the candles in the page: ${median(r.pages.map((x) => x.fetchMs)).toFixed(1)} ms. Browser score ${p.score} vs served ${p.servedScore} (difference ${diff}); Node ${r.node.score}.`);
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
    for (const backend of riskOnly ? [] : (['wasm', 'fused', 'webgpu', 'webgpu-tfjs'] as const)) {
      // tfjs's WebGPU takes tens of seconds a window on SwiftShader; ours about a tenth of a second
      const reps = { 'webgpu-tfjs': 'reps1=1&reps256=1', webgpu: 'reps1=10&reps256=2', wasm: 'reps1=15&reps256=3', fused: 'reps1=50&reps256=10' }[backend];
      log(`  ${backend}…`);
      const r = await benchPage(browser, `${server.url}/bench.html?backend=${backend}&symbol=${symbol}&${reps}`, 600_000);
      const first = await firstPrediction(browser, `${server.url}/?symbol=${symbol}&backend=${backend}`, 300_000);
      rows.push({ ...r, firstPredictionMs: first.ms });
      log(`    ${JSON.stringify(rows.at(-1))}`); // as it comes: a later failure keeps what was measured
    }
    const auto = riskOnly ? null : await firstPrediction(browser, `${server.url}/?symbol=${symbol}`, 300_000);
    log('  risk score…');
    const risk = await benchRiskCase(browser, server.url, symbol);
    log('  why this call…');
    const why = await benchWhyCase(browser, server.url, symbol);
    const result = { chromium: version, cpus: cpus().length, cpu: cpus()[0]?.model, symbol, rows, autoFirstPrediction: auto, risk, why };
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if (riskOnly) {
      log(`\nChromium ${version}, ${cpus().length} cores (${cpus()[0]?.model}).`);
      logRisk(risk, symbol);
      log('');
      for (const line of whyTable(why)) log(line);
    } else {
      const base = rows.find((r) => r.backend === 'wasm')!;
      log(`\nChromium ${version}, ${cpus().length} cores (${cpus()[0]?.model}); ${symbol}; baseline tfjs WASM in this run.\n`);
      log('| backend | 1 window (ms) | 256 windows (ms) | per window (ms) | vs WASM (1 / 256) | first call (ms) | navigation → first prediction (ms) |');
      log('|---|---:|---:|---:|---:|---:|---:|');
      for (const r of rows) {
        const x = (v: number) => `${v.toPrecision(2)}x`;
        const ratio = `${x(base.oneWindow.medianMs / r.oneWindow.medianMs)} / ${x(base.batch.medianMs / r.batch.medianMs)}`;
        log(`| ${r.backend} | ${r.oneWindow.medianMs.toFixed(2)} | ${r.batch.medianMs.toFixed(1)} | ${r.batch.perWindowMs.toFixed(3)} | ${ratio} | ${r.firstCallMs.toFixed(1)} | ${r.firstPredictionMs.toFixed(0)} |`);
      }
      const ours = rows.find((r) => r.backend === 'webgpu')!, tfWebgpu = rows.find((r) => r.backend === 'webgpu-tfjs')!, fused = rows.find((r) => r.backend === 'fused')!;
      const ratio = (a: BenchResult, b: BenchResult) => `${(a.oneWindow.medianMs / b.oneWindow.medianMs).toPrecision(3)}x (1 window) / ${(a.batch.medianMs / b.batch.medianMs).toPrecision(3)}x (256)`;
      log(`\nWebGPU adapter: ${await webgpuAdapter(browser, server.url)}.`);
      log(`Our WebGPU engine against tfjs WebGPU on that adapter: ${ratio(tfWebgpu, ours)} faster; against the fused WebAssembly engine: ${ratio(fused, ours)} (below 1: slower).`);
      log(`\nAutomatic choice on a first visit: first prediction after ${auto!.ms.toFixed(0)} ms on ${auto!.backend} (the measurement runs after it).`);
      logRisk(risk, symbol);
      log('');
      for (const line of whyTable(why)) log(line);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
