// One model and one day, five runtimes, one answer: a BTC model of the specification's feature set (which reads
// hourly candles for change_1h) trained by the CLI on daily candles plus hourly candles covering the last 60 days,
// then the same prediction from `coinsphere predict`, `coinsphere publish` (read back from the Node API and from the
// Worker it pushed to with --edge), the Node API's POST /v1/predict, the Worker's in workerd, and the dashboard's
// fused backend in Chromium. Every one goes through @coinsphere/model's predictWithArtifact, so all must give the
// same probabilities within 1e-6; a runtime that dropped the hourly candles would be off by far more (checked).
// The POST bodies are the daily candles the API serves (GET /v1/candles) and its hourly candles (?interval=1h) of the
// days of the model's one window, as a client sends them (change_1h of day t reads day t's hourly candles only;
// a client sends what the window reads, not all 60 days). Builds the dashboard and the Worker bundle once, while
// the CLI trains. Three more assets with daily candles only make a risk panel, so the same test checks the Degen Risk
// Score of BTC's newest day: publish's (Node, read back from the Node API and from the Worker), and the score
// computed from the served model and candles in this Node process, inside workerd and on the dashboard in Chromium,
// all within 1e-9.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase, upsertCandles } from '@coinsphere/data';
import { assessRiskWithModel, makeSyntheticCandles, RISK_CANDLE_DAYS, type Candle, type RiskAssessment } from '@coinsphere/model/core';
import { RiskResponseSchema, type RiskResponse } from '@coinsphere/serving/contract';
import { Miniflare } from 'miniflare';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from './support/shared-data.ts';
import { HAS_CHROMIUM, launchChromium, runCli, runCliHere, type ServeProcess, sharedDashboardBuild, startServe } from './support/web.ts';

const TOKEN = 'parity-token-0123456789abcdef';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DAILY_DAYS = 400;
const HOURLY_DAYS = 60;
const WINDOW_BARS = 10;
const TOLERANCE = 1e-6;
const CLASSES = ['bearish', 'neutral', 'bullish'] as const;

type Probabilities = Record<(typeof CLASSES)[number], number>;
interface Answer {
  asOf: string;
  class: string;
  probabilities: Probabilities;
  modelVersion: string;
  /** The out-of-distribution check of the window (#16): the same code in every runtime, so the same flag. */
  monitoring: { outOfDistribution: { flag: boolean; distance: number } | null };
}

const daily = makeSyntheticCandles(DAILY_DAYS, 21, { startMs: Date.UTC(2020, 0, 1) });
const lastDayMs = daily.at(-1)!.openTimeMs;
/** Hourly candles of the last HOURLY_DAYS days, the last one at 23:00 of the last daily candle's day. */
const hourly: Candle[] = makeSyntheticCandles(HOURLY_DAYS * 24, 22, { volatility: 0.004 }).map((c, i) => ({ ...c, openTimeMs: lastDayMs - (HOURLY_DAYS - 1) * DAY_MS + i * HOUR_MS }));
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Assets with daily candles only: with BTC, the four a risk panel pools its fits and percentiles over. */
const RISK_PEERS = [['ETH', 31], ['SOL', 41], ['XRP', 51]] as const;
const RISK_TOLERANCE = 1e-9;

const s = {} as { work: string; webDir: string; workerDir: string; riskWorkerDir: string; mf: Miniflare; riskMf: Miniflare; serve: ServeProcess; browser: Browser; predict: Answer; publishOut: Answer };

/** The dashboard build (the run's shared one; its teardown removes it) and the Worker bundle (`wrangler deploy
 *  --dry-run`, as a deploy bundles it), in parallel. */
async function buildBoth(): Promise<void> {
  s.workerDir = mkdtempSync(join(tmpdir(), 'cs-parity-worker-'));
  s.riskWorkerDir = mkdtempSync(join(tmpdir(), 'cs-parity-risk-worker-'));
  const wrangler = { cwd: REPO_ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } };
  await Promise.all([
    sharedDashboardBuild(inject('dashboardRunDir')).then((b) => void (s.webDir = b.dir)),
    promisify(execFile)('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', s.workerDir], wrangler),
    // the risk module alone in a Worker (tests/support/risk-worker.ts), bundled as wrangler bundles the API's
    promisify(execFile)('npx', ['wrangler', 'deploy', 'tests/support/risk-worker.ts', '--dry-run', '--outdir', s.riskWorkerDir, '--name', 'risk-parity', '--compatibility-date', '2025-04-01'], wrangler),
  ]);
}

