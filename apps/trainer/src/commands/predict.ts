// `coinsphere predict --symbol BTC [--horizon 7] [--model <folder>] [--json]`: the newest registered artifact
// (or the one named) on the newest candles of the source it was trained on. Loading verifies the weight hashes
// and the feature schema; too little history is refused naming the days available and required.
import { latestModel, readCandles, type Database } from '@coinsphere/data';
import { loadArtifact, predictDirection, type DirectionPrediction } from '@coinsphere/model';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { artifactReader } from '../artifact-files.ts';
import { selectBackend } from '../backends.ts';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { action, CliError } from '../cli/errors.ts';
import { numberFlag } from './train.ts';

interface PredictFlags extends DbOption {
  symbol: string;
  horizon: string;
  model?: string;
  source?: string;
  json?: boolean;
}

/** The prediction with what it rests on: the artifact folder, the source and the placeholder features. */
export interface PredictOutput extends DirectionPrediction {
  symbol: string;
  artifactDir: string;
  dataSource: string;
  placeholders: string[];
}

/** Predicts with the newest registered model of symbol/horizon, or the artifact in `modelDir`. */
export async function predictLatest(db: Database, symbol: string, horizonDays: number, opts: { modelDir?: string; source?: string } = {}): Promise<PredictOutput> {
  let dir = opts.modelDir;
  if (!dir) {
    const record = await latestModel(db.orm, symbol, horizonDays);
    if (!record) {
      throw new CliError(`No model is registered for ${symbol} at ${horizonDays} days. Train one with \`coinsphere train --symbol ${symbol} --horizon ${horizonDays}\`, or pass --model <folder>.`, 2);
    }
    dir = record.location;
  }
  const artifactDir = resolve(dir);
  // The cpu backend: one window takes about 0.1 s, and the numbers are exactly those `publish` serves.
  await selectBackend('cpu');
  const { model, metadata } = await loadArtifact(artifactReader(artifactDir));
  try {
    if (metadata.symbol !== symbol) throw new CliError(`The model in ${artifactDir} was trained for ${metadata.symbol}, not ${symbol}.`, 2);
    const source = opts.source ?? metadata.dataSource;
    const { candles } = await readCandles(db, { symbol, interval: '1d', source });
    const hourly = await readCandles(db, { symbol, interval: '1h' }).then((r) => r.candles).catch(() => []);
    const p = await predictDirection(model, metadata, candles, { symbol, hourly });
    const placeholders = Object.entries(metadata.featureStatus).filter(([, s]) => s !== 'real').map(([name]) => name);
    return { ...p, symbol, artifactDir, dataSource: source, placeholders };
  } finally {
    model.dispose();
  }
}

/** Registers `predict`. */
export function register(program: Command): void {
  addDbOption(
    program
      .command('predict')
      .description('Predict the direction of one asset with its newest trained model (probabilities and confidence)')
      .requiredOption('--symbol <symbol>', 'asset, e.g. BTC')
      .option('--horizon <days>', 'horizon of the model to use', '7')
      .option('--model <folder>', 'use this artifact folder instead of the newest registered one')
      .option('--source <source>', 'candle source (default: the one the model was trained on)')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (f: PredictFlags) => {
      const horizonDays = numberFlag(f.horizon, '--horizon', 'int', 1)!;
      const out = await withDatabase(f, (db) => predictLatest(db, f.symbol.toUpperCase(), horizonDays, { modelDir: f.model, source: f.source }));
      if (f.json) {
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      const p = out.probabilities;
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      process.stdout.write(
        `${out.symbol} ${out.horizonDays}d as of ${out.asOf}: ${out.class.toUpperCase()} (confidence ${pct(out.confidence)})\n` +
          `  bearish ${pct(p.bearish)}  neutral ${pct(p.neutral)}  bullish ${pct(p.bullish)}\n` +
          `  model ${out.modelVersion} (${out.artifactDir}); candles from ${out.dataSource}; placeholder or missing features: ${out.placeholders.join(', ') || 'none'}\n`,
      );
    }),
  );
}
