// POST /v1/predict through app.request(), full-size model (the specification's LSTM, seeded weights) saved as a
// real artifact, one request at a time: the fused predictor (engine kept per model version) against the tfjs
// predictor it replaced (artifact loaded and the tfjs reference run per request), in the same run, interleaved.
// Run: npx tsx apps/api/bench/predict.bench.ts
import { loadFusedLstm } from '@coinsphere/engine/node';
import { ARTIFACT_FILES, artifactDigest, buildModel, DEFAULT_MODEL_CONFIG, DEFAULT_TRAINING_CONFIG, loadArtifact, makeSyntheticCandles, metadataFromDataset, predictWithTfjs, prepareDataset, saveArtifact } from '@coinsphere/model';
import { createApp } from '../src/app.ts';
import { MemoryCache } from '@coinsphere/serving';
import { createFusedPredictor, storePredictorDeps } from '../src/fused-predictor.ts';
import type { Predictor } from '../src/routes/predict.ts';
import { KvStore } from '../src/worker/kv-store.ts';
import { memoryKv } from '../src/worker/memory-kv.ts';

const ROUNDS = 5;
const PER_ROUND = 10;
const candles = makeSyntheticCandles(800, 3);
const kv = memoryKv();
const store = new KvStore(kv);
const ds = prepareDataset(candles, { horizonDays: 7, windowBars: DEFAULT_MODEL_CONFIG.windowBars });
const model = buildModel(DEFAULT_MODEL_CONFIG, 1);
const meta = metadataFromDataset(ds, { symbol: 'BTC', modelVersion: 'bench', dataSource: 'synthetic', modelConfig: DEFAULT_MODEL_CONFIG, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null });
let digest = ''; // the registry pins the artifact by its metadata.json, as publish --edge registers it
await saveArtifact(model, meta, async (name, data) => {
  if (name === ARTIFACT_FILES.metadata) digest = await artifactDigest(data);
  await kv.put(`artifact:BTC:7:bench:${name}`, data);
});
model.dispose();
await kv.put('db:models', JSON.stringify([{ symbol: 'BTC', horizonDays: 7, version: 'bench', location: 'kv', metrics: {}, metadata: {}, digest, createdAt: new Date().toISOString(), id: 1, scope: 'asset' }]));

const fused = createFusedPredictor({ ...storePredictorDeps(store), artifacts: store, createEngine: (config) => loadFusedLstm(config, 1) });
const tfjsPerRequest: Predictor = async (req) => {
  const found = (await store.servedModel(req.symbol, req.horizonDays))!;
  const artifact = await loadArtifact(async (name) => (await store.read(found, name))!);
  try {
    return await predictWithTfjs(artifact, req.symbol, { candles: req.candles });
  } finally {
    artifact.models.forEach((m) => m.dispose());
  }
};

const body = JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles });
async function timeOne(predictor: Predictor): Promise<number> {
  const app = createApp({ store, cache: new MemoryCache(), predictor, config: { rateLimit: null } });
  const t0 = performance.now();
  const res = await app.request('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await res.json();
  if (res.status !== 200) throw new Error(`POST /v1/predict answered ${res.status}`);
  return performance.now() - t0;
}

const firstFusedMs = await timeOne(fused); // includes the one engine load
await timeOne(tfjsPerRequest); // warm tfjs's kernels
const times: Record<'fused' | 'tfjs', number[]> = { fused: [], tfjs: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < PER_ROUND; i++) times.fused.push(await timeOne(fused));
  for (let i = 0; i < PER_ROUND; i++) times.tfjs.push(await timeOne(tfjsPerRequest));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const out = { candles: candles.length, firstFusedMs, medianMs: { fused: median(times.fused), tfjsPerRequest: median(times.tfjs) }, ratio: median(times.tfjs) / median(times.fused) };
console.log(JSON.stringify(out, null, 2));
fused.dispose();
