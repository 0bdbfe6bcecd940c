// The track-record panel's monitoring in a real headless Chromium over `coinsphere serve` (issue #16): a one-epoch
// model of SYN published, a published history resolved by `coinsphere outcomes`, and its newest stored prediction
// rewritten as one on inputs out of the training distribution (what publish stores for such a window). The panel must
// flag the API's stored prediction (stale, out of distribution, and expired once the page's clock is 120 days on,
// its model's age recomputed as the API does), show GET /v1/monitoring's summary, and draw the resolved predictions
// over time with as many marks and hits as the history route's outcomes, beside the live reliability table.
import { latestPredictions, openDatabase, savePredictions, upsertCandles } from '@coinsphere/data';
import { makeSyntheticCandles } from '@coinsphere/model/core';
import type { HistoryEntry } from '@coinsphere/serving/contract';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from './support/repo-root.ts';
import { publishPastDays } from './support/track-history.ts';
import { closeServed, HAS_CHROMIUM, runCliHere, serveToChromium, type ServedDashboard, sharedDashboardBuild } from './support/web.ts';

const OUTPUT_DIR = resolve(REPO_ROOT, 'test-output');
const PAST_DAYS = 20;
const OOD = { flag: true, distance: 9.5, threshold: 2.1 };
const state = {} as ServedDashboard;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  state.work = mkdtempSync(join(tmpdir(), 'cs-web-track-'));
  const dbDir = join(state.work, 'db');
  const web = sharedDashboardBuild(inject('dashboardRunDir')).then((b) => b.dir);
  web.catch(() => undefined); // awaited below
  const db = await openDatabase(dbDir);
  await upsertCandles(db, makeSyntheticCandles(400, 11).map((c) => ({ ...c, symbol: 'SYN', interval: '1d' as const, source: 'synthetic' })));
  await db.close();
  const project = { COINSPHERE_ARTIFACTS: join(state.work, 'artifacts') };
  const train = await runCliHere(['train', '--db', dbDir, '--symbol', 'SYN', '--epochs', '1', '--window', '10', '--quiet'], project);
  expect(train.code, train.stderr).toBe(0);
  const publish = await runCliHere(['publish', '--db', dbDir, '--json'], project);
  expect(publish.code, publish.stderr).toBe(0);
  await publishPastDays(dbDir, 'SYN', 7, PAST_DAYS, 'synthetic');
  const outcomes = await runCliHere(['outcomes', '--db', dbDir], project);
  expect(outcomes.code, outcomes.stderr).toBe(0);
  const again = await openDatabase(dbDir);
  const [newest] = await latestPredictions(again.orm, ['SYN'], 7);
  await savePredictions(again, [{ ...newest!, monitoring: { ...newest!.monitoring!, outOfDistribution: OOD } }]);
  await again.close();
  await serveToChromium(state, dbDir, await web, project);
}, 300_000);

afterAll(() => closeServed(state));

/** Opens the dashboard (fused backend) and waits for the panel's chart and monitoring summary, then reads them. */
async function readPanel(page: Page) {
  await page.goto(`${state.serve.url}/?symbol=SYN&backend=fused`);
  await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid=track-record-chart]', { timeout: 30_000 });
  await page.waitForSelector('[data-testid=monitoring-summary]:not([data-state=loading])', { timeout: 30_000 });
  return page.evaluate(() => {
    const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid=${id}]`);
    const flags = q('served-flags')!;
    const chart = q('track-record-chart')!;
    return {
      flags: { hidden: flags.hidden, stale: flags.dataset.stale, expired: flags.dataset.expired, ood: flags.dataset.ood, text: flags.textContent ?? '' },
      chart: { days: Number(chart.dataset.days), hits: Number(chart.dataset.hits), baseline: chart.dataset.baseline ?? '', marks: chart.querySelectorAll('circle').length, filled: chart.querySelectorAll('circle.hit').length, lines: Array.from(chart.querySelectorAll('polyline')).map((l) => l.dataset.testid) },
      reliabilityRows: document.querySelectorAll('[data-testid=track-record-reliability] tbody tr').length,
      age: q('monitoring-age') ? { expired: q('monitoring-age')!.dataset.expired, days: Number(q('monitoring-age')!.dataset.ageDays) } : null,
      summary: q('monitoring-summary')!.textContent ?? '',
    };
  });
}

describe.skipIf(!HAS_CHROMIUM)('the track-record panel flags the API\'s stored prediction and draws the record (#16)', () => {
  it('flags the served prediction as stale and out of distribution, and draws one mark per resolved prediction, its hits as the history counts them', async () => {
    const page = await state.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const shown = await readPanel(page);
    expect(shown.flags).toMatchObject({ hidden: false, stale: 'true', ood: 'true', expired: 'false' });
    expect(shown.flags.text).toContain('The API\'s prediction: The inputs are unlike the data this model was trained on (distance 9.50, above the 2.10 of 99% of training windows)');
    expect(shown.flags.text).toContain('The API\'s prediction is stale: its data are more than 2 days old');
    const history = ((await (await fetch(`${state.serve.url}/v1/predictions/SYN/history?horizon=7&from=2000-01-01`)).json()) as { predictions: HistoryEntry[] }).predictions;
    const resolved = history.filter((p) => p.outcome?.correct != null);
    expect(resolved).toHaveLength(PAST_DAYS);
    expect(shown.chart).toMatchObject({ days: PAST_DAYS, marks: PAST_DAYS, hits: resolved.filter((p) => p.outcome!.correct).length, filled: resolved.filter((p) => p.outcome!.correct).length });
    expect(shown.chart.lines).toEqual(['track-chart-chance', 'track-chart-model', 'track-chart-baseline']);
    expect(shown.chart.baseline).toMatch(/^(persistence|majority|momentum|logistic)$/);
    expect(shown.reliabilityRows).toBeGreaterThan(0);
    expect(shown.age).toMatchObject({ expired: 'false', days: 0 });
    expect(shown.summary).toMatch(/Drift|drift/);
    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.locator('#track-record').screenshot({ path: join(OUTPUT_DIR, 'track-record-panel.png') }); // for a person to look at
    await page.close();
  });

  it('says the served prediction\'s model has expired once the page\'s clock is past its expiry, in the flags and the monitoring summary', async () => {
    const page = await state.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.clock.setFixedTime(Date.now() + 120 * 86_400_000); // 120 days after training
    const shown = await readPanel(page);
    expect(shown.flags).toMatchObject({ hidden: false, expired: 'true', ood: 'true' });
    expect(shown.flags.text).toContain('This model is 120 days old, past its 90-day expiry: retrain with `coinsphere train`.');
    expect(shown.age).toMatchObject({ expired: 'true', days: 120 });
    expect(shown.chart.days).toBe(PAST_DAYS);
    await page.close();
  });
});
