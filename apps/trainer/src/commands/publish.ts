// `coinsphere publish [--symbols BTC,ETH] [--horizons 7,14,30] [--edge <url>]`: computes the latest prediction
// of every registered model (newest version per symbol and horizon), stores the batch in the database in one
// transaction and rewrites exactly the serving-cache keys it changed (Redis when REDIS_URL is set); with --edge
// it also pushes, with COINSPHERE_API_TOKEN, the artifacts and registry entries of those models, the recent
// daily candles of their symbols and then the batch to a deployed Worker, which has no database.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { artifactFileNames, DrizzleStore, FsArtifacts, parseApiEnv, PredictionsService, PublishBatchSchema, processEnv, type Prediction, type ServingCache } from '@coinsphere/api';
import { latestModel, listModels, readCandles, type Database } from '@coinsphere/data';
import { loadArtifact, predictDirection } from '@coinsphere/model';
import type { Command } from 'commander';
import { selectBackend } from '../backends.ts';
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
 * (verified by loadArtifact), reads the daily candles of its data source and runs predictDirection. Placeholders are the features
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
    if (pairs.size > 0) await selectBackend('cpu'); // as `coinsphere predict` runs it
    for (const { symbol, horizonDays } of pairs.values()) {
      const model = await latestModel(db.orm, symbol, horizonDays);
      if (!model) continue;
      const folder = resolve(root, model.location);
      const artifact = await loadArtifact((name) => readFile(resolve(folder, name)).then((b) => new Uint8Array(b)));
      try {
        // The series the model was trained on, as `coinsphere predict` and the dashboard read it.
        const { candles } = await readCandles(db, { symbol, interval: '1d', source: artifact.metadata.dataSource });
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

/** Days of daily candles pushed to the edge per symbol: what the dashboard charts (two years). */
export const EDGE_CANDLE_DAYS = 730;

/** What --edge pushed: artifacts uploaded (`SYMBOL/h/version`; ones the edge had are skipped), candles per symbol. */
export interface EdgePushResult {
  url: string;
  changedKeys: string[];
  models: string[];
  candles: Record<string, number>;
}

/** Result of a publish: rows written, cache keys changed, and the edge's answer when --edge was given. */
export interface PublishResult {
  written: number;
  changedKeys: string[];
  edge?: EdgePushResult;
}

/** Calls the edge API with the bearer token; throws a CliError naming the URL, status and the edge's message. */
async function callEdge(base: string, token: string, method: string, path: string, body?: Uint8Array | string, type = 'application/json'): Promise<unknown> {
  const url = new URL(path, base).toString();
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) }, body: body as BodyInit | undefined });
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok) throw new CliError(`Edge publish: ${method} ${url} failed with ${res.status}: ${json.error?.message ?? 'no error body'}.`);
  return json;
}

/**
 * Pushes to the edge the newest model of each (symbol, horizon) in `batch` (files first, then the registry entry,
 * which the edge refuses unless the files verify), the last EDGE_CANDLE_DAYS daily candles of each symbol, and
 * the batch itself. Models the edge already lists (same version) are not uploaded again.
 */
