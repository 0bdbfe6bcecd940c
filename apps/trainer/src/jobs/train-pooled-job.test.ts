// The pooled training job over a real embedded database (PGlite): it trains one model over every asset, writes and
// registers it, and the promotion gate serves it where it is not worse than the model served before; a deliberately
// bad candidate is kept out, and --promote forces it in and says so.
import { parseApiEnv, startNodeServer } from '@coinsphere/api';
import { listPromotions, openDatabase, readCandles, servedModel, upsertCandles, type Database } from '@coinsphere/data';
import { GateDecisionsSchema } from '@coinsphere/serving/contract';
import { makeRegimeCandles } from '@coinsphere/model/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEARNS_REGIMES, ONE_EPOCH_CANDIDATE } from '../../../../tests/support/gate-recipes.ts';
import { predictServed } from '../commands/predict.ts';
import { servedPredictions } from './publish-job.ts';
import { trainPooledJob } from './train-pooled-job.ts';

const RECIPE = LEARNS_REGIMES;
const BAD = ONE_EPOCH_CANDIDATE;

describe('trainPooledJob and the promotion gate', () => {
  let dir: string;
  let db: Database;
  const lines: string[] = [];
  const log = (l: string) => void lines.push(l);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-pooled-'));
    db = await openDatabase(join(dir, 'db'));
    const rows = ['BTC', 'ETH', 'SOL'].flatMap((symbol, k) => makeRegimeCandles(1300, k + 1).map((c) => ({ ...c, symbol, interval: '1d' as const, source: 'synthetic' })));
    await upsertCandles(db, rows);
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('promotes a first model for every asset, then keeps a one-epoch candidate out, and forces it only with --promote', async () => {
    const opts = { horizons: [7], artifactsRoot: join(dir, 'artifacts'), force: false, threads: 1 };
    const first = await trainPooledJob(db, { ...opts, recipe: RECIPE }, log);
    expect(first.models[0]!.decisions.map((d) => d.decision)).toEqual(['promoted', 'promoted', 'promoted']);
    const good = first.models[0]!;
    const skill = good.decisions.reduce((s, d) => s + d.candidate.brierSkill, 0) / good.decisions.length;
    expect(skill).toBeGreaterThan(0.03); // it learned the calm/wild regimes
    expect((await servedModel(db.orm, 'ETH', 7))!.id).toBe(good.modelId);

    const bad = await trainPooledJob(db, { ...opts, recipe: BAD }, log);
    const decisions = bad.models[0]!.decisions;
    expect(decisions.map((d) => d.decision)).toEqual(['kept', 'kept', 'kept']);
    expect(decisions[0]!.incumbent!.modelVersion).toBe(good.modelVersion);
    expect(decisions[0]!.reason).toMatch(/is worse than the served model's .*; the served model stays/);
    for (const s of ['BTC', 'ETH', 'SOL']) expect((await servedModel(db.orm, s, 7))!.id).toBe(good.modelId);
    // What users see keeps the old model: `coinsphere predict`, the published batch, and the API's routes the
    // dashboard reads (the served artifact's files and POST /v1/predict).
    expect((await predictServed(db, 'BTC', 7, { artifactsRoot: join(dir, 'artifacts') })).modelVersion).toBe(good.modelVersion);
    const batch = await servedPredictions(join(dir, 'artifacts'))(db, { horizons: [7] });
    expect(new Set(batch.map((p) => p.modelVersion))).toEqual(new Set([good.modelVersion]));
    for (const p of batch) expect(p.signal).toBe(p.confidence >= (p.model.metadata as { abstainBelow: number }).abstainBelow ? 'clear' : 'none');
    const server = await startNodeServer({ db, artifactsRoot: join(dir, 'artifacts'), port: 0, env: parseApiEnv({ LOG_LEVEL: 'warn' }) }); // as `coinsphere serve` runs it, without a log line per request
    try {
      const meta = (await (await fetch(`${server.url}/v1/models/ETH/7/latest/metadata.json`)).json()) as { modelVersion: string };
      expect(meta.modelVersion).toBe(good.modelVersion);
      const { candles } = await readCandles(db, { symbol: 'ETH', interval: '1d' });
      const { candles: market } = await readCandles(db, { symbol: 'BTC', interval: '1d' });
      const posted = await fetch(`${server.url}/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol: 'ETH', horizonDays: 7, candles: candles.slice(-400), market: market.slice(-400) }) });
      expect(((await posted.json()) as { modelVersion: string }).modelVersion).toBe(good.modelVersion);
      // The model card reads the gate's decisions with their numbers: the kept-out candidate, newest first.
      const shown = GateDecisionsSchema.parse(await (await fetch(`${server.url}/v1/models/ETH/7/decisions`)).json());
      expect(shown.recorded).toBe(true);
      expect(shown.decisions.map((d) => [d.decision, d.candidateVersion, d.previousVersion])).toEqual([['kept', bad.models[0]!.modelVersion, good.modelVersion], ['promoted', good.modelVersion, null]]);
      expect(shown.decisions[0]!.evidence.candidate!.brier).toBeGreaterThan(shown.decisions[0]!.evidence.incumbent!.brier);
      expect(shown.decisions[0]!.evidence.reason).toBe(decisions.find((d) => d.symbol === 'ETH')!.reason);
    } finally {
      await server.close();
    }
    // An asset no model was promoted for is served by the newest promoted pooled model: the good one.
    expect((await servedModel(db.orm, 'DOGE', 7))!.id).toBe(good.modelId);

    const forced = await trainPooledJob(db, { ...opts, recipe: BAD, force: true }, log);
    expect(forced.models[0]!.decisions.every((d) => d.decision === 'forced' && /forced with --promote/.test(d.reason))).toBe(true);
    expect((await servedModel(db.orm, 'BTC', 7))!.id).toBe(forced.models[0]!.modelId);
    const log3 = await listPromotions(db.orm, { symbol: 'BTC', horizonDays: 7 });
    expect(log3.map((p) => p.decision)).toEqual(['forced', 'kept', 'promoted']);
  }, 240_000);
});
