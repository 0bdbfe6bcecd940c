// `--symbols top20`: the product's top 20 (fetchTopAssets in @coinsphere/data, the one definition) as far as the
// database holds them. Online: the live list, naming the assets it lacks and how to fetch them; when a source does
// not answer or the live list cannot be used: the top 20 of the assets the database holds. Prints through `log` only.
// Must not import a command.
import { describeTopAssets, fetchTopAssets, probeOnlineSources, topHeldAssets, type Database } from '@coinsphere/data';
import { CliError } from '../cli/errors.ts';

/** What `--symbols top20` parses to; the command resolves it with topAssetSymbols once it has a database. */
export const TOP_ASSETS_PRESET: readonly string[] = Object.freeze(['top20']);

/** Where the online sources are (the trainer's environment). */
export interface TopAssetsEnv {
  binanceUrl?: string;
  coingeckoUrl?: string;
}

/** The top 20 the database holds, in market-cap order; says in `log` where the list came from and what is missing.
 *  Throws CliError when it holds none of them (an empty list would mean the whole universe). */
export async function topAssetSymbols(db: Database, env: TopAssetsEnv, log: (line: string) => void): Promise<string[]> {
  const symbols = await resolveTop(db, env, log);
  if (symbols.length === 0) throw new CliError('--symbols top20: the database holds none of the top 20; `coinsphere start` or `coinsphere ingest` loads them first.', 2);
  return symbols;
}

async function resolveTop(db: Database, env: TopAssetsEnv, log: (line: string) => void): Promise<string[]> {
  const held = await topHeldAssets(db, Number.POSITIVE_INFINITY);
  const reach = await probeOnlineSources({ binanceBaseUrl: env.binanceUrl, coingeckoBaseUrl: env.coingeckoUrl, timeoutMs: 3000 });
  const top = reach.binance.ok && reach.coingecko.ok ? await fetchTopAssets({ coingeckoBaseUrl: env.coingeckoUrl, binanceBaseUrl: env.binanceUrl }) : null;
  if (!top || top.from !== 'coingecko') {
    const why = top?.fallback ?? `${reach.binance.ok ? 'CoinGecko' : 'Binance'} does not answer`;
    const offline = await topHeldAssets(db);
    log(`top20: ${why}; using the top ${offline.symbols.length} the database holds: ${offline.symbols.join(', ')}.`);
    return offline.symbols;
  }
  log(describeTopAssets(top));
  const missing = top.symbols.filter((s) => !held.symbols.includes(s));
  if (missing.length > 0) log(`top20: the database holds no usable daily series of ${missing.join(', ')}; \`coinsphere ingest --from binance --symbols ${missing.join(',')}\` fetches them. Evaluating the other ${top.symbols.length - missing.length}.`);
  return top.symbols.filter((s) => held.symbols.includes(s));
}
