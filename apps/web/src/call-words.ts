// A prediction in plain words, written once for the asset page's headline and the overview's table: the call (or
// "no clear signal" below the model's abstention threshold), the three probabilities in whole percent and chance
// beside them, and prices with as many digits as the coin needs ($64,210 but $0.09123). Pure; no DOM.
import { CLASS_NAMES, type ClassName } from '@coinsphere/model/core';

/** A blind guess among the three outcomes. */
export const CHANCE = 1 / 3;

/** What the headline needs of a prediction (the browser's or the API's). */
export interface CallInput {
  class: ClassName;
  probabilities: Record<ClassName, number>;
  confidence: number;
  signal: 'clear' | 'none';
}

/** Whole percent: 0.341 → "34%". */
export const wholePct = (x: number): string => `${Math.round(x * 100)}%`;

/** Within this many points of chance, a call the model makes is worded as a lean, not a call. */
export const NEAR_CHANCE = 0.05;

/** Whether the model speaks, and how firmly: 'none' below its threshold, 'lean' within NEAR_CHANCE of chance. */
export function callStrength(p: CallInput): 'none' | 'lean' | 'call' {
  return p.signal === 'none' ? 'none' : p.confidence - CHANCE < NEAR_CHANCE ? 'lean' : 'call';
}

/** The call's name: "No clear signal", "Leans bearish" (a call within 5 points of chance) or "Bearish call". */
export function callName(p: CallInput): string {
  const strength = callStrength(p);
  return strength === 'none' ? 'No clear signal' : strength === 'lean' ? `Leans ${p.class}` : `${p.class[0]!.toUpperCase()}${p.class.slice(1)} call`;
}

/** "bearish 34%, neutral 33%, bullish 33%". */
export const probabilityWords = (p: CallInput): string => CLASS_NAMES.map((c) => `${c} ${wholePct(p.probabilities[c])}`).join(', ');

/** "chance is 33%". */
export const CHANCE_WORDS = `chance is ${wholePct(CHANCE)}`;

/** "No clear signal: bearish 34%, neutral 33%, bullish 33%; chance is 33%". */
export const headlineWords = (p: CallInput): string => `${callName(p)}: ${probabilityWords(p)}; ${CHANCE_WORDS}`;

/** The confidence against chance: "34% vs 33% chance". */
export const versusChance = (confidence: number): string => `${wholePct(confidence)} vs ${wholePct(CHANCE)} chance`;

/** Decimal places a price of this size needs for four significant digits, at least 2 (BTC: 2; a $0.09 coin: 5). */
export function pricePrecision(price: number): number {
  if (!(price > 0)) return 2;
  return Math.min(10, Math.max(2, 3 - Math.floor(Math.log10(price))));
}

/** A price in dollars with the digits its size needs: "$64,210.50", "$1.234", "$0.09123". */
export function formatPrice(v: number, reference: number = v): string {
  const digits = pricePrecision(Math.abs(reference));
  return `$${v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** A signed percent change with one decimal: "+1.2%", "-0.4%". */
export const signedPct = (x: number): string => `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(1)}%`;
