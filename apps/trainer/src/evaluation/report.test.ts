// The evaluation report over a result built by summarizeEvaluation from synthetic fold outcomes: text from the data
// (a symbol a CSV once carried) is escaped in report.html and the SVGs, and a symbol never names a file outside
// the report folder, whatever it holds.
import { DEFAULT_MODEL_CONFIG, DEFAULT_TRAINING_CONFIG, type EvaluationConfig } from '@coinsphere/model/core';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FoldOutcome } from './fold-task.ts';
import { plotFileName, writeReport } from './report.ts';
import { summarizeEvaluation } from './summarize.ts';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const N = 40;

/** One asset's one fold: N test days with fixed probabilities for the model and the uncalibrated model. */
function outcome(symbol: string): FoldOutcome {
  const probs = Float32Array.from({ length: N * 3 }, (_, i) => [0.5, 0.3, 0.2][(i + Math.floor(i / 3)) % 3]!); // [N, 3]
  const asset = { symbol, testDayMs: Array.from({ length: N }, (_, i) => T0 + i * DAY_MS), y: Array.from({ length: N }, (_, i) => i % 3), nextDayReturn: Array.from({ length: N }, (_, i) => (i % 2 ? 0.01 : -0.01)), probs: { model: probs, uncalibrated: probs, majority: probs }, nTrain: 100, nVal: 20 };
  return { id: `${symbol}-0`, kind: 'asset', horizonDays: 7, foldIndex: 0, assets: [asset], temperature: 1, valEce: { before: 0.1, after: 0.1 }, epochsRun: 1, bestEpoch: 0, wallMs: 1, cpuMs: 1 };
}

function result(symbols: string[]) {
  const config: EvaluationConfig = {
    symbols, horizons: [7], foldDays: N, minTrainDays: 100, pooled: false, jobs: 1, modelConfig: DEFAULT_MODEL_CONFIG, training: DEFAULT_TRAINING_CONFIG,
    trading: { minConfidence: 0, feeBps: 10, slippageBps: 5, allowShort: true }, bootstrapIterations: 20, preset: 'spec',
  };
  const fold = { index: 0, train: { start: 0, end: 1 }, val: { start: 1, end: 2 }, test: { start: 2, end: 3 }, trainStartDayMs: T0 - 200 * DAY_MS, trainEndDayMs: T0 - 30 * DAY_MS, valEndDayMs: T0 - 8 * DAY_MS, testStartDayMs: T0, testEndDayMs: T0 + (N - 1) * DAY_MS };
  const plans = { 7: Object.fromEntries(symbols.map((s) => [s, [fold]])) };
  const data = Object.fromEntries(symbols.map((s) => [s, { source: 'coinmarketcap', first: '2023-01-01', last: '2024-02-09', days: 405 }]));
  return summarizeEvaluation(symbols.map(outcome), plans, config, data);
}

describe('evaluation report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('escapes a symbol holding markup in report.html and every SVG, and writes a symbol with "/" inside its folder', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const folder = join(dir, 'report');
    const html = readFileSync(await writeReport(folder, result([evil, 'A/../../B', 'BTC'])), 'utf8');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const files = readdirSync(folder, { recursive: true }).map(String);
    expect(files.every((f) => !f.includes('/') && !f.includes('\\'))).toBe(true); // nothing in a sub-folder
    expect(readdirSync(dir).sort()).toEqual(['report']); // nothing beside it
    expect(files).toContain('folds-btc-7d.svg');
    for (const f of files.filter((name) => name.endsWith('.svg'))) expect(readFileSync(join(folder, f), 'utf8')).not.toContain('<img');
    for (const src of html.matchAll(/<img src="([^"]*)"/g)) expect(files).toContain(src[1]);
  });

  it('names plots by the lower-cased ticker, and any other text by a hash that no two symbols share', () => {
    expect(plotFileName('folds', 'BTC', 7)).toBe('folds-btc-7d.svg');
    const odd = ['a/b', 'a\\b', '..', 'AB', 'ab'].map((s) => plotFileName('equity', s, 14));
    expect(new Set(odd).size).toBe(odd.length);
    for (const name of odd) expect(name).toMatch(/^equity-[a-z0-9-]+-14d\.svg$/);
  });
});
