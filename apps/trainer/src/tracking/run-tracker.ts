// Records a training run: always in the database (model_runs: config, data range, per-epoch metrics, final
// metrics, artifact path, git commit), and in MLflow too when a tracking URI is configured. MLflow failures are
// reported once and never fail the run.
import { createModelRun, updateModelRun, type Database, type NewModelRun } from '@coinsphere/data';
import type { EpochLog } from '@coinsphere/model/core';
import { MlflowClient } from './mlflow.ts';

/** What the run is: its database record plus the model version it will produce. */
export type RunInfo = NewModelRun & { modelVersion: string };

/** Tracks one run; create with RunTracker.start. */
export class RunTracker {
  private history: EpochLog[] = [];
  private mlflowWarned = false;

  private constructor(
    private readonly db: Database,
    readonly runId: number,
    private readonly mlflow: { client: MlflowClient; runId: string } | null,
    private readonly warn: (message: string) => void,
  ) {}

  /** Inserts the run (status 'running') and opens the MLflow run when `mlflowUri` is set. */
  static async start(
    db: Database,
    info: RunInfo,
    opts: { mlflowUri?: string; mlflowExperiment?: string; warn: (m: string) => void; existingRunId?: number | null; history?: EpochLog[] },
  ): Promise<RunTracker> {
    let runId = opts.existingRunId ?? null;
    if (runId === null) {
      runId = await createModelRun(db.orm, { ...info });
    } else {
      await updateModelRun(db.orm, runId, { status: 'running', finished: false });
    }
    let mlflow: { client: MlflowClient; runId: string } | null = null;
    if (opts.mlflowUri) {
      try {
        const client = new MlflowClient(opts.mlflowUri);
        const experiment = await client.ensureExperiment(opts.mlflowExperiment ?? 'coinsphere');
        const mlflowRun = await client.createRun(experiment, `${info.symbol}-${info.horizonDays}d-${info.modelVersion}`, {
          symbol: info.symbol,
          horizon_days: String(info.horizonDays),
          engine: info.engine,
          'mlflow.source.git.commit': info.gitCommit ?? 'unknown',
          coinsphere_run_id: String(runId),
        });
        await client.logBatch(mlflowRun, { ...info.config, dataSource: info.dataSource, backend: info.backend }, []);
        mlflow = { client, runId: mlflowRun };
      } catch (error) {
        opts.warn(`MLflow tracking is off for this run: ${(error as Error).message}`);
      }
    }
    const tracker = new RunTracker(db, runId, mlflow, opts.warn);
    tracker.history = [...(opts.history ?? [])];
    return tracker;
  }

  private async toMlflow(fn: (c: MlflowClient, id: string) => Promise<void>): Promise<void> {
    if (!this.mlflow) return;
    try {
      await fn(this.mlflow.client, this.mlflow.runId);
    } catch (error) {
      if (!this.mlflowWarned) this.warn(`MLflow logging failed (the database still has the run): ${(error as Error).message}`);
      this.mlflowWarned = true;
    }
  }

  /** Appends one epoch's metrics. */
  async epoch(log: EpochLog): Promise<void> {
    this.history.push(log);
    const row = { epoch: log.epoch, loss: log.loss, acc: log.acc, valLoss: log.valLoss, valAcc: log.valAcc, elapsedMs: log.elapsedMs };
    const epochs = this.history.map((h) => ({ epoch: h.epoch, loss: h.loss, acc: h.acc, valLoss: h.valLoss, valAcc: h.valAcc, elapsedMs: h.elapsedMs }));
    await updateModelRun(this.db.orm, this.runId, { epochs });
    const ts = Date.now();
    await this.toMlflow((c, id) =>
      c.logBatch(id, {}, Object.entries(row).filter(([k]) => k !== 'epoch').map(([key, value]) => ({ key, value, step: log.epoch, timestamp: ts }))),
    );
  }

  /** Marks the run finished with its final metrics and artifact folder. */
  async finish(metrics: Record<string, number>, details: Record<string, unknown>, artifactDir: string): Promise<void> {
    await updateModelRun(this.db.orm, this.runId, { status: 'finished', metrics: { ...metrics, ...details }, artifactDir, finished: true });
    const ts = Date.now();
    await this.toMlflow(async (c, id) => {
      await c.logBatch(id, { artifact_dir: artifactDir }, Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: ts })));
      await c.setTerminated(id, 'FINISHED');
    });
  }

  /** Marks the run failed (or killed) with the reason. */
  async fail(reason: string): Promise<void> {
    await updateModelRun(this.db.orm, this.runId, { status: 'failed', metrics: { error: reason }, finished: true });
    await this.toMlflow((c, id) => c.setTerminated(id, 'FAILED'));
  }
}
