// `coinsphere monitor` over project folders (embedded database and artifacts root, as a user has them): a tiny seeded
// model registered the way training registers it, over candles that match its training rows, candles whose newest
// 90 days are a market unlike anything it saw, a model trained 120 days ago, and an artifact from before the training
// distribution was recorded. The real command in this process (exit code, stdout, the one stderr line) and a real PGlite.
import { openDatabase, registerModel, upsertCandles } from '@coinsphere/data';
import { buildModel, DAY_MS, DEFAULT_TRAINING_CONFIG, makeSyntheticCandles, metadataFromDataset, prepareDataset, saveArtifact, type Candle, type ModelConfig } from '@coinsphere/model';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleStore } from '@coinsphere/serving/node';
import { runInProcess } from '../../../../tests/support/cli.ts';
import { publishPastDays } from '../../../../tests/support/track-history.ts';
import { artifactDir, registrationOf, writeArtifactFiles } from '../artifact-files.ts';
import { MONITOR_ALERT_EXIT, type MonitorReport } from './monitor.ts';

const TINY: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
const candles = makeSyntheticCandles(300, 4);
const ds = prepareDataset(candles, { horizonDays: 7, windowBars: TINY.windowBars });
/** The candles up to the last training window's day: the newest ds.train.n rows are exactly the training rows. */
const trainEnd = ds.train.endDayMs[ds.train.n - 1]!;
const asTrained = candles.filter((c) => c.openTimeMs <= trainEnd);
let work: string;

/** `asTrained` followed by 90 days swinging +40% / -20% on a hundredfold volume. */
function wildTail(): Candle[] {
  const out = asTrained.map((c) => ({ ...c }));
  for (let i = 0; i < 90; i++) {
    const prev = out.at(-1)!;
    const close = prev.close * (i % 2 === 0 ? 1.4 : 0.8);
    out.push({ ...prev, openTimeMs: prev.openTimeMs + DAY_MS, open: prev.close, high: Math.max(prev.close, close) * 1.05, low: Math.min(prev.close, close) * 0.95, close, baseVolume: (prev.baseVolume ?? 1) * (i === 0 ? 100 : 1) });
  }
  return out;
}

/** A project folder `name` with TEST's `daily` candles and a tiny model trained `ageDays` ago, registered as `train` does. */
async function makeProject(name: string, daily: readonly Candle[], opts: { ageDays?: number; noDistribution?: boolean } = {}): Promise<{ db: string; artifacts: string }> {
  const p = { db: join(work, name, '.coinsphere', 'db'), artifacts: join(work, name, 'artifacts') };
  const db = await openDatabase(p.db);
  try {
    await upsertCandles(db, daily.map((k) => ({ ...k, symbol: 'TEST', interval: '1d' as const, source: 'synthetic' })));
    const createdAt = new Date(Date.now() - (opts.ageDays ?? 0) * DAY_MS).toISOString();
    const input = metadataFromDataset(ds, { symbol: 'TEST', modelVersion: 'v1', dataSource: 'synthetic', modelConfig: TINY, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null, createdAt });
    const model = buildModel(TINY, 9);
    const files = new Map<string, Uint8Array | string>();
    const metadata = await saveArtifact(model, opts.noDistribution ? { ...input, trainingDistribution: undefined } : input, async (n, data) => void files.set(n, data));
    model.dispose();
    const dir = artifactDir(p.artifacts, 'TEST', 7, 'v1');
    await writeArtifactFiles(dir, files);
    await registerModel(db.orm, { symbol: 'TEST', horizonDays: 7, version: 'v1', ...(await registrationOf(p.artifacts, dir, files)), metrics: {}, metadata: metadata as unknown as Record<string, unknown> });
  } finally {
    await db.close();
  }
  return p;
}

/** `coinsphere monitor --db <project db> [args]` with the project's artifacts root. */
const monitor = (p: { db: string; artifacts: string }, args: string[] = []) => runInProcess(['monitor', '--db', p.db, ...args], { env: { COINSPHERE_ARTIFACTS: p.artifacts, MODEL_EXPIRY_DAYS: undefined } });

