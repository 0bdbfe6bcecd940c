// Per-epoch checkpoints, so a killed run continues with --resume losing at most the epoch in flight. A
// checkpoint holds the latest and the best weights (raw float32, tfjs order) and the early-stopping state; it is
// tied to a key of everything that must match (engine, configs, data range) and refuses to resume otherwise.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochLog, NamedWeight } from '@coinsphere/model/core';

/** What must be identical for a resume to continue the same run. */
export interface CheckpointKey {
  symbol: string;
  horizonDays: number;
  engine: string;
  dataSource: string;
  dataRange: { first: string; last: string; nDays: number };
  modelConfig: unknown;
  trainingConfig: unknown;
}

/** The state after the last completed epoch. */
export interface CheckpointState {
  key: CheckpointKey;
  runId: number | null;
  modelVersion: string;
  epoch: number;
  bestEpoch: number;
  bestValLoss: number;
  history: EpochLog[];
  shapes: Array<{ name: string; shape: number[] }>;
}

const STATE = 'state.json';

function pack(weights: readonly NamedWeight[]): Uint8Array {
  const total = weights.reduce((s, w) => s + w.values.length, 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const w of weights) {
    out.set(w.values, at);
    at += w.values.length;
  }
  return new Uint8Array(out.buffer);
}

function unpack(bytes: Uint8Array, shapes: CheckpointState['shapes']): NamedWeight[] {
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let at = 0;
  return shapes.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = all.slice(at, at + size);
    at += size;
    return { name, shape, values };
  });
}

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await writeFile(`${path}.tmp`, data);
  await rename(`${path}.tmp`, path);
}

/** Saves the checkpoint; state.json goes last, so a crash mid-write leaves the previous epoch's state valid. */
export async function saveCheckpoint(dir: string, state: CheckpointState, latest: NamedWeight[], best: NamedWeight[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tag = `e${state.epoch}`;
  await writeAtomic(join(dir, `latest-${tag}.bin`), pack(latest));
  await writeAtomic(join(dir, `best-${tag}.bin`), pack(best));
  const previous = await readState(dir);
  await writeAtomic(join(dir, STATE), JSON.stringify(state));
  if (previous && previous.epoch !== state.epoch) {
    await rm(join(dir, `latest-e${previous.epoch}.bin`), { force: true });
    await rm(join(dir, `best-e${previous.epoch}.bin`), { force: true });
  }
}

async function readState(dir: string): Promise<CheckpointState | null> {
  try {
    return JSON.parse(await readFile(join(dir, STATE), 'utf8')) as CheckpointState;
  } catch {
    return null;
  }
}

/** Names the first field where two keys differ, or null when they match. */
export function keyDifference(a: CheckpointKey, b: CheckpointKey): string | null {
  for (const field of Object.keys(a) as Array<keyof CheckpointKey>) {
    const x = JSON.stringify(a[field]);
    const y = JSON.stringify(b[field]);
    if (x !== y) return `${field} (checkpoint ${x}, now ${y})`;
  }
  return null;
}

/** Loads the checkpoint in `dir` for `key`; throws when there is none or it belongs to a different run. */
export async function loadCheckpoint(
  dir: string,
  key: CheckpointKey,
): Promise<{ state: CheckpointState; latest: NamedWeight[]; best: NamedWeight[] }> {
  const state = await readState(dir);
  if (!state) throw new Error(`No checkpoint to resume in ${dir}. Run without --resume to start a new run.`);
  const diff = keyDifference(state.key, key);
  if (diff) {
    throw new Error(`The checkpoint in ${dir} is from a different run: ${diff} differs. Use the same flags and data, or run without --resume.`);
  }
  const latest = unpack(new Uint8Array(await readFile(join(dir, `latest-e${state.epoch}.bin`))), state.shapes);
  const best = unpack(new Uint8Array(await readFile(join(dir, `best-e${state.epoch}.bin`))), state.shapes);
  return { state, latest, best };
}

/** Removes the checkpoint after a run finished and its artifact was written. */
export async function clearCheckpoint(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
