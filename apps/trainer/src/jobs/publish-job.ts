// The publish job (`coinsphere publish`, and the main job's last step): computes the latest prediction of every
// asset at every horizon with the model served for it (servedModel), stores the batch in the database in one
// transaction and rewrites exactly the serving-cache keys it changed (Redis when REDIS_URL is set); with an edge
// it also pushes, with COINSPHERE_API_TOKEN, the artifacts and registry entries of those models, the recent
// daily candles of their symbols and then the batch to a deployed Worker, which has no database. Then it stores the
// Degen Risk Score of every asset (publish-risk.ts), which --edge pushes too.
// Prints nothing but the line of a prediction it could not make. Must not import a command.
import { listModels, listSeries, networkProblem, readCandles, readModelInputs, servedModel, type Database, type ModelRecord } from '@coinsphere/data';
import { artifactFileNames, FEATURE_SETS, predictWithArtifact } from '@coinsphere/model/core';
import { explainPrediction } from '@coinsphere/model/explain';
import { publishPredictions, type ServingCache } from '@coinsphere/serving';
import { MAX_HOURLY_DAYS, PublishBatchSchema, RISK_HISTORY_DAYS, type Prediction } from '@coinsphere/serving/contract';
import { createNodeCache, DrizzleStore } from '@coinsphere/serving/node';
import { artifactReader, loadRegisteredArtifact, readRegisteredMetadata, registeredDir } from '../artifact-files.ts';
import { readModelExpiryDays, readTrainerEnv } from '../cli/env.ts';
import { CliError } from '../cli/errors.ts';
import { publishRiskScores, type RiskPublishResult } from './publish-risk.ts';
import { pushMonitoringToEdge, storeMonitoringSummaries } from './monitoring-job.ts';
import { pushTrackRecordToEdge, recordBaselines, resolveOutcomes, type OutcomesResult } from './track-record-job.ts';

/** Which models to publish. */
export interface PublishFilter {
  symbols?: string[];
  horizons?: number[];
}

/** Computes the prediction records to publish; swap it to publish records computed elsewhere. */
export type ComputePredictions = (db: Database, filter: PublishFilter) => Promise<PublishedPrediction[]>;

/** A prediction with the registered model it came from (publish --edge pushes that model). */
export type PublishedPrediction = Prediction & { model: ModelRecord };

/**
 * The latest prediction of every asset with daily candles at every horizon some model serves it at (the promotion
 * gate's choice, a pooled model for assets it was promoted for or never saw), through the one inference path on
 * the fused engine, each model loaded once from its location under the artifacts root `root` and verified against
 * its registered digest, with the attributions of its call ("why this call", the same computation the dashboard
 * runs); a prediction it cannot make (too little history) is left out and said through `warn`.
 */
