// Finished fold models kept on disk, so an evaluation that stops after an hour of a three-hour plan (a crash, a
// reboot, Ctrl-C) starts again where it stopped. One JSON file per fold task, named by a digest of everything
// that decides its outcome: the candles of its assets, its fold, horizon, purge gap, model and training config,
// and the code's git commit. Change any of those and the digest changes, so a stale outcome is not reused
// (uncommitted edits are one "-dirty" version: clear the folder after changing the trainer by hand). Engine
// threads are left out: they change only the order of a sum. Files are written whole (temp file, then rename): a run killed mid-write
// leaves no half file, and a file that does not parse is reported and trained again.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candle } from '@coinsphere/model/core';
import { currentGitCommit } from '../git-commit.ts';
import type { FoldOutcome, FoldTask } from './fold-task.ts';

/** Bump when FoldOutcome or the training changes meaning: older files are then ignored. 2: the assets' permutation
 *  importance (#18). */
const FORMAT = 2;

const seriesDigests = new WeakMap<Candle[], string>();

/** Digest of a whole series (every field of every candle); computed once per array. */
export function seriesDigest(candles: Candle[]): string {
  let digest = seriesDigests.get(candles);
  if (digest === undefined) {
    digest = createHash('sha256').update(JSON.stringify(candles)).digest('hex');
    seriesDigests.set(candles, digest);
  }
  return digest;
}

/** The file name of a task's outcome: a digest of everything that decides it, `code` (a version) included. */
export function taskKey(task: FoldTask, code: string): string {
  const { threads: _threads, assets, ...rest } = task;
  const identity = { format: FORMAT, code, ...rest, assets: assets.map((a) => ({ symbol: a.symbol, fold: a.fold, candles: seriesDigest(a.candles) })) };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
}

/** A FoldOutcome as JSON can hold it (probabilities as plain number arrays). */
export type StoredOutcome = Omit<FoldOutcome, 'assets'> & { assets: Array<Omit<FoldOutcome['assets'][number], 'probs'> & { probs: Record<string, number[]> }> };

/** `outcome` as plain JSON; each float32 survives the round trip exactly (decodeOutcome). */
export function encodeOutcome(outcome: FoldOutcome): StoredOutcome {
  return { ...outcome, assets: outcome.assets.map((a) => ({ ...a, probs: Object.fromEntries(Object.entries(a.probs).map(([k, v]) => [k, Array.from(v)])) })) };
}

/** The FoldOutcome encodeOutcome stored. */
export function decodeOutcome(o: StoredOutcome): FoldOutcome {
  return { ...o, assets: o.assets.map((a) => ({ ...a, probs: Object.fromEntries(Object.entries(a.probs).map(([k, v]) => [k, Float32Array.from(v)])) })) };
}

/** Outcomes of earlier runs in `dir`, by task key. */
export class FoldCache {
  /** The code version in every key: the trainer's git commit. */
  readonly code: string;

  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void,
    code?: string,
  ) {
    this.code = code ?? currentGitCommit(fileURLToPath(new URL('.', import.meta.url))) ?? 'no-git';
  }

  /** The stored outcome of `task`, or undefined (none, or unreadable: said through warn). */
  get(task: FoldTask): FoldOutcome | undefined {
    const file = join(this.dir, `${taskKey(task, this.code)}.json`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const stored = JSON.parse(text) as { format: number; outcome: StoredOutcome };
      if (stored.format !== FORMAT || stored.outcome.id !== task.id) throw new Error('it belongs to another format or task');
      return decodeOutcome(stored.outcome);
    } catch (error) {
      this.warn(`Cached fold ${task.id} in ${file} is unreadable (${(error as Error).message}); training it again.`);
      return undefined;
    }
  }

  /** Throws naming the folder and the fix when the cache cannot be written (checked before hours of training). */
  ensureWritable(): void {
    const probe = join(this.dir, `.write-test-${process.pid}`);
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(probe, '');
      rmSync(probe);
    } catch (error) {
      throw new Error(`Cannot write the fold cache in ${this.dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Pass --cache <folder> that you can write, or --no-cache.`, { cause: error });
    }
  }

  /**
   * Stores `outcome` as the result of `task`, whole or not at all. A failure (a full disk) is said through warn
   * and the evaluation goes on: the cache saves time, it is not the result.
   */
  put(task: FoldTask, outcome: FoldOutcome): void {
    try {
      this.write(task, outcome);
    } catch (error) {
      this.warn(`Could not keep fold ${task.id} in the cache ${this.dir} (${(error as Error).message}); the evaluation goes on, but a rerun will train it again.`);
    }
  }

  private write(task: FoldTask, outcome: FoldOutcome): void {
    mkdirSync(this.dir, { recursive: true });
    const stored = encodeOutcome(outcome);
    const file = join(this.dir, `${taskKey(task, this.code)}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, outcome: stored }));
    renameSync(tmp, file);
  }
}
