// `coinsphere evaluate` as a user runs it (one real process, and one a test interrupts; the rest in-process) over a
// real embedded database (PGlite) holding two synthetic assets, with a tiny model and two folds, worked through the job queue in the one process an embedded database allows; then the report it wrote and the record
// it saved in the database (what the API and the dashboard read).
import { latestEvaluation, openDatabase, upsertCandles } from '@coinsphere/data';
import { FEATURE_NAMES, makeSyntheticCandles, V2_FEATURE_NAMES, type PlanEstimate } from '@coinsphere/model/core';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runInProcess, spawnCli } from '../../../../tests/support/cli.ts';
import type { EvaluationResult } from '../evaluation/summarize.ts';

const cli = (args: string[]) => runInProcess(args);

describe('coinsphere evaluate', () => {
  let work: string;
  let dbDir: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cs-eval-'));
    dbDir = join(work, 'db');
    const db = await openDatabase(dbDir);
    for (const [symbol, seed, days] of [['SYNA', 3, 640], ['SYNB', 4, 640], ['TINY', 5, 120]] as const) {
      await upsertCandles(db, makeSyntheticCandles(days, seed).map((c) => ({ ...c, symbol, interval: '1d' as const, source: 'synthetic' })));
    }
    await db.close();
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const fullRun = () => [
    'evaluate', '--model', 'spec', '--db', dbDir, '--symbols', 'SYNA,SYNB', '--horizon', '7', '--quick', '--epochs', '1', '--window-bars', '10',
    '--fold-days', '60', '--min-train-days', '200', '--max-folds', '2', '--jobs', '2', '--bootstrap', '100', '--json', '--cache', join(work, 'cache'),
  ];
  let first: EvaluationResult;

  it('prints one object with the model and every baseline on the same rows, with intervals, and writes the report', async () => {
    const report = join(work, 'report');
    const run = await runCli([...fullRun(), '--report', report]); // the command's one real process
    // --jobs 2 on the embedded folder: this process shares it (pglite-share.ts) with the one worker process it starts.
    expect(run.stderr).toContain('6 fold models to train (2 pooled) through the job queue, 2 at a time on this machine');
    expect(run.stderr).toContain('A fold left by its worker is taken over after 600 s'); // tiny folds: the floor
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout) as EvaluationResult;
    first = r;
    expect(run.stderr).toContain(`0 of 6 fold models come from ${join(work, 'cache')}`);
    const h = r.horizons[0]!;
    expect(Object.keys(h.assets)).toEqual(['SYNA', 'SYNB']);
    // The per-asset models' permutation importance (#18): every test row of both assets, the spec's 20 features, ranked.
    expect(h.importance).toMatchObject({ method: 'permutation', rows: 240, folds: 2 });
    expect(h.importance!.features.map((f) => f.name).sort()).toEqual([...FEATURE_NAMES].sort());
    expect(h.importance!.features.find((f) => f.name === 'sentiment_pos')!.logLoss).toEqual({ estimate: 0, lower: 0, upper: 0 }); // a placeholder: constant, so unused
    for (const a of Object.values(h.assets)) {
      expect(a.folds.map((f) => f.n)).toEqual([60, 60]);
      expect(a.folds[1]!.testStart > a.folds[0]!.testEnd).toBe(true);
      expect(Object.keys(a.overall.predictors)).toEqual(['model', 'pooled', 'uncalibrated', 'logistic', 'momentum', 'persistence', 'majority']);
      for (const p of Object.values(a.overall.predictors)) {
        expect(p.metrics.n).toBe(120);
        const { estimate, lower, upper } = p.intervals.accuracy;
        expect(lower).toBeLessThanOrEqual(estimate);
        expect(upper).toBeGreaterThanOrEqual(estimate);
      }
      // Temperature scaling never changes a top class.
      expect(a.overall.predictors.model!.metrics.confusion).toEqual(a.overall.predictors.uncalibrated!.metrics.confusion);
      expect(a.trading.equity.model).toHaveLength(120);
      expect(a.trading.strategies.buyAndHold).toBeDefined();
    }
    expect(h.pooledAssets.n).toBe(240);
    expect(r.targets.map((t) => `${t.symbol} ${t.metric}`)).toEqual(['SYNA accuracy', 'SYNA calibration (ECE)', 'SYNB accuracy', 'SYNB calibration (ECE)']);
    expect(r.timing!.cpuMs).toBeGreaterThan(0);
    // The estimate printed before training counted exactly the windows the folds then trained on.
    const est = r.timing!.estimate!;
    expect(est).toMatchObject({ tasks: 6, pooledTasks: 2, parallel: 2 });
    expect(est.trainWindows).toBe(r.timing!.perTask.reduce((s, t) => s + t.nTrain, 0));
    expect(run.stderr).toContain(`6 fold models (2 pooled): ${est.trainWindows.toLocaleString('en-US')} training`);
    expect(r.timing!.perTask.map((t) => t.id).sort()).toEqual(['SYNA-7d-f0', 'SYNA-7d-f1', 'SYNB-7d-f0', 'SYNB-7d-f1', expect.stringMatching(/^pooled-7d-/), expect.stringMatching(/^pooled-7d-/)]);
    // The report: the same object, an HTML page and one SVG per plot.
    expect(JSON.parse(readFileSync(join(report, 'report.json'), 'utf8'))).toEqual(r);
    const files = readdirSync(report);
    for (const kind of ['reliability', 'confusion', 'folds', 'equity']) {
      for (const s of ['syna', 'synb']) {
        const svg = readFileSync(join(report, `${kind}-${s}-7d.svg`), 'utf8');
        expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
        expect(svg).not.toContain('NaN');
      }
    }
    const html = readFileSync(join(report, 'report.html'), 'utf8');
    expect(html).toContain('<img src="folds-syna-7d.svg"');
    expect(html).toContain('Specification targets');
    const top = h.importance!.features[0]!; // each input's importance, in the page as in the result
    expect(html).toContain('What the model leans on: permutation importance');
    expect(html).toContain(`<td>1</td><td>${top.name}</td><td>${top.logLoss.estimate.toFixed(4)} [`);
    expect(files.filter((f) => f.endsWith('.svg'))).toHaveLength(8);
    // Saved in the database too, the same object, found by each of its symbols.
    expect(run.stderr).toMatch(/Saved as evaluation \d+/);
    const db = await openDatabase(dbDir);
    try {
      const saved = await latestEvaluation(db.orm, 'SYNB', 7);
      expect(saved).toMatchObject({ symbols: ['SYNA', 'SYNB'], horizons: [7], report: r });
      expect(await latestEvaluation(db.orm, 'SYNA', 14)).toBeNull();
    } finally {
      await db.close();
    }
  }, 180_000);

  it('resumes from the fold cache: the same run again trains nothing and gives the same result; a broken file is trained again', async () => {
    expect(first).toBeDefined();
    const again = await cli([...fullRun(), '--no-save']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`6 of 6 fold models come from ${join(work, 'cache')}`);
    expect(again.stderr).toContain('0 fold models to train');
    const r = JSON.parse(again.stdout) as EvaluationResult;
    const { generatedAt: _a, timing: t2, ...rest2 } = r;
    const { generatedAt: _b, timing: t1, ...rest1 } = first;
    expect(rest2).toEqual(rest1);
    expect(t2!.cachedTasks).toBe(6);
    expect(t2!.perTask).toEqual(t1!.perTask);
    // A file cut short (a disk full, a copy interrupted) is said and trained again; the others still count.
    const files = readdirSync(join(work, 'cache')).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(6);
    writeFileSync(join(work, 'cache', files[0]!), '{"format":1,"outcome":{"id"');
    const repaired = await cli([...fullRun(), '--no-save']);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.stderr).toMatch(/Cached fold \S+ in .* is unreadable \(.*\); training it again\./);
    expect(repaired.stderr).toContain('5 of 6 fold models come from');
    expect(repaired.stderr).toContain('1 fold models to train');
    // The text output says where the fold models came from.
    const text = await cli([...fullRun().filter((a) => a !== '--json'), '--no-save']);
    expect(text.stdout).toMatch(/Time: \d+ s wall, \d+ s CPU; 6 fold models \(6 from the fold cache\), 2 at a time here on \d+ cores\./);
    // Other settings are other fold models: nothing is reused across them.
    const other = await cli([...fullRun(), '--no-save', '--seed', '7', '--plan']);
    expect(other.stderr).toContain('0 of 6 fold models are already in');
  }, 180_000);

  it('on Ctrl-C says how many fold models it kept, and the same command goes on from there', async () => {
    const args = [
      'evaluate', '--model', 'spec', '--db', dbDir, '--symbols', 'SYNA', '--horizon', '7', '--epochs', '1', '--window-bars', '60', '--fold-days', '20', '--max-folds', '4',
      '--min-train-days', '200', '--jobs', '2', '--no-pooled', '--no-save', '--json', '--bootstrap', '100', '--cache', join(work, 'cache-int'),
    ];
    const child = spawnCli(args);
    let stderr = '';
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && /\[1\/\d+\]/.test(stderr)) sent = child.kill('SIGINT'); // once, after the first fold model
    });
    expect(await exited, stderr).toBe(130);
    const m = /Interrupted after (\d+) of (\d+) fold models to train; they are kept in (.*): run the same command again to go on from there\./.exec(stderr);
    expect(m, stderr).not.toBeNull();
    const [kept, total] = [Number(m![1]), Number(m![2])];
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(total);
    const again = await cli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`${kept} of ${total} fold models come from`);
  }, 120_000);

  it('leaves out an asset whose history fits no fold, says why, and evaluates the others', async () => {
    const run = await cli([
      'evaluate', '--model', 'spec', '--db', dbDir, '--symbols', 'SYNA,TINY', '--horizon', '7', '--quick', '--epochs', '1', '--window-bars', '10',
      '--fold-days', '60', '--min-train-days', '200', '--max-folds', '1', '--jobs', '1', '--bootstrap', '100', '--no-pooled', '--no-save', '--json', '--no-cache',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/TINY at 7 days is left out: No walk-forward fold fits/);
    const r = JSON.parse(run.stdout) as EvaluationResult;
    expect(Object.keys(r.horizons[0]!.assets)).toEqual(['SYNA']);
    expect(r.skipped).toEqual([{ symbol: 'TINY', horizonDays: 7, reason: expect.stringMatching(/needs 200 training samples/) }]);
  }, 120_000);

  it('--plan prints the folds and what they should cost, and trains nothing', async () => {
    const args = ['evaluate', '--model', 'spec', '--db', dbDir, '--symbols', 'SYNA,SYNB,TINY', '--horizons', '7,14', '--quick', '--window-bars', '10', '--fold-days', '60', '--min-train-days', '200', '--no-cache'];
    const full = await cli([...args, '--plan', '--json']);
    expect(full.code, full.stderr).toBe(0);
    const plan = JSON.parse(full.stdout) as { estimate: PlanEstimate; folds: { id: string; trainWindows: number }[]; skipped: unknown[] };
    expect(plan.estimate.tasks).toBe(plan.folds.length);
    expect(plan.estimate.trainWindows).toBe(plan.folds.reduce((s, f) => s + f.trainWindows, 0));
    expect(plan.skipped).toHaveLength(2); // TINY at both horizons
    // Measured costs (a few timed steps): positive; their ratio depends on the machine's load at that moment, so it is not asserted.
    expect(plan.estimate.cost.trainMs).toBeGreaterThan(0);
    expect(plan.estimate.cost.validateMs).toBeGreaterThan(0);
    // A rolling window and no pooled model plan fewer, smaller folds, and the estimate falls with them.
    const small = JSON.parse((await cli([...args, '--window', '250', '--no-pooled', '--plan', '--json'])).stdout) as typeof plan;
    expect(small.estimate.tasks).toBeLessThan(plan.estimate.tasks);
    expect(small.estimate.trainWindows).toBeLessThan(plan.estimate.trainWindows);
    const text = await cli([...args, '--plan']);
    expect(text.stdout).toMatch(/^\d+ fold models \(\d+ pooled\): .* expect about \d+ (s|min)/);
    const db = await openDatabase(dbDir);
    try {
      expect(await latestEvaluation(db.orm, 'SYNA', 14)).toBeNull(); // nothing was run or saved
    } finally {
      await db.close();
    }
  }, 120_000);

  it('refuses a fold cache it cannot write with one line, before any training', async () => {
    // Bad flags (--fold-days 0, --model lstm) are refused by the parser before any work: cli/program.test.ts.
    // A fold cache it could not write would fail after the first fold model: refused before any work.
    writeFileSync(join(work, 'plain-file'), '');
    const cache = join(work, 'plain-file', 'cache');
    const unwritable = await cli(['evaluate', '--model', 'spec', '--db', dbDir, '--symbols', 'SYNA', '--cache', cache]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr.trim()).toBe(`coinsphere: Cannot write the fold cache in ${cache} (ENOTDIR). Pass --cache <folder> that you can write, or --no-cache.`);
  });

  it('by default walks the served pooled recipe forward over the universe, the model beside the best baseline', async () => {
    const run = await cli(['evaluate', '--db', dbDir, '--horizon', '7', '--epochs', '1', '--fold-days', '60', '--min-train-days', '200', '--max-folds', '2', '--bootstrap', '100', '--json', '--no-save']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as EvaluationResult;
    expect(result.preset).toBe('served');
    expect(result.notes[0]).toMatch(/the served recipe, one pooled model over every asset/);
    const h = result.horizons[0]!;
    // TINY (120 days) ends long before the two newest blocks, so it has no test row; the others share every fold.
    expect(Object.keys(h.assets).sort()).toEqual(['SYNA', 'SYNB']);
    expect(h.assets.SYNA!.folds.map((f) => f.testEnd)).toEqual(h.assets.SYNB!.folds.map((f) => f.testEnd));
    expect(Object.keys(h.assets.SYNA!.overall.predictors)).toEqual(['model', 'uncalibrated', 'logistic', 'momentum', 'persistence', 'majority']);
    const vs = h.versusBest!;
    expect(vs.accuracy.difference.lower).toBeLessThanOrEqual(vs.accuracy.difference.upper);
    expect(h.pooledAssets.predictors[vs.macroF1.best.name]!.intervals.macroF1.estimate).toBe(vs.macroF1.best.value.estimate);
    // The served ensemble's permutation importance (#18) over both assets' test rows, the v2 features largest first,
    // each estimate inside its interval; its time is part of the folds'.
    const imp = h.importance!;
    expect(imp).toMatchObject({ method: 'permutation', interval: 'block bootstrap over calendar days', rows: h.pooledAssets.n, repeats: 1 });
    expect(imp.features.map((f) => f.name).sort()).toEqual([...V2_FEATURE_NAMES].sort());
    for (const [i, f] of imp.features.entries()) {
      expect(f.logLoss.lower).toBeLessThanOrEqual(f.logLoss.estimate);
      expect(f.logLoss.upper).toBeGreaterThanOrEqual(f.logLoss.estimate);
      if (i > 0) expect(f.logLoss.estimate).toBeLessThanOrEqual(imp.features[i - 1]!.logLoss.estimate);
    }
    expect(result.timing!.importanceMs).toBeGreaterThan(0);
    expect(result.timing!.importanceMs).toBeLessThan(result.timing!.taskWallMs);
  }, 120_000);
});
