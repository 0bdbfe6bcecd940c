// The prior-shift experiment of BENCHMARKS.md (#13, "The trailing-year band with a prior-shift correction"):
// re-calibrates a run's stored ensemble probabilities (experiments.ts files, which keep each fold's validation rows
// and class shares) with each variant of recipe.priorShift, using the code fitPooledEnsemble uses
// (fitCalibration: the prior shift, then the temperature and the abstention threshold on validation), and writes
// one experiments-table file per variant and horizon. It prints the choice criterion (the mean selection log-loss
// over the horizons given) and nothing from the confirmation folds; read those with experiments-table.ts.
//   npx tsx apps/trainer/bench/prior-shift.ts --run /work/exp/band365 --horizons 7,14,30 --out /work/exp/shift
import { computeMetrics } from '@coinsphere/model/core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { PooledFoldOutcome } from '../src/evaluation/pooled-fold.ts';
import { summarizePooled } from '../src/evaluation/pooled-summary.ts';
import { applyCalibration, fitCalibration, type Priors } from '../src/training/pooled-ensemble.ts';

const { values } = parseArgs({
  options: {
    run: { type: 'string' },
    horizons: { type: 'string', default: '7,14,30' },
    out: { type: 'string', default: 'test-output/experiments/prior-shift' },
    'confirm-from': { type: 'string', default: '2023-01-01' },
  },
});
if (!values.run) throw new Error('prior-shift.ts needs --run <prefix>, e.g. --run /work/exp/band365 for band365-7d.json and so on.');
type Stored = Omit<PooledFoldOutcome, 'probs' | 'val'> & { probs: Record<string, number[]>; val: { y: number[]; probs: Record<string, number[]> } };
const VARIANTS: Record<string, (o: Stored) => Priors | null> = {
  none: () => null,
  'shift-trailing': (o) => ({ from: o.classShares.train, to: o.classShares.trailing }),
  'shift-val': (o) => ({ from: o.classShares.train, to: o.classShares.val }),
};
const cut = Date.parse(`${values['confirm-from']}T00:00:00Z`);
mkdirSync(values.out, { recursive: true });
const criterion: Record<string, number[]> = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, []]));

for (const h of values.horizons.split(',').map(Number)) {
  const run = JSON.parse(readFileSync(`${values.run}-${h}d.json`, 'utf8')) as { summary: { name: string }; folds: Array<{ test: [string, string] }>; outcomes: Stored[] };
  if (!run.outcomes[0]?.classShares) throw new Error(`${values.run}-${h}d.json has no classShares: re-run experiments.ts at a commit that stores them.`);
  const inSelection = run.folds.map((f) => Date.parse(`${f.test[1]}T00:00:00Z`) < cut);
  for (const [variant, priorsOf] of Object.entries(VARIANTS)) {
    const outcomes: PooledFoldOutcome[] = run.outcomes.map((o) => {
      const probs = Object.fromEntries(Object.entries(o.probs).map(([k, v]) => [k, Float32Array.from(v)]));
      const valRaw = Float32Array.from(o.val.probs.uncalibrated!);
      const cal = fitCalibration(valRaw, o.val.y, priorsOf(o));
      return { ...o, probs: { ...probs, model: applyCalibration(probs.uncalibrated!, cal) }, temperature: cal.temperature, abstainBelow: cal.abstainBelow, priors: cal.priors, val: { y: o.val.y, probs: {} } };
    });
    const selection = outcomes.filter((_, k) => inSelection[k]);
    const confirmation = outcomes.filter((_, k) => !inSelection[k]);
    const y = selection.flatMap((o) => o.y);
    const p = Float32Array.from(selection.flatMap((o) => Array.from(o.probs.model!)));
    const logLoss = computeMetrics(p, y).logLoss;
    criterion[variant]!.push(logLoss);
    const temps = selection.map((o) => o.temperature.toFixed(2)).join(' ');
    console.log(`${h}d ${variant.padEnd(15)} selection log-loss ${logLoss.toFixed(4)}; temperatures ${temps}`);
    const summary = {
      name: `${run.summary.name}-${variant}`, horizonDays: h, wallMs: 0,
      selection: selection.length ? summarizePooled(selection, h) : null,
      confirmation: confirmation.length ? summarizePooled(confirmation, h) : null,
      all: summarizePooled(outcomes, h),
    };
    writeFileSync(`${values.out}/${summary.name}-${h}d.json`, JSON.stringify({ summary }));
  }
}
const means = Object.entries(criterion).map(([v, l]) => [v, l.reduce((a, b) => a + b, 0) / l.length] as const).sort((a, b) => a[1] - b[1]);
console.log(`criterion (mean selection log-loss over ${values.horizons} days): ${means.map(([v, m]) => `${v} ${m.toFixed(4)}`).join(', ')}; chosen: ${means[0]![0]}`);
