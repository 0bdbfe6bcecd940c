// Plain-text rendering of a model's metrics beside its baselines on the same rows: the only way the CLI ever
// shows a model number.
import { CLASS_NAMES, type EvaluationReport } from '@coinsphere/model/core';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => x.toFixed(3);

/** A table: rows are metrics, columns the model, the majority class and persistence. */
export function formatEvaluation(report: EvaluationReport, title: string): string {
  const cols = [
    ['model', report.model],
    ['majority', report.majority],
    ['persistence', report.persistence],
  ] as const;
  const rows: Array<[string, (m: EvaluationReport['model']) => string]> = [
    ['accuracy', (m) => pct(m.accuracy)],
    ['macro-F1', (m) => num(m.macroF1)],
    ['log loss', (m) => num(m.logLoss)],
    ['Brier', (m) => num(m.brier)],
    ['ECE (10 bins)', (m) => num(m.ece)],
    ['recall bear/neut/bull', (m) => [m.perClass.bearish, m.perClass.neutral, m.perClass.bullish].map((c) => pct(c.recall)).join(' ')],
  ];
  const width = [22, 20, 20, 20];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join('').trimEnd();
  const out = [`${title} (n = ${report.n}, same rows for every column)`, line(['', ...cols.map(([name]) => name)])];
  for (const [label, f] of rows) out.push(line([label, ...cols.map(([, m]) => f(m))]));
  const beats = report.model.accuracy > Math.max(report.majority.accuracy, report.persistence.accuracy);
  out.push(beats ? 'The model beats both baselines on accuracy here.' : 'The model does NOT beat the baselines on accuracy here.');
  return out.join('\n');
}

/** The confusion matrix with true classes as rows. */
export function formatConfusion(report: EvaluationReport): string {
  const lines = [`confusion (rows true, columns predicted): ${CLASS_NAMES.join(' / ')}`];
  report.model.confusion.forEach((row, i) => lines.push(`  ${CLASS_NAMES[i]!.padEnd(8)} ${row.map((v) => String(v).padStart(5)).join('')}`));
  return lines.join('\n');
}
