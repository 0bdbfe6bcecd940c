// A real model to serve POST /v1/predict in tests and benchmarks, made in milliseconds: seeded networks
// (initWeights, the fused engine's and tfjs's initialiser; no training, no tfjs) written in the artifact format
// to a folder and registered in a database, with the synthetic candles a client sends it. Vitest-free.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerModel, type Database } from '@coinsphere/data';
import { artifactDigest, DEFAULT_TRAINING_CONFIG, initWeights, makeSyntheticCandles, metadataFromDataset, prepareDataset, writeArtifact, type Candle, type ModelConfig } from '@coinsphere/model/core';

/** The served recipe's shape (32-16-8 units, 10-day windows) on the specification's 20 features. */
export const SERVED_SIZE_MODEL: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [32, 16, 8], denseUnits: 8, nClasses: 3, dropout: 0.2 };

/** The synthetic daily candles a seeded model is made on and predicts from (seed 5). */
export function seededModelCandles(days = 400): Candle[] {
  return makeSyntheticCandles(days, 5);
}

/** What registerSeededModel made. */
export interface SeededModel {
  symbol: string;
  horizonDays: number;
  version: string;
  /** Its folder; the registry holds it relative to artifactsRoot. */
  location: string;
  /** `<dir>/artifacts`: the artifactsRoot a server reading this model is given. */
  artifactsRoot: string;
  /** Daily candles the model can predict from (its warm-up and window covered). */
  candles: Candle[];
}

/**
 * Writes a `members`-network ensemble of `config` for `symbol` to `<dir>/artifacts/<symbol>/<h>d/<version>` and
 * registers it in `db` relative to `<dir>/artifacts` (so it is the served model of symbol and horizon). `days` synthetic candles (seed 5).
 */
export async function registerSeededModel(db: Database, dir: string, opts: { symbol?: string; horizonDays?: number; config?: ModelConfig; members?: number; days?: number } = {}): Promise<SeededModel> {
  const symbol = opts.symbol ?? 'BTC';
  const horizonDays = opts.horizonDays ?? 7;
  const config = opts.config ?? SERVED_SIZE_MODEL;
  const version = 'v-seeded';
  const candles = seededModelCandles(opts.days);
  const ds = prepareDataset(candles, { horizonDays, windowBars: config.windowBars });
  const input = metadataFromDataset(ds, { symbol, modelVersion: version, dataSource: 'synthetic', modelConfig: config, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null });
  const seeds = Array.from({ length: opts.members ?? 5 }, (_, i) => 42 + i);
  const location = join(dir, 'artifacts', symbol, `${horizonDays}d`, version);
  mkdirSync(location, { recursive: true });
  const metadata = await writeArtifact(input, seeds.map((s) => initWeights(config, s)), seeds, async (name, data) => writeFileSync(join(location, name), data));
  const digest = await artifactDigest(readFileSync(join(location, 'metadata.json')));
  await registerModel(db.orm, { symbol, horizonDays, version, location: `${symbol}/${horizonDays}d/${version}`, digest, metrics: {}, metadata: metadata as unknown as Record<string, unknown> });
  return { symbol, horizonDays, version, location, artifactsRoot: join(dir, 'artifacts'), candles };
}