beforeAll(async () => {
  s.work = mkdtempSync(join(tmpdir(), 'cs-parity-'));
  const dbDir = join(s.work, 'db');
  const builds = buildBoth();
  builds.catch(() => undefined); // awaited below; a failure surfaces there
  const db = await openDatabase(dbDir);
  await upsertCandles(db, [
    ...daily.map((c) => ({ ...c, symbol: 'BTC', interval: '1d' as const, source: 'synthetic' })),
    ...hourly.map((c) => ({ ...c, symbol: 'BTC', interval: '1h' as const, source: 'synthetic' })),
    ...RISK_PEERS.flatMap(([symbol, seed]) => makeSyntheticCandles(DAILY_DAYS, seed, { startMs: Date.UTC(2020, 0, 1) }).map((c) => ({ ...c, symbol, interval: '1d' as const, source: 'synthetic' }))),
  ]);
  await db.close();
  const project = { COINSPHERE_ARTIFACTS: join(s.work, 'artifacts') }; // every command reads models under this root
  // Training is setup (in this process); predict and publish, which the test compares, run as the user runs them.
  const train = await runCliHere(['train', '--db', dbDir, '--symbol', 'BTC', '--epochs', '1', '--window', String(WINDOW_BARS), '--quiet'], project);
  expect(train.code, train.stderr).toBe(0);
  const predict = await runCli(['predict', '--db', dbDir, '--symbol', 'BTC', '--horizon', '7', '--json'], project);
  expect(predict.code, predict.stderr).toBe(0);
  s.predict = JSON.parse(predict.stdout) as Answer;

  await builds;
  s.mf = new Miniflare({
    modules: true,
    scriptPath: join(s.workerDir, 'worker.js'),
    modulesRoot: s.workerDir,
    compatibilityDate: '2025-04-01',
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    kvNamespaces: ['PREDICTIONS'],
    ratelimits: { RATE_LIMIT_READ: { simple: { limit: 1000, period: 60 } }, RATE_LIMIT_PREDICT: { simple: { limit: 1000, period: 60 } } },
    bindings: { COINSPHERE_API_TOKEN: TOKEN, CACHE_MAX_AGE_SECONDS: '60' },
  });
  s.riskMf = new Miniflare({ modules: true, scriptPath: join(s.riskWorkerDir, 'risk-worker.js'), modulesRoot: s.riskWorkerDir, compatibilityDate: '2025-04-01' });
  const edgeUrl = (await s.mf.ready).toString();
  const publish = await runCli(['publish', '--db', dbDir, '--json', '--edge', edgeUrl], { ...project, COINSPHERE_API_TOKEN: TOKEN });
  expect(publish.code, publish.stderr).toBe(0);
  s.publishOut = (JSON.parse(publish.stdout) as { predictions: Answer[] }).predictions[0]!;
  s.serve = await startServe(dbDir, s.webDir, project);
  if (HAS_CHROMIUM) s.browser = await launchChromium();
}, 400_000);

