// Issue acceptance over the real files in ../shared/data: `coinsphere evaluate --symbols BTC,ETH,SOL --horizon 7
// --json` on the Binance daily candles prints model and baselines side by side with intervals, per fold and pooled,
// per asset and pooled across assets. A tiny model and the newest two blocks keep it to seconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runInProcess } from '../../../../tests/support/cli.ts';

/** In-process: ingest and evaluate have their process smoke tests in their own files. */
const runCli = (args: string[]) => runInProcess(args);
import { describeWithSharedData, sharedData } from '../../../../tests/support/shared-data.ts';
import type { EvaluationResult } from '../evaluation/summarize.ts';

describeWithSharedData('evaluate on the real Binance BTC, ETH and SOL files', () => {
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cs-eval-real-'));
    for (const s of ['BTC', 'ETH', 'SOL']) {
      const r = await runCli(['ingest', '--db', join(work, 'db'), '--csv', sharedData('cryptodatadownload-binance-daily', `Binance_${s}USDT_d.csv`)]);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prints model and baselines with intervals, per fold and pooled, per asset and across assets', async () => {
    const r = await runCli([
      'evaluate', '--db', join(work, 'db'), '--symbols', 'BTC,ETH,SOL', '--horizon', '7', '--json',
      '--epochs', '1', '--max-folds', '2', '--bootstrap', '200',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as EvaluationResult;
    expect(result.data.BTC).toMatchObject({ source: 'binance', first: '2017-08-17', last: '2026-03-30' });
    const h = result.horizons[0]!;
    for (const symbol of ['BTC', 'ETH', 'SOL']) {
      const a = h.assets[symbol]!;
      expect(a.folds).toHaveLength(2);
      // The last sample with a label 7 candles later (four days of March 2026 are missing from the files).
      expect(a.folds[1]!.testEnd).toBe('2026-03-19');
      expect(Object.keys(a.folds[0]!.predictors)).toEqual(['model', 'uncalibrated', 'logistic', 'momentum', 'persistence', 'majority']);
      expect(a.overall.accuracyDifference.persistence!.lower).toBeLessThanOrEqual(a.overall.accuracyDifference.persistence!.upper);
    }
    expect(h.pooledAssets.n).toBe(h.assets.BTC!.overall.n * 3); // the three share every test day
    expect(h.versusBest!.accuracy.best.name).toMatch(/logistic|momentum|persistence|majority/);
    expect(result.targets.filter((t) => t.metric === 'accuracy').map((t) => t.target)).toEqual(['>= 72%', '>= 68%', '>= 65%']);
  }, 180_000);
});
