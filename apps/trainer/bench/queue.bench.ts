// The job queue's cost (issue #17), all in one run on a throwaway PostgreSQL database at 127.0.0.1:
//   1. no-op jobs: N jobs through pg-boss (insert, a worker fetches and completes each) against N direct calls;
//   2. a small walk-forward (fastest of --repeat interleaved rounds) (synthetic candles, a tiny model): its folds trained by direct calls in this process
//      (the baseline: what `--jobs 1` did before the queue), through the queue with 1 local worker (this process),
//      and with 2 (this process and one `coinsphere worker`, whose start-up is counted). Every fold uses one engine
//      thread in every variant, and the three give the same outcomes (checked).
//   npx tsx apps/trainer/bench/queue.bench.ts [--noop 200] [--folds 4] [--epochs 3] [--window-bars 10]
import { openDatabase, upsertCandles } from '@coinsphere/data';
import { DEFAULT_TRAINING_CONFIG, makeSyntheticCandles, type Candle } from '@coinsphere/model/core';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createTempDatabase } from '../../../tests/support/postgres.ts';
import { QUICK_MODEL } from '../src/commands/evaluate.ts';
import { encodeOutcome } from '../src/evaluation/fold-cache.ts';
import { runFoldTask } from '../src/evaluation/fold-task.ts';
import { planTasks } from '../src/evaluation/run-evaluation.ts';
import { runFoldsOnQueue } from '../src/queue/fold-runner.ts';
import { openQueue, workQueue, type QueueName } from '../src/queue/queue.ts';
import { isDeepStrictEqual } from 'node:util';

const { values } = parseArgs({
  options: { noop: { type: 'string', default: '200' }, folds: { type: 'string', default: '4' }, epochs: { type: 'string', default: '3' }, repeat: { type: 'string', default: '3' }, 'window-bars': { type: 'string', default: '10' } },
});
const N = Number(values.noop);
const temp = await createTempDatabase('cs_bench_queue');
const db = await openDatabase(temp.url);
const log = (line: string) => void process.stderr.write(`${line}\n`);

async function noopJobs(): Promise<{ directMs: number; queueMs: number }> {
  const boss = await openQueue(db, (e) => log(e.message));
  const name = 'coinsphere-bench-noop';
  await boss.createQueue(name, { name });
  let t0 = performance.now();
  let calls = 0;
  const noop = async (_: unknown) => void calls++;
  for (let i = 0; i < N; i++) await noop({ i });
  const directMs = performance.now() - t0;
  t0 = performance.now();
  await boss.insert(Array.from({ length: N }, (_, i) => ({ name, data: { i } })));
  let done = 0;
  // workQueue's loop, as the fold workers run it (the bench's queue is not one of QUEUES)
  const all = new Promise<void>((resolve) => void workQueue(boss, name as QueueName, async () => void (++done === N && resolve())));
  await all;
  while ((await boss.getQueueSize(name, { before: 'completed' })) > 0) await new Promise((r) => setTimeout(r, 5)); // the last completion written
  const queueMs = performance.now() - t0;
  await boss.stop({ graceful: false, wait: true });
  return { directMs, queueMs };
}