afterAll(async () => {
  await s.browser?.close();
  await s.serve?.stop();
  await s.mf?.dispose();
  await s.riskMf?.dispose();
  for (const dir of [s.work, s.workerDir, s.riskWorkerDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const json = async <T>(res: Response | { json(): Promise<unknown>; status: number }): Promise<T> => {
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};

/** The candles the API serves for the model: the full daily history and the hourly candles of the last `hourlyDays`. */
async function servedInputs(hourlyDays = WINDOW_BARS): Promise<{ candles: Candle[]; hourly: Candle[] }> {
  const to = isoDay(lastDayMs);
  const { candles } = await json<{ candles: Candle[] }>(await fetch(`${s.serve.url}/v1/candles/BTC?from=${isoDay(daily[0]!.openTimeMs)}&to=${to}`));
  const h = await json<{ candles: Candle[] }>(await fetch(`${s.serve.url}/v1/candles/BTC?interval=1h&from=${isoDay(lastDayMs - (hourlyDays - 1) * DAY_MS)}&to=${to}`));
  return { candles, hourly: h.candles };
}

const body = (inputs: { candles: Candle[]; hourly?: Candle[] }) => JSON.stringify({ symbol: 'BTC', horizonDays: 7, ...inputs });
const postNode = async (inputs: { candles: Candle[]; hourly?: Candle[] }) =>
  json<Answer>(await fetch(`${s.serve.url}/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(inputs) }));
const postWorker = async (inputs: { candles: Candle[]; hourly?: Candle[] }) =>
  json<Answer>(await s.mf.dispatchFetch('http://localhost/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.9' }, body: body(inputs) }));

/** The dashboard's own prediction on the fused engine, as it shows it. */
async function browserAnswer(): Promise<Answer> {
  const page = await s.browser.newPage();
  try {
    await page.goto(`${s.serve.url}/?symbol=BTC&horizon=7&backend=fused`);
    await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: 120_000 });
    const shown = await page.evaluate(() => ({
      state: document.body.dataset.state ?? '',
      notices: document.getElementById('notices')!.innerText,
      backend: document.querySelector<HTMLElement>('[data-testid=backend-used]')!.dataset.value ?? '',
      probabilities: JSON.parse(document.querySelector<HTMLElement>('[data-testid=prediction-probabilities]')!.dataset.value ?? '[]') as number[],
      cls: document.querySelector<HTMLElement>('[data-testid=prediction-class]')!.textContent ?? '',
      ood: { ...document.querySelector<HTMLElement>('[data-testid=prediction-monitoring]')!.dataset },
    }));
    expect(shown.state, shown.notices).toBe('ready');
    expect(shown.backend).toBe('fused');
    const [bearish, neutral, bullish] = shown.probabilities as [number, number, number];
    const outOfDistribution = shown.ood.distance ? { flag: shown.ood.ood === 'true', distance: Number(shown.ood.distance) } : null;
    return { asOf: s.predict.asOf, class: shown.cls, probabilities: { bearish, neutral, bullish }, modelVersion: s.predict.modelVersion, monitoring: { outOfDistribution } };
  } finally {
    await page.close();
  }
}

describe('one model and one day with hourly candles covering the last day', () => {
  it('gives the same probabilities (1e-6) from predict, publish, the Node API, the Worker in workerd and the browser', async () => {
    expect(s.predict.asOf).toBe(isoDay(lastDayMs));
    expect((await servedInputs(HOURLY_DAYS)).hourly.map((k) => k.openTimeMs)).toEqual(hourly.map((k) => k.openTimeMs)); // all the CLI reads
    const inputs = await servedInputs();
    expect(inputs.candles).toHaveLength(DAILY_DAYS);
    expect(inputs.hourly).toHaveLength(WINDOW_BARS * 24);
    expect(inputs.hourly.at(-1)!.openTimeMs).toBe(lastDayMs + 23 * HOUR_MS);

    const readBack = await json<Answer>(await fetch(`${s.serve.url}/v1/predictions/BTC?horizon=7`));
    const edgeReadBack = await json<Answer>(await s.mf.dispatchFetch('http://localhost/v1/predictions/BTC?horizon=7'));
    const answers: Record<string, Answer> = {
      'coinsphere predict': s.predict,
      'coinsphere publish (Node API read-back)': readBack,
      'coinsphere publish --edge (Worker read-back)': edgeReadBack,
      'POST /v1/predict on Node': await postNode(inputs),
      'POST /v1/predict on the Worker (workerd)': await postWorker(inputs),
    };
    if (HAS_CHROMIUM) answers['browser, fused backend (Chromium)'] = await browserAnswer();
    else console.warn(`[skip] the browser's answer: no Chromium here`);
    console.log(`[five-runtime-parity] probabilities as of ${s.predict.asOf}, model ${s.predict.modelVersion}:\n${Object.entries(answers).map(([who, a]) => `  ${who}: ${CLASSES.map((c) => `${c} ${a.probabilities[c].toFixed(9)}`).join(', ')}`).join('\n')}`);

    const spread = Math.max(...Object.values(answers).flatMap((a) => CLASSES.map((c) => Math.abs(a.probabilities[c] - s.predict.probabilities[c]))));
    console.log(`[five-runtime-parity] largest difference from predict's: ${spread.toExponential(3)}`);
    for (const [who, a] of Object.entries(answers)) {
      for (const c of CLASSES) expect(Math.abs(a.probabilities[c] - s.predict.probabilities[c]), `${who}: ${c} ${a.probabilities[c]} vs predict's ${s.predict.probabilities[c]}`).toBeLessThanOrEqual(TOLERANCE);
      expect([who, a.class, a.modelVersion, a.asOf]).toEqual([who, s.predict.class, s.predict.modelVersion, s.predict.asOf]);
      const ood = a.monitoring.outOfDistribution;
      expect(ood, who).not.toBeNull();
      expect([who, ood!.flag, ood!.distance]).toEqual([who, s.predict.monitoring.outOfDistribution!.flag, s.predict.monitoring.outOfDistribution!.distance]);
    }
    for (const c of CLASSES) expect(s.publishOut.probabilities[c]).toBe(readBack.probabilities[c]); // the batch printed is the batch stored
    // "why this call" (#18) travels with the stored prediction to the Worker unchanged
    expect((readBack as { attributions?: { features: unknown[] } }).attributions?.features).toHaveLength(20);
    expect((edgeReadBack as { attributions?: unknown }).attributions).toEqual((readBack as { attributions?: unknown }).attributions);
    // A dashboard served by the Worker reads the hourly candles publish --edge pushed, the ones the Node API serves.
    const range = `from=${isoDay(lastDayMs - 29 * DAY_MS)}&to=${isoDay(lastDayMs)}`;
    const onNode = await json<{ candles: Candle[] }>(await fetch(`${s.serve.url}/v1/candles/BTC?interval=1h&${range}`));
    const onEdge = await json<{ candles: Candle[] }>(await s.mf.dispatchFetch(`http://localhost/v1/candles/BTC?interval=1h&${range}`, { headers: { 'cf-connecting-ip': '192.0.2.9' } }));
    expect(onNode.candles.length).toBeGreaterThanOrEqual(24 * 29);
    expect(onEdge.candles).toEqual(onNode.candles);
  }, 180_000);

  it('would catch a runtime that drops the hourly candles: without them the same day predicts measurably differently', async () => {
    const inputs = await servedInputs();
    const without = await postNode({ candles: inputs.candles });
    const gap = Math.max(...CLASSES.map((c) => Math.abs(without.probabilities[c] - s.predict.probabilities[c])));
    console.log(`[five-runtime-parity] without hourly candles the probabilities move by up to ${gap.toExponential(3)}`);
    expect(gap).toBeGreaterThan(10 * TOLERANCE);
    const edge = await postWorker({ candles: inputs.candles });
    for (const c of CLASSES) expect(Math.abs(edge.probabilities[c] - without.probabilities[c])).toBeLessThanOrEqual(TOLERANCE);
  });

  it('gives the same Degen Risk Score (1e-9) from publish (Node API and Worker read-back) and computed from the served model in Node, in workerd and in Chromium', async () => {
    const node = RiskResponseSchema.parse(await json<RiskResponse>(await fetch(`${s.serve.url}/v1/risk/BTC`)));
    const edge = RiskResponseSchema.parse(await json<RiskResponse>(await s.mf.dispatchFetch('http://localhost/v1/risk/BTC', { headers: { 'cf-connecting-ip': '192.0.2.9' } })));
    expect(edge).toEqual(node); // publish --edge pushed what the database holds
    expect(node.day).toBe(isoDay(lastDayMs));
    expect(node.score.ok, JSON.stringify(node.score)).toBe(true);
    const served = (node.score as { value: number }).value;
    const inputs = node.inputs!;
    expect(inputs.candles).toEqual({ source: 'synthetic', firstDay: isoDay(daily[0]!.openTimeMs) });
    // the candles a client reads: the last RISK_CANDLE_DAYS days of the series, from the Node API and from the Worker
    const range = `from=${isoDay(lastDayMs - (RISK_CANDLE_DAYS - 1) * DAY_MS)}&to=${node.day}&source=${inputs.candles.source}`;
    const { candles } = await json<{ candles: Candle[] }>(await fetch(`${s.serve.url}/v1/candles/BTC?${range}`));
    const edgeCandles = await json<{ candles: Candle[] }>(await s.mf.dispatchFetch(`http://localhost/v1/candles/BTC?${range}`, { headers: { 'cf-connecting-ip': '192.0.2.9' } }));
    expect(edgeCandles.candles).toEqual(candles);
    const historyStartMs = Date.parse(`${inputs.candles.firstDay}T00:00:00Z`);
    const scoreOf = (a: RiskAssessment) => (a.score as { ok: true; value: number }).value;
    const scores: Record<string, number> = {
      'coinsphere publish (Node API read-back)': served,
      'coinsphere publish --edge (Worker read-back)': (edge.score as { value: number }).value,
      'the served model and candles, in Node': scoreOf(assessRiskWithModel(inputs.model, 'BTC', candles, historyStartMs)),
      'the served model and candles, in workerd': scoreOf(await json<RiskAssessment>(await s.riskMf.dispatchFetch('http://localhost/', { method: 'POST', body: JSON.stringify({ model: inputs.model, symbol: 'BTC', candles, historyStartMs }) }))),
    };
    if (HAS_CHROMIUM) scores['the dashboard (Chromium)'] = await browserRisk();
    else console.warn(`[skip] the browser's risk score: no Chromium here`);
    console.log(`[five-runtime-parity] BTC risk score on ${node.day}:\n${Object.entries(scores).map(([who, v]) => `  ${who}: ${v.toFixed(12)}`).join('\n')}`);
    for (const [who, v] of Object.entries(scores)) expect(Math.abs(v - served), `${who}: ${v} vs publish's ${served}`).toBeLessThanOrEqual(RISK_TOLERANCE);
  }, 120_000);
});

/** The risk score the dashboard computed itself from the served model and candles (its risk panel). */
async function browserRisk(): Promise<number> {
  const page = await s.browser.newPage();
  try {
    await page.goto(`${s.serve.url}/?symbol=BTC&horizon=7&backend=fused`);
    const el = await page.waitForSelector('[data-testid=risk-score][data-value]', { timeout: 120_000 });
    return Number(await el.getAttribute('data-value'));
  } finally {
    await page.close();
  }
}