beforeAll(() => void (work = mkdtempSync(join(tmpdir(), 'cs-monitor-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('coinsphere monitor', () => {
  it('exits 0 for a young model whose asset inputs are its training rows, saying so', async () => {
    const p = await makeProject('ok', asTrained, { ageDays: 10 });
    const r = await monitor(p, ['--days', String(ds.train.n)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('TEST 7d v1: trained');
    expect(r.stdout).toContain('10 days old, expires');
    expect(r.stdout).toContain(`TEST: the last ${ds.train.n} of ${ds.train.n} days against its own training rows: no feature drifted; no prediction published`);
    expect(r.stdout).toContain('OK: no model expired, no feature drifted.');
  }, 60_000);

  it("prints each asset's live track record since its model went live, the one GET /v1/track-record serves", async () => {
    const p = await makeProject('live', asTrained, { ageDays: 10 });
    const env = { COINSPHERE_ARTIFACTS: p.artifacts, MODEL_EXPIRY_DAYS: undefined };
    expect((await runInProcess(['publish', '--db', p.db], { env })).code).toBe(0);
    await publishPastDays(p.db, 'TEST', 7, 12, 'synthetic');
    expect((await runInProcess(['outcomes', '--db', p.db], { env })).stdout).toMatch(/^Outcomes: resolved 12 predictions/);
    const db = await openDatabase(p.db);
    const live = (await new DrizzleStore(db).trackRecord('TEST', 7))[0]!.windows.find((w) => w.window === 'live')!;
    await db.close();
    const r = await monitor(p, ['--json', '--days', String(ds.train.n)]);
    const asset = (JSON.parse(r.stdout) as MonitorReport).models[0]!.assets[0]!;
    const b = live.baselines;
    expect(asset.live).toEqual({ resolved: 12, pending: 1, accuracy: live.model!.accuracy.estimate, baselines: { persistence: b.persistence!.accuracy.estimate, majority: b.majority!.accuracy.estimate, momentum: b.momentum!.accuracy.estimate, logistic: b.logistic!.accuracy.estimate } });
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect((await monitor(p, ['--days', String(ds.train.n)])).stdout).toContain(`; live: right ${pct(live.model!.accuracy.estimate)} of 12 resolved (chance 33.3%, persistence ${pct(b.persistence!.accuracy.estimate)}, majority ${pct(b.majority!.accuracy.estimate)}, momentum `);
  }, 120_000);

  it(`exits ${MONITOR_ALERT_EXIT} when the asset's newest 90 days drift, naming the features in the output and the JSON`, async () => {
    const p = await makeProject('drift', wildTail(), { ageDays: 10 });
    const r = await monitor(p, ['--json']);
    expect(r.code).toBe(MONITOR_ALERT_EXIT);
    const report = JSON.parse(r.stdout) as MonitorReport;
    const asset = report.models[0]!.assets[0]!;
    expect(asset.drift!.nRows).toBe(90);
    expect(asset.drifting.length).toBeGreaterThan(0);
    expect(asset.drift!.features.filter((f) => f.level === 'drift').map((f) => f.feature)).toEqual(asset.drifting);
    expect(asset.drift!.features.filter((f) => f.level === 'drift').every((f) => f.psi > 0.25)).toBe(true);
    expect(report.alerts).toEqual([expect.stringContaining(`TEST under TEST 7d v1: ${asset.drifting.length} feature(s) drifted (`)]);
    expect(r.stderr).toMatch(/^coinsphere: monitor: 1 alert\(s\), TEST under TEST 7d v1: .* Retrain with `coinsphere train --pooled`/);
    const human = await monitor(p);
    expect(human.stdout).toContain(`DRIFT in ${asset.drifting.length} of 20 features`);
  }, 60_000);

  it(`exits ${MONITOR_ALERT_EXIT} for a model past its expiry, and MODEL_EXPIRY_DAYS or --expiry-days move the expiry`, async () => {
    const p = await makeProject('expired', asTrained, { ageDays: 120 });
    const r = await monitor(p, ['--json', '--days', String(ds.train.n)]);
    expect(r.code).toBe(MONITOR_ALERT_EXIT);
    const model = (JSON.parse(r.stdout) as MonitorReport).models[0]!;
    expect(model).toMatchObject({ modelAgeDays: 120, expiryDays: 90, expired: true });
    expect(r.stderr).toContain('TEST 7d v1 is 120 days old, past its 90-day expiry');
    expect((await monitor(p, ['--days', String(ds.train.n), '--expiry-days', '180'])).code).toBe(0);
    const env = await runInProcess(['monitor', '--db', p.db, '--days', String(ds.train.n)], { env: { COINSPHERE_ARTIFACTS: p.artifacts, MODEL_EXPIRY_DAYS: '365' } });
    expect(env.code).toBe(0);
    expect(env.stdout).toContain('(365-day expiry)');
  }, 60_000);

  it('publish stores, per asset and horizon, the summary monitor computes (GET /v1/monitoring serves it)', async () => {
    const p = await makeProject('stored', wildTail(), { ageDays: 10 });
    const env = { COINSPHERE_ARTIFACTS: p.artifacts, MODEL_EXPIRY_DAYS: undefined };
    expect((await runInProcess(['publish', '--db', p.db], { env })).code).toBe(0);
    const db = await openDatabase(p.db);
    const stored = await new DrizzleStore(db).monitoringSummary('TEST', 7);
    await db.close();
    const report = JSON.parse((await monitor(p, ['--json'])).stdout) as MonitorReport;
    const model = report.models[0]!;
    const asset = model.assets[0]!;
    expect(stored).toMatchObject({ symbol: 'TEST', horizonDays: 7, modelVersion: 'v1', trainedAt: model.createdAt, modelAgeDays: 10, expiryDays: 90, expired: false, trainingDistribution: true, driftNote: null, drifting: asset.drifting });
    expect(stored!.drift).toEqual({ recentDays: 90, ...asset.drift });
    expect(stored!.drifting.length).toBeGreaterThan(0);
    expect(stored!.newestPrediction).toEqual(asset.newestPrediction);
    expect(stored!.newestPrediction!.outOfDistribution).not.toBeNull();
  }, 60_000);

  it('says "no training distribution recorded" for an artifact from before it, and does not fail', async () => {
    const p = await makeProject('old-artifact', asTrained, { ageDays: 1, noDistribution: true });
    const r = await monitor(p);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no training distribution recorded');
    expect(r.stdout).toContain('TEST: drift not computed (no training distribution recorded)');
  }, 60_000);
});
