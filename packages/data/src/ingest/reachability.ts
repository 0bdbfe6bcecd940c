// Whether the online sources answer at all, asked once with a short timeout before a long fetch: the main job
// uses it to say in one line, within seconds, that it is offline and to load the bundled snapshot instead of
// retrying for half a minute. Each source's documented ping endpoint (GET /api/v3/ping on Binance and CoinGecko).
import { BINANCE_BASE_URL } from './binance.ts';
import { COINGECKO_BASE_URL } from './coingecko.ts';
import { getJson } from './http-json.ts';

/** One source's answer: reachable, or why not. */
export type Reach = { ok: true; url: string } | { ok: false; url: string; problem: string };

/** Where to look and how long to wait (per source, both asked at once). */
export interface ReachOptions {
  binanceBaseUrl?: string;
  coingeckoBaseUrl?: string;
  /** Default 3000 ms. */
  timeoutMs?: number;
}

async function ping(base: string, timeoutMs: number): Promise<Reach> {
  const url = base.replace(/\/+$/, '');
  try {
    await getJson(`${url}/api/v3/ping`, { timeoutMs, retries: 0 });
    return { ok: true, url };
  } catch (error) {
    const problem = (error as Error).message.replace(/^GET \S+ failed after 1 tries \(last: (.*)\)\..*$/, '$1');
    return { ok: false, url, problem };
  }
}

/** Pings Binance and CoinGecko at once, one try each; never throws. */
export async function probeOnlineSources(opts: ReachOptions = {}): Promise<{ binance: Reach; coingecko: Reach }> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const [binance, coingecko] = await Promise.all([ping(opts.binanceBaseUrl ?? BINANCE_BASE_URL, timeoutMs), ping(opts.coingeckoBaseUrl ?? COINGECKO_BASE_URL, timeoutMs)]);
  return { binance, coingecko };
}
