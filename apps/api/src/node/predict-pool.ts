// Inference off the request loop, for the Node entry: POST /v1/predict's compute half (features and the LSTM
// forward on the fused engines, predict-worker.ts) runs in a small pool of worker threads with a bounded queue,
// while the request loop keeps only the cheap async part (the served model, the market candles; predictorOver in
// fused-predictor.ts). When every thread is busy and the queue is full, a request is shed at once with 503 and
// Retry-After instead of slowing every other route; cached reads never wait behind inference.
// Node only; must not import the app or a route (node.ts wires it).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PredictorResult } from '../predictor.ts';
import { ApiError, type ErrorStatus } from '../errors.ts';
import { cacheStoreReads, createMetadataCache, predictorOver, storePredictorDeps, type HealthyPredictor, type JobContext, type PredictJob } from '../fused-predictor.ts';
import type { PredictHead } from '../predict-request.ts';
import { readArtifact } from '@coinsphere/model/core';
import { pinOf, readerOf } from '../artifact-reader.ts';
import type { ApiStore, ArtifactSource, ModelRecord } from '../store.ts';
import type { ThreadPriority } from './thread-priority.ts';

/** An error raised in a worker, as plain data. */
export interface WorkerError {
  status?: ErrorStatus;
  code?: string;
  message: string;
  /** Messages of the cause chain, outermost first. */
  causes: string[];
}

/** What a worker posts: that it started (and at what priority), a body's head (its job then waits for the model and
 *  market candles: PoolMessage resume), or the answer to job `id`. */
export type PoolReply =
  | { ready: true; priority: ThreadPriority }
  | { id: number; head: PredictHead }
  | { id: number; prediction: PredictorResult }
  | { id: number; error: WorkerError };

/** What the pool posts: a validated job, a raw body to parse and validate, the model and market candles of a body
 *  whose head came back, or that a body's job is over (its lookup failed). */
export type PoolMessage =
  | { id: number; job: PredictJob }
  | { id: number; body: string }
  | { id: number; resume: JobContext }
  | { id: number; drop: true };

/** Sizes of the pool. */
export interface PredictPoolOptions {
  /** Worker threads, each running one prediction at a time (at least 1). */
  threads: number;
  /** Jobs that may wait for a free thread; one more is shed with 503 (0: shed whenever every thread is busy). */
  queueLimit: number;
  /** Folder that relative artifact locations resolve against (default: the process's cwd). */
  artifactsRoot?: string;
  /** Retry-After of a shed request, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** Niceness added to each thread (Linux; default 0, the process's priority): higher yields the cores to the request loop. */
  nice?: number;
  /** Days after training at which a model expires (default the model package's, 90). */
  expiryDays?: number;
}

/** A running pool. */
export interface PredictPool {
  /** Runs `job` on a free thread, or queues it; throws ApiError 503 when the queue is full. */
  run(job: PredictJob): Promise<PredictorResult>;
  /** As run, from the raw JSON body: the thread parses and validates it (400s as the route's validator), `lookup`
   *  finds the model and market candles from its head on this thread, then the thread predicts. */
  runBody(body: string, lookup: (head: PredictHead) => Promise<JobContext>): Promise<PredictorResult>;
  /** Throws the ApiError 503 that run() would throw now, if any. */
  admit(): void;
  /** Threads, jobs running and jobs waiting now, and the requests shed (503 overloaded) since the pool started. */
  stats(): { threads: number; running: number; queued: number; shed: number; priorities: ThreadPriority[] };
  /** Sheds what waits (503), stops every thread and resolves when they have exited. */
  close(): Promise<void>;
}

interface Pending {
  id: number;
  work: { job: PredictJob } | { body: string; lookup(head: PredictHead): Promise<JobContext> };
  resolve(p: PredictorResult): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  job: Pending | null;
  /** The worker said it started: a later crash is the job's fault and the slot is refilled. */
  started: boolean;
  /** What the thread reported at its start. */
  priority: ThreadPriority | null;
}

/** How a worker gets our TypeScript: tsx's module hooks, registered inside the thread before its module loads
 *  (hooks registered in the parent, by `coinsphere` or vitest, do not reach a worker on Node 20). */
