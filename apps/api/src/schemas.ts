// The API's wire shapes as zod schemas: they validate every parameter and body, and @hono/zod-openapi turns
// them into /openapi.json. Runtime-neutral: must not import node:* or any runtime package.
import { z } from '@hono/zod-openapi';

/** The three direction classes, in the order the model outputs them. */
export const DIRECTION_CLASSES = ['bearish', 'neutral', 'bullish'] as const;
export type DirectionClass = (typeof DIRECTION_CLASSES)[number];

/** A calendar day in UTC, `YYYY-MM-DD`. */
export const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a UTC day as YYYY-MM-DD, e.g. 2024-05-01.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Not a real calendar day.')
  .openapi({ example: '2024-05-01' });

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
  .openapi({ param: { name: 'symbol', in: 'path' }, example: 'BTC' });

/** A candle source name such as `binance` or `coinmarketcap`: lowercase letters, digits, `-` or `_`, 1 to 40. */
export const SourceSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'Expected a source of 1 to 40 letters, digits, "-" or "_", e.g. source=binance.')
  .transform((s) => s.toLowerCase()) // stored lowercase (normalizeSourceName in @coinsphere/data)
  .openapi({ example: 'binance', description: 'Candle source (default: the longest history of the symbol)' });

/** Horizon in days, 1 to 365; the trainer's defaults are 7, 14 and 30. */
export const HorizonSchema = z.coerce
  .number()
  .int('Expected a whole number of days, e.g. horizon=7.')
  .min(HORIZON_MIN_DAYS, 'Expected a horizon of at least 1 day.')
  .max(HORIZON_MAX_DAYS, 'Expected a horizon of at most 365 days.');

export const ProbabilitiesSchema = z
  .object({ bearish: z.number().min(0).max(1), neutral: z.number().min(0).max(1), bullish: z.number().min(0).max(1) })
  .openapi('Probabilities');

/** 'none' is "no clear signal": the calibrated top probability was below the model's abstention threshold. */
export const SignalSchema = z.enum(['clear', 'none']).openapi({ description: '"none": no clear signal (the top probability is below the threshold fitted on validation data); the probabilities are still given' });

const finite = z.number().refine(Number.isFinite, 'Expected a finite number.');

/** What "neutral" means on the prediction's day: the close after the horizon between lowerPrice and upperPrice. */
export const BandSchema = z
  .object({
    lowerReturn: finite.openapi({ description: 'Bearish below this simple return over the horizon, e.g. -0.052' }),
    upperReturn: finite.openapi({ description: 'Bullish above this simple return, e.g. 0.055' }),
    lowerPrice: finite,
    upperPrice: finite,
    closeAtAsOf: finite,
  })
  .refine((b) => b.lowerReturn < b.upperReturn && b.lowerPrice < b.upperPrice && b.closeAtAsOf > 0, 'Expected lowerReturn < upperReturn, lowerPrice < upperPrice and a positive closeAtAsOf.')
  .openapi('Band');

/** One stored prediction, as publish writes it and readers get it. */
export const PredictionSchema = z
  .object({
    symbol: z.string().regex(/^[A-Z0-9]{1,15}$/),
    horizonDays: z.number().int().min(1).max(365),
    asOf: DaySchema.openapi({ description: 'UTC day of the newest candle the prediction was computed from (the date of its data)' }),
    class: z.enum(DIRECTION_CLASSES),
    probabilities: ProbabilitiesSchema,
    confidence: z.number().min(0).max(1),
    modelVersion: z.string().min(1).max(100),
    placeholders: z.array(z.string().max(100)).max(100).openapi({ description: 'Features that were placeholders' }),
    signal: SignalSchema,
    band: BandSchema.nullable().openapi({ description: 'The neutral band on the as-of day; null for predictions published before it was recorded' }),
    createdAt: z.string().datetime().openapi({ description: 'When the prediction was computed (ISO 8601, UTC)' }),
  })
  .openapi('Prediction');
export type Prediction = z.infer<typeof PredictionSchema>;

/** Why a served prediction is stale: `data_old`, its data (asOf) are more than 2 days old at the server's clock;
 *  `store_unreachable`, it came from the cache while the prediction store could not be reached. */
export const STALE_REASONS = ['data_old', 'store_unreachable'] as const;
export type StaleReason = (typeof STALE_REASONS)[number];

/** `stale` and `staleReasons`, computed when the prediction is served; every prediction payload carries them. */
export const StalenessShape = {
  stale: z.boolean().openapi({ description: 'True when any staleReasons apply: do not act on this prediction as if it were current' }),
  staleReasons: z.array(z.enum(STALE_REASONS)).openapi({
    description: 'data_old: the data (asOf) are more than 2 days old at the server clock; store_unreachable: served from cache while the store was unreachable',
  }),
};

/** A prediction as read: plus whether it is stale, and why. */
export const ServedPredictionSchema = PredictionSchema.extend(StalenessShape).openapi('ServedPrediction');

/** A publish batch: at most 1000 predictions, written all or nothing. */
export const PublishBatchSchema = z
  .object({ predictions: z.array(PredictionSchema).min(1).max(1000) })
  .openapi('PublishBatch');
export type PublishBatch = z.infer<typeof PublishBatchSchema>;

export const PublishResultSchema = z
  .object({ written: z.number().int(), changedKeys: z.array(z.string()) })
  .openapi('PublishResult');

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
  .openapi('Candle');

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error');

/** Standard error responses for a route, keyed by status. */
export function errorResponses(...statuses: Array<400 | 401 | 404 | 413 | 429 | 503>) {
  const descriptions = {
    400: 'Invalid parameter or body',
    401: 'Missing or wrong bearer token',
    404: 'Unknown symbol, model or file',
    413: 'Body larger than allowed',
    429: 'Rate limit exceeded',
    503: 'Store or predictor unavailable',
  } as const;
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s], content: { 'application/json': { schema: ErrorSchema } } }]),
  );
}
