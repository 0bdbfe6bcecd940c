// `coinsphere serve [--host 127.0.0.1] [--port 8787] [--web apps/web/dist] [--no-schedule]`: the prediction API on
// Node (@hono/node-server) over the database, with Redis when REDIS_URL is set, and the dashboard build at `/`. It
// shares an embedded database with the machine's other commands, and runs the scheduler (queue/schedules.ts: the
// daily refresh, the weekly retrain behind the gate) unless --no-schedule or COINSPHERE_SCHEDULE=off.
// Prints the URL and serves until SIGINT/SIGTERM.
import { resolve } from 'node:path';
import { startNodeServer, type NodeServer } from '@coinsphere/api';
import type { Command } from 'commander';
import { addDbOption, openProjectDatabase, resolveDbTarget, type DbOption } from '../cli/database.ts';
import { readArtifactsRoot, readScheduleOn } from '../cli/env.ts';
import { action, CliError } from '../cli/errors.ts';
import { flag, port } from '../cli/flags.ts';
import { whenStoppedOrLost } from '../cli/signals.ts';
import { SCHEDULES, startScheduler, type Scheduler } from '../queue/schedules.ts';

/** Options of serve. */
export interface ServeOptions extends DbOption {
  host?: string;
  /** Default: $PORT or 8787; 0 picks a free one. */
  port?: number;
  web?: string;
  /** false: no scheduler in this process (--no-schedule). */
  schedule?: boolean;
}

/** Opens the database and starts the server; the caller closes both with `stop()`. */
export async function startServe(opts: ServeOptions): Promise<NodeServer & { stop(): Promise<void>; lost?: Promise<Error> }> {
  const port = opts.port; // undefined: the API's env ($PORT or 8787)
  const artifactsRoot = readArtifactsRoot();
  const db = await openProjectDatabase(opts, artifactsRoot, { share: true }); // other commands reach an embedded folder through it
  let scheduler: Scheduler | null = null;
  try {
    const on = opts.schedule !== false && readScheduleOn();
    scheduler = on ? await startScheduler(db, resolveDbTarget(opts), (line) => void process.stderr.write(`${line}\n`)) : null;
    process.stdout.write(on ? `Scheduler: ${SCHEDULES.map((s) => s.what).join('; ')} (--no-schedule turns it off).\n` : 'Scheduler: off here; this process sends and works no refresh or retrain.\n');
    const server = await startNodeServer({ db, host: opts.host, port, artifactsRoot, webDist: resolve(opts.web ?? 'apps/web/dist') });
    return { ...server, lost: db.lost, stop: async () => { await server.close(); await scheduler?.stop(); await db.close(); } };
  } catch (err) {
    await scheduler?.stop();
    await db.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`Port ${port ?? (err as { port?: number }).port} is in use; stop the other server or pass --port <n>.`, 2, { cause: err });
    throw err;
  }
}

/** Registers `serve`. */
export function register(program: Command): void {
  const command = program
    .command('serve')
    .description('Serve the prediction API (and the dashboard build, if present) on http://127.0.0.1:8787')
    .option('--host <host>', 'interface to listen on (default: $HOST or 127.0.0.1)')
    .option('--no-schedule', 'run no scheduler here: no daily refresh or weekly retrain from this process (also COINSPHERE_SCHEDULE=off)');
  flag(command, '--port <port>', 'port (default: $PORT or 8787; 0 picks a free one)', port);
  addDbOption(command.option('--web <folder>', 'dashboard build served at / (default: apps/web/dist)')).action(
    action(async (opts: ServeOptions) => {
      const server = await startServe(opts);
      process.stdout.write(`Coinsphere API listening on ${server.url} (docs: ${server.url}/openapi.json)\n`);
      const lost = await whenStoppedOrLost(server.lost);
      await server.stop();
      if (lost) throw lost;
    }),
  );
}
