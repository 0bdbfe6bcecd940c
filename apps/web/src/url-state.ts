// What the asset page shows first, from the URL's ?symbol= and ?horizon= and the API's asset list, and what it
// could not honour, in words: an unknown symbol, an asset with data but no model, a horizon without a model. Pure
// (the page writes the URL back as the user picks, as a new history entry, and follows it on Back and Forward:
// writeViewToUrl). Browser-safe.
import type { Asset } from './api-client.ts';

/** The asset and horizon to show, and a sentence per part of the URL that could not be honoured. */
export interface ViewChoice {
  asset: Asset;
  horizonDays: number;
  notes: string[];
}

/** True when the API holds a model and candles for `a`. */
export const hasModel = (a: Asset): boolean => a.horizons.length > 0 && a.firstDay !== null && a.lastDay !== null;

/** The default horizon when the URL names none (or one the asset lacks). */
export const DEFAULT_HORIZON = 7;

/**
 * Picks what to show: the URL's symbol when it has a model, else BTC, else the first asset with a model; the URL's
 * horizon when that asset has it, else 7 days, else its first. Returns null when no asset has a model.
 */
export function chooseView(assets: readonly Asset[], symbol: string | null, horizon: string | null): ViewChoice | null {
  const withModels = assets.filter(hasModel);
  if (withModels.length === 0) return null;
  const notes: string[] = [];
  const wanted = symbol?.trim().toUpperCase() || null;
  const named = wanted ? assets.find((a) => a.symbol === wanted) : undefined;
  const asset = named && hasModel(named) ? named : (withModels.find((a) => a.symbol === 'BTC') ?? withModels[0]!);
  if (wanted && !named) notes.push(`${wanted} is not an asset this API holds data for; showing ${asset.symbol}.`);
  else if (wanted && named && !hasModel(named)) {
    notes.push(`${wanted} has price data but no trained model yet; showing ${asset.symbol}. Train one with \`npx coinsphere train --symbol ${wanted}\` (or \`npx coinsphere start\`), then \`npx coinsphere publish\`.`);
  }
  const days = horizon === null ? null : Number(horizon);
  if (horizon !== null && !(Number.isInteger(days) && days! > 0)) notes.push(`?horizon=${horizon} is not a number of days; showing ${horizonOf(asset, null)} days.`);
  else if (days !== null && !asset.horizons.includes(days)) notes.push(`There is no ${days}-day model for ${asset.symbol}; showing ${horizonOf(asset, null)} days.`);
  return { asset, horizonDays: horizonOf(asset, Number.isInteger(days) ? days : null), notes };
}

/** `wanted` when `asset` has a model at it, else 7 days when it has one, else its first horizon. */
export function horizonOf(asset: Asset, wanted: number | null): number {
  if (wanted !== null && asset.horizons.includes(wanted)) return wanted;
  return asset.horizons.includes(DEFAULT_HORIZON) ? DEFAULT_HORIZON : asset.horizons[0]!;
}

/** How a shown view goes into the browser's history: `push` (the user picked it: Back returns to the one before) or
 *  `replace` (the page opened or followed the URL: the entry is corrected, e.g. to the asset actually shown). */
export type UrlWrite = 'push' | 'replace';

/** Writes `values` into the page's URL's query; a push that would change nothing replaces instead (no duplicate entries). */
export function writeUrlParams(values: Record<string, string>, mode: UrlWrite): void {
  const url = new URL(window.location.href);
  for (const [k, v] of Object.entries(values)) url.searchParams.set(k, v);
  if (mode === 'push' && url.href !== window.location.href) window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}

/** Writes the shown symbol and horizon into the page's URL (popstate reads them back: Dashboard.followUrl). */
export function writeViewToUrl(symbol: string, horizonDays: number, mode: UrlWrite): void {
  writeUrlParams({ symbol, horizon: String(horizonDays) }, mode);
}
