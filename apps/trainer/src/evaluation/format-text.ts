// Plain-text rendering of an evaluation result for the terminal: per horizon and asset, every predictor on the
// same rows with 95% intervals and its accuracy difference to the model; the targets table; trading; the inputs the model leans on; timing.
import { CLASS_NAMES, importanceReading, verdict, type ConfidenceInterval, type EvaluationResult, type ImportanceSummary, type PredictionSummary, type VersusBestSummary } from '@coinsphere/model/core';
import { formatDuration } from './estimate.ts';

export { verdict };

const pct = (x: number) => `${(x * 100).toFixed(1)}`;
const ci = (i: ConfidenceInterval, f = pct) => `${f(i.estimate)} [${f(i.lower)}, ${f(i.upper)}]`;
const num = (x: number) => x.toFixed(3);

/** Rows: predictors; columns: accuracy, macro-F1, log loss, ECE, non-neutral accuracy, model − predictor. */
export function formatSummary(s: PredictionSummary, title: string): string {
  const head = ['', 'accuracy % [95% CI]', 'macro-F1', 'log loss', 'ECE', 'non-neutral acc %', 'model − this (acc pts)'];
  const width = [14, 22, 10, 10, 8, 22, 30];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join('').trimEnd();
  const out = [`${title} (n = ${s.n}, the same rows for every predictor)`, line(head)];
  for (const [name, p] of Object.entries(s.predictors)) {
    const d = s.accuracyDifference[name];
    out.push(line([
      name, ci(p.intervals.accuracy), num(p.metrics.macroF1), num(p.metrics.logLoss), num(p.metrics.ece),
      `${pct(p.nonNeutral.accuracy)} (${pct(p.nonNeutral.coverage)}% calls)`,
      d ? `${ci(d)} ${verdict(d)}` : '(reference)',
    ]));
  }
  const ref = s.predictors[s.reference];
  if (ref) {
    const pc = ref.metrics.perClass;
    out.push(`${s.reference} precision / recall: ` + CLASS_NAMES.map((c) => `${c} ${pct(pc[c].precision)}% / ${pct(pc[c].recall)}%`).join(', '));
  }
  return out.join('\n');
}

/** One line per asset and horizon: the model's accuracy with its interval beside each baseline's, and which
 *  baselines it clearly beats or loses to (for the main job's summary; the full table is formatEvaluationResult). */
export function formatEvaluationBrief(r: EvaluationResult): string[] {
  const out: string[] = [];
  for (const h of r.horizons) {
    for (const a of Object.values(h.assets)) {
      const s = a.overall;
      const model = s.predictors[s.reference];
      if (!model) continue;
      const others = Object.entries(s.predictors).filter(([name]) => name !== s.reference);
      const by = (v: ReturnType<typeof verdict>) => others.filter(([name]) => s.accuracyDifference[name] && verdict(s.accuracyDifference[name]!) === v).map(([name]) => name);
      const better = by('better');
      const worse = by('worse');
      const said = [better.length ? `clearly above ${better.join(', ')}` : 'clearly above none', worse.length ? `below ${worse.join(', ')}` : ''].filter(Boolean).join('; ');
      out.push(
        `${a.symbol.padEnd(5)} ${h.horizonDays}d ${a.folds[0]?.testStart}..${a.folds.at(-1)?.testEnd} (n = ${s.n}): model ${ci(model.intervals.accuracy)}%; ` +
          `${others.map(([name, p]) => `${name} ${pct(p.intervals.accuracy.estimate)}%`).join(', ')}; ${said}`,
      );
    }
    if (h.versusBest) out.push(formatVersusBest(h.versusBest, h.horizonDays));
    if (h.importance) out.push(formatImportance(h.importance, h.horizonDays));
  }
  return out;
}

/** One line: the inputs whose shuffling cost the model most (permutation importance), and how many are clearly used. */
export function formatImportance(imp: ImportanceSummary, horizonDays: number, top = 5): string {
  const nats = (d: { estimate: number; lower: number; upper: number }) => `${d.estimate >= 0 ? '+' : ''}${d.estimate.toFixed(4)} [${d.lower.toFixed(4)}, ${d.upper.toFixed(4)}]`;
  const clear = imp.features.filter((f) => importanceReading(f) === 'relied on').length;
  const harm = imp.features.filter((f) => importanceReading(f) === 'harmful').length;
  return (
    `Importance ${horizonDays}d (permutation, n = ${imp.rows}; rise in log loss, nats): ${imp.features.slice(0, top).map((f) => `${f.name} ${nats(f.logLoss)}`).join(', ')}; ` +
    `${clear} of ${imp.features.length} clearly used, ${harm} clearly harmful (shuffling helped), the rest with intervals holding 0`
  );
}

