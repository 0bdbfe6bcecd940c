// `coinsphere evaluate --risk` run in this process (the real program, runInProcess) over a real embedded database
// (PGlite) of seven synthetic assets (three of them too short to be evaluated alone), one of them named with markup as a database written before ingest checked
// symbols can hold: the printed figures are evaluateRisk's on the same candles, --json is that evaluation with its
// targets, the report has one reliability plot per drawdown key beside the QLIKE and score plots with the symbol
// escaped; the flags of the LSTM's evaluation, too few assets and too little history are refused before anything is
// written.
import { openDatabase, upsertCandles } from '@coinsphere/data';
import { DRAWDOWN_KEYS, evaluateRisk, makeSyntheticCandles, type Candle } from '@coinsphere/model/core';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../../../tests/support/cli.ts';
import { reliabilityFileName, type RiskEvaluationReport } from '../evaluation/risk-report.ts';
import { checkRiskTargets } from '../evaluation/risk-targets.ts';

const HOSTILE = '<IMG SRC=X ONERROR=ALERT(1)>'; // upper case: readCandles upper-cases the symbol it is asked for
const START = Date.UTC(2017, 5, 1); // 19 months before the reporting starts (2019-01-01), then 10 reported months
const BOOTSTRAP = 100;
/** Three assets with 120 days from 2018-12-01: too little history for the fits to forecast anything. */
const SHORT = ['SHA', 'SHB', 'SHC'];

/** Writes `assets` (symbol → candles) as daily candles of the source `synthetic` into a new PGlite folder. */
async function makeDatabase(dir: string, assets: Record<string, Candle[]>): Promise<void> {
  const db = await openDatabase(dir);
  for (const [symbol, candles] of Object.entries(assets)) await upsertCandles(db, candles.map((c) => ({ ...c, symbol, interval: '1d' as const, source: 'synthetic' })));
  await db.close();
}

/** The interval printed after `label` on the line that starts with `lineStart`: [estimate, lower, upper]. */
function printedInterval(stdout: string, lineStart: RegExp, label: string): number[] {
  const line = stdout.split('\n').find((l) => lineStart.test(l));
  const m = line && new RegExp(`${label} (-?[\\d.e-]+) \\[(-?[\\d.e-]+), (-?[\\d.e-]+)\\]`).exec(line);
  if (!m) throw new Error(`No "${label}" interval on a line matching ${lineStart} in:\n${stdout}`);
  return m.slice(1).map(Number);
}

/** Each printed figure is `exact` as the table rounds it: to `digits` decimals, or to 3 significant digits below 1e-3. */
function expectPrinted(printed: number[], exact: number[], digits: number): void {
  expect(printed).toHaveLength(exact.length);
  printed.forEach((p, i) => expect(Math.abs(p - exact[i]!)).toBeLessThanOrEqual(Math.max(0.5 * 10 ** -digits, 0.005 * Math.abs(exact[i]!))));
}