function bootSource(): string {
  const workerUrl = new URL('./predict-worker.ts', import.meta.url).href;
  let tsxApi: string | null;
  try {
    tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  } catch {
    tsxApi = null; // no tsx: the runtime must load .ts itself (the thread's start error says so when it cannot)
  }
  const load = `import(${JSON.stringify(workerUrl)})`;
  return tsxApi ? `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return ${load}; });` : `${load};`;
}

function fromWorkerError(e: WorkerError): Error {
  if (e.status !== undefined && e.code !== undefined) return new ApiError(e.status, e.code, e.message);
  const cause = e.causes.reduceRight<Error | undefined>((inner, message) => new Error(message, inner ? { cause: inner } : undefined), undefined);
  return new Error(e.message, cause ? { cause } : undefined);
}

const shuttingDown = (retryAfter: string) => new ApiError(503, 'shutting_down', 'The server is shutting down; retry against another instance.', { headers: { 'retry-after': retryAfter } });

/** The pool: threads start on the first job (a server that never predicts starts none), each runs one job at a time. */
class ThreadPredictPool implements PredictPool {
  private readonly boot = bootSource();
  private readonly retryAfter: string;
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private shed = 0; // for /metrics: each overloaded() answer is one request turned away
  private broken: Error | null = null; // a thread that could not even start: every run fails with why
  private closing = false;

  constructor(private readonly opts: PredictPoolOptions) {
    this.retryAfter = String(opts.retryAfterSeconds ?? 1);
  }

  run(job: PredictJob): Promise<PredictorResult> {
    return this.enqueue({ job });
  }

  runBody(body: string, lookup: (head: PredictHead) => Promise<JobContext>): Promise<PredictorResult> {
    return this.enqueue({ body, lookup });
  }

  private enqueue(work: Pending['work']): Promise<PredictorResult> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closing) return Promise.reject(shuttingDown(this.retryAfter));
    if (this.full()) return Promise.reject(this.overloaded());
    if (this.slots.length === 0) for (let i = 0; i < this.opts.threads; i++) this.slots.push(this.spawn());
    return new Promise<PredictorResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, work, resolve, reject });
      this.dispatch();
    });
  }

  admit(): void {
    if (!this.broken && !this.closing && this.full()) throw this.overloaded();
  }

  stats() {
    return {
      threads: this.opts.threads, running: this.slots.filter((s) => s.job !== null).length, queued: this.queue.length, shed: this.shed,
      priorities: this.slots.flatMap((s) => (s.priority ? [s.priority] : [])),
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    const stopped = shuttingDown(this.retryAfter);
    for (const p of [...this.queue.splice(0), ...this.slots.flatMap((s) => (s.job ? [s.job] : []))]) p.reject(stopped);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private overloaded(): ApiError {
    this.shed++;
    const { threads } = this.opts;
    const message = `The server is predicting at capacity (${threads} running, ${this.queue.length} waiting); retry after ${this.retryAfter} s. Its operator can raise PREDICT_THREADS or PREDICT_QUEUE.`;
    return new ApiError(503, 'overloaded', message, { headers: { 'retry-after': this.retryAfter } });
  }

  /** Every thread busy and the queue at its limit (threads not started yet are free). */
  private full(): boolean {
    return this.slots.length > 0 && !this.slots.some((s) => s.job === null) && this.queue.length >= this.opts.queueLimit;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== null || this.queue.length === 0) continue;
      const next = (slot.job = this.queue.shift()!);
      const msg: PoolMessage = 'job' in next.work ? { id: next.id, job: next.work.job } : { id: next.id, body: next.work.body };
      slot.worker.postMessage(msg);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.boot, { eval: true, workerData: { artifactsRoot: this.opts.artifactsRoot, nice: this.opts.nice ?? 0, expiryDays: this.opts.expiryDays } });
    worker.unref(); // never what keeps the process alive: the server's socket does that
    const slot: Slot = { worker, job: null, started: false, priority: null };
    let lastError: Error | null = null;
    worker.on('message', (msg: PoolReply) => this.onReply(slot, msg));
    worker.on('error', (err) => void (lastError = err));
    worker.on('exit', (code) => this.onExit(slot, lastError, code));
    return slot;
  }

  private onReply(slot: Slot, msg: PoolReply): void {
    if ('ready' in msg) return void ((slot.started = true), (slot.priority = msg.priority));
    const pending = slot.job;
    if (!pending || pending.id !== msg.id) return;
    if ('head' in msg) return this.resume(slot, pending, msg.head);
    slot.job = null;
    if ('prediction' in msg) pending.resolve(msg.prediction);
    else pending.reject(fromWorkerError(msg.error));
    this.dispatch();
  }

  /** A body's head came back: find its model and market candles here, then let the thread predict (the slot stays
   *  this job's meanwhile); a failed lookup ends the job with its error and frees the slot. */
  private resume(slot: Slot, pending: Pending, head: PredictHead): void {
    if (!('lookup' in pending.work)) return;
    pending.work.lookup(head).then(
      (resume) => {
        if (slot.job === pending) slot.worker.postMessage({ id: pending.id, resume } satisfies PoolMessage);
      },
      (err: unknown) => {
        if (slot.job !== pending) return; // the thread crashed or the pool closed meanwhile: already answered
        slot.worker.postMessage({ id: pending.id, drop: true } satisfies PoolMessage);
        slot.job = null;
        pending.reject(err instanceof Error ? err : new Error(String(err)));
        this.dispatch();
      },
    );
  }

  private onExit(slot: Slot, lastError: Error | null, code: number): void {
    if (this.closing) return;
    const cause = lastError ?? undefined;
    slot.job?.reject(new Error(`A prediction worker thread stopped (exit code ${code}${lastError ? `: ${lastError.message}` : ''}).`, { cause }));
    slot.job = null;
    if (!slot.started) {
      const why = lastError?.message ?? `exit code ${code}`;
      this.broken = new Error(`Prediction worker threads cannot start: ${why}. Run the API with PREDICT_THREADS=0 to predict on the request loop.`, { cause });
      for (const p of this.queue.splice(0)) p.reject(this.broken);
      return;
    }
    this.slots[this.slots.indexOf(slot)] = this.spawn(); // the job crashed a healthy thread: refill the slot, go on
    this.dispatch();
  }
}

