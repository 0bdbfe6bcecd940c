// The building blocks of the wire contract: days, symbols, sources, horizons, model versions, artifact file names,
// candles and the error body. Plain zod (metadata through `.meta()`, which @hono/zod-openapi reads for
// /openapi.json), so the browser imports it without Hono. Must not import node:*, hono or any runtime package.
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

/** What a symbol may look like in a URL (validated by SymbolSchema, and by the latest route's fast path). */
export const SYMBOL_PATTERN = /^[A-Za-z0-9]{1,15}$/;
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
  .regex(/^[A-Za-z0-9]{1,15}(,[A-Za-z0-9]{1,15}){0,49}$/, 'Expected 1 to 50 comma-separated symbols, e.g. symbols=BTC,ETH.')
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

/** One daily (or hourly) candle; prices in USD, `openTimeMs` in UTC epoch ms. */
export const CandleSchema = z
  .object({
    openTimeMs: z.number().int(),
    open: z.number().nullable(),
    high: z.number().nullable(),
    low: z.number().nullable(),
    close: z.number(),
    baseVolume: z.number().nullable(),
    quoteVolumeUsd: z.number().nullable(),
    marketCapUsd: z.number().nullable(),
  })
  .meta({ id: 'Candle' });

/** At most `max` candles in strictly increasing openTimeMs order. */
export function candleListSchema(max: number) {
  return z
    .array(CandleSchema)
    .max(max)
    .refine((cs) => cs.every((k, i) => i === 0 || k.openTimeMs > cs[i - 1]!.openTimeMs), 'candles must be in strictly increasing openTimeMs order.');
}

/** Every error the API answers: `{ error: { code, message } }`. */
export const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorSchema>;