export async function pushToEdge(db: Database, batch: Prediction[], edge: { url: string; token: string }, root = process.cwd()): Promise<EdgePushResult> {
  const listed = (await callEdge(edge.url, edge.token, 'GET', '/v1/models')) as { models: Array<{ symbol: string; horizonDays: number; version: string }> };
  const onEdge = new Set(listed.models.map((m) => `${m.symbol}/${m.horizonDays}/${m.version}`));
  const files = new FsArtifacts(root);
  const models: string[] = [];
  for (const { symbol, horizonDays } of new Map(batch.map((p) => [`${p.symbol}:${p.horizonDays}`, p])).values()) {
    const model = await latestModel(db.orm, symbol, horizonDays);
    if (!model || onEdge.has(`${symbol}/${horizonDays}/${model.version}`)) continue;
    const record = { ...model, createdAt: new Date(model.createdAtMs).toISOString() };
    const read = (file: string) => files.read(record, file);
    for (const file of await artifactFileNames(read)) {
      const bytes = await read(file);
      if (!bytes) throw new CliError(`Artifact file ${file} of ${symbol} ${horizonDays}d ${model.version} is missing under ${model.location}; retrain or re-register the model.`);
      await callEdge(edge.url, edge.token, 'PUT', `/v1/admin/artifacts/${symbol}/${horizonDays}/${encodeURIComponent(model.version)}/${file}`, bytes, 'application/octet-stream');
    }
    const { symbol: s, horizonDays: h, version, metrics, metadata, createdAt } = record;
    await callEdge(edge.url, edge.token, 'POST', '/v1/admin/models', JSON.stringify({ symbol: s, horizonDays: h, version, metrics, metadata, createdAt }));
    models.push(`${symbol}/${horizonDays}/${model.version}`);
  }
  const candles: Record<string, number> = {};
  for (const symbol of new Set(batch.map((p) => p.symbol))) {
    const recent = (await readCandles(db, { symbol, interval: '1d' })).candles.slice(-EDGE_CANDLE_DAYS);
    await callEdge(edge.url, edge.token, 'PUT', `/v1/admin/candles/${symbol}`, JSON.stringify({ candles: recent }));
    candles[symbol] = recent.length;
  }
  const published = (await callEdge(edge.url, edge.token, 'POST', '/v1/predictions', JSON.stringify({ predictions: batch }))) as { changedKeys?: string[] };
  return { url: edge.url, changedKeys: published.changedKeys ?? [], models, candles };
}

/** Stores `batch` and refreshes `cache`; with `edge`, pushes the models, candles and batch there (pushToEdge). */
export async function publishBatch(db: Database, batch: Prediction[], cache: ServingCache, edge?: { url: string; token: string | null; root?: string }): Promise<PublishResult> {
  const valid = PublishBatchSchema.parse({ predictions: batch }).predictions; // refuse the whole batch before writing
  if (edge && !edge.token) throw new CliError('--edge needs COINSPHERE_API_TOKEN set to the Worker secret; export it and retry.', 2);
  const local = await new PredictionsService(new DrizzleStore(db), cache, 0).publish(valid);
  if (!edge?.token) return local;
  return { ...local, edge: await pushToEdge(db, valid, { url: edge.url, token: edge.token }, edge.root) };
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
      .option('--edge <url>', 'also push the models, recent candles and batch to a deployed Worker (needs COINSPHERE_API_TOKEN)')
      .option('--json', 'print the result as JSON'),
  ).action(
    action(async (opts: DbOption & { symbols?: string; horizons?: string; edge?: string; json?: boolean }) => {
      const env = parseApiEnv(processEnv());
      const filter: PublishFilter = { symbols: opts.symbols ? parseList(opts.symbols).map((s) => s.toUpperCase()) : undefined, horizons: opts.horizons ? parseHorizons(opts.horizons) : undefined };
      await withDatabase(opts, async (db) => {
        const batch = await compute(db, filter);
        if (batch.length === 0) throw new CliError('No registered model matches; train one with `coinsphere train --symbol BTC` first.', 2);
        const { createNodeCache } = await import('@coinsphere/api');
        const cache = createNodeCache(env.redisUrl, 0); // it only writes: no near cache. Without Redis, servers see it after CACHE_FRESH_SECONDS
        try {
          const result = await publishBatch(db, batch, cache, opts.edge ? { url: opts.edge, token: env.config.apiToken } : undefined);
          if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, predictions: batch }, null, 2)}\n`);
          else for (const p of batch) process.stdout.write(`${p.symbol} ${p.horizonDays}d as of ${p.asOf}: ${p.class} (${(p.confidence * 100).toFixed(1)}%, model ${p.modelVersion})\n`);
          const e = result.edge;
          if (!opts.json) process.stdout.write(`Stored ${result.written}; cache keys changed: ${result.changedKeys.length}${e ? `; edge: ${e.models.length} models uploaded, candles of ${Object.keys(e.candles).join(', ')}, keys changed: ${e.changedKeys.length}` : ''}\n`);
        } finally {
          await cache.close?.();
        }
      });
    }),
  );
}