export function servedPredictions(root?: string, warn: (line: string) => void = () => {}): ComputePredictions {
  return async (db, filter) => {
    const artifactsRoot = root ?? readTrainerEnv().artifactsRoot; // read when it runs, not when a command is declared
    const expiryDays = readModelExpiryDays();
    const symbols = [...new Set((await listSeries(db)).filter((s) => s.interval === '1d').map((s) => s.symbol))]
      .filter((s) => !filter.symbols || filter.symbols.includes(s));
    const horizons = [...new Set((await listModels(db.orm)).map((m) => m.horizonDays))].filter((h) => !filter.horizons || filter.horizons.includes(h)).sort((a, b) => a - b);
    const byModel = new Map<number, { record: ModelRecord; symbols: string[] }>();
    for (const h of horizons) {
      for (const symbol of symbols) {
        const record = await servedModel(db.orm, symbol, h);
        if (!record) continue;
        const entry = byModel.get(record.id) ?? { record, symbols: [] };
        entry.symbols.push(symbol);
        byModel.set(record.id, entry);
      }
    }
    const out: PublishedPrediction[] = [];
    for (const { record, symbols: served } of byModel.values()) {
      const { metadata: m, runners: engines, dispose } = await loadRegisteredArtifact(artifactsRoot, record);
      try {
        for (const symbol of served) {
          if (m.scope === 'asset' && m.symbol !== symbol) continue;
          const inputs = await readModelInputs(db, m, symbol);
          const p = await predictWithArtifact(m, engines, symbol, inputs, { expiryDays }).catch((e: unknown) => e as Error);
          if (p instanceof Error) {
            warn(`${symbol} ${record.horizonDays}d: not published (${p.message})`);
            continue;
          }
          const attributions = await explainPrediction(m, engines, symbol, inputs, p.class);
          out.push({ ...p, attributions, createdAt: new Date().toISOString(), model: record });
        }
      } finally {
        dispose();
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
  /** The source of each symbol's daily candles pushed (the edge holds one series per symbol). */
  candleSources: Record<string, string>;
  /** Hourly candles per symbol, pushed for models that read them (change_1h). */
  hourly: Record<string, number>;
  /** Risk: symbols whose assessments were pushed, and those pushed without inputs (the edge holds another series of
   *  them, so a page there shows the stored score without computing it), with why. */
  risk?: { symbols: string[]; withoutInputs: Array<{ symbol: string; why: string }> };
  /** Symbols whose live track records were pushed (track-record-job.ts). */
  trackRecord?: string[];
  /** Symbols whose monitoring summaries were pushed (monitoring-job.ts). */
  monitoring?: string[];
}

/** Result of a publish: rows written, cache keys changed, and the edge's answer when --edge was given. */
export interface PublishResult {
  written: number;
  changedKeys: string[];
  /** Set when the serving cache (Redis) could not take the changed keys: which backend, and what it means. */
  cacheNotWritten?: { backend: string; message: string };
  edge?: EdgePushResult;
  /** What publishJob's risk step stored (publishBatch alone does not run it). */
  risk?: RiskPublishResult;
  /** What publishJob's track-record step did: outcomes resolved before the batch, predictions given baselines. */
  track?: { outcomes: OutcomesResult; baselines: number };
  /** Monitoring summaries publishJob stored (one per served model's asset and horizon; GET /v1/monitoring). */
  monitoring?: { summaries: number };
}

/** How many times one edge call is tried when the connection fails (no HTTP answer). */
export const EDGE_TRIES = 3;

/**
 * Calls the edge API with the bearer token; throws a CliError naming the URL, status and the edge's message. A call
 * that gets no answer at all (a dropped connection: workerd closing a kept-alive socket just as it is reused, under
 * load) is tried again, EDGE_TRIES times in all: every admin call is idempotent (a PUT replaces, a POST registers the
 * same version or the same batch). The last failure names the URL and the network's reason.
 */
export async function callEdge(base: string, token: string, method: string, path: string, body?: Uint8Array | string, type = 'application/json'): Promise<unknown> {
  const url = new URL(path, base).toString();
  let res: Response | undefined;
  for (let attempt = 1; !res; attempt++) {
    try {
      res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) }, body: body as BodyInit | undefined });
    } catch (error) {
      if (attempt === EDGE_TRIES) {
        throw new CliError(`Edge publish: ${method} ${url} got no answer in ${EDGE_TRIES} tries (last: ${networkProblem(error as Error)}). Check that the Worker at ${base} is up and reachable, then run publish --edge again; the database and the local cache have the batch already.`);
      }
      await new Promise((wake) => setTimeout(wake, 200 * attempt));
    }
  }
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok) throw new CliError(`Edge publish: ${method} ${url} failed with ${res.status}: ${json.error?.message ?? 'no error body'}.`);
  return json;
}

/**
 * Pushes to the edge the model behind each prediction of `batch` (files first, then the registry entry with the
 * symbols it serves, which the edge refuses unless the files verify), the last EDGE_CANDLE_DAYS daily candles of
 * each symbol (the series its model reads, and BTC's for models that read the market), and the batch itself.
 * Model files the edge already lists (same version) are not uploaded again. Each artifact is read from under the
 * artifacts root `root` and verified against its registered digest, which the entry carries to the edge.
 */
