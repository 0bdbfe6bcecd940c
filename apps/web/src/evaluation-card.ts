// The model card's walk-forward part: the newest `coinsphere evaluate` result for the asset and horizon (model
// beside its baselines with 95% intervals, the verdict against each, the specification's targets) and the same
// four plots as report.html, drawn by the same builders (packages/model), and the inputs the model leans on
// (permutation importance over the walk-forward, in the why-card's words). Text from data goes in as text nodes;
// the plots are our own SVG (data text escaped by the builders), shown as images, so no markup of ours or the
// data's can run as script. Without an evaluation: the command that makes one.
import { assetPlots, IMPORTANCE_READING_WORDS, importanceReading, verdict } from '@coinsphere/model';
import { featurePhrase } from '@coinsphere/model/explain';

import type { Evaluation } from './api-client.ts';
import { h, pct } from './dom.ts';
import { term } from './glossary.ts';

/** Display order and names of the predictors (those present are shown). */
const PREDICTORS: Array<[string, string]> = [
  ['model', 'Model (LSTM, calibrated)'],
  ['pooled', 'Pooled LSTM (all assets)'],
  ['uncalibrated', 'Model before calibration'],
  ['logistic', 'Logistic regression'],
  ['momentum', 'Momentum (EMA 20 > 50)'],
  ['persistence', 'Persistence'],
  ['majority', 'Majority class'],
];

const PLOTS = [
  ['folds', 'Accuracy by fold with 95% intervals'],
  ['reliability', 'Reliability diagram'],
  ['confusion', 'Confusion matrix'],
  ['equity', 'Equity curves after costs'],
] as const;

type Interval = { estimate: number; lower: number; upper: number };
const withCi = (i: Interval, f: (x: number) => string = pct) => `${f(i.estimate)} [${f(i.lower)}, ${f(i.upper)}]`;
const points = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;

/** The command line that produces an evaluation of `symbol` at `horizonDays`. */
export function evaluateCommand(_symbol: string, horizonDays: number): string {
  return `npx coinsphere evaluate --horizon ${horizonDays}`;
}

function summaryTable(e: Evaluation): HTMLTableElement {
  const o = e.asset.overall;
  const rows = PREDICTORS.filter(([key]) => o.predictors[key]).map(([key, name]) => {
    const p = o.predictors[key]!;
    const d = o.accuracyDifference[key];
    return h(
      'tr',
      { 'data-predictor': key },
      h('th', {}, name),
      h('td', {}, withCi(p.intervals.accuracy)),
      h('td', {}, p.metrics.macroF1.toFixed(3)),
      h('td', {}, p.metrics.logLoss.toFixed(3)),
      h('td', {}, p.metrics.ece.toFixed(3)),
      h('td', {}, d ? `${withCi(d, points)} pts` : '(reference)'),
      h('td', { 'data-testid': d ? `verdict-${key}` : 'verdict-reference' }, d ? `model ${verdict(d) === 'no clear difference' ? 'not clearly different' : verdict(d)}` : ''),
    );
  });
  return h(
    'table',
    { class: 'metrics', 'data-testid': 'evaluation-summary' },
    h('thead', {}, h('tr', {}, h('th', {}, `${o.n} test days`), h('th', {}, term('accuracy'), ' [95% CI]'), h('th', {}, term('macro-f1')), h('th', {}, term('log-loss')), h('th', {}, term('ece', 'ECE')), h('th', {}, 'Model − this'), h('th', {}, 'Verdict'))),
    h('tbody', {}, ...rows),
  );
}

