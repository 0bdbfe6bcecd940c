// Logs a training run to MLflow through its REST API 2.0 (experiments/get-by-name, experiments/create,
// runs/create, runs/log-parameter, runs/log-batch, runs/update). Used only when MLFLOW_TRACKING_URI is set;
// a tracking failure never fails the training run (the database keeps the record), but it is reported.

/** One metric point as MLflow stores it. */
export interface MlflowMetric {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

/** Thrown for any non-2xx answer, with MLflow's error_code when it gave one. */
export class MlflowError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

/** Keys MLflow accepts: alphanumerics, underscores, dashes, periods, spaces and slashes. */
export function toMlflowKey(key: string): string {
  return key.replace(/[^\w\-. /]/g, '_');
}

const MAX_BATCH_METRICS = 1000; // MLflow's limit per log-batch
const MAX_BATCH_PARAMS = 100;
const MAX_PARAM_CHARS = 6000;

/** A minimal REST client for one MLflow tracking server. */
export class MlflowClient {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = new URL(`api/2.0/mlflow/${path}`, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    const res = await this.fetchImpl(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    const json = (text ? JSON.parse(text) : {}) as T & { error_code?: string; message?: string };
    if (!res.ok) {
      throw new MlflowError(
        `MLflow ${method} ${path} answered ${res.status}: ${json.message ?? text}`,
        res.status,
        json.error_code,
      );
    }
    return json;
  }

  /** The experiment's id, created when it does not exist yet. */
  async ensureExperiment(name: string): Promise<string> {
    try {
      const found = await this.call<{ experiment: { experiment_id: string } }>(
        'GET',
        `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
      );
      return found.experiment.experiment_id;
    } catch (error) {
      if (!(error instanceof MlflowError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST')) throw error;
    }
    const created = await this.call<{ experiment_id: string }>('POST', 'experiments/create', { name });
    return created.experiment_id;
  }

  /** Creates a run and returns its id. */
  async createRun(experimentId: string, runName: string, tags: Record<string, string>): Promise<string> {
    const res = await this.call<{ run: { info: { run_id: string } } }>('POST', 'runs/create', {
      experiment_id: experimentId,
      run_name: runName,
      start_time: Date.now(),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    });
    return res.run.info.run_id;
  }

  /** Logs params (stringified, clipped to MLflow's length limit) and metrics in batches within its limits. */
  async logBatch(runId: string, params: Record<string, unknown>, metrics: MlflowMetric[]): Promise<void> {
    const paramList = Object.entries(params).map(([key, value]) => ({
      key: toMlflowKey(key),
      value: (typeof value === 'string' ? value : JSON.stringify(value)).slice(0, MAX_PARAM_CHARS),
    }));
    for (let i = 0; i < paramList.length; i += MAX_BATCH_PARAMS) {
      await this.call('POST', 'runs/log-batch', { run_id: runId, params: paramList.slice(i, i + MAX_BATCH_PARAMS) });
    }
    const metricList = metrics.map((m) => ({ ...m, key: toMlflowKey(m.key) }));
    for (let i = 0; i < metricList.length; i += MAX_BATCH_METRICS) {
      await this.call('POST', 'runs/log-batch', { run_id: runId, metrics: metricList.slice(i, i + MAX_BATCH_METRICS) });
    }
  }

  /** Logs one metric point (used per epoch while training runs). */
  async logMetric(runId: string, metric: MlflowMetric): Promise<void> {
    await this.call('POST', 'runs/log-metric', { run_id: runId, ...metric, key: toMlflowKey(metric.key) });
  }

  /** Marks the run terminated: FINISHED, FAILED or KILLED. */
  async setTerminated(runId: string, status: 'FINISHED' | 'FAILED' | 'KILLED'): Promise<void> {
    await this.call('POST', 'runs/update', { run_id: runId, status, end_time: Date.now() });
  }
}
