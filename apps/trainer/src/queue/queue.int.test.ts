// openQueue on the real PostgreSQL at 127.0.0.1 (a throwaway database per test): what `coinsphere worker` processes
// and `evaluate` meet when they all start at once on a database the queue has never seen.
import { openDatabase, type Database } from '@coinsphere/data';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli } from '../../../../tests/support/cli.ts';
import { createTempDatabase } from '../../../../tests/support/postgres.ts';
import { openQueue, QUEUE_POLICY, QUEUE_SCHEMA, QUEUES } from './queue.ts';

describe('openQueue', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('six openers at once on a fresh database all start, and every queue exists once with its policy', async () => {
    const temp = await createTempDatabase('cs_queue_open');
    cleanups.push(temp.drop);
    const dbs: Database[] = [];
    for (let i = 0; i < 6; i++) dbs.push(await openDatabase(temp.url)); // migrated one by one: the queue is what races
    cleanups.push(async () => {
      for (const db of dbs) await db.close();
    });
    const errors: Error[] = [];
    const opened = await Promise.allSettled(dbs.map((db) => openQueue(db, (e) => errors.push(e))));
    const bosses = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    cleanups.push(async () => {
      for (const boss of bosses) await boss.stop({ graceful: false, wait: true, timeout: 1000 });
    });
    expect(opened.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []))).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([]);
    const queues = (await dbs[0]!.executeSql('select name, retry_limit, expire_seconds from pgboss.queue order by name')).rows as Array<{ name: string; retry_limit: number; expire_seconds: number }>;
    expect(queues).toEqual(
      Object.entries(QUEUE_POLICY)
        .map(([name, p]) => ({ name, retry_limit: p.retryLimit, expire_seconds: p.expireInSeconds }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('a worker whose queue cannot be created says why and exits, instead of polling a closed database for ever', async () => {
    const temp = await createTempDatabase('cs_queue_fail');
    cleanups.push(temp.drop);
    const db = await openDatabase(temp.url);
    try {
      const boss = await openQueue(db, () => undefined, { supervise: false }); // installs pg-boss's schema
      await boss.stop({ graceful: false, wait: true, timeout: 1000 });
      await db.executeSql(`select ${QUEUE_SCHEMA}.delete_queue('${QUEUES.fold}')`);
      await db.executeSql(`create function ${QUEUE_SCHEMA}.refuse() returns trigger language plpgsql as $$ begin raise exception 'queues are refused here'; end $$;
        create trigger refuse before insert on ${QUEUE_SCHEMA}.queue for each row execute function ${QUEUE_SCHEMA}.refuse()`);
    } finally {
      await db.close();
    }
    const worker = spawnCli(['worker', '--db', temp.url]);
    let stderr = '';
    worker.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null | 'running'>((done) => {
      const timer = setTimeout(() => done('running'), 30_000);
      worker.on('close', (c) => {
        clearTimeout(timer);
        done(c);
      });
    });
    if (code === 'running') worker.kill('SIGKILL');
    expect(code, stderr).not.toBe('running');
    expect(code).not.toBe(0);
    expect(stderr).toContain('queues are refused here');
  }, 60_000);
});