/** One line: the model against the best baseline of each metric over every asset's rows. */
export function formatVersusBest(v: VersusBestSummary, horizonDays: number): string {
  const pts = (d: { estimate: number; lower: number; upper: number }) => `${(d.estimate * 100).toFixed(1)} [${(d.lower * 100).toFixed(1)}, ${(d.upper * 100).toFixed(1)}]`;
  return (
    `All assets ${horizonDays}d (n = ${v.n}): accuracy ${pct(v.accuracy.model.estimate)}% vs ${v.accuracy.best.name} ${pct(v.accuracy.best.value.estimate)}% (difference ${pts(v.accuracy.difference)} points); ` +
    `macro-F1 ${pct(v.macroF1.model.estimate)} vs ${v.macroF1.best.name} ${pct(v.macroF1.best.value.estimate)} (${pts(v.macroF1.difference)}); ` +
    `Brier ${v.brier.model.estimate.toFixed(4)} vs majority ${v.brier.majority.estimate.toFixed(4)}; ECE ${ci(v.ece)}%`
  );
}

/** The whole result as text. */
export function formatEvaluationResult(r: EvaluationResult): string {
  const out: string[] = [`Walk-forward evaluation (${r.preset} preset), ${r.config.foldDays}-day test blocks, ${r.config.windowDays ? `rolling ${r.config.windowDays}-day` : 'expanding'} training history.`];
  for (const h of r.horizons) {
    for (const a of Object.values(h.assets)) {
      out.push('', formatSummary(a.overall, `${a.symbol} ${h.horizonDays}d, ${a.folds.length} folds ${a.folds[0]?.testStart}..${a.folds.at(-1)?.testEnd}`));
      out.push(`  calibration: ECE ${ci(a.calibration.eceUncalibrated, num)} before temperature scaling, ${ci(a.calibration.eceCalibrated, num)} after (T per fold ${a.calibration.temperatures.map((t) => t.toFixed(2)).join(' ')})`);
      const t = a.trading.strategies;
      out.push(`  trading ${a.trading.start}..${a.trading.end}: ` + Object.entries(t).map(([k, s]) => `${k} CAGR ${pct(s.cagr)}% Sharpe ${s.sharpe.toFixed(2)} maxDD ${pct(s.maxDrawdown)}% turnover ${s.turnoverPerYear.toFixed(0)}/y in market ${pct(s.exposure)}%`).join('; '));
    }
    if (Object.keys(h.assets).length > 1) out.push('', formatSummary(h.pooledAssets, `All assets pooled, ${h.horizonDays}d`));
    if (h.versusBest) out.push(formatVersusBest(h.versusBest, h.horizonDays));
    if (h.importance) out.push(formatImportance(h.importance, h.horizonDays));
  }
  for (const k of r.skipped ?? []) out.push('', `Left out: ${k.symbol} at ${k.horizonDays} days (${k.reason})`);
  out.push('', 'Specification targets (pass/fail on the measured point estimate; the interval is beside it):');
  for (const t of r.targets) {
    out.push(`  ${t.symbol.padEnd(5)} ${String(t.horizonDays).padStart(2)}d ${t.metric.padEnd(18)} target ${t.target.padEnd(7)} measured ${ci({ estimate: t.measured, lower: t.lower, upper: t.upper }, t.metric === 'accuracy' ? pct : num)}  ${t.pass ? 'PASS' : 'FAIL'}`);
  }
  if (r.timing) out.push('', `Time: ${formatTiming(r.timing)}`);
  return out.join('\n');
}

/** One sentence on what the run cost, beside what it was expected to cost (for the text output and the report). */
export function formatTiming(t: NonNullable<EvaluationResult['timing']>): string {
  const cached = t.cachedTasks ? ` (${t.cachedTasks} from the fold cache)` : '';
  const expected = t.estimate && t.estimate.tasks > 0 ? ` (estimated beforehand: ${formatDuration(t.estimate.wallMs.typical)})` : '';
  return `${formatDuration(t.wallMs)} wall${expected}, ${formatDuration(t.cpuMs)} CPU; ${t.tasks} fold models${cached}, ${t.jobs} at a time here on ${t.cores} cores.`;
}