export async function pushToEdge(db: Database, batch: PublishedPrediction[], edge: { url: string; token: string }, root = readTrainerEnv().artifactsRoot): Promise<EdgePushResult> {
  const listed = (await callEdge(edge.url, edge.token, 'GET', '/v1/models')) as { models: Array<{ symbol: string; horizonDays: number; version: string }> };
  const onEdge = new Set(listed.models.map((m) => `${m.symbol}/${m.horizonDays}/${m.version}`));
  const models: string[] = [];
  const sources = new Map<string, string | undefined>();
  const hourlySymbols = new Set<string>();
  for (const { record, servedFor } of groupByModel(batch)) {
    const dir = registeredDir(root, record);
    const metadata = await readRegisteredMetadata(root, record);
    for (const s of [...servedFor, ...(metadata.featureSet === 'v2' ? ['BTC'] : [])]) if (!sources.has(s)) sources.set(s, metadata.dataSources[s]);
    if (FEATURE_SETS[metadata.featureSet].usesHourly) for (const s of servedFor) hourlySymbols.add(s);
    const key = `${record.symbol}/${record.horizonDays}/${record.version}`;
    if (!onEdge.has(key)) {
      for (const file of artifactFileNames(metadata)) {
        const bytes = await artifactReader(dir)(file).catch(() => null);
        if (!bytes) throw new CliError(`Artifact file ${file} of ${key} is missing under ${record.location}; retrain or re-register the model.`);
        await callEdge(edge.url, edge.token, 'PUT', `/v1/admin/artifacts/${record.symbol}/${record.horizonDays}/${encodeURIComponent(record.version)}/${file}`, bytes, 'application/octet-stream');
      }
      models.push(key);
    }
    const { id, symbol, scope, horizonDays, version, metrics, digest, createdAtMs } = record;
    await callEdge(edge.url, edge.token, 'POST', '/v1/admin/models', JSON.stringify({ id, symbol, scope, horizonDays, version, metrics, metadata, digest, createdAt: new Date(createdAtMs).toISOString(), servedFor }));
  }
  const { counts: candles, sources: candleSources } = await pushCandles(db, edge, [...sources], '1d', EDGE_CANDLE_DAYS);
  // The hourly candles the dashboard asks a change_1h model's inputs for (at most MAX_HOURLY_DAYS), so a page served
  // by the Worker computes what `predict` did; from the source `predict` reads them from (the longest hourly history).
  const { counts: hourly } = await pushCandles(db, edge, [...hourlySymbols].map((s) => [s, undefined]), '1h', MAX_HOURLY_DAYS * 24);
  const published = (await callEdge(edge.url, edge.token, 'POST', '/v1/predictions', JSON.stringify({ predictions: batch.map(withoutModel) }))) as { changedKeys?: string[] };
  return { url: edge.url, changedKeys: published.changedKeys ?? [], models, candles, candleSources, hourly };
}

/** Replaces the edge's last `count` candles of each symbol at `interval`; returns how many went per symbol, and from
 *  which source. */
async function pushCandles(db: Database, edge: { url: string; token: string }, symbols: Array<[string, string | undefined]>, interval: '1d' | '1h', count: number) {
  const counts: Record<string, number> = {};
  const sources: Record<string, string> = {};
  for (const [symbol, source] of symbols) {
    const read = await readCandles(db, { symbol, interval, source }).catch(() => ({ source: '', candles: [] }));
    const recent = read.candles.slice(-count);
    if (recent.length === 0) continue;
    await callEdge(edge.url, edge.token, 'PUT', `/v1/admin/candles/${symbol}${interval === '1h' ? '?interval=1h' : ''}`, JSON.stringify({ candles: recent }));
    counts[symbol] = recent.length;
    sources[symbol] = read.source;
  }
  return { counts, sources };
}

/**
 * Pushes every scored asset's stored risk assessments (the route's RISK_HISTORY_DAYS) and its newest day's inputs to
 * the edge, as the Node API serves them. An asset the edge holds no candles of gets its risk series' last
 * EDGE_CANDLE_DAYS first; one whose edge candles are of another source (its model's) is pushed without inputs.
 */
async function pushRiskToEdge(db: Database, edge: { url: string; token: string }, symbols: readonly string[], pushed: EdgePushResult): Promise<NonNullable<EdgePushResult['risk']>> {
  const store = new DrizzleStore(db);
  const out: NonNullable<EdgePushResult['risk']> = { symbols: [], withoutInputs: [] };
  for (const symbol of symbols) {
    const history = await store.riskHistory(symbol, RISK_HISTORY_DAYS);
    const newest = history.at(-1);
    if (!newest) continue;
    let inputs = await store.riskInputs(symbol, newest.day);
    if (inputs && pushed.candleSources[symbol] === undefined) {
      const more = await pushCandles(db, edge, [[symbol, inputs.candles.source]], '1d', EDGE_CANDLE_DAYS);
      Object.assign(pushed.candles, more.counts);
      Object.assign(pushed.candleSources, more.sources);
    }
    if (inputs && pushed.candleSources[symbol] !== inputs.candles.source) {
      out.withoutInputs.push({ symbol, why: `the edge holds its ${pushed.candleSources[symbol]} candles (its model's), the score reads ${inputs.candles.source}` });
      inputs = null;
    }
    await callEdge(edge.url, edge.token, 'PUT', `/v1/admin/risk/${symbol}`, JSON.stringify({ history, inputs }));
    out.symbols.push(symbol);
  }
  return out;
}