async function walkForward() {
  const series = new Map<string, Candle[]>();
  for (const [symbol, seed] of [['SYNA', 3], ['SYNB', 4]] as const) {
    const candles = makeSyntheticCandles(560, seed);
    series.set(symbol, candles);
    await upsertCandles(db, candles.map((c) => ({ ...c, symbol, interval: '1d' as const, source: 'synthetic' })));
  }
  const sources = new Map([...series.keys()].map((s) => [s, 'synthetic']));
  const opts = {
    symbols: [...series.keys()], horizons: [7], foldDays: 40, minTrainDays: 200, maxFolds: Number(values.folds), pooled: true, jobs: availableParallelism(),
    modelConfig: { ...QUICK_MODEL, windowBars: Number(values['window-bars']) }, training: { ...DEFAULT_TRAINING_CONFIG, epochs: Number(values.epochs), patience: Number(values.epochs) },
    trading: { minConfidence: 0.4, feeBps: 10, slippageBps: 5, allowShort: true }, bootstrapIterations: 100, preset: 'bench',
  };
  const { tasks } = planTasks(series, opts); // jobs = cores: one engine thread per fold
  const timed = async <T>(fn: () => Promise<T>) => { const t0 = performance.now(); const r = await fn(); return { ms: performance.now() - t0, r }; };
  const runDirect = () => timed(async () => { const out = []; for (const t of tasks) out.push(await runFoldTask(t)); return out; });
  const queue = (localWorkers: number) => timed(() => runFoldsOnQueue(db, tasks, sources, { localWorkers, expireInSeconds: 600, dbTarget: temp.url, log }, () => undefined));
  // Interleaved rounds, the fastest of each kind kept: the machine is shared, so a slow moment should not land on one kind.
  let [direct, one, two] = [await runDirect(), await queue(1), await queue(2)];
  for (let r = 1; r < Number(values.repeat); r++) {
    const [d, o, t] = [await runDirect(), await queue(1), await queue(2)];
    [direct, one, two] = [d.ms < direct.ms ? d : direct, o.ms < one.ms ? o : one, t.ms < two.ms ? t : two];
  }
  const plain = (a: typeof direct.r) => a.map((o) => ({ ...encodeOutcome(o), wallMs: 0, cpuMs: 0 })); // jsonb reorders keys: compare values
  const same = (a: typeof direct.r) => isDeepStrictEqual(plain(a), plain(direct.r));
  const trainMs = (a: typeof direct.r) => a.reduce((sum, o) => sum + o.wallMs, 0);
  log(`sum of the folds' own wall time: direct ${trainMs(direct.r)} ms, 1 worker ${trainMs(one.r)} ms, 2 workers ${trainMs(two.r)} ms`);
  return { tasks: tasks.length, directMs: direct.ms, oneMs: one.ms, twoMs: two.ms, sameOutcomes: same(one.r) && same(two.r) };
}

try {
  const load = loadavg()[0]!.toFixed(1);
  const noop = await noopJobs();
  const wf = await walkForward();
  const perJob = (noop.queueMs - noop.directMs) / N;
  console.log(`Walk-forward: 2 synthetic assets of 560 days, ${values.folds} folds of 40 days each plus the pooled ones, ${values.epochs} epochs (no early stop), window ${values['window-bars']} bars, the 16-16-8 quick model.`);
  console.log(`Machine: ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}, load average ${load} at the start (${loadavg()[0]!.toFixed(1)} at the end).`);
  console.log(`| run | ms | per job (ms) | vs baseline |\n|---|---:|---:|---:|`);
  console.log(`| ${N} no-op calls, direct (baseline) | ${noop.directMs.toFixed(1)} | ${(noop.directMs / N).toFixed(3)} | 1.0x |`);
  console.log(`| ${N} no-op jobs through pg-boss (1 worker) | ${noop.queueMs.toFixed(0)} | ${(noop.queueMs / N).toFixed(2)} | ${(noop.queueMs / noop.directMs).toFixed(0)}x |`);
  console.log(`| walk-forward, ${wf.tasks} folds, direct calls (baseline) | ${wf.directMs.toFixed(0)} | ${(wf.directMs / wf.tasks).toFixed(0)} | 1.00x |`);
  console.log(`| the same through the queue, 1 worker (this process) | ${wf.oneMs.toFixed(0)} | ${(wf.oneMs / wf.tasks).toFixed(0)} | ${(wf.oneMs / wf.directMs).toFixed(2)}x |`);
  console.log(`| the same through the queue, 2 workers (this process + 1 \`coinsphere worker\`) | ${wf.twoMs.toFixed(0)} | ${(wf.twoMs / wf.tasks).toFixed(0)} | ${(wf.twoMs / wf.directMs).toFixed(2)}x |`);
  console.log(`No-op queue overhead: ${perJob.toFixed(2)} ms per job = ${((perJob * wf.tasks) / wf.directMs * 100).toFixed(2)}% of this walk-forward's direct wall time; outcomes identical across the three: ${wf.sameOutcomes}.`);
} finally {
  await db.close();
  await temp.drop();
}
