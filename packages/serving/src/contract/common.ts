// The building blocks of the wire contract: days, symbols, sources, horizons, model versions, artifact file names,
// candles (with the one check of their sanity and spacing) and the error body. Plain zod (metadata through `.meta()`, which @hono/zod-openapi reads for
// /openapi.json), so the browser imports it without Hono. Must not import node:*, hono or any runtime package.
import { ASSET_SYMBOL_MAX_CHARS } from '@coinsphere/model/core';
import { z } from 'zod';

/** The range of days and candle times the API takes: 1970-01-01 (epoch ms are never negative) to 9999-12-31
 *  (four-digit years; PostgreSQL has no year 0 and JavaScript's dates end in 275760). */
export const FIRST_DAY = '1970-01-01';
export const LAST_DAY = '9999-12-31';
/** openTimeMs bounds of a candle: 00:00 UTC of FIRST_DAY to the end of LAST_DAY. */
export const MIN_TIME_MS = 0;
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** True when `s` is `YYYY-MM-DD`, a day that exists (no 2026-02-30), between FIRST_DAY and LAST_DAY. */
export function isRealDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || s < FIRST_DAY) return false;
  const ms = Date.parse(`${s}T00:00:00Z`); // V8 rolls 2026-02-30 over to March 2: a real day reads back unchanged
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}

/** A calendar day in UTC, `YYYY-MM-DD`, that exists on the calendar; the error names the value it got. */
export const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: (iss) => `Expected a UTC day as YYYY-MM-DD, e.g. 2024-05-01; got ${JSON.stringify(iss.input)}.` })
  .refine(isRealDay, { error: (iss) => `${JSON.stringify(iss.input)} is not a real calendar day; expected YYYY-MM-DD between ${FIRST_DAY} and ${LAST_DAY}, e.g. 2024-05-01.` })
  .meta({ example: '2024-05-01' });

/** What a symbol may look like in a URL (validated by SymbolSchema, and by the latest route's fast path): the model
 *  package's one symbol rule (asset-symbol.ts) in any case, upper-cased by the schema. */
const SYMBOL_CHARS = `[A-Za-z0-9]{1,${ASSET_SYMBOL_MAX_CHARS}}`;
export const SYMBOL_PATTERN = new RegExp(`^${SYMBOL_CHARS}$`);
/** Horizon bounds in days, shared by HorizonSchema and the fast path. */
export const HORIZON_MIN_DAYS = 1;
export const HORIZON_MAX_DAYS = 365;

/** An asset symbol such as `BTC`: 1 to 15 letters or digits, upper-cased. */
export const SymbolSchema = z
  .string()
  .regex(SYMBOL_PATTERN, 'Expected a symbol of 1 to 15 letters or digits, e.g. BTC.')
  .transform((s) => s.toUpperCase())
  .meta({ example: 'BTC' });

/** 1 to 50 comma-separated symbols (`BTC,ETH`), upper-cased and deduplicated. */
export const SymbolListSchema = z
  .string()
  .regex(new RegExp(`^${SYMBOL_CHARS}(,${SYMBOL_CHARS}){0,49}$`), 'Expected 1 to 50 comma-separated symbols, e.g. symbols=BTC,ETH.')
  .transform((s) => [...new Set(s.toUpperCase().split(','))])
  .meta({ example: 'BTC,ETH' });

/** What a candle source name may look like (any case; SourceSchema lower-cases it). */
export const SOURCE_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

/** A candle source name such as `binance` or `coinmarketcap`: letters, digits, `-` or `_`, 1 to 40, lower-cased. */
export const SourceSchema = z
  .string()
  .regex(SOURCE_PATTERN, 'Expected a source of 1 to 40 letters, digits, "-" or "_", e.g. source=binance.')
  .transform((s) => s.toLowerCase()) // stored lowercase (normalizeSourceName in @coinsphere/data)
  .meta({ example: 'binance', description: 'Candle source (default: the longest history of the symbol)' });

/** Horizon in days, 1 to 365 (from a path or query string too); the trainer's defaults are 7, 14 and 30. */
export const HorizonSchema = z.coerce
  .number()
  .int('Expected a whole number of days, e.g. horizon=7.')
  .min(HORIZON_MIN_DAYS, 'Expected a horizon of at least 1 day.')
  .max(HORIZON_MAX_DAYS, 'Expected a horizon of at most 365 days.')
  .meta({ example: 7 });

/** A model version as the trainer names it, e.g. `2025-01-14T10-00-00Z`. */
export const VersionSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.:+-]{0,99}$/, 'Expected a model version such as 2025-01-14T10-00-00Z.');

/** One file of a model's artifact (`model.json`, `metadata.json`, a weights file): no path, no `..`. */
export const ArtifactFileSchema = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/, 'Expected an artifact file name such as model.json, metadata.json or weights.bin.')
  .refine((f) => !f.includes('..'), 'File names may not contain "..".')
  .meta({ example: 'model.json' });

