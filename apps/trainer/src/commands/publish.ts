// `coinsphere publish [--symbols BTC,ETH] [--horizons 7,14,30] [--edge <url>]`: computes the latest prediction
// of every registered model (newest version per symbol and horizon), stores the batch in the database in one
// transaction and rewrites exactly the serving-cache keys it changed (Redis when REDIS_URL is set); with --edge
// it also posts the batch to a deployed API's POST /v1/predictions with COINSPHERE_API_TOKEN.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DrizzleStore, MemoryCache, parseApiEnv, PredictionsService, PublishBatchSchema, processEnv, type Prediction, type ServingCache } from '@coinsphere/api';
import { latestModel, listModels, readCandles, type Database } from '@coinsphere/data';
import { loadArtifact, predictDirection } from '@coinsphere/model';
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { action, CliError } from '../cli/errors.ts';

/** Which models to publish. */
export interface PublishFilter {
  symbols?: string[];
  horizons?: number[];
}

/** Computes the prediction records to publish; swap it to publish records computed elsewhere. */
export type ComputePredictions = (db: Database, filter: PublishFilter) => Promise<Prediction[]>;

/**
 * The latest prediction of the newest model of each (symbol, horizon) in the registry: loads the artifact
 * (verified by loadArtifact), reads the daily candles and runs predictDirection. Placeholders are the features
 * the artifact's featureStatus does not mark 'real'. Relative artifact locations resolve against `root`.
 */
export function latestPredictionsOfRegistry(root = process.cwd()): ComputePredictions {
  return async (db, filter) => {
    const pairs = new Map<string, { symbol: string; horizonDays: number }>();
    for (const m of await listModels(db.orm)) {
      if (filter.symbols && !filter.symbols.includes(m.symbol)) continue;
      if (filter.horizons && !filter.horizons.includes(m.horizonDays)) continue;
      pairs.set(`${m.symbol}:${m.horizonDays}`, { symbol: m.symbol, horizonDays: m.horizonDays });
    }
    const out: Prediction[] = [];
    for (const { symbol, horizonDays } of pairs.values()) {
      const model = await latestModel(db.orm, symbol, horizonDays);
      if (!model) continue;
      const folder = resolve(root, model.location);
      const artifact = await loadArtifact((name) => readFile(resolve(folder, name)).then((b) => new Uint8Array(b)));
      try {
        const { candles } = await readCandles(db, { symbol, interval: '1d' });
        const p = await predictDirection(artifact.model, artifact.metadata, candles, { symbol });
        const placeholders = Object.entries(artifact.metadata.featureStatus).filter(([, s]) => s !== 'real').map(([name]) => name);
        out.push({ symbol, horizonDays, asOf: p.asOf, class: p.class, probabilities: p.probabilities, confidence: p.confidence, modelVersion: p.modelVersion, placeholders, createdAt: new Date().toISOString() });
      } finally {
        artifact.model.dispose();
      }
    }
    return out;
  };
}

/** Result of a publish: rows written, cache keys changed, and the edge's answer when --edge was given. */
export interface PublishResult {
  written: number;
  changedKeys: string[];
  edge?: { url: string; changedKeys: string[] };
}

/** Stores `batch` and refreshes `cache`; with `edge`, posts the same batch to that API with `token`. */
export async function publishBatch(db: Database, batch: Prediction[], cache: ServingCache, edge?: { url: string; token: string | null }): Promise<PublishResult> {
  const valid = PublishBatchSchema.parse({ predictions: batch }).predictions; // refuse the whole batch before writing
  const local = await new PredictionsService(new DrizzleStore(db), cache, 0).publish(valid);
  if (!edge) return local;
  if (!edge.token) throw new CliError('--edge needs COINSPHERE_API_TOKEN set to the Worker secret; export it and retry.', 2);
  const url = new URL('/v1/predictions', edge.url).toString();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${edge.token}` }, body: JSON.stringify({ predictions: valid }) });
  const body = (await res.json().catch(() => ({}))) as { changedKeys?: string[]; error?: { message?: string } };
  if (!res.ok) throw new CliError(`Edge publish to ${url} failed with ${res.status}: ${body.error?.message ?? 'no error body'}.`);
  return { ...local, edge: { url, changedKeys: body.changedKeys ?? [] } };
}

const parseList = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);
function parseHorizons(value: string): number[] {
  const out = parseList(value).map(Number);
  if (out.length === 0 || out.some((h) => !Number.isInteger(h) || h < 1 || h > 365)) throw new CliError(`--horizons "${value}" is not a list of days such as 7,14,30.`, 2);
  return out;
}

/** Registers `publish`. `compute` defaults to latestPredictionsOfRegistry(). */
export function register(program: Command, compute: ComputePredictions = latestPredictionsOfRegistry()): void {
  addDbOption(
    program
      .command('publish')
      .description('Compute the latest prediction of every trained model, store it and refresh the serving cache')
      .option('--symbols <list>', 'only these symbols, e.g. BTC,ETH')
      .option('--horizons <list>', 'only these horizons in days, e.g. 7,14,30')
      .option('--edge <url>', 'also push the batch to a deployed API (needs COINSPHERE_API_TOKEN)')
      .option('--json', 'print the result as JSON'),
  ).action(
    action(async (opts: DbOption & { symbols?: string; horizons?: string; edge?: string; json?: boolean }) => {
      const env = parseApiEnv(processEnv());
      const filter: PublishFilter = { symbols: opts.symbols ? parseList(opts.symbols).map((s) => s.toUpperCase()) : undefined, horizons: opts.horizons ? parseHorizons(opts.horizons) : undefined };
      await withDatabase(opts, async (db) => {
        const batch = await compute(db, filter);
        if (batch.length === 0) throw new CliError('No registered model matches; train one with `coinsphere train --symbol BTC` first.', 2);
        const { createNodeCache } = await import('@coinsphere/api');
        const cache = createNodeCache(env.redisUrl); // without Redis, servers see it after CACHE_FRESH_SECONDS
        try {
          const result = await publishBatch(db, batch, cache, opts.edge ? { url: opts.edge, token: env.config.apiToken } : undefined);
          if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, predictions: batch }, null, 2)}\n`);
          else for (const p of batch) process.stdout.write(`${p.symbol} ${p.horizonDays}d as of ${p.asOf}: ${p.class} (${(p.confidence * 100).toFixed(1)}%, model ${p.modelVersion})\n`);
          if (!opts.json) process.stdout.write(`Stored ${result.written}; cache keys changed: ${result.changedKeys.length}${result.edge ? `; edge keys changed: ${result.edge.changedKeys.length}` : ''}\n`);
        } finally {
          await cache.close?.();
        }
      });
    }),
  );
}
