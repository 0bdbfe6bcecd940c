// The words and number formats the risk evaluation's terminal tables, report, plots and targets share: a drawdown
// key in words, a figure, and an interval with the mark of its side of 0. Pure: no node:*.
import { parseDrawdownKey, type ConfidenceInterval, type DrawdownKey } from '@coinsphere/model/core';

/** A figure with `digits` decimals (default 4), or in exponent form when it is that small. */
export const formatFigure = (x: number, digits = 4) => (Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : x.toFixed(digits));

/**
 * `estimate [lower, upper]`; for a difference (`difference` true) then ` *` when the interval lies below 0 (HAR,
 * the calibrated probability or the score better) and ` +` when above.
 */
export function formatInterval(c: ConfidenceInterval, digits = 4, difference = false): string {
  const mark = !difference ? '' : c.upper < 0 ? ' *' : c.lower > 0 ? ' +' : '';
  return `${formatFigure(c.estimate, digits)} [${formatFigure(c.lower, digits)}, ${formatFigure(c.upper, digits)}]${mark}`;
}

/** `10% in 7 d` for the key `0.1@7`. */
export function drawdownLabel(key: DrawdownKey): string {
  const { fall, horizonDays } = parseDrawdownKey(key);
  return `${Math.round(fall * 100)}% in ${horizonDays} d`;
}