/** Raw bytes (an artifact file), as OpenAPI names them. */
export const BytesSchema = z.string().meta({ format: 'binary' });

const price = (name: string) => z.number().positive({ error: (iss) => `Expected ${name} to be a positive price in USD; got ${String(iss.input)}.` });
const amount = (name: string) => z.number().nonnegative({ error: (iss) => `Expected ${name} to be 0 or more; got ${String(iss.input)}.` });

/** The first OHLC rule `k` breaks (low ≤ min(open, close), max(open, close) ≤ high), in words, or null. */
export function ohlcProblem(k: { open: number | null; high: number | null; low: number | null; close: number }): string | null {
  const top = Math.max(k.close, k.open ?? k.close);
  const bottom = Math.min(k.close, k.open ?? k.close);
  if (k.high !== null && k.high < top) return `high ${k.high} is below max(open, close) ${top}`;
  if (k.low !== null && k.low > bottom) return `low ${k.low} is above min(open, close) ${bottom}`;
  return null;
}

/** One daily (or hourly) candle; prices in USD, `openTimeMs` in UTC epoch ms. The one place candle sanity is
 *  checked on the wire: positive prices, high ≥ max(open, close), low ≤ min(open, close), volumes ≥ 0 (the ingest's
 *  rules; open, high and low may be null where a source has only closes). */
export const CandleSchema = z
  .object({
    openTimeMs: z
      .number()
      .int('Expected openTimeMs to be whole epoch milliseconds.')
      .min(MIN_TIME_MS, `Expected openTimeMs at or after ${FIRST_DAY} (0).`)
      .max(MAX_TIME_MS, `Expected openTimeMs at or before ${LAST_DAY} (${MAX_TIME_MS}).`),
    open: price('open').nullable(),
    high: price('high').nullable(),
    low: price('low').nullable(),
    close: price('close'),
    baseVolume: amount('baseVolume').nullable(),
    quoteVolumeUsd: amount('quoteVolumeUsd').nullable(),
    marketCapUsd: amount('marketCapUsd').nullable(),
  })
  .superRefine((k, ctx) => {
    const problem = ohlcProblem(k);
    if (problem) ctx.addIssue({ code: 'custom', message: `Inconsistent candle at openTimeMs ${k.openTimeMs}: ${problem}; expected low ≤ open, close ≤ high.` });
  })
  .meta({ id: 'Candle' });

/** An epoch-ms time as ISO 8601, or the bare number where it is no date (a message must never throw). */
const isoTime = (ms: number) => (Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms));

/** At most `max` candles in strictly increasing openTimeMs order; the error names the first candle out of order. */
export function candleListSchema(max: number) {
  return z
    .array(CandleSchema)
    .max(max, `Expected at most ${max} candles.`)
    .superRefine((cs, ctx) => {
      const i = cs.findIndex((k, j) => j > 0 && !(k.openTimeMs > cs[j - 1]!.openTimeMs));
      if (i > 0) ctx.addIssue({ code: 'custom', path: [i], message: `Candles must be in strictly increasing openTimeMs order: ${isoTime(cs[i]!.openTimeMs)} comes after ${isoTime(cs[i - 1]!.openTimeMs)}; send them oldest first, each once.` });
    });
}

/** The spacing of candles of one interval: 1 day or 1 hour. */
export const CANDLE_STEP = { '1d': { ms: 86_400_000, name: 'day', adjective: 'daily' }, '1h': { ms: 3_600_000, name: 'hour', adjective: 'hourly' } } as const;

/** Like candleListSchema, and each candle exactly one `interval` after the one before (daily: 1 day, hourly: 1
 *  hour): no gaps, no duplicates, oldest first. The error names the first candle that breaks it. */
export function steppedCandleListSchema(max: number, interval: keyof typeof CANDLE_STEP) {
  const step = CANDLE_STEP[interval];
  return candleListSchema(max).superRefine((cs, ctx) => {
    const i = cs.findIndex((k, j) => j > 0 && k.openTimeMs - cs[j - 1]!.openTimeMs !== step.ms);
    if (i <= 0) return;
    const gapHours = (cs[i]!.openTimeMs - cs[i - 1]!.openTimeMs) / 3_600_000;
    ctx.addIssue({
      code: 'custom',
      path: [i],
      message: `Expected ${step.adjective} candles 1 ${step.name} apart, oldest first: the one at ${isoTime(cs[i]!.openTimeMs)} is ${gapHours} h after the one before; send consecutive ${step.adjective} candles without gaps or duplicates.`,
    });
  });
}

/** Every error the API answers: `{ error: { code, message, requestId? } }`; requestId is the answer's X-Request-Id, for
 *  quoting to the operator (the request log names it). */
export const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string().optional() }) }).meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorSchema>;
