// Fans FoldTasks out over `jobs` child processes (each fold's model is independent). Results come back in task
// order whatever order they finish in. jobs = 1 runs in this process. Children run the TypeScript sources through
// tsx, the same way bin/coinsphere.js does.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runFoldTask, type FoldOutcome, type FoldTask } from './fold-task.ts';

const CHILD = fileURLToPath(new URL('./fold-process.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

type ChildReply = { ok: true; outcome: FoldOutcome; processCpuMs: number } | { ok: false; id: string; message: string };

/** The outcomes in task order, and the CPU time of the child processes (startup included), ms. */
export interface PoolResult {
  outcomes: FoldOutcome[];
  childCpuMs: number;
}

/** Runs every task; `onDone` hears each as it finishes. Rejects on the first failed task, naming it. */
export async function runTasks(tasks: FoldTask[], jobs: number, onDone?: (o: FoldOutcome, done: number, total: number) => void): Promise<PoolResult> {
  const results = new Array<FoldOutcome>(tasks.length);
  const childCpu: number[] = [];
  let done = 0;
  if (jobs <= 1) {
    for (const [i, task] of tasks.entries()) {
      results[i] = await runFoldTask(task);
      onDone?.(results[i]!, ++done, tasks.length);
      await new Promise((r) => setImmediate(r)); // let signals (Ctrl-C) and I/O in between folds
    }
    return { outcomes: results, childCpuMs: 0 };
  }
  let next = 0;
  const children: ChildProcess[] = [];
  try {
    await Promise.all(
      Array.from({ length: Math.min(jobs, tasks.length) }, async (_, c) => {
        const child = fork(CHILD, [], { execArgv: ['--import', TSX], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        children.push(child);
        while (next < tasks.length) {
          const i = next++;
          const reply = await new Promise<ChildReply>((resolve, reject) => {
            const onExit = (code: number | null) => reject(new Error(`Fold worker exited (code ${code}) during task ${tasks[i]!.id}.`));
            child.once('exit', onExit);
            child.once('message', (m: ChildReply) => {
              child.off('exit', onExit);
              resolve(m);
            });
            child.send(tasks[i]!);
          });
          if (!reply.ok) throw new Error(`Fold task ${reply.id} failed: ${reply.message}`);
          results[i] = reply.outcome;
          childCpu[c] = reply.processCpuMs;
          onDone?.(reply.outcome, ++done, tasks.length);
        }
      }),
    );
  } finally {
    for (const child of children) child.kill(); // each was started here
  }
  return { outcomes: results, childCpuMs: childCpu.reduce((s, v) => s + (v ?? 0), 0) };
}
