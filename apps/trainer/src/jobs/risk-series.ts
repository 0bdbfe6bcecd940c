// The daily candles the risk module runs on, read from the database: the longest 1d series of each symbol (the
// source with the most rows), oldest first, with the source's name, less the stablecoins and wrapped tokens (found
// by the pooled universe's rules, and reported): a pegged coin's variance is a thousandth of a coin's and would pick
// the HAR variant and skew the pooled fits for all. Publish scores every asset this way and `evaluate --risk`
// evaluates them the same way, so both see the panel BENCHMARKS.md evaluates. Must not import a command.
import { listSeries, readCandles, type Database } from '@coinsphere/data';
import { selectUniverse, type RiskSeries, type UniverseExclusion } from '@coinsphere/model/core';
import { CliError } from '../cli/errors.ts';

/** The series of the risk panel, and the assets left out of it with why. */
export interface RiskSeriesRead {
  series: Array<RiskSeries & { source: string }>;
  /** Stablecoins and wrapped tokens (a young asset stays in: it is scored with its reason). */
  excluded: UniverseExclusion[];
}

/**
 * The longest daily series of every symbol with daily candles, or of `symbols` only (in their order) when given,
 * less stablecoins and wrapped tokens. Throws a CliError (exit 2) naming the symbols that have no daily candles,
 * and how to load them.
 */
export async function readRiskSeries(db: Database, symbols?: readonly string[]): Promise<RiskSeriesRead> {
  const daily = [...new Set((await listSeries(db)).filter((s) => s.interval === '1d').map((s) => s.symbol))];
  const missing = symbols?.filter((s) => !daily.includes(s)) ?? [];
  if (missing.length > 0) {
    throw new CliError(`No daily candles for ${missing.join(', ')} in the database (it has ${daily.length ? daily.join(', ') : 'none'}). Load them with \`coinsphere ingest --csv <folder>\` or \`coinsphere ingest --from binance --symbols ${missing.join(',')}\`, or leave them out of --symbols.`, 2);
  }
  const series: Array<RiskSeries & { source: string }> = [];
  for (const symbol of symbols ?? daily) {
    const { source, candles } = await readCandles(db, { symbol, interval: '1d' });
    series.push({ symbol, candles, source });
  }
  const { excluded } = selectUniverse(series, { minDays: 0 });
  const out = new Set(excluded.map((e) => e.symbol));
  return { series: series.filter((s) => !out.has(s.symbol)), excluded };
}
