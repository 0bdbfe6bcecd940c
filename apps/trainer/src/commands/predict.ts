// `coinsphere predict --symbol BTC [--horizon 7] [--model <folder>] [--json]`: the model served for the asset (or
// the artifact named) on the newest candles of the series it was trained on, through the one inference path on the
// fused engine. Loading verifies every file's hash and the feature schema; too little history is refused naming the
// days available and required.
import { readModelInputs, servedModel, type Database } from '@coinsphere/data';
import { monitoringNotes, predictWithArtifact, type ModelPrediction } from '@coinsphere/model/core';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadFusedArtifact, loadRegisteredArtifact, registeredDir, type LoadedArtifact } from '../artifact-files.ts';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { readArtifactsRoot, readModelExpiryDays } from '../cli/env.ts';
import { action, CliError } from '../cli/errors.ts';
import { flag, positiveInt, requiredFlag, symbol } from '../cli/flags.ts';

interface PredictFlags extends DbOption {
  symbol: string;
  horizon: number;
  model?: string;
  source?: string;
  json?: boolean;
}

/** The prediction with what it rests on: the artifact folder and the candle source. */
export interface PredictOutput extends ModelPrediction {
  artifactDir: string;
  dataSource: string;
}

/** Loads the artifact in `modelDir`, else the model served for `symbol` from under `artifactsRoot`, verified against its digest. */
async function loadForPredict(db: Database, symbol: string, horizonDays: number, opts: { modelDir?: string; artifactsRoot: string }): Promise<{ artifactDir: string; loaded: LoadedArtifact }> {
  if (opts.modelDir) return { artifactDir: resolve(opts.modelDir), loaded: await loadFusedArtifact(resolve(opts.modelDir)) };
  const record = await servedModel(db.orm, symbol, horizonDays);
  if (!record) {
    throw new CliError(`No model serves ${symbol} at ${horizonDays} days. Train one with \`coinsphere train --pooled --horizons ${horizonDays}\` (or --symbol ${symbol}), or pass --model <folder>.`, 2);
  }
  const artifactDir = registeredDir(opts.artifactsRoot, record);
  return { artifactDir, loaded: await loadRegisteredArtifact(opts.artifactsRoot, record) };
}

/**
 * Predicts `symbol` with the model served for it at `horizonDays` (read from under `artifactsRoot`, default the
 * CLI's, and checked against its registered digest), or with the artifact in `modelDir` (an explicit folder: its
 * files are checked against its metadata.json, which no registry pins).
 */
export async function predictServed(db: Database, symbol: string, horizonDays: number, opts: { modelDir?: string; source?: string; artifactsRoot?: string } = {}): Promise<PredictOutput> {
  const { artifactDir, loaded } = await loadForPredict(db, symbol, horizonDays, { modelDir: opts.modelDir, artifactsRoot: opts.artifactsRoot ?? readArtifactsRoot() });
  const { metadata: m, runners: engines, dispose } = loaded;
  try {
    if (m.scope === 'asset' && m.symbol !== symbol) throw new CliError(`The model in ${artifactDir} was trained for ${m.symbol} alone, not ${symbol}; use a pooled model or one trained for ${symbol}.`, 2);
    if (m.horizonDays !== horizonDays) throw new CliError(`The model in ${artifactDir} predicts ${m.horizonDays} days, not ${horizonDays}; pass --horizon ${m.horizonDays}.`, 2);
    const inputs = await readModelInputs(db, m, symbol, opts.source);
    const p = await predictWithArtifact(m, engines, symbol, inputs, { expiryDays: readModelExpiryDays() });
    return { ...p, artifactDir, dataSource: inputs.source };
  } finally {
    dispose();
  }
}

/** Registers `predict`. */
export function register(program: Command): void {
  const command = program
    .command('predict')
    .description('Predict the direction of one asset with the model served for it (probabilities, confidence, band)');
  requiredFlag(command, '--symbol <symbol>', 'asset, e.g. BTC', symbol);
  flag(command, '--horizon <days>', 'horizon of the model to use', positiveInt, 7);
  addDbOption(
    command
      .option('--model <folder>', 'use this artifact folder instead of the served model')
      .option('--source <source>', 'candle source (default: the one the model was trained on)')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (f: PredictFlags) => {
      const out = await withDatabase(f, (db) => predictServed(db, f.symbol, f.horizon, { modelDir: f.model, source: f.source }));
      if (f.json) {
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      const p = out.probabilities;
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      const call = out.signal === 'none' ? `NO CLEAR SIGNAL (leaning ${out.class}, ${pct(out.confidence)})` : `${out.class.toUpperCase()} (confidence ${pct(out.confidence)})`;
      const b = out.band;
      process.stdout.write(
        `${out.symbol} ${out.horizonDays}d as of ${out.asOf}: ${call}\n` +
          `  bearish ${pct(p.bearish)}  neutral ${pct(p.neutral)}  bullish ${pct(p.bullish)}\n` +
          `  neutral means a close between ${b.lowerPrice.toPrecision(6)} (${pct(b.lowerReturn)}) and ${b.upperPrice.toPrecision(6)} (+${pct(b.upperReturn)}) on day ${out.horizonDays}\n` +
          `  model ${out.modelVersion} (${out.artifactDir}); candles from ${out.dataSource}; placeholder or missing features: ${out.placeholders.join(', ') || 'none'}\n` +
          monitoringNotes(out.monitoring).map((line) => `  WARNING: ${line}\n`).join(''),
      );
    }),
  );
}
