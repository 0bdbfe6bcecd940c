// The track record end to end (issue #16's acceptance): a real tiny artifact registered in PGlite beside a synthetic
// history; publish runs day after day as the candles arrive (each run resolving what the new candles settle and
// recording the baselines beside its batch), then the rest of the candles come in, outcomes are resolved twice (the
// second changes nothing) and the live record the API serves is checked against a hand count over the stored rows:
// the realised class under each prediction's own band, persistence under that band, the training majority.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '@coinsphere/api';
import { openDatabase, predictionHistory, registerModel, saveBaselines, savePredictions, trackedPredictions, upsertCandles, type Database } from '@coinsphere/data';
import { ARTIFACT_FILES, artifactDigest, buildModel, CLASS_NAMES, DEFAULT_TRAINING_CONFIG, fitLogistic, lastRows, makeSyntheticCandles, metadataFromDataset, parseArtifactMetadata, predictLogistic, prepareDataset, saveArtifact, toIsoDay, windowsFor, type ModelConfig } from '@coinsphere/model';
import { MemoryCache } from '@coinsphere/serving';
import { TrackRecordResponseSchema } from '@coinsphere/serving/contract';
import { DrizzleStore } from '@coinsphere/serving/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTrackRecords, runOutcomes } from '../commands/outcomes.ts';
import { renderPublished } from '../commands/publish.ts';
import { publishJob, servedPredictions } from './publish-job.ts';
import { backfillBaselines, renderOutcomesLine, resolveOutcomes } from './track-record-job.ts';

const TINY: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
const H = 7;
const candles = makeSyntheticCandles(420, 11);
const FIRST_PUBLISH = 380; // candle index of the first published as-of day
const PUBLISHES = 12;
let dir: string;
let db: Database;
let trainShares: Record<string, number>;
/** The logistic baseline as the walk-forward fits it (fold-task.ts): on the last rows of the training windows. */
let logisticOn: (t: number) => Record<string, number>;
let savedMetadata: unknown;

const insertUpTo = (last: number) => upsertCandles(db, candles.slice(0, last + 1).map((k) => ({ ...k, symbol: 'TEST', interval: '1d' as const, source: 'synthetic' })));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-track-'));
  db = await openDatabase(join(dir, 'db'));
  const ds = prepareDataset(candles.slice(0, 300), { horizonDays: H, windowBars: 10 });
  const model = buildModel(TINY, 5);
  const metadata = metadataFromDataset(ds, { symbol: 'TEST', modelVersion: 'v-track', dataSource: 'synthetic', modelConfig: TINY, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null });
  trainShares = metadata.classBalance!.train.shares;
  const logistic = fitLogistic(lastRows(ds.train.x, ds.train.n, 10, 20), ds.train.y, 20);
  logisticOn = (t) => {
    const x = windowsFor(parseArtifactMetadata(savedMetadata), 'TEST', { candles: candles.slice(0, t + 1) }, [t]); // [1, 10, 20]
    const p = predictLogistic(logistic, lastRows(x, 1, 10, 20), 1);
    return { bearish: p[0]!, neutral: p[1]!, bullish: p[2]! };
  };
  const location = join(dir, 'artifacts', 'TEST', '7d', 'v-track');
  mkdirSync(location, { recursive: true });
  const saved = await saveArtifact(model, metadata, async (name, data) => writeFileSync(join(location, name), data));
  model.dispose();
  savedMetadata = saved;
  const digest = await artifactDigest(readFileSync(join(location, ARTIFACT_FILES.metadata)));
  await registerModel(db.orm, { symbol: 'TEST', horizonDays: H, version: 'v-track', location: 'TEST/7d/v-track', digest, metrics: {}, metadata: saved as unknown as Record<string, unknown> });
}, 60_000);

afterAll(async () => {
  await db.close().catch(() => {}); // the last test closes it for the command
  rmSync(dir, { recursive: true, force: true });
});

/** The class of a simple return under a band, written out here rather than taken from the code under test. */
const classOf = (ret: number, band: { lowerReturn: number; upperReturn: number }) => (ret < band.lowerReturn ? 'bearish' : ret > band.upperReturn ? 'bullish' : 'neutral');

