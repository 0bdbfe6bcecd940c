// An online mixture of a run's predictors, weighted by how each did on the outcomes resolved so far (BENCHMARKS.md,
// "An online mixture weighted by resolved outcomes"). Walking the test rows of every fold in calendar order, the
// prediction for day t mixes the LSTM ensemble, the logistic regression and the rule-of-thumb baselines with weights
// exp(−β · each one's recent mean log-loss), counted only over rows whose horizon had passed by day t (day + h ≤ t),
// discounted with a half-life of H days. The deterministic baselines (persistence, momentum, majority) become
// probabilities the same way: P(class | what the rule said), counted over the same resolved rows with the same
// discount. Nothing is fitted on a row before its outcome is known, so this is what the product could serve from its
// stored outcomes. (β, H) is chosen on the selection folds by log-loss, before the confirmation folds are looked at;
// the script prints confirmation only for the chosen pair.
//   npx tsx apps/trainer/bench/online-mix.ts <run-<h>d.json> [confirm-from]
import { argmax, computeMetrics } from '@coinsphere/model/core';
import { readFileSync } from 'node:fs';
import type { PooledFoldOutcome } from '../src/evaluation/pooled-fold.ts';
import { summarizePooled } from '../src/evaluation/pooled-summary.ts';

const DAY = 86_400_000;
const PROBABILISTIC = ['model', 'logistic'] as const;
const RULES = ['persistence', 'momentum', 'majority'] as const;
const EXPERTS = [...PROBABILISTIC, ...RULES];

interface Mix { beta: number; halfLifeDays: number }

/** The mixture's probabilities for every test row of `outcomes` (in their order) and the mean weights it used. */
function mixOnline(outcomes: PooledFoldOutcome[], h: number, { beta, halfLifeDays }: Mix): { probs: Float32Array[]; meanWeights: number[] } {
  const rows = outcomes.flatMap((o, k) => o.y.map((y, i) => ({ k, i, day: o.dayMs[i]!, y })));
  const order = rows.map((_, j) => j).sort((a, b) => rows[a]!.day - rows[b]!.day);
  const out = outcomes.map((o) => new Float32Array(o.y.length * 3));
  const decayPerDay = 2 ** (-1 / halfLifeDays);
  const loss = new Float64Array(EXPERTS.length); // discounted sums of log-loss
  let seen = 0; // discounted count of resolved rows
  const tables = RULES.map(() => [0, 1, 2].map(() => [1, 1, 1])); // [rule][said][happened], a Laplace prior
  const pending: Array<{ day: number; y: number; used: number[][]; said: number[] }> = [];
  const weightSums = new Float64Array(EXPERTS.length);
  let lastDay = -Infinity;
  for (const j of order) {
    const { k, i, day, y } = rows[j]!;
    if (day !== lastDay) {
      if (lastDay > -Infinity) {
        const d = decayPerDay ** ((day - lastDay) / DAY);
        loss.forEach((_, m) => (loss[m]! *= d));
        seen *= d;
        for (const t of tables) for (const r of t) for (let c = 0; c < 3; c++) r[c] = 1 + (r[c]! - 1) * d;
      }
      lastDay = day;
      while (pending.length && pending[0]!.day + h * DAY <= day) { // resolved: its outcome is known by `day`
        const p = pending.shift()!;
        p.used.forEach((q, m) => (loss[m]! += -Math.log(Math.max(q[p.y]!, 1e-6))));
        p.said.forEach((s, r) => tables[r]![s]![p.y]!++);
        seen++;
      }
    }
    const o = outcomes[k]!;
    const said = RULES.map((r) => argmax(o.probs[r]!, i * 3, 3));
    const used = [
      ...PROBABILISTIC.map((m) => [0, 1, 2].map((c) => o.probs[m]![i * 3 + c]!)),
      ...said.map((s, r) => { const t = tables[r]![s]!; const n = t[0]! + t[1]! + t[2]!; return t.map((x) => x / n); }),
    ];
    const w = weightsOf(loss, seen, beta);
    w.forEach((x, m) => (weightSums[m]! += x));
    for (let c = 0; c < 3; c++) out[k]![i * 3 + c] = used.reduce((s, q, m) => s + w[m]! * q[c]!, 0);
    pending.push({ day, y, used, said });
  }
  return { probs: out, meanWeights: [...weightSums].map((s) => s / rows.length) };
}