describe('coinsphere evaluate --risk', () => {
  const work = mkdtempSync(join(tmpdir(), 'cs-risk-eval-'));
  const dbDir = join(work, 'db');
  const assets: Record<string, Candle[]> = Object.fromEntries(['SYNA', 'SYNB', 'SYNC', HOSTILE].map((s, k) => [s, makeSyntheticCandles(800, k + 1, { startMs: START, volatility: 0.02 + 0.01 * k })]));
  const short: Record<string, Candle[]> = Object.fromEntries(SHORT.map((s, k) => [s, makeSyntheticCandles(120, k + 1, { startMs: Date.UTC(2018, 11, 1) })]));
  const all = { ...assets, ...short }; // every asset in the database: what --risk evaluates without --symbols
  let json: RiskEvaluationReport;
  let direct: ReturnType<typeof evaluateRisk>;
  beforeAll(async () => {
    await makeDatabase(dbDir, all);
    const run = await runInProcess(['evaluate', '--risk', '--db', dbDir, '--bootstrap', String(BOOTSTRAP), '--json', '--report', join(work, 'report')]);
    expect(run.code, run.stderr).toBe(0);
    json = JSON.parse(run.stdout) as RiskEvaluationReport;
    // evaluateRisk itself on the candles written, in the order the command read them
    direct = evaluateRisk(json.assets.map((a) => ({ symbol: a.symbol, candles: all[a.symbol]! })), { bootstrapIterations: BOOTSTRAP });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prints with --json the evaluation evaluateRisk gives on the same candles, and the targets judged on it', () => {
    expect(json.assets.map((a) => a.symbol).sort()).toEqual(Object.keys(all).sort());
    const { targets, ...evaluation } = json;
    expect(evaluation).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(targets).toEqual(checkRiskTargets(direct));
    expect(targets.map((t) => t.target)).toEqual(['har-beats-naive', 'drawdown-calibrated', 'score-beats-trailing']);
  });

  it('prints the three tables with evaluateRisk\'s figures and says whether each target holds', async () => {
    const run = await runInProcess(['evaluate', '--risk', '--db', dbDir, '--bootstrap', String(BOOTSTRAP)]);
    expect(run.code, run.stderr).toBe(0);
    const out = run.stdout;
    const v7 = direct.volatility[0]!;
    expect(v7.horizonDays).toBe(7);
    expect(out).toContain(`7-day variance, ${v7.n} rows on ${v7.days} days. Mean QLIKE: har ${v7.mean.har.qlike.toFixed(4)}, yesterday ${v7.mean.yesterday.qlike.toFixed(4)}`);
    for (const [h, v] of [[7, v7], [30, direct.volatility[1]!]] as const) {
      const block = out.slice(out.indexOf(`${h}-day variance`));
      for (const name of ['yesterday', 'trailing30', 'ewma'] as const) {
        const d = v.harMinus[name].qlike;
        expectPrinted(printedInterval(block, new RegExp(`^  HAR − ${name}`), 'QLIKE'), [d.estimate, d.lower, d.upper], 4);
      }
    }
    for (const d of direct.drawdown) expect(out).toMatch(new RegExp(`\\n${d.key.replace(/^0\.(\d+)@(\d+)$/, (_, f: string, hd: string) => `${Number(`0.${f}`) * 100}% in ${hd} d`)} +${d.n} +${d.eventRate.toFixed(3)}`));
    const reliabilityRows = out.split('\n').filter((l) => /^0\.\d-\d\.\d {4}/.test(l));
    expect(reliabilityRows).toHaveLength(10); // one row per probability bin, a column per key
    const s = direct.score.forwardVolatility;
    expectPrinted(printedInterval(out, /^ {2}forward 30-d volatility/, ''), [s.score.estimate, s.score.lower, s.score.upper], 3);
    const verdicts = out.split('\n').filter((l) => /^ {2}(MET|NOT MET) /.test(l)).map((l) => l.trim().startsWith('MET'));
    expect(verdicts).toEqual(checkRiskTargets(direct).map((t) => t.holds));
    expect(run.stderr).toContain('on 7 assets\' daily candles');
  });

  it('writes a report: one reliability plot per drawdown key, the QLIKE differences and the score by tenth, the symbol escaped', () => {
    const dir = join(work, 'report');
    const files = readdirSync(dir).sort();
    const plots = [...DRAWDOWN_KEYS.map(reliabilityFileName), 'qlike-differences.svg', 'score-tenths.svg'];
    expect(files).toEqual([...plots, 'report.html', 'report.json'].sort());
    expect(readdirSync(work).sort()).toEqual(['db', 'report']); // no temporary folder left beside it
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toEqual(json);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect([...html.matchAll(/<img src="([^"]*)"/g)].map((m) => m[1]).sort()).toEqual([...plots].sort());
    expect(html).not.toContain('<IMG');
    expect(html).toContain('&lt;IMG SRC=X ONERROR=ALERT(1)&gt;');
    for (const name of plots) {
      const svg = readFileSync(join(dir, name), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).not.toContain('NaN');
    }
    const reliability = readFileSync(join(dir, reliabilityFileName('0.1@7')), 'utf8');
    expect(reliability).toContain('>share of days the fall happened<');
    expect(reliability).toContain(`ECE ${json.drawdown[0]!.ece.estimate.toFixed(3)}, n = ${json.drawdown[0]!.n}`);
    const qlike = readFileSync(join(dir, 'qlike-differences.svg'), 'utf8');
    expect(qlike.match(/<circle /g)).toHaveLength(6); // 2 horizons × 3 naive forecasts
    const tenths = readFileSync(join(dir, 'score-tenths.svg'), 'utf8');
    expect(tenths).toContain(`(n = ${json.score.n})`); // the same rows as the Spearman correlations
    expect([...tenths.matchAll(/points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length)).toEqual([10, 10]);
  });

  it('refuses the flags of the LSTM\'s evaluation with one line naming them and the fix, before opening anything', async () => {
    const missing = join(work, 'never');
    const r = await runInProcess(['evaluate', '--risk', '--db', missing, '--horizons', '7,14', '--no-cache', '--fold-days', '90']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('coinsphere: --horizons, --fold-days, --no-cache do not apply to --risk, which evaluates the risk model on its fixed 7- and 30-day horizons and takes only --db, --symbols, --bootstrap, --json, --report: drop them, or drop --risk to evaluate the LSTM. See `coinsphere evaluate --help`.\n');
    const one = await runInProcess(['evaluate', '--risk', '--db', missing, '--model', 'spec']);
    expect(one.stderr).toMatch(/^coinsphere: --model does not apply to --risk, .*: drop it, or drop --risk/);
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses too few assets and too little history with the fix, and writes no report', async () => {
    const few = await runInProcess(['evaluate', '--risk', '--db', dbDir, '--symbols', 'SYNA,SYNB', '--report', join(work, 'few')]);
    expect(few.code).toBe(2);
    expect(few.stderr).toContain('coinsphere: The risk evaluation needs the daily candles of at least 3 assets (each is ranked among the others on liquidity); found 2 (SYNA, SYNB).');
    const unknown = await runInProcess(['evaluate', '--risk', '--db', dbDir, '--symbols', 'SYNA,BTC']);
    expect(unknown.stderr).toMatch(/^coinsphere: No daily candles for BTC in the database .*or leave them out of --symbols\.\n$/);
    const short = await runInProcess(['evaluate', '--risk', '--db', dbDir, '--symbols', SHORT.join(','), '--report', join(work, 'short-report')]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^coinsphere: Too little daily history to evaluate the risk model: .* ingest longer daily histories/m);
    expect(readdirSync(work).sort()).toEqual(['db', 'report']);
  });
});