/** A pool of `opts.threads` prediction threads (started on the first job). Throws naming a bad size. */
export function createPredictPool(opts: PredictPoolOptions): PredictPool {
  if (!Number.isInteger(opts.threads) || opts.threads < 1) throw new Error(`A predict pool needs at least 1 thread, not ${opts.threads}.`);
  if (!Number.isInteger(opts.queueLimit) || opts.queueLimit < 0) throw new Error(`A predict queue holds 0 or more jobs, not ${opts.queueLimit}.`);
  return new ThreadPredictPool(opts);
}

/** What the pooled predictor is built from. */
export interface PoolPredictorOptions extends PredictPoolOptions {
  store: ApiStore;
  /** The same files the workers read (the request half reads each model's metadata once, for its market inputs). */
  artifacts: ArtifactSource;
  /** How long served-model lookups and market candles are kept (the API's cacheFreshSeconds, in ms). */
  storeReadTtlMs: number;
}

/** POST /v1/predict's Predictor with inference in a pool: sheds (admit) before the body is read; close() stops the threads. */
export function createPoolPredictor(opts: PoolPredictorOptions): HealthyPredictor & { close(): Promise<void>; pool: PredictPool } {
  const pool = createPredictPool(opts);
  const reads = cacheStoreReads(storePredictorDeps(opts.store), opts.storeReadTtlMs);
  const metadata = createMetadataCache(opts.artifacts);
  // health's second look at a failed model: the whole artifact read and verified here, then its metadata kept
  const check = async (model: ModelRecord) => void (await readArtifact(readerOf(opts.artifacts, model), pinOf(model)), await metadata.get(model));
  const predict = predictorOver({ ...reads, metadataOf: metadata.get, loaded: metadata.keys, check, run: (job) => pool.run(job), runBody: (body, lookup) => pool.runBody(body, lookup) });
  return Object.assign(predict, { admit: () => pool.admit(), close: () => pool.close(), pool });
}
