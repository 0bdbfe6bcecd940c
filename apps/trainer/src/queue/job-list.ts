// What is in the job queue (`coinsphere jobs`, and the fold runner's check for folds that failed for good): read
// straight from pg-boss's tables, since pg-boss 10 has no listing API (its job and archive tables are its stable
// schema for a major version; QUEUE_SCHEMA names them). Must not import a command.
import type { Database } from '@coinsphere/data';
import type { StepReport } from '../jobs/scheduled-jobs.ts';
import { QUEUE_SCHEMA } from './queue.ts';

/** pg-boss job states, in the order a job goes through them. */
export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;

/** One job as `coinsphere jobs` lists it. */
export interface JobRow {
  id: string;
  queue: string;
  state: (typeof JOB_STATES)[number];
  /** What the job is: a fold's task id (BTC-7d-f3), else its queue. */
  label: string;
  /** The evaluate run it belongs to (fold jobs), else null. */
  run: string | null;
  retryCount: number;
  retryLimit: number;
  createdMs: number;
  startedMs: number | null;
  completedMs: number | null;
  expireSeconds: number;
  /** Why it failed (its last attempt's error), or null. */
  error: string | null;
  /** A finished scheduled job's steps in order (its output: queue/schedules.ts), else null. */
  steps: StepReport[] | null;
}

const COLUMNS = `id::text, name, state::text, coalesce(data->'task'->>'id', name) as label, data->>'run' as run,
  retry_count, retry_limit, extract(epoch from created_on) * 1000 as created_ms, extract(epoch from started_on) * 1000 as started_ms,
  extract(epoch from completed_on) * 1000 as completed_ms, extract(epoch from expire_in) as expire_s,
  coalesce(output->>'message', output->'value'->>'message') as error, output->'steps' as steps`;

type Raw = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toRow(r: Raw): JobRow {
  return {
    id: String(r.id), queue: String(r.name), state: r.state as JobRow['state'], label: String(r.label), run: r.run ? String(r.run) : null,
    retryCount: Number(r.retry_count), retryLimit: Number(r.retry_limit), createdMs: Number(r.created_ms), startedMs: num(r.started_ms),
    completedMs: num(r.completed_ms), expireSeconds: Number(r.expire_s), error: (r.error as string | null) ?? null,
    steps: Array.isArray(r.steps) ? (r.steps as StepReport[]) : null,
  };
}

/** True once pg-boss has installed its tables in `db` (any queue command was run there). */
export async function hasQueue(db: Database): Promise<boolean> {
  const { rows } = await db.executeSql(`select to_regclass('${QUEUE_SCHEMA}.job') is not null as ok`);
  return Boolean((rows[0] as Raw | undefined)?.ok);
}

/** The jobs of every queue, newest first, archived (older finished) ones included; at most `limit`. */
export async function listJobs(db: Database, limit = 200): Promise<JobRow[]> {
  if (!(await hasQueue(db))) return [];
  const { rows } = await db.executeSql(
    `select * from (select ${COLUMNS} from ${QUEUE_SCHEMA}.job union all select ${COLUMNS} from ${QUEUE_SCHEMA}.archive) j order by created_ms desc, label limit $1`,
    [limit],
  );
  return (rows as Raw[]).map(toRow);
}

/** The jobs among `ids` that failed for good (retries used up), with their task id and error. */
export async function failedJobs(db: Database, ids: readonly string[]): Promise<Array<JobRow & { taskId: string }>> {
  if (ids.length === 0) return [];
  const { rows } = await db.executeSql(`select ${COLUMNS} from ${QUEUE_SCHEMA}.job where id = any($1::uuid[]) and state = 'failed'`, [ids]);
  return (rows as Raw[]).map(toRow).map((r) => ({ ...r, taskId: r.label }));
}

/** The job `id` (any queue), or null. */
export async function findJob(db: Database, id: string): Promise<JobRow | null> {
  if (!(await hasQueue(db))) return null;
  const { rows } = await db.executeSql(`select ${COLUMNS} from ${QUEUE_SCHEMA}.job where id::text = $1`, [id]);
  return rows[0] ? toRow(rows[0] as Raw) : null;
}
