// The daily candles the risk module runs on, read from the database: one daily series per symbol, the one that
// reaches the newest day (then the longest), less the stablecoins and wrapped tokens, as the pooled universe picks
// and excludes them (readUniverse; each exclusion reported). A pegged coin's variance is a thousandth of a coin's
// and would pick the HAR variant and skew the pooled fits for all; a series that stopped in 2021 would give a 2021
// score. Publish scores every asset this way and `evaluate --risk` evaluates them the same way, so both see the
// panel BENCHMARKS.md evaluates. Must not import a command.
import { listSeries, readUniverse, type Database } from '@coinsphere/data';
import type { RiskSeries, UniverseExclusion } from '@coinsphere/model/core';
import { CliError } from '../cli/errors.ts';

/** The series of the risk panel, and the assets left out of it with why. */
export interface RiskSeriesRead {
  series: Array<RiskSeries & { source: string }>;
  /** Stablecoins and wrapped tokens (a young asset stays in: it is scored with its reason). */
  excluded: UniverseExclusion[];
}

/**
 * The newest-reaching daily series of every symbol with daily candles, or of `symbols` only when given, less
 * stablecoins and wrapped tokens. Throws a CliError (exit 2) naming the symbols that have no daily candles,
 * and how to load them.
 */
export async function readRiskSeries(db: Database, symbols?: readonly string[]): Promise<RiskSeriesRead> {
  const daily = [...new Set((await listSeries(db)).filter((s) => s.interval === '1d').map((s) => s.symbol))];
  const missing = symbols?.filter((s) => !daily.includes(s)) ?? [];
  if (missing.length > 0) {
    throw new CliError(`No daily candles for ${missing.join(', ')} in the database (it has ${daily.length ? daily.join(', ') : 'none'}). Load them with \`coinsphere ingest --csv <folder>\` or \`coinsphere ingest --from binance --symbols ${missing.join(',')}\`, or leave them out of --symbols.`, 2);
  }
  // minDays 0: a young coin stays in, and is stored with its reason (too-little-history) rather than dropped
  const { series, excluded } = await readUniverse(db, { minDays: 0, symbols: symbols ?? daily });
  return { series: series.map((c) => ({ symbol: c.symbol, source: c.source, candles: [...c.candles] })), excluded };
}
