// GET JSON from a public API with a timeout per try and retries with exponential backoff on 429, 418 and
// 5xx (honouring Retry-After, in seconds or as an HTTP date) and on network errors. Uses global fetch.
import { DataError } from '../errors.ts';

/** Retry and timeout settings; the defaults suit the public Binance and CoinGecko endpoints. */
export interface HttpOptions {
  /** Per-try timeout in ms (default 15000). */
  timeoutMs?: number;
  /** Tries after the first (default 5). */
  retries?: number;
  /** First backoff in ms, doubled each retry (default 1000). */
  baseDelayMs?: number;
  /** Longest Retry-After we wait for, in ms (default 120000); longer fails with the wait named. */
  maxRetryAfterMs?: number;
  /** Sleep function (tests pass a recorder). */
  sleep?: (ms: number) => Promise<void>;
}

/** A non-retryable HTTP answer: status and the parsed JSON body when there was one. */
export class HttpStatusError extends Error {
  constructor(readonly status: number, readonly body: unknown, url: string) {
    super(`GET ${url} answered ${status}`);
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait from a Retry-After header in ms, or null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

/** fetch's own message ("fetch failed") with the reason underneath it (e.g. "connect ECONNREFUSED 127.0.0.1:1"). */
export function networkProblem(error: Error): string {
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && cause !== error.message ? `${error.message}: ${cause}` : error.message;
}

function retryable(status: number): boolean {
  return status === 429 || status === 418 || status >= 500;
}

/**
 * GETs `url` and parses JSON. Retries 429/418/5xx and network failures; throws HttpStatusError for other
 * non-2xx answers and DataError('network') when the retries run out.
 */
export async function getJson(url: string, opts: HttpOptions = {}): Promise<unknown> {
  const { timeoutMs = 15_000, retries = 5, baseDelayMs = 1000, maxRetryAfterMs = 120_000, sleep = defaultSleep } = opts;
  let lastProblem = '';
  for (let attempt = 0; attempt <= retries; attempt++) {
    let wait = baseDelayMs * 2 ** attempt;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
      const text = await res.text();
      const body: unknown = (() => {
        try {
          return JSON.parse(text);
        } catch {
          return text;
        }
      })();
      if (res.ok) {
        if (typeof body === 'string') throw new DataError('network', `GET ${url} answered with something that is not JSON.`);
        return body;
      }
      if (!retryable(res.status)) throw new HttpStatusError(res.status, body, url);
      lastProblem = `status ${res.status}`;
      const after = retryAfterMs(res.headers.get('retry-after'));
      if (after !== null) {
        if (after > maxRetryAfterMs) {
          throw new DataError('network', `GET ${url} answered ${res.status} asking to wait ${Math.round(after / 1000)} s; try again later.`);
        }
        wait = after;
      }
    } catch (error) {
      if (error instanceof HttpStatusError || error instanceof DataError) throw error;
      lastProblem = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : networkProblem(error as Error);
    }
    if (attempt < retries) await sleep(wait);
  }
  throw new DataError('network', `GET ${url} failed after ${retries + 1} tries (last: ${lastProblem}). Check the network or --base-url, and try again.`);
}
