// The automatic backend choice: a short measurement of each backend that starts here (one warm-up call, then
// a few timed single-window calls within a small budget), the fastest wins and is remembered.
import { type AutoChoice, type BackendName } from './backends.ts';
import { type BrowserModel, runNetworks } from './browser-model.ts';

/** Options of measureBackends. */
export interface MeasureOptions {
  /** Backends to try, in order. */
  candidates: readonly BackendName[];
  /** Returns (or reuses) a model on a backend; a throw marks the backend as unusable here. */
  modelFor: (backend: BackendName) => Promise<BrowserModel>;
  /** One normalised window [1, windowBars, nFeatures]. */
  x: Float32Array;
  /** Timed time per backend after the warm-up, ms (default 250). */
  budgetMs?: number;
  /** A warm-up slower than this ends that backend's measurement: it has lost already (default 1500). */
  slowMs?: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Measures the candidates and returns the fastest, with every median (null where a backend failed). */
export async function measureBackends(opts: MeasureOptions): Promise<AutoChoice> {
  const budget = opts.budgetMs ?? 250;
  const slow = opts.slowMs ?? 1500;
  const medianMs: AutoChoice['medianMs'] = {};
  for (const backend of opts.candidates) {
    try {
      const model = await opts.modelFor(backend);
      let t = performance.now();
      await runNetworks(model, opts.x, 1); // warm-up: compiles shaders / kernels
      const warm = performance.now() - t;
      const times: number[] = [];
      const start = performance.now();
      while (warm < slow && times.length < 15 && (times.length < 3 || performance.now() - start < budget)) {
        t = performance.now();
        await runNetworks(model, opts.x, 1);
        times.push(performance.now() - t);
      }
      medianMs[backend] = times.length ? median(times) : warm;
    } catch {
      medianMs[backend] = null;
    }
  }
  const working = opts.candidates.filter((b) => typeof medianMs[b] === 'number');
  if (working.length === 0) throw new Error(`No backend could run the model here (tried ${opts.candidates.join(', ')}).`);
  const backend = working.reduce((a, b) => (medianMs[b]! < medianMs[a]! ? b : a));
  return { backend, medianMs, measuredAt: new Date().toISOString() };
}

export { median };
