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

// Control block (Int32 slots): 0 job sequence, 1 threads done, 2 command (1 run, -1 exit), 3 error flag,
// 4 next slice to take, 5 slice count, 16 + i: descriptor byte offset of slice i, 96 + t: scratch of thread t
// (0 is the calling thread). Threads take slices from the queue, so a descheduled core delays no one; each
// slice writes its own gradient block and loss, so results do not depend on which thread ran it.
const SEQ = 0, DONE = 1, CMD = 2, ERR = 3, NEXT = 4, COUNT = 5, DESC0 = 16, SCRATCH0 = 96;
export const MAX_SLICES = 64;
export const CONTROL_BYTES = 4 * (SCRATCH0 + 64);

/** The worker's body; `post` and `onMessage` are supplied by the runtime glue. Plain JS, no imports. */
export const WORKER_SOURCE = `
onMessage(async (msg) => {
  const { module, memory, control, index } = msg;
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const runSlice = instance.exports.runSlice;
  const c = new Int32Array(memory.buffer, control, ${CONTROL_BYTES / 4});
  let seq = Atomics.load(c, ${SEQ});
  post('ready');
  for (;;) {
    Atomics.wait(c, ${SEQ}, seq);
    seq = Atomics.load(c, ${SEQ});
    if (Atomics.load(c, ${CMD}) === -1) break;
    const scratch = Atomics.load(c, ${SCRATCH0} + index + 1);
    for (;;) {
      const i = Atomics.add(c, ${NEXT}, 1);
      if (i >= Atomics.load(c, ${COUNT})) break;
      try { runSlice(Atomics.load(c, ${DESC0} + i), scratch); } catch (e) { Atomics.store(c, ${ERR}, 1); }
    }
    Atomics.add(c, ${DONE}, 1);
    Atomics.notify(c, ${DONE});
  }
});
`;

/** Runs slices of a batch on the calling thread and `workers.length` workers sharing one memory. */
export class ThreadPool {
  private readonly control: Int32Array;

  private constructor(
    memory: WebAssembly.Memory,
    controlOffset: number,
    private readonly workers: WorkerHandle[],
  ) {
    this.control = new Int32Array(memory.buffer, controlOffset, CONTROL_BYTES / 4);
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

  /**
   * Runs every descriptor in `descs` (byte offsets) with `runSlice(desc, scratch)`; thread t uses scratch[t].
   * Returns when all are done. @throws if a worker trapped.
   */
  run(descs: number[], scratch: number[], runSlice: (desc: number, scratch: number) => void): void {
    const c = this.control;
    descs.forEach((d, i) => Atomics.store(c, DESC0 + i, d));
    scratch.forEach((s, t) => Atomics.store(c, SCRATCH0 + t, s));
    Atomics.store(c, COUNT, descs.length);
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, ERR, 0);
    Atomics.store(c, CMD, 1);
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
    for (;;) {
      const i = Atomics.add(c, NEXT, 1);
      if (i >= descs.length) break;
      runSlice(descs[i]!, scratch[0]!);
    }
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