/** The batch's models, each with the symbols it predicted. */
function groupByModel(batch: PublishedPrediction[]): Array<{ record: ModelRecord; servedFor: string[] }> {
  const out = new Map<number, { record: ModelRecord; servedFor: string[] }>();
  for (const p of batch) {
    const e = out.get(p.model.id) ?? { record: p.model, servedFor: [] };
    if (!e.servedFor.includes(p.symbol)) e.servedFor.push(p.symbol);
    out.set(p.model.id, e);
  }
  return [...out.values()];
}

const withoutModel = ({ model: _model, ...p }: PublishedPrediction): Prediction => p;

/** Stores `batch` and refreshes `cache`; with `edge`, pushes the models, candles and batch there (pushToEdge). */
export async function publishBatch(db: Database, batch: PublishedPrediction[], cache: ServingCache, edge?: { url: string; token: string | null; root?: string }): Promise<PublishResult> {
  const valid = PublishBatchSchema.parse({ predictions: batch.map(withoutModel) }).predictions; // refuse the whole batch before writing
  if (edge && !edge.token) throw new CliError('--edge needs COINSPHERE_API_TOKEN set to the Worker secret; export it and retry.', 2);
  const local = await publishPredictions(new DrizzleStore(db), cache, valid);
  if (!edge?.token) return local;
  return { ...local, edge: await pushToEdge(db, batch, { url: edge.url, token: edge.token }, edge.root) };
}

/** Options of publishJob: what to publish, where the serving cache is, and the edge to push to. */
export interface PublishJobOptions {
  filter: PublishFilter;
  /** Redis of the serving cache; undefined: the in-process one (servers see the batch after CACHE_FRESH_SECONDS). */
  redisUrl: string | undefined;
  edge?: { url: string; token: string | null; root?: string };
  /** The artifacts root the monitoring summaries read metadata from (default: edge.root, else COINSPHERE_ARTIFACTS):
   *  the one `compute` read. */
  artifactsRoot?: string;
}

/**
 * Computes the batch (once), stores it, refreshes the serving cache and, with `edge`, pushes it there; then stores
 * the risk scores of every asset in the database (whatever the filter: the panel's pooled fits and percentiles need
 * them all). Returns the batch with the result, so a caller prints or summarises the predictions without computing
 * them again.
 */
export async function publishJob(db: Database, opts: PublishJobOptions, compute: ComputePredictions): Promise<{ batch: PublishedPrediction[]; result: PublishResult }> {
  const batch = await compute(db, opts.filter);
  if (batch.length === 0) throw new CliError('No registered model matches; train one with `coinsphere train --symbol BTC` first.', 2);
  const cache = createNodeCache(opts.redisUrl, 0); // it only writes: no near cache
  try {
    const outcomes = await resolveOutcomes(db); // what the new candles settle, before the batch joins the record
    const result = await publishBatch(db, batch, cache, opts.edge);
    const baselines = await recordBaselines(db, batch);
    const risk = await publishRiskScores(db);
    if (result.edge && opts.edge?.token) result.edge.risk = await pushRiskToEdge(db, { url: opts.edge.url, token: opts.edge.token }, [...risk.scored, ...risk.unscored.map((u) => u.symbol)], result.edge);
    if (result.edge && opts.edge?.token) {
      const { url, token } = { url: opts.edge.url, token: opts.edge.token };
      result.edge.trackRecord = await pushTrackRecordToEdge(db, (method, path, body) => callEdge(url, token, method, path, body), [...new Set(batch.map((p) => p.symbol))], [...new Set(batch.map((p) => p.horizonDays))]);
    }
    // after the batch: the summaries' newest-prediction flags are the batch's
    const summaries = await storeMonitoringSummaries(db, { artifactsRoot: opts.artifactsRoot ?? opts.edge?.root ?? readTrainerEnv().artifactsRoot, expiryDays: readModelExpiryDays() });
    if (result.edge && opts.edge?.token) {
      const { url, token } = { url: opts.edge.url, token: opts.edge.token };
      result.edge.monitoring = await pushMonitoringToEdge((method, path, body) => callEdge(url, token, method, path, body), summaries, [...new Set(batch.map((p) => p.symbol))]);
    }
    return { batch, result: { ...result, risk, track: { outcomes, baselines }, monitoring: { summaries: summaries.length } } };
  } finally {
    await cache.close?.();
  }
}
