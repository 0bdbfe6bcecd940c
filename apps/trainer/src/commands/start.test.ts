// The main job end to end on a CSV in the CoinMarketCap layout written by the test: ingest, train, evaluate,
// predict and publish (serving is covered by the API tests), then the published prediction is in the database.
import { latestPredictions, openDatabase } from '@coinsphere/data';
import { makeSyntheticCandles } from '@coinsphere/model';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../tests/support/cli.ts';

/** A coin_<Name>.csv in the Kaggle/CoinMarketCap layout (High, Low, Open, Close order; end-of-day stamps). */
function writeKaggleCsv(path: string, symbol: string, days: number, seed: number): void {
  const lines = ['SNo,Name,Symbol,Date,High,Low,Open,Close,Volume,Marketcap'];
  makeSyntheticCandles(days, seed).forEach((c, i) => {
    const day = new Date(c.openTimeMs).toISOString().slice(0, 10);
    lines.push([i + 1, 'Synth', symbol, `${day} 23:59:59`, c.high, c.low, c.open, c.close, c.quoteVolumeUsd, c.marketCapUsd].join(','));
  });
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('coinsphere start (the main job)', () => {
  const work = mkdtempSync(join(tmpdir(), 'cs-start-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ingests, trains, prints test metrics beside baselines, predicts and publishes', async () => {
    writeKaggleCsv(join(work, 'coin_Synth.csv'), 'SYN', 420, 3);
    const db = join(work, 'db');
    const r = await runCli(['start', '--db', db, '--csv', work, '--symbols', 'SYN', '--epochs', '1', '--no-serve', '--quiet'], {
      COINSPHERE_ARTIFACTS: join(work, 'artifacts'),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Ingested 1 files, 420 candles');
    expect(r.stdout).toMatch(/asset\s+model\s+majority\s+persist\./);
    expect(r.stdout).toMatch(/^SYN\s+\d+\.\d%\s+\d+\.\d%\s+\d+\.\d%/m);
    expect(r.stdout).toContain('Published 1 predictions.');
    const opened = await openDatabase(db);
    const [p] = await latestPredictions(opened.orm, ['SYN'], 7);
    await opened.close();
    expect(p?.symbol).toBe('SYN');
    expect(p!.probabilities.bearish + p!.probabilities.neutral + p!.probabilities.bullish).toBeCloseTo(1, 5);
  }, 180_000);
});
