// The one rule for asset symbols, for every source: each CSV layout, the Binance and CoinGecko APIs, snapshots and
// the command line. A symbol is a ticker: 1 to 15 capital letters or digits (BTC, 1INCH). That is what the API's
// URLs accept (`/v1/predictions/:symbol`), and it keeps a symbol safe wherever it lands: an HTML report, an SVG, a
// file name, a terminal. Pure: no runtime imports.
import { printable } from './printable.ts';

/** The longest symbol, in characters. */
export const ASSET_SYMBOL_MAX_CHARS = 15;

/** A valid asset symbol: 1 to 15 capital letters or digits. */
export const ASSET_SYMBOL_PATTERN = /^[A-Z0-9]{1,15}$/;

/** What a valid symbol looks like, for error messages. */
export const ASSET_SYMBOL_RULE = `1 to ${ASSET_SYMBOL_MAX_CHARS} letters or digits, e.g. BTC`;

/** True when `symbol` is a valid asset symbol (already upper-cased). */
export function isAssetSymbol(symbol: string): boolean {
  return ASSET_SYMBOL_PATTERN.test(symbol);
}

/**
 * `text` trimmed and upper-cased when that makes a valid symbol, else null. Nothing else is changed: a symbol
 * with other characters is refused, never quietly stripped into a different one.
 */
export function normalizeAssetSymbol(text: string): string | null {
  const upper = text.trim().toUpperCase();
  return isAssetSymbol(upper) ? upper : null;
}

/** Why `text` is not a symbol, with the text shown safely (printable) and where it came from, for an error message. */
export function assetSymbolProblem(text: string, where?: string): string {
  return `symbol "${printable(text, 40)}"${where ? ` (${where})` : ''} is not a ticker: it should be ${ASSET_SYMBOL_RULE}`;
}
