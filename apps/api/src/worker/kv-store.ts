// ApiStore over Workers KV: the edge has no database, so publish writes each (symbol, horizon)'s latest
// prediction and history under `db:` keys, and the registry, assets and candles are whatever was pushed there.
// Runtime-neutral: Web Standards only.
import type { Candle } from '@coinsphere/model';
import type { Prediction } from '../schemas.ts';
import type { ApiStore, ArtifactSource, AssetSummary, ModelRecord, StoreStats } from '../store.ts';
import { listKeys, type KvNamespace } from './kv.ts';

const HISTORY_CAP = 2000; // predictions kept per (symbol, horizon) on the edge
const latestKey = (s: string, h: number) => `db:latest:${s}:${h}`;
const historyKey = (s: string, h: number) => `db:hist:${s}:${h}`;

async function readJson<T>(kv: KvNamespace, key: string, fallback: T): Promise<T> {
  const raw = await kv.get(key, 'text');
  return raw === null ? fallback : (JSON.parse(raw) as T);
}

const newer = (a: Prediction, b: Prediction) => a.asOf > b.asOf || (a.asOf === b.asOf && a.createdAt >= b.createdAt);

/** The KV-backed store of the Worker. */
export class KvStore implements ApiStore, ArtifactSource {
  readonly kind = 'kv';
  constructor(private readonly kv: KvNamespace) {}

  async stats(): Promise<StoreStats> {
    const [models, newest] = await Promise.all([this.listModels(), this.kv.get('db:newest', 'text')]);
    return { modelCount: models.length, newestPredictionAt: newest };
  }

  async latestPredictions(symbols: readonly string[], horizonDays: number): Promise<Prediction[]> {
    const rows = await Promise.all(symbols.map((s) => readJson<Prediction | null>(this.kv, latestKey(s, horizonDays), null)));
    return rows.filter((r) => r !== null);
  }

  async predictionHistory(symbol: string, horizonDays: number, fromDay: string, toDay: string): Promise<Prediction[]> {
    const rows = await readJson<Prediction[]>(this.kv, historyKey(symbol, horizonDays), []);
    return rows.filter((p) => p.asOf >= fromDay && p.asOf <= toDay);
  }

  async savePredictions(batch: Prediction[]): Promise<void> {
    const groups = new Map<string, Prediction[]>();
    for (const p of batch) groups.set(`${p.symbol}:${p.horizonDays}`, [...(groups.get(`${p.symbol}:${p.horizonDays}`) ?? []), p]);
    let newest = (await this.kv.get('db:newest', 'text')) ?? '';
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const { symbol, horizonDays } = group[0]!;
        const history = await readJson<Prediction[]>(this.kv, historyKey(symbol, horizonDays), []);
        const same = (a: Prediction, b: Prediction) => a.asOf === b.asOf && a.modelVersion === b.modelVersion;
        const merged = [...history.filter((h) => !group.some((p) => same(p, h))), ...group]
          .sort((a, b) => a.asOf.localeCompare(b.asOf) || a.createdAt.localeCompare(b.createdAt))
          .slice(-HISTORY_CAP);
        const latest = merged.reduce((best, p) => (newer(p, best) ? p : best));
        await this.kv.put(historyKey(symbol, horizonDays), JSON.stringify(merged));
        await this.kv.put(latestKey(symbol, horizonDays), JSON.stringify(latest));
      }),
    );
    for (const p of batch) if (p.createdAt > newest) newest = p.createdAt;
    await this.kv.put('db:newest', newest);
  }

  async listAssets(): Promise<AssetSummary[]> {
    const keys = await listKeys(this.kv, 'db:latest:');
    const bySymbol = new Map<string, AssetSummary>();
    for (const k of keys) {
      const [, , symbol = '', h = '0'] = k.split(':');
      const a = bySymbol.get(symbol) ?? { symbol, firstDay: null, lastDay: null, horizons: [] };
      a.horizons.push(Number(h));
      bySymbol.set(symbol, a);
    }
    return [...bySymbol.values()].map((a) => ({ ...a, horizons: a.horizons.sort((x, y) => x - y) }));
  }

  async dailyCandles(symbol: string, fromMs: number, toMs: number): Promise<Candle[]> {
    const rows = await readJson<Candle[]>(this.kv, `db:candles:${symbol}`, []);
    return rows.filter((k) => k.openTimeMs >= fromMs && k.openTimeMs <= toMs);
  }

  listModels(): Promise<ModelRecord[]> {
    return readJson<ModelRecord[]>(this.kv, 'db:models', []);
  }

  async read(model: ModelRecord, file: string): Promise<Uint8Array | null> {
    const bytes = await this.kv.get(`artifact:${model.symbol}:${model.horizonDays}:${model.version}:${file}`, 'arrayBuffer');
    return bytes === null ? null : new Uint8Array(bytes);
  }
}
