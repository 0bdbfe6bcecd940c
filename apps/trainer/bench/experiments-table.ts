// BENCHMARKS.md's experiments table from the JSON files bench/experiments.ts wrote: one row per run and horizon,
// the model beside the best baseline of each metric on the same rows, with the difference's 95% interval.
//   npx tsx apps/trainer/bench/experiments-table.ts <folder> [selection|confirmation|all] [name-7d name-14d ...]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PooledBrief } from '../src/evaluation/pooled-summary.ts';

interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}
type Part = { brief: PooledBrief } | null;
interface RunFile {
  summary: { name: string; horizonDays: number; wallMs: number; selection: Part; confirmation: Part; all: { brief: PooledBrief } };
}

const [dir = 'test-output/experiments', part = 'selection', ...only] = process.argv.slice(2);
if (!['selection', 'confirmation', 'all'].includes(part)) throw new Error(`Unknown part "${part}": use selection, confirmation or all.`);
const pts = (x: number) => (100 * x).toFixed(1);
const iv = (i: Interval, f: (x: number) => string) => `${f(i.estimate)} [${f(i.lower)}, ${f(i.upper)}]`;
const signed = (f: (x: number) => string) => (x: number) => (x >= 0 ? '+' : '') + f(x);
const brier = (x: number) => x.toFixed(4);

const files = readdirSync(dir).filter((f) => f.endsWith('.json') && (only.length === 0 || only.includes(f.replace(/\.json$/, ''))));
const rows = files.map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunFile).summary);
rows.sort((a, b) => (only.length ? only.indexOf(`${a.name}-${a.horizonDays}d`) - only.indexOf(`${b.name}-${b.horizonDays}d`) : a.name.localeCompare(b.name) || a.horizonDays - b.horizonDays));

console.log('| run | h | n (days) | accuracy | best baseline | Δ accuracy | macro-F1 | best baseline | Δ macro-F1 | Brier | best baseline | Δ Brier | Brier − majority | ECE (uncal.) | speaks on · acc. vs baseline there |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const p = part === 'all' ? r.all : r[part as 'selection' | 'confirmation'];
  if (!p) continue;
  const b = p.brief;
  console.log(
    `| ${r.name} | ${r.horizonDays}d | ${b.n} (${b.days}) | ${iv(b.accuracy.model, pts)} | ${b.accuracy.best.name} ${pts(b.accuracy.best.value.estimate)} | ${iv(b.accuracy.difference, signed(pts))} ` +
      `| ${iv(b.macroF1.model, pts)} | ${b.macroF1.best.name} ${pts(b.macroF1.best.value.estimate)} | ${iv(b.macroF1.difference, signed(pts))} ` +
      `| ${brier(b.brier.model.estimate)} | ${b.brier.best.name} ${brier(b.brier.best.value.estimate)} | ${iv(b.brier.difference, signed(brier))} | ${iv(b.brier.differenceToMajority, signed(brier))} ` +
      `| ${iv(b.ece, pts)} (${pts(b.eceUncalibrated.estimate)}) | ${pts(b.abstention.coverage)}% · ${pts(b.abstention.accuracy)} vs ${b.abstention.baseline} ${pts(b.abstention.baselineAccuracy)} |`,
  );
}
const coverage = rows.filter((r) => (part === 'all' ? r.all : r[part as 'selection' | 'confirmation']));
if (coverage.length) {
  console.log('\nAccuracy by coverage (the most confident share of rows):\n');
  const shares = coverage[0]!.all.brief.coverage.map((c) => `${pts(c.coverage)}%`);
  console.log(`| run | h | ${shares.join(' | ')} |`);
  console.log(`|---|---|${shares.map(() => '---').join('|')}|`);
  for (const r of coverage) {
    const b = (part === 'all' ? r.all : r[part as 'selection' | 'confirmation'])!.brief;
    console.log(`| ${r.name} | ${r.horizonDays}d | ${b.coverage.map((c) => pts(c.accuracy)).join(' | ')} |`);
  }
}
