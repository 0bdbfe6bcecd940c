// The live record's logistic baseline for a batch of published predictions (issue #16): per model version, its
// metadata parsed, its trained assets' inputs read as a prediction reads them, the softmax regression fitted on its
// training rows (fitLiveLogistic, once per process and version: a version's training rows never change) and asked
// about each prediction's as-of day (logisticCalls). A model whose metadata is not a full artifact's, or whose
// training rows cannot be read, gets no logistic call. Must not import a command.
import { readModelInputs, type Database } from '@coinsphere/data';
import { fitLiveLogistic, logisticCalls, parseArtifactMetadata, type ArtifactMetadata, type LogisticAsset, type ClassName, type LogisticModel } from '@coinsphere/model/core';

type Probabilities = Record<ClassName, number>;

/** A published prediction's key with the metadata of the model it came from. */
export interface LogisticTarget {
  symbol: string;
  horizonDays: number;
  asOf: string;
  modelVersion: string;
  model: { metadata: Record<string, unknown> };
}

/** The key logisticBaselineCalls answers by. */
export const logisticKey = (p: Pick<LogisticTarget, 'symbol' | 'horizonDays' | 'asOf' | 'modelVersion'>): string => `${p.symbol} ${p.horizonDays} ${p.asOf} ${p.modelVersion}`;

const fitted = new Map<string, LogisticModel | null>(); // by horizon and version: fitted once per process

async function inputsOf(db: Database, m: ArtifactMetadata, symbol: string): Promise<LogisticAsset | null> {
  return readModelInputs(db, m, symbol).then((inputs) => ({ symbol, inputs }), () => null);
}

async function fitFor(db: Database, m: ArtifactMetadata, held: Map<string, LogisticAsset | null>): Promise<LogisticModel | null> {
  const key = `${m.horizonDays} ${m.modelVersion}`;
  if (!fitted.has(key)) {
    for (const s of m.symbols) if (!held.has(s)) held.set(s, await inputsOf(db, m, s));
    const assets = m.symbols.map((s) => held.get(s)).filter((a) => a != null);
    let model: LogisticModel | null;
    try {
      model = fitLiveLogistic(m, assets);
    } catch {
      model = null; // too little of its training history in the database: no logistic call, as for an old model
    }
    if (fitted.size >= 64) fitted.clear();
    fitted.set(key, model);
  }
  return fitted.get(key) ?? null;
}

/** The logistic baseline's probabilities for each prediction of `batch` it can call, by logisticKey. */
export async function logisticBaselineCalls(db: Database, batch: readonly LogisticTarget[]): Promise<Map<string, Probabilities>> {
  const out = new Map<string, Probabilities>();
  const byModel = new Map<string, LogisticTarget[]>();
  for (const p of batch) (byModel.get(`${p.horizonDays} ${p.modelVersion}`) ?? byModel.set(`${p.horizonDays} ${p.modelVersion}`, []).get(`${p.horizonDays} ${p.modelVersion}`)!).push(p);
  for (const group of byModel.values()) {
    let m: ArtifactMetadata;
    try {
      m = parseArtifactMetadata(group[0]!.model.metadata);
    } catch {
      continue; // not a full artifact's metadata (a registry row written by hand)
    }
    const held = new Map<string, LogisticAsset | null>();
    const model = await fitFor(db, m, held);
    if (!model) continue;
    for (const symbol of new Set(group.map((p) => p.symbol))) {
      if (!held.has(symbol)) held.set(symbol, await inputsOf(db, m, symbol));
      const a = held.get(symbol);
      if (!a) continue;
      const own = group.filter((p) => p.symbol === symbol);
      const calls = logisticCalls(model, m, symbol, a.inputs, own.map((p) => p.asOf));
      for (const p of own) {
        const c = calls.get(p.asOf);
        if (c) out.set(logisticKey(p), c);
      }
    }
  }
  return out;
}
