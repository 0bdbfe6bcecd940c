// Blends of a run's members, with weights fixed or fitted on each fold's validation rows (never its test rows) and a
// temperature fitted there, summarised like the experiments (BENCHMARKS.md, "Blends"): the LSTM ensemble, the
// logistic regression, and the recent persistence table (P(class | the last move's class) counted on the
// validation block, the 182 days before the test block).
//   npx tsx apps/trainer/bench/blends.ts <run-7d.json> [confirm-from]
import { applyTemperature, argmax, computeMetrics, fitTemperature } from '@coinsphere/model/core';
import { readFileSync } from 'node:fs';
import type { PooledFoldOutcome } from '../src/evaluation/pooled-fold.ts';
import { summarizePooled } from '../src/evaluation/pooled-summary.ts';

const [file, confirm = '2023-01-01'] = process.argv.slice(2);
const run = JSON.parse(readFileSync(file!, 'utf8')) as { summary: { horizonDays: number }; folds: Array<{ test: [string, string] }>; outcomes: PooledFoldOutcome[] };
const h = run.summary.horizonDays;
const MEMBERS = ['uncalibrated', 'logistic', 'recentPersistence'] as const;
// P(class | last move's class) counted on the validation block (the latest 182 days before the test block)
function recentTable(o: PooledFoldOutcome, rows: ArrayLike<number>): Float32Array {
  const counts = [[1, 1, 1], [1, 1, 1], [1, 1, 1]];
  const vp = o.val.probs.persistence!;
  for (let i = 0; i < o.val.y.length; i++) counts[argmax(vp, i * 3, 3)]![o.val.y[i]!]!++; // the one-hot's class
  const n = rows.length / 3;
  const out = new Float32Array(rows.length);
  for (let i = 0; i < n; i++) {
    const row = counts[argmax(rows, i * 3, 3)]!;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = row[c]! / (row[0]! + row[1]! + row[2]!);
  }
  return out;
}
for (const o of run.outcomes) { o.probs.recentPersistence = recentTable(o, o.probs.persistence!); o.val.probs.recentPersistence = recentTable(o, o.val.probs.persistence!); }

function mix(probs: Record<string, ArrayLike<number>>, w: readonly number[]): Float32Array {
  const n = probs.logistic!.length;
  const out = new Float32Array(n);
  MEMBERS.forEach((m, j) => { if (w[j]) for (let i = 0; i < n; i++) out[i] = out[i]! + w[j]! * probs[m]![i]!; });
  return out;
}
const logLoss = (p: Float32Array, y: number[]) => computeMetrics(p, y).logLoss;
const grid: number[][] = [];
for (let a = 0; a <= 10; a++) for (let b = 0; a + b <= 10; b++) grid.push([a / 10, b / 10, (10 - a - b) / 10]);

const rules: Record<string, (o: PooledFoldOutcome) => number[]> = {
  lstm: () => [1, 0, 0],
  recentOnly: () => [0, 0, 1],
  lstmLogistic: () => [0.5, 0.5, 0],
  lstmRecent: () => [0.5, 0, 0.5],
  lstmLogRecent: () => [1 / 3, 1 / 3, 1 / 3],
  simplexOnVal: (o) => grid.reduce((best, w) => (logLoss(mix(o.val.probs, w), o.val.y) < logLoss(mix(o.val.probs, best), o.val.y) ? w : best)),
};

const cut = Date.parse(`${confirm}T00:00:00Z`);
const p = (x: number) => (100 * x).toFixed(1);
for (const [name, rule] of Object.entries(rules)) {
  const weights: number[][] = [];
  const outs = run.outcomes.map((o) => {
    const w = rule(o);
    weights.push(w);
    const t = fitTemperature(mix(o.val.probs, w), o.val.y).temperature;
    const uncalibrated = mix(o.probs, w);
    return { ...o, probs: { ...o.probs, model: applyTemperature(uncalibrated, 3, t), uncalibrated } };
  });
  const mean = MEMBERS.map((_, j) => weights.reduce((s, w) => s + w[j]!, 0) / weights.length);
  for (const [part, sel] of [['selection', (k: number) => Date.parse(`${run.folds[k]!.test[1]}T00:00:00Z`) < cut], ['confirmation', (k: number) => Date.parse(`${run.folds[k]!.test[1]}T00:00:00Z`) >= cut], ['all', () => true]] as const) {
    const subset = outs.filter((_, k) => sel(k));
    if (!subset.length) continue;
    const b = summarizePooled(subset, h, 400).brief;
    console.log(`${name.padEnd(13)} ${h}d ${part.padEnd(12)} acc ${p(b.accuracy.model.estimate)} vs ${b.accuracy.best.name} ${p(b.accuracy.best.value.estimate)} Δ ${p(b.accuracy.difference.estimate)} [${p(b.accuracy.difference.lower)}, ${p(b.accuracy.difference.upper)}]; F1 Δ ${p(b.macroF1.difference.estimate)} [${p(b.macroF1.difference.lower)}, ${p(b.macroF1.difference.upper)}] vs ${b.macroF1.best.name}; Brier−maj ${b.brier.differenceToMajority.estimate.toFixed(4)}; ECE ${p(b.ece.estimate)}${part === 'all' ? `; mean w ${mean.map((x) => x.toFixed(2)).join('/')}` : ''}`);
  }
}
