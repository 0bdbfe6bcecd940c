// The track record's writes (issue #16): the baselines' calls recorded beside a published batch, resolving the
// outcomes of published predictions whose horizon has passed (`coinsphere outcomes`, and publish before it stores a
// new batch), and pushing each asset's live record to the edge. Every figure is computed in @coinsphere/serving
// (baselineCalls, realisedOutcome, computeTrackRecords); this file reads and writes. Must not import a command.
import { listModels, predictionsWithoutBaseline, predictionsWithoutBaselines, readCandles, saveBaselines, saveOutcomes, unresolvedPredictions, outcomeCount, type BaselineRecord, type Database, type OutcomeRecord } from '@coinsphere/data';
import { toIsoDay } from '@coinsphere/model/core';
import { baselineCalls, modelSourceFor, realisedOutcome, thresholdsOf } from '@coinsphere/serving';
import type { Prediction } from '@coinsphere/serving/contract';
import { DrizzleStore } from '@coinsphere/serving/node';
import { logisticBaselineCalls, logisticKey } from './logistic-baseline.ts';

type Shares = { bearish: number; neutral: number; bullish: number };

/** A published prediction with the metadata of the model it came from (publish's PublishedPrediction fits). */
type WithModel = Pick<Prediction, 'symbol' | 'horizonDays' | 'asOf' | 'modelVersion' | 'band'> & { model: { metadata: Record<string, unknown> } };


/** The training split's class shares a model recorded (metadata.classBalance.train.shares), or null. */
function trainSharesOf(metadata: Record<string, unknown>): Shares | null {
  const shares = (metadata.classBalance as { train?: { shares?: Shares } } | undefined)?.train?.shares;
  return shares && typeof shares.bearish === 'number' ? shares : null;
}

const pick = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

/** Daily closes of `symbol` from `source` by UTC day, with the series oldest first; null when it has none. */
async function closesOf(db: Database, symbol: string, source: string | undefined) {
  const read = await readCandles(db, { symbol, interval: '1d', source }).catch(() => null);
  if (!read || read.candles.length === 0) return null;
  const closes = read.candles.map((k) => k.close);
  return { closes, indexByDay: new Map(read.candles.map((k, i) => [toIsoDay(k.openTimeMs), i])), closeByDay: new Map(read.candles.map((k) => [toIsoDay(k.openTimeMs), k.close])) };
}

/**
 * Records what the baselines said for each prediction of `batch` with a band (persistence under that band, the
 * model's training shares as the majority, momentum, and the logistic regression fitted on the model's training
 * rows), from the series its model read, in one transaction. Returns how many predictions got baselines.
 */
export async function recordBaselines(db: Database, batch: readonly WithModel[]): Promise<number> {
  const rows: BaselineRecord[] = [];
  const series = new Map<string, Awaited<ReturnType<typeof closesOf>>>();
  const logistic = await logisticBaselineCalls(db, batch.filter((p) => p.band));
  for (const p of batch) {
    if (!p.band) continue;
    const source = modelSourceFor(p.model.metadata, p.symbol);
    const key = `${p.symbol} ${source ?? ''}`;
    if (!series.has(key)) series.set(key, await closesOf(db, p.symbol, source));
    const s = series.get(key);
    const t = s?.indexByDay.get(p.asOf);
    if (!s || t === undefined) continue;
    const baselines = { ...baselineCalls(s.closes, t, p.horizonDays, p.band, trainSharesOf(p.model.metadata)), ...pick('logistic', logistic.get(logisticKey(p))) };
    rows.push({ symbol: p.symbol, horizonDays: p.horizonDays, asOf: p.asOf, modelVersion: p.modelVersion, baselines });
  }
  await saveBaselines(db, rows);
  return rows.length;
}

/**
 * Records the baselines of stored predictions published before baselines were (they have a band but no baselines
 * row), from their model's metadata and series, and the logistic call of those recorded before the logistic was. The
 * baselines read only candles up to the as-of day, the model's training shares and its training rows, so recording
 * them now gives what publish would have recorded then. Returns how many predictions got baselines.
 */
