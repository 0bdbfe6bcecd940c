// The Node entry's structured log: pino, one JSON line per answered request at info (method, route pattern, status,
// duration, request id) and errors at error with their stack and the request's id. Never a body, a query string or a
// header value (tokens travel in those). Node only (pino); must not import the app or a route: node.ts wires it.
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../env.ts';
import type { RequestObserver, RequestRecord } from '../request-observer.ts';

/** A logger at `level` writing to `destination` (default: stdout, buffered and written off the request's path). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const out = destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 });
  return pino({ level, base: { service: 'coinsphere-api' } }, out);
}

/** Writes every answered request as one info line: a RequestObserver for the app and the fast path. */
export function requestLogger(log: Logger): RequestObserver & { error(err: unknown, at: { requestId: string }): void; flush(): void } {
  const on = log.isLevelEnabled('info'); // decided once: LOG_LEVEL=warn makes the hot path skip even the object
  return {
    request(r: RequestRecord) {
      if (on) log.info({ reqId: r.requestId, method: r.method, route: r.route, status: r.status, ms: Math.round(r.durationMs * 1000) / 1000 }, 'request');
    },
    error(err, at) {
      if (typeof err === 'string') log.error({ reqId: at.requestId }, err); // the app's one-line causes (credentials already masked)
      else log.error({ reqId: at.requestId, err }, err instanceof Error ? err.message : 'error');
    },
    flush: () => log.flush(),
  };
}
