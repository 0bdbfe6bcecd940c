// The promotion gate: a newly trained model is a candidate; it becomes the served model of an asset and horizon
// only if, on the same evaluation rows (the block held out of its training), it is not worse than the model served
// there now. Both are scored through the one inference path from their artifacts, each against the outcomes under
// its own label rule (both rules aim at a third of the rows per class), by Brier score: the candidate is promoted
// when its Brier is not above the served model's. `--promote` forces it and says so. Every decision is stored.
import { readCandles, recordPromotion, servedModel, type Database, type ModelRecord, type PromotionDecision } from '@coinsphere/data';
import { computeMetrics, MARKET_SYMBOL, predictRows, realisedClasses, toIsoDay, type ArtifactMetadata, type NetworkRunner } from '@coinsphere/model/core';

/** A registered model ready to predict: its record, verified metadata and runners (dispose when done). */
export interface GateModel {
  record: ModelRecord;
  metadata: ArtifactMetadata;
  runners: NetworkRunner[];
  dispose(): void;
}

/** One model's numbers on the gate rows. */
export interface GateScore {
  accuracy: number;
  macroF1: number;
  brier: number;
  /** 1 − Brier / (2/3), the Brier of saying a third each (0 = no skill, > 0 = skill). */
  brierSkill: number;
  modelVersion: string;
}

/** What the gate decided for one asset, with its evidence. */
export interface GateDecision {
  symbol: string;
  decision: PromotionDecision;
  rows: number;
  from: string;
  to: string;
  candidate: GateScore;
  incumbent: GateScore | null;
  reason: string;
}

/** Options of runPromotionGate. */
export interface GateOptions {
  horizonDays: number;
  /** The held-out block (inclusive days). */
  gate: { startDayMs: number; endDayMs: number };
  symbols: readonly string[];
  force: boolean;
  /** Loads a registered model's artifact onto runners. */
  load(record: ModelRecord): Promise<GateModel>;
}

function score(m: ArtifactMetadata, probs: Float32Array, y: Int32Array): GateScore {
  const metrics = computeMetrics(probs, y);
  return { accuracy: metrics.accuracy, macroF1: metrics.macroF1, brier: metrics.brier, brierSkill: 1 - metrics.brier / (2 / 3), modelVersion: m.modelVersion };
}

async function scoreOn(model: GateModel, symbol: string, candles: Parameters<typeof predictRows>[3], rows: number[]): Promise<GateScore> {
  const probs = await predictRows(model.metadata, model.runners, symbol, candles, rows);
  return score(model.metadata, probs, realisedClasses(model.metadata, symbol, candles.candles, rows));
}

/** Scores the candidate and each asset's incumbent on the gate rows, decides, and records every decision. */
export async function runPromotionGate(db: Database, candidate: GateModel, opts: GateOptions, log: (line: string) => void): Promise<GateDecision[]> {
  const incumbents = loadOnce(opts.load); // a pooled incumbent serves many assets: loaded once, not once per asset
  try {
    return await decideEach(db, candidate, opts, incumbents, log);
  } finally {
    await incumbents.disposeAll();
  }
}

/** `load`, each model at most once (by registry id), and a way to dispose of all it loaded. */
function loadOnce(load: GateOptions['load']) {
  const loaded = new Map<number, Promise<GateModel | Error>>();
  return {
    load(record: ModelRecord): Promise<GateModel | Error> {
      let p = loaded.get(record.id);
      if (!p) loaded.set(record.id, (p = load(record).catch((e: unknown) => e as Error)));
      return p;
    },
    async disposeAll(): Promise<void> {
      for (const m of await Promise.all(loaded.values())) if (!(m instanceof Error)) m.dispose();
    },
  };
}

async function decideEach(db: Database, candidate: GateModel, opts: GateOptions, incumbents: ReturnType<typeof loadOnce>, log: (line: string) => void): Promise<GateDecision[]> {
  const out: GateDecision[] = [];
  const marketSource = candidate.metadata.dataSources[MARKET_SYMBOL];
  const market = marketSource ? (await readCandles(db, { symbol: MARKET_SYMBOL, interval: '1d', source: marketSource })).candles : undefined;
  for (const symbol of opts.symbols) {
    const { candles } = await readCandles(db, { symbol, interval: '1d', source: candidate.metadata.dataSources[symbol] });
    const rows = candles.flatMap((c, r) => (c.openTimeMs >= opts.gate.startDayMs && c.openTimeMs <= opts.gate.endDayMs && r + opts.horizonDays < candles.length ? [r] : []));
    const inputs = { candles, market: symbol === MARKET_SYMBOL ? candles : market };
    if (rows.length === 0 && !opts.force) {
      // No evidence either way: no decision is recorded, so the asset is served as one the model never saw.
      log(`${symbol} ${opts.horizonDays}d: no held-out rows (its data end before ${toIsoDay(opts.gate.startDayMs)}); no decision, it is predicted as an asset the model never saw.`);
      continue;
    }
    const incumbentRecord = await servedModel(db.orm, symbol, opts.horizonDays);
    const incumbentId = incumbentRecord && incumbentRecord.id !== candidate.record.id ? incumbentRecord : null;
    const cand = rows.length > 0 ? await scoreOn(candidate, symbol, inputs, rows) : null;
    let inc: GateScore | null = null;
    let reason: string;
    if (incumbentId) {
      const loaded = await incumbents.load(incumbentId);
      if (loaded instanceof Error) reason = `the served model ${incumbentId.version} cannot be loaded (${loaded.message}), so it is replaced`;
      else {
        inc = rows.length > 0 ? await scoreOn(loaded, symbol, inputs, rows) : null;
        reason = '';
      }
    } else reason = 'no model was served for this asset and horizon';
    let decision: PromotionDecision;
    if (opts.force) {
      decision = 'forced';
      reason = `forced with --promote${inc && cand ? ` (Brier ${cand.brier.toFixed(4)} against the served model's ${inc.brier.toFixed(4)})` : ''}`;
    } else if (!cand || !inc) decision = 'promoted';
    else if (cand.brier <= inc.brier) {
      decision = 'promoted';
      reason = `Brier ${cand.brier.toFixed(4)} is not worse than the served model's ${inc.brier.toFixed(4)} on the same ${rows.length} rows`;
    } else {
      decision = 'kept';
      reason = `Brier ${cand.brier.toFixed(4)} is worse than the served model's ${inc.brier.toFixed(4)} on the same ${rows.length} rows; the served model stays`;
    }
    const d: GateDecision = {
      symbol, decision, rows: rows.length, from: toIsoDay(opts.gate.startDayMs), to: toIsoDay(opts.gate.endDayMs),
      candidate: cand ?? { accuracy: 0, macroF1: 0, brier: 0, brierSkill: 0, modelVersion: candidate.metadata.modelVersion }, incumbent: inc, reason,
    };
    await recordPromotion(db.orm, {
      symbol, horizonDays: opts.horizonDays, modelId: candidate.record.id, previousModelId: incumbentId?.id ?? null, decision,
      evidence: { ...d, rule: 'promote when the candidate\'s Brier on the held-out rows is not above the served model\'s' } as unknown as Record<string, unknown>,
    });
    log(`${symbol} ${opts.horizonDays}d: ${decision} — ${reason}.`);
    out.push(d);
  }
  return out;
}

