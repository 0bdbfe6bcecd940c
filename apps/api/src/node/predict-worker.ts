// The worker-thread half of the predict pool (predict-pool.ts starts it): holds the fused engines of each model
// version (createFusedRunner over the artifact files, one engine thread each) and answers one job at a time with a
// prediction or the error it raised, so the request loop of the Node entry never runs features or the LSTM. A raw
// body is parsed and validated here too: its head goes back to the loop for the model lookup, and the candles never
// cross to the loop at all.
// Node only; must not import the app, a route or anything that serves HTTP.
import { loadFusedLstm } from '@coinsphere/engine/node';
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../errors.ts';
import { createFusedRunner, type PredictJob } from '../fused-predictor.ts';
import { FsArtifacts } from './fs-artifacts.ts';
import type { PredictRequest } from '@coinsphere/serving/contract';
import { headOf, parsePredictRequest } from '../predict-request.ts';
import type { PoolMessage, PoolReply, WorkerError } from './predict-pool.ts';
import { lowerThreadPriority } from './thread-priority.ts';

/** An error as plain data: ApiError keeps status and code; anything else its message chain (logged by the app). */
function toWorkerError(err: unknown): WorkerError {
  if (err instanceof ApiError) return { status: err.status, code: err.code, message: err.message, causes: [] };
  const causes: string[] = [];
  for (let c = err instanceof Error ? err.cause : undefined; c !== undefined && causes.length < 8; c = c instanceof Error ? c.cause : undefined) {
    causes.push(c instanceof Error ? c.message : String(c));
  }
  return { message: err instanceof Error ? err.message : String(err), causes };
}

const port = parentPort;
if (!port) throw new Error('predict-worker.ts runs inside a worker thread started by predict-pool.ts, not on its own.');
const { artifactsRoot, nice, expiryDays } = workerData as { artifactsRoot?: string; nice: number; expiryDays?: number };
const priority = lowerThreadPriority(nice); // before the engines load: CPU-bound work yields to the request loop
const runner = createFusedRunner({ artifacts: new FsArtifacts(artifactsRoot), createEngine: (config) => loadFusedLstm(config, 1), expiryDays });

const answer = (id: number, job: PredictJob) =>
  runner.run(job).then(
    (prediction) => port.postMessage({ id, prediction } satisfies PoolReply),
    (err: unknown) => port.postMessage({ id, error: toWorkerError(err) } satisfies PoolReply),
  );

/** Bodies parsed and validated here whose model and market candles the request loop is finding (by job id). */
const waiting = new Map<number, PredictRequest>();

port.on('message', (msg: PoolMessage) => {
  if ('job' in msg) return void answer(msg.id, msg.job);
  if ('body' in msg) {
    try {
      const request = parsePredictRequest(msg.body);
      waiting.set(msg.id, request);
      port.postMessage({ id: msg.id, head: headOf(request) } satisfies PoolReply);
    } catch (err) {
      port.postMessage({ id: msg.id, error: toWorkerError(err) } satisfies PoolReply);
    }
    return;
  }
  const request = waiting.get(msg.id);
  waiting.delete(msg.id);
  if (!('resume' in msg)) return; // drop: the lookup failed and the loop has answered
  if (request) void answer(msg.id, { ...msg.resume, request });
  else port.postMessage({ id: msg.id, error: { message: `Prediction job ${msg.id} resumed without a parsed body in this thread.`, causes: [] } } satisfies PoolReply);
});
port.postMessage({ ready: true, priority } satisfies PoolReply);
