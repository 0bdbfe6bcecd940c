// Training-run records in `model_runs`: created when a run starts, updated per epoch, closed when it finishes
// or fails. Shared by both drivers; must not import a driver.
import { desc, eq } from 'drizzle-orm';
import type { Orm } from '../database.ts';
import { modelRuns, type ModelRunStatus } from '../schema.ts';

/** What a run is when it starts. */
export interface NewModelRun {
  symbol: string;
  horizonDays: number;
  engine: string;
  backend: string;
  config: Record<string, unknown>;
  dataSource: string;
  dataFromMs: number;
  dataToMs: number;
  gitCommit: string | null;
}

/** Inserts a run with status 'running' and returns its id. */
export async function createModelRun(orm: Orm, run: NewModelRun): Promise<number> {
  const [row] = await orm
    .insert(modelRuns)
    .values({
      symbol: run.symbol,
      horizonDays: run.horizonDays,
      engine: run.engine,
      backend: run.backend,
      config: run.config,
      dataSource: run.dataSource,
      dataFrom: new Date(run.dataFromMs),
      dataTo: new Date(run.dataToMs),
      gitCommit: run.gitCommit,
    })
    .returning({ id: modelRuns.id });
  return row!.id;
}

/** Updates a run: its per-epoch metrics, status, final metrics or artifact folder. */
export async function updateModelRun(
  orm: Orm,
  id: number,
  patch: { status?: ModelRunStatus; epochs?: Array<Record<string, number>>; metrics?: Record<string, unknown>; artifactDir?: string; finished?: boolean },
): Promise<void> {
  await orm
    .update(modelRuns)
    .set({
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.epochs ? { epochs: patch.epochs } : {}),
      ...(patch.metrics ? { metrics: patch.metrics } : {}),
      ...(patch.artifactDir ? { artifactDir: patch.artifactDir } : {}),
      ...(patch.finished === undefined ? {} : { finishedAt: patch.finished ? new Date() : null }),
    })
    .where(eq(modelRuns.id, id));
}

/** Runs of a symbol (all symbols when omitted), newest first. */
export async function listModelRuns(orm: Orm, symbol?: string): Promise<Array<typeof modelRuns.$inferSelect>> {
  const q = orm.select().from(modelRuns);
  return (symbol ? q.where(eq(modelRuns.symbol, symbol)) : q).orderBy(desc(modelRuns.startedAt), desc(modelRuns.id));
}
