// The daily candles the risk module runs on, read from the database: the longest 1d series of each symbol (the
// source with the most rows), oldest first, with the source's name. Publish scores every asset this way and `evaluate --risk` evaluates
// them the same way, so both see the same panel. Must not import a command.
import { listSeries, readCandles, type Database } from '@coinsphere/data';
import type { RiskSeries } from '@coinsphere/model/core';
import { CliError } from '../cli/errors.ts';

/**
 * The longest daily series of every symbol with daily candles, or of `symbols` only (in their order) when given.
 * Throws a CliError (exit 2) naming the symbols that have no daily candles, and how to load them.
 */
export async function readRiskSeries(db: Database, symbols?: readonly string[]): Promise<Array<RiskSeries & { source: string }>> {
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
  return series;
}
