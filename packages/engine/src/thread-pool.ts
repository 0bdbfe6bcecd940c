// Worker threads that run slices of a batch on one shared WebAssembly memory. Runtime-neutral: the caller
// passes `spawnWorker`, which turns the worker source below into a running worker (node.ts does it with
// node:worker_threads; a browser with a Blob URL). Synchronisation is Atomics on a control block in the memory.

/** A started worker, as the runtime's entry file wraps it. */
export interface WorkerHandle {
  postMessage(message: unknown): void;
  /** Registers the handler for messages from the worker. */
  onMessage(handler: (message: unknown) => void): void;
  terminate(): void;
}

/** Starts a worker that evaluates `source` after defining `post(message)` and `onMessage(handler)`. */
export type SpawnWorker = (source: string) => WorkerHandle;

// Control block (Int32 slots): 0 job sequence, 1 slices done, 2 command (1 run, -1 exit), 3 error flag,
// 16 + i: descriptor byte offset for worker i (0: nothing to do).
const SEQ = 0, DONE = 1, CMD = 2, ERR = 3, DESC0 = 16;
export const CONTROL_BYTES = 4 * (DESC0 + 64);

/** The worker's body; `post` and `onMessage` are supplied by the runtime glue. Plain JS, no imports. */
export const WORKER_SOURCE = `
onMessage(async (msg) => {
  const { module, memory, control, index } = msg;
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const runSlice = instance.exports.runSlice;
  const c = new Int32Array(memory.buffer, control, ${DESC0 + 64});
  let seq = Atomics.load(c, ${SEQ});
  post('ready');
  for (;;) {
    Atomics.wait(c, ${SEQ}, seq);
    seq = Atomics.load(c, ${SEQ});
    if (Atomics.load(c, ${CMD}) === -1) break;
    const desc = Atomics.load(c, ${DESC0} + index);
    if (desc !== 0) {
      try { runSlice(desc); } catch (e) { Atomics.store(c, ${ERR}, 1); }
    }
    Atomics.add(c, ${DONE}, 1);
    Atomics.notify(c, ${DONE});
  }
});
`;

/** Helpers that run slices on `workers.length` workers while the calling thread runs its own. */
export class ThreadPool {
  private readonly control: Int32Array;

  private constructor(
    memory: WebAssembly.Memory,
    controlOffset: number,
    private readonly workers: WorkerHandle[],
  ) {
    this.control = new Int32Array(memory.buffer, controlOffset, DESC0 + 64);
  }

  /** Starts `count` workers on the shared `memory` and waits until each has instantiated `module`. */
  static async start(
    count: number,
    spawn: SpawnWorker,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    control: number,
  ): Promise<ThreadPool> {
    const workers: WorkerHandle[] = [];
    const ready: Promise<void>[] = [];
    for (let index = 0; index < count; index++) {
      const worker = spawn(WORKER_SOURCE);
      workers.push(worker);
      ready.push(new Promise((resolve) => worker.onMessage((m) => m === 'ready' && resolve())));
      worker.postMessage({ module, memory, control, index });
    }
    await Promise.all(ready);
    return new ThreadPool(memory, control, workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs `descs[i]` on worker i (0 = idle) while `own()` runs here; returns when all are done. */
  run(descs: number[], own: () => void): void {
    const c = this.control;
    for (let i = 0; i < this.workers.length; i++) Atomics.store(c, DESC0 + i, descs[i] ?? 0);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, ERR, 0);
    Atomics.store(c, CMD, 1);
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
    own();
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done >= this.workers.length) break;
      try {
        Atomics.wait(c, DONE, done, 1000);
      } catch {
        // a browser's main thread may not block: spin
      }
    }
    if (Atomics.load(c, ERR) !== 0) throw new Error('A fused-LSTM worker trapped while running its slice.');
  }

  dispose(): void {
    Atomics.store(this.control, CMD, -1);
    Atomics.add(this.control, SEQ, 1);
    Atomics.notify(this.control, SEQ);
    for (const w of this.workers) w.terminate();
  }
}
