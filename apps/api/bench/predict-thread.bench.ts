// One prediction thread's work per POST /v1/predict, alone and in one process: parse and validate the body, then
// the features, the normaliser, the window and the fused engines of a served-size model (5 networks of 32-16-8, the
// spec set, 10-day windows) on `BENCH_DAYS` (default 400) synthetic daily candles, as predict-worker.ts runs them.
// Against the path it replaced, in the same run, interleaved: JSON.parse + the zod schema, and every day's features
// (windowsFor), where the new one takes a valid body without zod and computes only the window's rows (newestWindow).
// Both use the hand-written indicators: their own gain over technicalindicators is packages/model/bench/
// indicators.bench.ts. Prints the median microseconds of each part and per prediction; the two paths' windows and
// parsed bodies must be equal.
// Profile it: node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof apps/api/bench/predict-thread.bench.ts
// Run: npx tsx apps/api/bench/predict-thread.bench.ts. Not a test: no assertions.
import { fusedNetworks, type FusedLstm } from '@coinsphere/engine';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { DEFAULT_TRAINING_CONFIG, initWeights, makeSyntheticCandles, metadataFromDataset, newestWindow, predictWithArtifact, prepareDataset, readArtifact, windowsFor, writeArtifact } from '@coinsphere/model/core';
import { PredictRequestSchema } from '@coinsphere/serving/contract';
import { parsePredictRequest } from '../src/predict-request.ts';
import { SERVED_SIZE_MODEL } from '../../../tests/support/predict-model.ts';

const DAYS = Number(process.env.BENCH_DAYS ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const PER_ROUND = 100;

const candles = makeSyntheticCandles(DAYS, 5);
const config = SERVED_SIZE_MODEL;
const ds = prepareDataset(candles, { horizonDays: 7, windowBars: config.windowBars });
const input = metadataFromDataset(ds, { symbol: 'BTC', modelVersion: 'bench', dataSource: 'synthetic', modelConfig: config, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null });
const seeds = [42, 43, 44, 45, 46];
const files = new Map<string, Uint8Array | string>();
await writeArtifact(input, seeds.map((s) => initWeights(config, s)), seeds, async (name, data) => void files.set(name, data));
const contents = await readArtifact(async (name) => files.get(name)!);
const engines: FusedLstm[] = await fusedNetworks(contents, (c) => loadFusedLstm(c, 1));
const body = JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles });

const request = parsePredictRequest(body);
const inputs = { candles: request.candles };
const m = contents.metadata;
const last = inputs.candles.length - 1;
const parts = {
  parseOld: () => PredictRequestSchema.parse(JSON.parse(body)),
  parseNew: () => parsePredictRequest(body),
  windowOld: () => windowsFor(m, 'BTC', inputs, [last]), // every day's features, then the newest window
  windowNew: () => newestWindow(m, 'BTC', inputs),
  predictNew: () => predictWithArtifact(m, engines, 'BTC', inputs), // newestWindow + the 5 engines + the band
};
type Part = keyof typeof parts;

const a = parts.windowOld();
const b = parts.windowNew();
if (a.length !== b.length || a.some((v, i) => !Object.is(v, b[i]))) throw new Error('The two paths give different windows.');
if (JSON.stringify(parts.parseOld()) !== JSON.stringify(parts.parseNew())) throw new Error('The two parses differ.');

async function timeUs(fn: () => unknown, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t0) * 1000) / n;
}

for (const fn of Object.values(parts)) for (let i = 0; i < 200; i++) await fn(); // warm-up: JIT
const us = Object.fromEntries(Object.keys(parts).map((k) => [k, [] as number[]])) as Record<Part, number[]>;
for (let r = 0; r < ROUNDS; r++) for (const [k, fn] of Object.entries(parts)) us[k as Part].push(await timeUs(fn, PER_ROUND));
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const med = Object.fromEntries(Object.entries(us).map(([k, xs]) => [k, Math.round(median(xs))])) as Record<Part, number>;
const threadNew = med.parseNew + med.predictNew;
const threadOld = med.parseOld + med.predictNew - med.windowNew + med.windowOld; // the same engines and band
console.log(JSON.stringify({ days: DAYS, bodyBytes: body.length, node: process.version, medianUs: med, perPredictionUs: { old: threadOld, new: threadNew }, ratio: +(threadOld / threadNew).toFixed(2) }, null, 2));
engines.forEach((e) => e.dispose());
