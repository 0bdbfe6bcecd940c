// The Node entry's structured log: pino, one JSON line per answered request (method, route pattern, status, duration,
// request id) and errors at error with their stack and the request's id. A routine read (a GET or HEAD answered
// below 400 within ROUTINE_MAX_MS) is logged at debug, everything else at info: a line costs ~3 us, a third of a
// cached read's whole time, and /metrics counts the routine reads anyway (LOG_LEVEL=debug logs them all). Never a
// body, a query string or a header value (tokens travel in those). Node only (pino); must not import the app or a
// route: node.ts wires it.
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../env.ts';
import type { RequestObserver, RequestRecord } from '../request-observer.ts';

/** A logger at `level` writing to `destination` (default: stdout, buffered and written off the request's path). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const out = destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 });
  return pino({ level, base: { service: 'coinsphere-api' } }, out);
}

/** A read answered this fast, below 400, is routine: its line is at debug. Slower ones are worth a look. */
export const ROUTINE_MAX_MS = 100;

/** Whether `r` is a routine read (logged at debug, not info). */
export const isRoutineRead = (r: RequestRecord): boolean => (r.method === 'GET' || r.method === 'HEAD') && r.status < 400 && r.durationMs < ROUTINE_MAX_MS;

/** Writes every answered request as one line, routine reads at debug and the rest at info: a RequestObserver for
 *  the app and the fast path. */
export function requestLogger(log: Logger): RequestObserver & { error(err: unknown, at: { requestId: string }): void; flush(): void } {
  const info = log.isLevelEnabled('info'); // decided once: LOG_LEVEL=warn makes the hot path skip even the object
  const debug = log.isLevelEnabled('debug');
  const line = (r: RequestRecord) => ({ reqId: r.requestId, method: r.method, route: r.route, status: r.status, ms: Math.round(r.durationMs * 1000) / 1000 });
  return {
    request(r: RequestRecord) {
      if (!info) return;
      if (!isRoutineRead(r)) log.info(line(r), 'request');
      else if (debug) log.debug(line(r), 'request');
    },
    error(err, at) {
      if (typeof err === 'string') log.error({ reqId: at.requestId }, err); // the app's one-line causes (credentials already masked)
      else log.error({ reqId: at.requestId, err }, err instanceof Error ? err.message : 'error');
    },
    flush: () => log.flush(),
  };
}