/** exp(−β · mean loss), normalised; β = Infinity follows the leader; nothing resolved yet: equal weights. */
function weightsOf(loss: Float64Array, seen: number, beta: number): number[] {
  if (seen < 1) return EXPERTS.map(() => 1 / EXPERTS.length);
  const mean = [...loss].map((l) => l / seen);
  const best = Math.min(...mean);
  if (beta === Infinity) { const m = mean.indexOf(best); return EXPERTS.map((_, j) => (j === m ? 1 : 0)); }
  const e = mean.map((l) => Math.exp(-beta * (l - best)));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}

const [file, confirm = '2023-01-01'] = process.argv.slice(2);
const run = JSON.parse(readFileSync(file!, 'utf8')) as { summary: { horizonDays: number }; folds: Array<{ test: [string, string] }>; outcomes: PooledFoldOutcome[] };
const h = run.summary.horizonDays;
for (const o of run.outcomes) for (const [k, v] of Object.entries(o.probs)) o.probs[k] = Float32Array.from(v);
const cut = Date.parse(`${confirm}T00:00:00Z`);
const inSelection = (k: number) => Date.parse(`${run.folds[k]!.test[1]}T00:00:00Z`) < cut;
const pct = (x: number) => (100 * x).toFixed(1);
const withMix = (probs: Float32Array[]) => run.outcomes.map((o, k) => ({ ...o, probs: { ...o.probs, model: probs[k]!, uncalibrated: probs[k]! } }));
const logLossOn = (outs: PooledFoldOutcome[]) => computeMetrics(Float32Array.from(outs.flatMap((o) => [...o.probs.model!])), outs.flatMap((o) => o.y)).logLoss;

function line(name: string, part: string, outs: PooledFoldOutcome[], extra = ''): void {
  const b = summarizePooled(outs, h, 1000).brief;
  const d = (x: { estimate: number; lower: number; upper: number }) => `${pct(x.estimate)} [${pct(x.lower)}, ${pct(x.upper)}]`;
  console.log(`| ${name} | ${h}d | ${part} | ${logLossOn(outs).toFixed(4)} | ${pct(b.accuracy.model.estimate)} | ${b.accuracy.best.name} ${pct(b.accuracy.best.value.estimate)} | ${d(b.accuracy.difference)} | ${pct(b.macroF1.model.estimate)} | ${b.macroF1.best.name} ${pct(b.macroF1.best.value.estimate)} | ${d(b.macroF1.difference)} | ${b.brier.differenceToMajority.estimate.toFixed(4)} | ${pct(b.ece.estimate)} |${extra}`);
}

console.log(`| mix | h | part | log-loss | accuracy | best baseline | Δ accuracy | macro-F1 | best baseline | Δ macro-F1 | Brier − majority | ECE | mean weights (${EXPERTS.join('/')}) |`);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
const selection = (outs: PooledFoldOutcome[]) => outs.filter((_, k) => inSelection(k));
const confirmation = (outs: PooledFoldOutcome[]) => outs.filter((_, k) => !inSelection(k));
line('LSTM ensemble (the run)', 'selection', selection(run.outcomes), ' |');
const grid: Mix[] = [0, 30, 100, Infinity].flatMap((beta) => [90, 365].map((halfLifeDays) => ({ beta, halfLifeDays })));
let chosen: { mix: Mix; loss: number; outs: PooledFoldOutcome[]; weights: number[] } | null = null;
for (const mix of grid) {
  const { probs, meanWeights } = mixOnline(run.outcomes, h, mix);
  const outs = withMix(probs);
  const loss = logLossOn(selection(outs));
  line(`β ${mix.beta}, H ${mix.halfLifeDays} d`, 'selection', selection(outs), ` ${meanWeights.map((w) => w.toFixed(2)).join('/')} |`);
  if (!chosen || loss < chosen.loss) chosen = { mix, loss, outs, weights: meanWeights };
}
console.log(`\nchosen on the selection folds by log-loss: β ${chosen!.mix.beta}, H ${chosen!.mix.halfLifeDays} d; the confirmation folds, looked at once:\n`);
line('LSTM ensemble (the run)', 'confirmation', confirmation(run.outcomes), ' |');
line(`β ${chosen!.mix.beta}, H ${chosen!.mix.halfLifeDays} d`, 'confirmation', confirmation(chosen!.outs), ' |');
line('LSTM ensemble (the run)', 'all', run.outcomes, ' |');
line(`β ${chosen!.mix.beta}, H ${chosen!.mix.halfLifeDays} d`, 'all', chosen!.outs, ` ${chosen!.weights.map((w) => w.toFixed(2)).join('/')} |`);