function targetsTable(e: Evaluation): HTMLTableElement {
  return h(
    'table',
    { class: 'metrics', 'data-testid': 'evaluation-targets' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Specification target'), h('th', {}, 'Target'), h('th', {}, 'Measured [95% CI]'), h('th', {}, 'Result'))),
    h(
      'tbody',
      {},
      ...e.targets.map((t) =>
        h('tr', {}, h('th', {}, t.metric), h('td', {}, t.target), h('td', {}, withCi({ estimate: t.measured, lower: t.lower, upper: t.upper }, t.metric === 'accuracy' ? pct : (x) => x.toFixed(3))), h('td', { class: t.pass ? 'ok' : 'bad' }, t.pass ? 'PASS' : 'FAIL')),
      ),
    ),
  );
}

/** Features shown on the card, largest importance first. */
const TOP_FEATURES = 8;

/** What shuffling each input costs the model, the top TOP_FEATURES in plain words, each with its interval and a
 *  word on whether it clearly matters (text, not colour). */
export function renderImportance(imp: NonNullable<Evaluation['importance']>): HTMLElement {
  const nats = (x: number) => x.toFixed(3);
  const rows = imp.features.slice(0, TOP_FEATURES).map((f, i) => {
    const reading = IMPORTANCE_READING_WORDS[importanceReading(f)];
    const label = featurePhrase(f.name);
    return h(
      'tr',
      { 'data-feature': f.name },
      h('td', {}, `${i + 1}`),
      h('th', { scope: 'row' }, `${label[0]!.toUpperCase()}${label.slice(1)}`),
      h('td', {}, withCi(f.logLoss, nats)),
      h('td', {}, `${withCi(f.accuracy, points)} pts`),
      h('td', { 'data-testid': 'importance-verdict' }, reading),
    );
  });
  return h(
    'div',
    { class: 'importance', 'data-testid': 'importance' },
    h('h3', {}, 'What the model leans on'),
    h(
      'p',
      { class: 'plain' },
      term('permutation-importance'),
      `: each input in turn was shuffled among the test days of the walk-forward (everything else kept as it was) and the model predicted again. The more its log loss rises, the more the model relies on that input. ` +
        `Over ${imp.rows} test predictions on ${imp.days} days (${imp.folds} test block${imp.folds === 1 ? '' : 's'}, every asset), with 95% block-bootstrap intervals over calendar days; an input whose interval includes 0 may not matter at all, and one whose rise is below 0 did the model harm on these days. It shows what the model uses, not what moves the price.`,
    ),
    h(
      'table',
      { class: 'metrics', 'data-testid': 'importance-table' },
      h('caption', {}, `The ${Math.min(TOP_FEATURES, imp.features.length)} inputs of ${imp.features.length} whose shuffling cost the most`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rank'), h('th', { scope: 'col' }, 'Input'), h('th', { scope: 'col' }, 'Log loss rise [95% CI]'), h('th', { scope: 'col' }, 'Accuracy lost [95% CI]'), h('th', { scope: 'col' }, 'Reading'))),
      h('tbody', {}, ...rows),
    ),
  );
}

/** One SVG as an image: a data URL keeps it out of the page's DOM, where nothing in it could run. */
function plotImage(kind: string, title: string, svgText: string): HTMLElement {
  const img = h('img', { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`, alt: title, 'data-testid': `evaluation-plot-${kind}`, width: '560', height: '340' });
  return h('figure', { class: 'plot' }, img);
}

/** The walk-forward part of the model card, or the line that says how to produce one when `e` is null. */
export function renderEvaluation(e: Evaluation | null, symbol: string, horizonDays: number): HTMLElement {
  if (!e) {
    return h(
      'p',
      { class: 'muted', 'data-testid': 'evaluation-missing' },
      `No walk-forward evaluation of ${symbol} at ${horizonDays} days yet. Produce one with `,
      h('code', {}, evaluateCommand(symbol, horizonDays)),
      ' (the served model walked forward over every asset; add --max-folds 2 for a first look in minutes), then reload.',
    );
  }
  const a = e.asset;
  const model = a.overall.predictors.model;
  const data = e.data[symbol];
  const plots = assetPlots(a, e.config.trading);
  const lead = model
    ? `Walk-forward over ${a.folds.length} test block${a.folds.length === 1 ? '' : 's'} of ${e.config.foldDays} days (${a.folds[0]?.testStart ?? '?'} to ${a.folds.at(-1)?.testEnd ?? '?'}): ` +
      `each block was predicted by a model trained only on the days before it. The model was right ${withCi(model.intervals.accuracy)} of the time (95% block-bootstrap interval); ` +
      `the baselines below ran on exactly the same days.`
    : 'This evaluation has no model row.';
  return h(
    'div',
    { class: 'evaluation', 'data-testid': 'evaluation' },
    h('p', { class: 'plain' }, term('walk-forward'), ': ', lead),
    h(
      'p',
      { class: 'muted' },
      `Evaluation #${e.id}, ${e.preset} preset, run ${e.generatedAt.slice(0, 16).replace('T', ' ')} UTC` +
        (data ? ` on ${data.source} candles ${data.first} to ${data.last}` : '') +
        `. Calibration error (ECE) ${withCi(a.calibration.eceUncalibrated, (x) => x.toFixed(3))} before temperature scaling, ${withCi(a.calibration.eceCalibrated, (x) => x.toFixed(3))} after.`,
    ),
    h('div', { class: 'card-row' }, summaryTable(e), targetsTable(e)),
    h('div', { class: 'plots' }, ...PLOTS.filter(([kind]) => plots[kind]).map(([kind, title]) => plotImage(kind, title, plots[kind]!))),
    e.importance ? renderImportance(e.importance) : h('p', { class: 'muted', 'data-testid': 'importance-missing' }, 'This evaluation predates feature importance; run it again to see which inputs the model leans on.'),
  );
}