describe('the live track record', () => {
  it('publishes day by day, resolving what each day settles and recording the baselines beside each batch', async () => {
    const compute = servedPredictions(join(dir, 'artifacts'));
    for (let t = FIRST_PUBLISH; t < FIRST_PUBLISH + PUBLISHES; t++) {
      await insertUpTo(t);
      const { batch, result } = await publishJob(db, { filter: {}, redisUrl: undefined, artifactsRoot: join(dir, 'artifacts') }, compute);
      expect(batch.map((p) => p.asOf)).toEqual([toIsoDay(candles[t]!.openTimeMs)]);
      const before = t - FIRST_PUBLISH; // predictions stored by the earlier runs
      const settled = before >= H ? 1 : 0; // today's candle settles the one published H days ago
      expect(result.track).toEqual({ outcomes: { resolved: settled, alreadyResolved: Math.max(0, before - H), pending: Math.min(H, before) - settled }, baselines: 1 });
      if (t === FIRST_PUBLISH + PUBLISHES - 1) expect(renderPublished(batch, result)).toMatch(/\nOutcomes: resolved 1 prediction \(\d+ resolved before, \d+ still waiting\)\. Baselines recorded beside 1 of 1 predictions\./);
    }
    const tracked = await trackedPredictions(db.orm, 'TEST', H);
    expect(tracked).toHaveLength(PUBLISHES);
    expect(tracked.every((r) => r.baselines?.persistence && r.baselines.majority && r.baselines.momentum && r.baselines.logistic)).toBe(true);
    expect(tracked.filter((r) => r.outcome).length).toBe(PUBLISHES - H); // the newest H are still waiting
  }, 120_000);

  it('resolves the rest once the candles are in, and a second run changes nothing and says so', async () => {
    await insertUpTo(candles.length - 1);
    const first = await resolveOutcomes(db);
    expect(first).toEqual({ resolved: H, alreadyResolved: PUBLISHES - H, pending: 0 });
    const before = await trackedPredictions(db.orm, 'TEST', H);
    const second = await resolveOutcomes(db);
    expect(second).toEqual({ resolved: 0, alreadyResolved: PUBLISHES, pending: 0 });
    expect(renderOutcomesLine(second)).toBe(`Outcomes: nothing new to resolve (${PUBLISHES} resolved before, 0 waiting for their horizon or candles); nothing changed.`);
    expect(await trackedPredictions(db.orm, 'TEST', H)).toEqual(before);
  });

  it('serves the live figures the hand count gives, model and baselines on the same days', async () => {
    const stored = await predictionHistory(db.orm, 'TEST', H, '2000-01-01', '2100-01-01');
    const byDay = new Map(candles.map((k, i) => [toIsoDay(k.openTimeMs), i]));
    let modelHits = 0, persistenceHits = 0, majorityHits = 0, logisticHits = 0, brier = 0;
    const majority = CLASS_NAMES.reduce((a, b) => (trainShares[b]! > trainShares[a]! ? b : a));
    for (const p of stored) {
      const t = byDay.get(p.asOf)!;
      const realised = classOf(candles[t + H]!.close / candles[t]!.close - 1, p.band!);
      modelHits += p.class === realised ? 1 : 0;
      persistenceHits += classOf(candles[t]!.close / candles[t - H]!.close - 1, p.band!) === realised ? 1 : 0;
      majorityHits += majority === realised ? 1 : 0;
      const logistic = logisticOn(t);
      logisticHits += CLASS_NAMES.reduce((a, b) => (logistic[b]! > logistic[a]! ? b : a)) === realised ? 1 : 0;
      brier += CLASS_NAMES.reduce((s, c) => s + (p.probabilities[c] - (c === realised ? 1 : 0)) ** 2, 0);
    }
    const app = createApp({ store: new DrizzleStore(db), cache: new MemoryCache(), config: { rateLimit: null } });
    const res = await app.request(`/v1/track-record/TEST?horizon=${H}`);
    expect(res.status).toBe(200);
    const body = TrackRecordResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ symbol: 'TEST', horizonDays: H, kind: 'live' });
    expect(body.records).toHaveLength(1);
    expect(body.records[0]).toMatchObject({ modelVersion: 'v-track', published: PUBLISHES, resolved: PUBLISHES, pending: 0, withoutBaselines: 0, liveSince: stored[0]!.asOf });
    const live = body.records[0]!.windows.find((w) => w.window === 'live')!;
    expect(live.resolved).toBe(PUBLISHES);
    expect(live.model!.accuracy.estimate).toBeCloseTo(modelHits / PUBLISHES, 12);
    expect(live.model!.brier.estimate).toBeCloseTo(brier / PUBLISHES, 6); // probabilities are stored as float32-ish numbers
    expect(live.baselines.persistence!.accuracy.estimate).toBeCloseTo(persistenceHits / PUBLISHES, 12);
    expect(live.baselines.majority!.accuracy.estimate).toBeCloseTo(majorityHits / PUBLISHES, 12);
    expect(live.baselines.momentum).not.toBeNull();
    expect(live.baselines.logistic!.accuracy.estimate).toBeCloseTo(logisticHits / PUBLISHES, 12);
    const tracked = await trackedPredictions(db.orm, 'TEST', H);
    for (const r of tracked) { // the call recorded is the walk-forward's fit on the model's training rows, asked on the as-of day
      const want = logisticOn(byDay.get(r.prediction.asOf)!);
      const got = r.baselines!.logistic!;
      for (const c of CLASS_NAMES) expect(got[c]).toBeCloseTo(want[c]!, 5);
    }
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await app.request(`/v1/track-record/TEST?horizon=${H}`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    expect((await app.request('/v1/track-record/TEST?horizon=14')).status).toBe(404);
  });

  it('`coinsphere outcomes` changes nothing more and prints the live record beside chance and the baselines; on an empty database it names the fix', async () => {
    const live = (await new DrizzleStore(db).trackRecord('TEST', H))[0]!.windows.find((w) => w.window === 'live')!;
    await db.close(); // the command opens the folder itself
    const { outcomes, records } = await runOutcomes({ db: join(dir, 'db') });
    expect(outcomes).toEqual({ resolved: 0, alreadyResolved: PUBLISHES, pending: 0 });
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect(renderTrackRecords(records)).toEqual([
      expect.stringMatching(new RegExp(`^TEST 7d model v-track \\(live since \\d{4}-\\d\\d-\\d\\d\\): ${PUBLISHES} of ${PUBLISHES} resolved; LIVE: right ${pct(live.model!.accuracy.estimate)} \\[.+\\] of ${PUBLISHES} \\(chance 33\\.3%; persistence ${pct(live.baselines.persistence!.accuracy.estimate)}, majority ${pct(live.baselines.majority!.accuracy.estimate)}, momentum \\d+\\.\\d%, logistic ${pct(live.baselines.logistic!.accuracy.estimate)}\\), Brier \\d\\.\\d{3}\\.$`)),
    ]);
    await expect(runOutcomes({ db: join(dir, 'empty-db') })).rejects.toThrow('No published predictions to resolve; publish some with `coinsphere publish` (or `coinsphere start`) first.');
  });

  it('records, for a prediction published before baselines were, what publish records: persistence under its band, the training majority', async () => {
    db = await openDatabase(join(dir, 'db')); // the command above closed it
    const [first] = await trackedPredictions(db.orm, 'TEST', H);
    const t = FIRST_PUBLISH - 1; // a day before the first publish, as if published by an older version of publish
    const asOf = toIsoDay(candles[t]!.openTimeMs);
    const band = { ...first!.prediction.band!, closeAtAsOf: candles[t]!.close };
    await savePredictions(db, [{ ...first!.prediction, asOf, band, createdAtMs: Date.now() }]);
    expect(await resolveOutcomes(db)).toMatchObject({ resolved: 1 });
    expect((await new DrizzleStore(db).trackRecord('TEST', H))[0]!.withoutBaselines).toBe(1);
    expect(await backfillBaselines(db)).toBe(1);
    expect(await backfillBaselines(db)).toBe(0); // once
    const row = (await trackedPredictions(db.orm, 'TEST', H)).find((r) => r.prediction.asOf === asOf)!;
    const persistence = classOf(candles[t]!.close / candles[t - H]!.close - 1, band);
    expect(row.baselines?.persistence).toEqual(Object.fromEntries(CLASS_NAMES.map((c) => [c, c === persistence ? 1 : 0])));
    expect(row.baselines?.majority).toEqual(trainShares);
    for (const [c, v] of Object.entries(logisticOn(t))) expect(row.baselines!.logistic![c as 'bearish']).toBeCloseTo(v, 5);
    const record = (await new DrizzleStore(db).trackRecord('TEST', H))[0]!;
    expect(record).toMatchObject({ withoutBaselines: 0, resolved: PUBLISHES + 1 });
    expect(record.windows.find((w) => w.window === 'live')!.resolved).toBe(PUBLISHES + 1);
  });

  it('records the logistic call of predictions whose baselines were recorded before the logistic was, once', async () => {
    const [oldest] = await trackedPredictions(db.orm, 'TEST', H);
    const { logistic: _dropped, ...without } = oldest!.baselines!;
    await saveBaselines(db, [{ symbol: 'TEST', horizonDays: H, asOf: oldest!.prediction.asOf, modelVersion: 'v-track', baselines: without }]);
    expect((await new DrizzleStore(db).trackRecord('TEST', H))[0]!.windows.find((w) => w.window === 'live')!.baselines.logistic).toBeNull(); // not recorded for every day
    expect(await backfillBaselines(db)).toBe(1);
    expect(await backfillBaselines(db)).toBe(0);
    expect((await trackedPredictions(db.orm, 'TEST', H))[0]!.baselines).toEqual(oldest!.baselines);
    expect((await new DrizzleStore(db).trackRecord('TEST', H))[0]!.windows.find((w) => w.window === 'live')!.baselines.logistic).not.toBeNull();
  });
});