export async function backfillBaselines(db: Database): Promise<number> {
  const [missing, noLogistic] = await Promise.all([predictionsWithoutBaselines(db.orm), predictionsWithoutBaseline(db.orm, 'logistic')]);
  if (missing.length === 0 && noLogistic.length === 0) return 0;
  const models = new Map((await listModels(db.orm)).map((m) => [`${m.horizonDays} ${m.version}`, m]));
  const withModel = (ps: typeof missing) => ps.flatMap((p) => {
    const model = models.get(`${p.horizonDays} ${p.modelVersion}`);
    return model ? [{ ...p, model }] : [];
  });
  const recorded = await recordBaselines(db, withModel(missing));
  const lacking = withModel(noLogistic);
  const calls = await logisticBaselineCalls(db, lacking); // only those it can now call: the rest stay as they are
  return recorded + (await recordBaselines(db, lacking.filter((p) => calls.has(logisticKey(p)))));
}

/** What resolving did: outcomes newly recorded, those stored before, and predictions still waiting. */
export interface OutcomesResult {
  resolved: number;
  alreadyResolved: number;
  pending: number;
}

/**
 * Records the realised class of every stored prediction with a band whose close at asOf + horizon is in (from the
 * series its model read), judged by its own band. Idempotent: an outcome is written once, so a second run over the
 * same candles records nothing.
 */
export async function resolveOutcomes(db: Database): Promise<OutcomesResult> {
  const waiting = await unresolvedPredictions(db.orm);
  const before = await outcomeCount(db.orm);
  const metaByVersion = new Map((await listModels(db.orm)).map((m) => [`${m.horizonDays} ${m.version}`, m.metadata]));
  const series = new Map<string, Awaited<ReturnType<typeof closesOf>>>();
  const rows: OutcomeRecord[] = [];
  for (const p of waiting) {
    const source = modelSourceFor(metaByVersion.get(`${p.horizonDays} ${p.modelVersion}`), p.symbol);
    const key = `${p.symbol} ${source ?? ''}`;
    if (!series.has(key)) series.set(key, await closesOf(db, p.symbol, source));
    const s = series.get(key);
    const o = s ? realisedOutcome(p, s.closeByDay, thresholdsOf(p)) : null;
    if (!o?.class) continue;
    rows.push({ symbol: p.symbol, horizonDays: p.horizonDays, asOf: p.asOf, modelVersion: p.modelVersion, endDay: o.endDay, closeAtAsOf: o.closeAtAsOf, closeAtEnd: o.closeAtEnd, realisedClass: o.class });
  }
  const resolved = await saveOutcomes(db, rows);
  return { resolved, alreadyResolved: before, pending: waiting.length - resolved };
}

/** One line on what resolving did, saying so when nothing changed. */
export function renderOutcomesLine(r: OutcomesResult): string {
  if (r.resolved === 0) return `Outcomes: nothing new to resolve (${r.alreadyResolved} resolved before, ${r.pending} waiting for their horizon or candles); nothing changed.`;
  return `Outcomes: resolved ${r.resolved} prediction${r.resolved === 1 ? '' : 's'} (${r.alreadyResolved} resolved before, ${r.pending} still waiting).`;
}

/** Pushes each of `symbols`' live records at `horizons` (computed by the one computation, via DrizzleStore) to the
 *  edge's PUT /v1/admin/track-record/{symbol}; returns the symbols pushed. */
export async function pushTrackRecordToEdge(
  db: Database,
  call: (method: string, path: string, body: string) => Promise<unknown>,
  symbols: readonly string[],
  horizons: readonly number[],
): Promise<string[]> {
  const store = new DrizzleStore(db);
  const pushed: string[] = [];
  for (const symbol of symbols) {
    const records = (await Promise.all(horizons.map((h) => store.trackRecord(symbol, h)))).flat();
    if (records.length === 0) continue;
    await call('PUT', `/v1/admin/track-record/${symbol}`, JSON.stringify({ records }));
    pushed.push(symbol);
  }
  return pushed;
}
