// The fold cache's key and files: what changes a key and what does not, a round trip that keeps every
// probability bit for bit, and where the cache lives by default.
import { makeSyntheticCandles, resolveTrainingConfig } from '@coinsphere/model/core';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { foldCacheDir, QUICK_MODEL } from '../commands/evaluate.ts';
import { FoldCache, taskKey } from './fold-cache.ts';
import type { FoldOutcome } from './fold-task.ts';
import { planTasks, type EvaluateOptions } from './run-evaluation.ts';

const work = mkdtempSync(join(tmpdir(), 'cs-fold-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const candles = makeSyntheticCandles(700, 1);
const options = (over: Partial<EvaluateOptions> = {}): EvaluateOptions => ({
  symbols: ['AAA'], horizons: [7], foldDays: 90, minTrainDays: 200, pooled: false, jobs: 1,
  modelConfig: { ...QUICK_MODEL, windowBars: 10 }, training: resolveTrainingConfig(),
  trading: { minConfidence: 0.4, feeBps: 10, slippageBps: 5, allowShort: true }, bootstrapIterations: 100, preset: 'quick',
  ...over,
});
const firstTask = (over: Partial<EvaluateOptions> = {}, series = candles) => planTasks(new Map([['AAA', series]]), options(over)).tasks[0]!;

describe('taskKey', () => {
  it('changes with the data, the settings and the code, and not with the engine threads', () => {
    const base = firstTask();
    const key = taskKey(base, 'v1');
    expect(taskKey(firstTask(), 'v1')).toBe(key); // planned again: same key
    expect(taskKey({ ...base, threads: base.threads + 3 }, 'v1')).toBe(key);
    expect(taskKey(base, 'v2')).not.toBe(key);
    expect(taskKey(firstTask({ training: resolveTrainingConfig({ seed: 7 }) }), 'v1')).not.toBe(key);
    expect(taskKey(firstTask({ gapDays: 20 }), 'v1')).not.toBe(key);
    const revised = candles.map((c, i) => (i === 100 ? { ...c, close: c.close * 1.001 } : c)); // one old close revised
    expect(taskKey(firstTask({}, revised), 'v1')).not.toBe(key);
  });
});

describe('FoldCache', () => {
  it('gives back exactly what it stored, and nothing for a task it never saw', () => {
    const task = firstTask();
    const probs = Float32Array.from({ length: 9 }, (_, i) => Math.fround(1 / 3 + i * 1e-7));
    const outcome: FoldOutcome = {
      id: task.id, kind: 'asset', horizonDays: 7, foldIndex: 0, temperature: 1.25, valEce: { before: 0.2, after: 0.1 },
      epochsRun: 11, bestEpoch: 0, wallMs: 10, cpuMs: 9,
      assets: [{ symbol: 'AAA', testDayMs: [1, 2, 3], y: [0, 1, 2], nextDayReturn: [0.01, -0.02, 0], probs: { model: probs }, nTrain: 100, nVal: 20 }],
    };
    const warnings: string[] = [];
    const cache = new FoldCache(join(work, 'c'), (m) => warnings.push(m), 'v1');
    expect(cache.get(task)).toBeUndefined();
    cache.put(task, outcome);
    const back = cache.get(task)!;
    expect(back).toEqual(outcome);
    expect(back.assets[0]!.probs.model).toBeInstanceOf(Float32Array);
    expect(Array.from(back.assets[0]!.probs.model!)).toEqual(Array.from(probs));
    expect(new FoldCache(join(work, 'c'), () => {}, 'v2').get(task)).toBeUndefined(); // other code, other key
    expect(readdirSync(join(work, 'c')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('refuses up front a folder it cannot write, and only warns when a write fails mid-run', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    const warnings: string[] = [];
    const cache = new FoldCache(join(file, 'cache'), (m) => warnings.push(m), 'v1');
    expect(() => cache.ensureWritable()).toThrow(`Cannot write the fold cache in ${join(file, 'cache')} (ENOTDIR). Pass --cache <folder> that you can write, or --no-cache.`);
    const task = firstTask();
    expect(() => cache.put(task, { id: task.id } as FoldOutcome)).not.toThrow();
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^Could not keep fold ${task.id} in the cache .*; the evaluation goes on`))]);
  });
});

describe('foldCacheDir', () => {
  it('is --cache, else beside an embedded database, else under the working directory for PostgreSQL', () => {
    expect(foldCacheDir({ cache: 'x/y' })).toBe(resolve('x/y'));
    expect(foldCacheDir({ db: '/data/cs/db' })).toBe('/data/cs/fold-cache');
    expect(foldCacheDir({ db: 'postgres://u@h:5432/db' })).toBe(resolve('.coinsphere/fold-cache'));
  });
});
