// #13: does a decision rule that weighs the classes by their recent frequency turn the pooled model's calibrated
// probabilities into calls with a better macro-F1 (and no worse accuracy) than the best baseline? Post hoc over the
// test rows that bench/experiments.ts wrote: the probabilities, Brier and ECE are unchanged; only the call moves,
// to argmax_c p_c · w_c with w_c = s_c^(−α), s = the fold's trailing-year class shares of its training rows (known
// on the day). α is chosen on the selection folds (test blocks ending before 2023-01-01) by the sum of the accuracy
// and macro-F1 differences to their best baselines, one α per horizon, then the confirmation folds are read once.
// The logistic baseline is reported under the same rule too, so that a gain the rule gives everyone is seen as such.
//   npx tsx apps/trainer/bench/decision-rule.ts <file.json> [<file.json> ...]
import { readFileSync } from 'node:fs';
import { summarizePooled } from '../src/evaluation/pooled-summary.ts';
import type { PooledFoldOutcome } from '../src/evaluation/pooled-fold.ts';

const ALPHAS = [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1];
const CONFIRM_FROM = Date.parse('2023-01-01T00:00:00Z');

interface RunFile {
  summary: { name: string; horizonDays: number };
  folds: Array<{ test: [string, string] }>;
  outcomes: Array<Omit<PooledFoldOutcome, 'probs'> & { probs: Record<string, number[]> }>;
}

/** The outcome with `names`' probabilities replaced by p·w normalised (argmax(p·w) is the call; only the call is read). */
function reweighted(o: RunFile['outcomes'][number], alpha: number, names: string[]): PooledFoldOutcome {
  const w = o.classShares.trailing.map((s) => Math.max(s, 1e-3) ** -alpha);
  const probs: Record<string, Float32Array> = {};
  for (const [name, p] of Object.entries(o.probs)) {
    const out = Float32Array.from(p);
    if (names.includes(name)) {
      for (let i = 0; i < out.length; i += 3) {
        let z = 0;
        for (let c = 0; c < 3; c++) z += (out[i + c]! *= w[c]!);
        for (let c = 0; c < 3; c++) out[i + c]! /= z;
      }
    }
    probs[name] = out;
  }
  return { ...(o as unknown as PooledFoldOutcome), probs };
}

const pts = (x: number) => (100 * x).toFixed(1);
const sgn = (x: number) => (x >= 0 ? '+' : '') + pts(x);
const iv = (i: { estimate: number; lower: number; upper: number }) => `${sgn(i.estimate)} [${sgn(i.lower)}, ${sgn(i.upper)}]`;

for (const file of process.argv.slice(2)) {
  const run = JSON.parse(readFileSync(file, 'utf8')) as RunFile;
  const h = run.summary.horizonDays;
  const part = (which: 'selection' | 'confirmation') => run.outcomes.filter((_, k) => (Date.parse(`${run.folds[k]!.test[1]}T00:00:00Z`) < CONFIRM_FROM) === (which === 'selection'));
  const brief = (outs: RunFile['outcomes'], alpha: number, names: string[]) => summarizePooled(outs.map((o) => reweighted(o, alpha, names)), h, 1000).brief;
  const rows: string[] = [];
  let chosen = 0;
  let best = -Infinity;
  for (const alpha of ALPHAS) {
    const b = brief(part('selection'), alpha, ['model']);
    const score = b.accuracy.difference.estimate + b.macroF1.difference.estimate;
    if (score > best) [best, chosen] = [score, alpha];
    rows.push(`| ${h}d | selection | ${alpha} | ${pts(b.accuracy.model.estimate)} | ${b.accuracy.best.name} ${pts(b.accuracy.best.value.estimate)} | ${iv(b.accuracy.difference)} | ${pts(b.macroF1.model.estimate)} | ${b.macroF1.best.name} ${pts(b.macroF1.best.value.estimate)} | ${iv(b.macroF1.difference)} |`);
  }
  for (const [label, names] of [['model', ['model']], ['model and logistic', ['model', 'logistic']]] as const) {
    for (const alpha of label === 'model' ? [0, chosen] : [chosen]) {
      const b = brief(part('confirmation'), alpha, [...names]);
      rows.push(`| ${h}d | confirmation${label === 'model' ? '' : ' (logistic under the rule too)'} | ${alpha}${alpha === chosen ? ' (chosen)' : ''} | ${pts(b.accuracy.model.estimate)} | ${b.accuracy.best.name} ${pts(b.accuracy.best.value.estimate)} | ${iv(b.accuracy.difference)} | ${pts(b.macroF1.model.estimate)} | ${b.macroF1.best.name} ${pts(b.macroF1.best.value.estimate)} | ${iv(b.macroF1.difference)} |`);
    }
  }
  console.log(rows.join('\n'));
}
