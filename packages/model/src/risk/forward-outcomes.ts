// What actually happened after each day, for fitting (HAR targets, drawdown events) and for evaluation (forward
// volatility and maximum drawdown). Row i looks at days i+1..i+h only and is NaN when any of them is missing or
// past the end; a walk-forward fit may use row i only from day i+h+1 on. Pure; must not import tfjs or node:*.
import type { AssetDays } from './asset-days.ts';

/** 1 when the lowest low (or close) of days i+1..i+h is below close_i · (1 − fall), 0 when not, NaN when unknown. */
export function drawdownEvents(days: AssetDays, horizonDays: number, fall: number): Float64Array {
  const out = new Float64Array(days.nDays).fill(Number.NaN);
  for (let i = 0; i + horizonDays < days.nDays; i++) {
    if (!days.present[i]) continue;
    let min = Number.POSITIVE_INFINITY;
    for (let k = i + 1; k <= i + horizonDays; k++) min = Math.min(min, days.low[k]!); // NaN poisons min
    if (!Number.isNaN(min)) out[i] = min < days.close[i]! * (1 - fall) ? 1 : 0;
  }
  return out;
}

/** sqrt(mean of r² over days i+1..i+h): realised close-to-close daily volatility (independent of the range). */
export function forwardCloseVolatility(days: AssetDays, horizonDays: number): Float64Array {
  const out = new Float64Array(days.nDays).fill(Number.NaN);
  for (let i = 0; i + horizonDays < days.nDays; i++) {
    let s = 0;
    for (let k = i + 1; k <= i + horizonDays; k++) s += days.logReturn[k]! ** 2;
    if (Number.isFinite(s)) out[i] = Math.sqrt(s / horizonDays);
  }
  return out;
}

/** Largest peak-to-trough fall of the closes i..i+h, a fraction (0.3 = −30%); NaN when any is missing. */
export function forwardMaxDrawdown(days: AssetDays, horizonDays: number): Float64Array {
  const out = new Float64Array(days.nDays).fill(Number.NaN);
  for (let i = 0; i + horizonDays < days.nDays; i++) {
    let peak = days.close[i]!;
    let worst = 0;
    for (let k = i + 1; k <= i + horizonDays; k++) {
      const c = days.close[k]!;
      peak = Math.max(peak, c);
      worst = Math.max(worst, 1 - c / peak);
    }
    if (Number.isFinite(peak) && Number.isFinite(worst)) out[i] = worst;
  }
  return out;
}
