// What the server knows about loading its models, for POST /v1/predict and /v1/health: a model whose artifact is
// missing or damaged is answered with a 503 naming it and what to do, the failure is remembered (so a broken
// artifact is not read and hashed again on every request, and health can say so without loading anything), and it
// is tried again once `retryAfterMs` has passed. One record per model slot (symbol and horizon), so a sound newer
// version clears what an older one left. Runtime-neutral: must not import node:*.
import { ApiError } from './errors.ts';
import type { ModelRecord } from './store.ts';

/** The models part of /v1/health: which model versions are loaded, and which failed to load and why. */
export interface ModelsHealth {
  ok: boolean;
  /** `SYMBOL:h:version` of each model held loaded (SYMBOL is POOLED for a pooled model). */
  loaded: string[];
  failed: Array<{ model: string; message: string }>;
}

/** ` (why)` when `inner` is the artifact reader's own error (a missing file); nothing for a runtime's error, whose
 *  message may hold a server path. */
function ownDetail(inner: unknown): string {
  return inner instanceof Error && inner.message.startsWith('Artifact file ') ? ` (${inner.message})` : '';
}

/** The 503 of a model that cannot be loaded: which model, why, and what to do about it. */
export function modelUnavailable(model: ModelRecord, cause: unknown, retryAfterSeconds: number): ApiError {
  const why = cause instanceof Error ? cause.message + ownDetail(cause.cause) : String(cause);
  const message = `Model ${model.symbol} ${model.horizonDays}d ${model.version} cannot be loaded: ${why} Re-publish its artifact files (on the edge: coinsphere publish --edge) or retrain it (coinsphere train) so a sound version serves; it is tried again within ${retryAfterSeconds} s.`;
  return new ApiError(503, 'model_unavailable', message, { cause, headers: { 'retry-after': String(retryAfterSeconds) } });
}

/** The load failures of a predictor's model slots. */
export class ModelLoadFailures {
  private readonly bySlot = new Map<string, { model: ModelRecord; error: ApiError; atMs: number }>();

  constructor(
    readonly retryAfterMs = 10_000,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Records that `model` failed to load with `cause`; returns the 503 to answer with. */
  failed(slot: string, model: ModelRecord, cause: unknown): ApiError {
    const error = modelUnavailable(model, cause, Math.ceil(this.retryAfterMs / 1000));
    this.bySlot.set(slot, { model, error, atMs: this.nowMs() });
    return error;
  }

  /** Forgets the slot's failure (a version of it loaded). */
  succeeded(slot: string): void {
    this.bySlot.delete(slot);
  }

  /** The recorded 503 of `model` while its failure is recent, else null (a load may be tried again). */
  recent(slot: string, model: ModelRecord): ApiError | null {
    const f = this.bySlot.get(slot);
    return f && f.model.version === model.version && this.nowMs() - f.atMs < this.retryAfterMs ? f.error : null;
  }

  /** The models whose failure is old enough to be tried again. */
  due(): ModelRecord[] {
    return [...this.bySlot.values()].filter((f) => this.nowMs() - f.atMs >= this.retryAfterMs).map((f) => f.model);
  }

  /** The failures as health lists them. */
  list(): ModelsHealth['failed'] {
    return [...this.bySlot.values()].map((f) => ({ model: `${f.model.symbol}:${f.model.horizonDays}:${f.model.version}`, message: f.error.message }));
  }
}
