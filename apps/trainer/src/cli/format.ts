// Small parsing and formatting helpers shared by the commands.
import { CliError } from './errors.ts';

/** `YYYY-MM-DD` for daily bars, full ISO timestamp (UTC) for hourly ones. */
export function formatBarTime(ms: number, interval: string): string {
  const iso = new Date(ms).toISOString();
  return interval === '1d' ? iso.slice(0, 10) : iso;
}

/** Parses `YYYY-MM-DD` (UTC) into epoch ms, or throws naming the bad value. */
export function parseDay(text: string, option: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== text.trim()) {
    throw new CliError(`Bad ${option} "${text}". Use a UTC day as YYYY-MM-DD, e.g. 2017-01-01.`, 2);
  }
  return ms;
}

/** Upper-cased symbols from `BTC,eth, SOL`. */
export function parseSymbols(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  return list.length > 0 ? list : undefined;
}
