// Sharing an open PGlite with other processes on this machine (issue #17: no "database locked" while `serve` runs):
// a PostgreSQL wire-protocol server on a Unix socket beside the folder, which node-postgres (and so every command
// and pg-boss) reaches like any server. PGlite is one backend, so a connection holds it from its first message
// until the backend is idle again (ReadyForQuery 'I'): one connection's statement, extended-protocol sequence
// (Parse … Sync) or transaction never interleaves with another's. Node only.
//
// Written here rather than taken from @electric-sql/pglite-socket: that package pins its peer PGlite to one exact
// version (0.5.14, ours is newer) with seven extension packages as required peers, and its multiplexer hands the
// backend to another connection between any two messages outside a transaction, so two connections' Parse and Bind
// can straddle each other (the unnamed statement is per backend).
import type { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The port number in the socket's name (`.s.PGSQL.<port>`, the name libpq and node-postgres look for). */
export const SHARE_PORT = 5432;

const SOCKET_PATH_MAX = 100; // sun_path is 108 bytes on Linux, 104 on macOS

/** How long a connection may hold the backend without sending anything (idle in a transaction, or a stopped process)
 *  before it is closed and what it left open rolled back, so one stuck client cannot stall serve for good. */
export const IDLE_IN_TURN_MS = 5 * 60_000;

/** The folder holding the share socket of the PGlite folder `location`: beside it, or under the temp dir when that path is too long. */
export function shareDirFor(location: string): string {
  const beside = `${location.replace(/[\\/]+$/, '')}.sock`;
  if (join(beside, `.s.PGSQL.${SHARE_PORT}`).length <= SOCKET_PATH_MAX) return beside;
  return join(tmpdir(), `coinsphere-${createHash('sha256').update(location).digest('hex').slice(0, 16)}`);
}

/** The socket file itself. */
export function sharePathFor(location: string): string {
  return join(shareDirFor(location), `.s.PGSQL.${SHARE_PORT}`);
}

/** A first-come, first-served lock: one connection holds the backend at a time. */
class Turns {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves with the release function once every earlier holder has released. */
  take(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const before = this.#tail;
    this.#tail = before.then(() => mine);
    return before.then(() => release);
  }
}

const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const PROTOCOL_3 = 196_608;
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

function simpleQuery(sql: string): Buffer {
  const body = Buffer.from(`${sql}\0`);
  const message = Buffer.alloc(5 + body.length);
  message.write('Q', 0);
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

/** The transaction status of the last ReadyForQuery in a backend reply ('I' idle, 'T' in a transaction, 'E' failed one), or null when it has none. */
export function lastReadyStatus(reply: Uint8Array): string | null {
  let status: string | null = null;
  for (let i = 0; i + 5 <= reply.length; ) {
    const length = ((reply[i + 1]! << 24) | (reply[i + 2]! << 16) | (reply[i + 3]! << 8) | reply[i + 4]!) >>> 0;
    if (reply[i] === 0x5a && i + 5 < reply.length) status = String.fromCharCode(reply[i + 5]!);
    i += 1 + length;
  }
  return status;
}

/** One client connection: splits its bytes into protocol messages and runs them on the backend in turn. */
class Connection {
  #buffer: Buffer = Buffer.alloc(0);
  #started = false;
  #release: (() => void) | null = null;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;
  #idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly db: PGlite,
    private readonly turns: Turns,
    private readonly idleInTurnMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.#receive(chunk));
    socket.on('error', () => this.#close());
    socket.on('close', () => this.#close());
  }

  #receive(chunk: Buffer): void {
    clearTimeout(this.#idle);
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    for (;;) {
      const next = this.#nextMessage();
      if (!next) return;
      // A message the backend could not run closes the connection (whose close hook rolls back and lets go), and the
      // chain stays resolved, so nothing queued behind it waits on a rejected promise with the backend held.
      this.#chain = this.#chain.then(() => (this.#closed ? undefined : this.#handle(next.message, next.startup))).catch(() => void this.socket.destroy());
    }
  }

  /** The next whole message, taken out of the buffer; null until one has fully arrived. */
  #nextMessage(): { message: Buffer; startup: boolean } | null {
    const startup = !this.#started; // startup-phase messages have no type byte
    const at = startup ? 0 : 1;
    if (this.#buffer.length < at + 4) return null;
    const length = at + this.#buffer.readInt32BE(at);
    if (this.#buffer.length < length) return null;
    const message = this.#buffer.subarray(0, length);
    this.#buffer = this.#buffer.subarray(length);
    if (startup && length >= 8 && message.readInt32BE(4) === PROTOCOL_3) this.#started = true;
    return { message, startup };
  }

  async #handle(message: Buffer, startup: boolean): Promise<void> {
    if (startup) {
      const code = message.length >= 8 ? message.readInt32BE(4) : 0;
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) return void this.socket.write('N'); // no encryption on a local socket
      if (code !== PROTOCOL_3) return void this.socket.end(); // a cancel request (not supported: the query runs to its end) or garbage
    } else if (message[0] === 0x58) {
      return void this.socket.end(); // Terminate: the backend stays up for the others
    }
    if (!this.#release) this.#release = await this.turns.take();
    const reply = await this.db.runExclusive(() => this.db.execProtocolRaw(message));
    if (!this.socket.destroyed) this.socket.write(reply);
    if (lastReadyStatus(reply) === 'I') this.#letGo();
    else this.#idle = setTimeout(() => this.socket.destroy(), this.idleInTurnMs).unref(); // still holding: not for ever
  }

  #letGo(): void {
    clearTimeout(this.#idle);
    const release = this.#release;
    this.#release = null;
    release?.();
  }

  /** On disconnect: a backend left mid-sequence or mid-transaction is brought back to idle before anyone else gets it. */
  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#chain = this.#chain.then(async () => {
      if (!this.#release) return;
      try {
        const status = lastReadyStatus(await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC)));
        if (status !== 'I') await this.db.runExclusive(() => this.db.execProtocolRaw(simpleQuery('ROLLBACK')));
      } catch {
        // the backend could not be reset; the next connection's statements will say so
      } finally {
        this.#letGo();
      }
    });
  }

  /** Resolves once this connection's last message has run (and its cleanup, when closed). */
  settled(): Promise<void> {
    return this.#chain;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A running share server. */
export interface PgliteShare {
  /** The socket folder: node-postgres's `host`. */
  dir: string;
  /** Stops listening, closes every connection (rolling back what they left open) and removes the socket. */
  close(): Promise<void>;
}

/** Serves `db` (the PGlite of the folder `location`) on its share socket, replacing a socket left by a process that is gone. */
export async function sharePglite(db: PGlite, location: string, opts: { idleInTurnMs?: number } = {}): Promise<PgliteShare> {
  const dir = shareDirFor(location);
  const path = sharePathFor(location);
  rmSync(path, { force: true }); // the caller holds the folder's lock, so a socket here is a dead owner's
  mkdirSync(dir, { recursive: true, mode: 0o700 }); // only this user may connect: the socket has no password
  const turns = new Turns();
  const connections = new Set<Connection>();
  const server = createServer((socket) => {
    const connection = new Connection(socket, db, turns, opts.idleInTurnMs ?? IDLE_IN_TURN_MS);
    connections.add(connection);
    socket.on('close', () => void connection.settled().then(() => connections.delete(connection)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    dir,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of connections) connection.destroy();
      await Promise.all([...connections].map((c) => c.settled()));
      await closed;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
