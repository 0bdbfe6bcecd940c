// Predictions on the wire: one stored prediction (as publish writes it), served (with staleness), the latest of
// several, the history with realised outcomes, the publish batch and its result, and POST /v1/predict.
// Must not import node:*, hono or any runtime package.
import { CLASS_NAMES } from '@coinsphere/model/core';
import { z } from 'zod';
import { AttributionsSchema } from './attributions.ts';
import { DaySchema, HorizonSchema, MAX_TIME_MS, steppedCandleListSchema, SymbolListSchema, SymbolSchema } from './common.ts';

/** How far from 1 the three probabilities may sum (a float32 softmax is off by ~1e-7; rounding to 4 places by 1.5e-4). */
export const PROBABILITY_SUM_TOLERANCE = 1e-3;

/** Class probabilities: each in [0, 1], summing to 1 within PROBABILITY_SUM_TOLERANCE. */
export const ProbabilitiesSchema = z
  .object({ bearish: z.number().min(0).max(1), neutral: z.number().min(0).max(1), bullish: z.number().min(0).max(1) })
  .refine((p) => Math.abs(p.bearish + p.neutral + p.bullish - 1) <= PROBABILITY_SUM_TOLERANCE, {
    error: (iss) => {
      const p = iss.input as { bearish: number; neutral: number; bullish: number };
      return `Expected probabilities summing to 1 (within ${PROBABILITY_SUM_TOLERANCE}); bearish + neutral + bullish = ${p.bearish + p.neutral + p.bullish}.`;
    },
  })
  .meta({ id: 'Probabilities' });

/** 'none' is "no clear signal": the calibrated top probability was below the model's abstention threshold. */
export const SignalSchema = z.enum(['clear', 'none']).meta({ description: '"none": no clear signal (the top probability is below the threshold fitted on validation data); the probabilities are still given' });

const finite = z.number().refine(Number.isFinite, 'Expected a finite number.');

/** What "neutral" means on the prediction's day: the close after the horizon between lowerPrice and upperPrice. */
export const BandSchema = z
  .object({
    lowerReturn: finite.meta({ description: 'Bearish below this simple return over the horizon, e.g. -0.052' }),
    upperReturn: finite.meta({ description: 'Bullish above this simple return, e.g. 0.055' }),
    lowerPrice: finite,
    upperPrice: finite,
    closeAtAsOf: finite,
  })
  .refine((b) => b.lowerReturn < b.upperReturn && b.lowerPrice < b.upperPrice && b.closeAtAsOf > 0, 'Expected lowerReturn < upperReturn, lowerPrice < upperPrice and a positive closeAtAsOf.')
  .meta({ id: 'Band' });

/** Whether a prediction can be trusted as its model was validated (docs/monitoring.md): the window's distance to
 *  the training windows (when the prediction was computed) and the model's age and expiry (stored as of publish;
 *  served as of the server's clock under its MODEL_EXPIRY_DAYS). */
export const MonitoringSchema = z
  .object({
    outOfDistribution: z
      .object({
        flag: z.boolean().meta({ description: 'True when distance is above threshold: the inputs are unlike anything the model was trained on' }),
        distance: finite.meta({ description: 'Root-mean-square z-score of the input window against the training feature statistics' }),
        threshold: finite.meta({ description: "The 99th percentile of the training windows' distances" }),
      })
      .nullable()
      .meta({ description: 'null: the model records no training distribution (trained before it was recorded)' }),
    modelAgeDays: z.number().int().meta({ description: "Whole UTC days from the day the model was trained to the server's clock when served (as of publish in the stored row)" }),
    expiryDays: z.number().int().positive(),
    expiresAt: z.string().datetime().meta({ description: 'When the model expires: trained + expiryDays (ISO 8601, UTC)' }),
    expired: z.boolean().meta({ description: "True when the model is past its expiry at the server's clock: retrain it" }),
  })
  .meta({ id: 'PredictionMonitoring' });
export type Monitoring = z.infer<typeof MonitoringSchema>;

/** One stored prediction, as publish writes it and readers get it. */
export const PredictionSchema = z
  .object({
    symbol: z.string().regex(/^[A-Z0-9]{1,15}$/),
    horizonDays: z.number().int().min(1).max(365),
    asOf: DaySchema.meta({ description: 'UTC day of the newest candle the prediction was computed from (the date of its data)' }),
    class: z.enum(CLASS_NAMES),
    probabilities: ProbabilitiesSchema,
    confidence: z.number().min(0).max(1),
    modelVersion: z.string().min(1).max(100),
    placeholders: z.array(z.string().max(100)).max(100).meta({ description: 'Features that were placeholders' }),
    signal: SignalSchema,
    band: BandSchema.nullable().meta({ description: 'The neutral band on the as-of day; null for predictions published before it was recorded' }),
    monitoring: MonitoringSchema.nullable().optional().meta({ description: 'Out-of-distribution flag, model age and expiry; null or absent for predictions published before they were recorded' }),
    attributions: AttributionsSchema.nullable().optional().meta({ description: 'Why this call: what each feature contributed to it; null or absent for predictions published before they were computed' }),
    createdAt: z.string().datetime().meta({ description: 'When the prediction was computed (ISO 8601, UTC)' }),
  })
  .meta({ id: 'Prediction' });
export type Prediction = z.infer<typeof PredictionSchema>;

/** Why a served prediction is stale: `data_old`, its data (asOf) are more than 2 days old at the server's clock;
 *  `store_unreachable`, it came from the cache while the prediction store could not be reached. */
export const STALE_REASONS = ['data_old', 'store_unreachable'] as const;
export type StaleReason = (typeof STALE_REASONS)[number];

/** `stale` and `staleReasons`, computed when the prediction is served; every prediction payload carries them. */
export const StalenessShape = {
  stale: z.boolean().meta({ description: 'True when any staleReasons apply: do not act on this prediction as if it were current' }),
  staleReasons: z.array(z.enum(STALE_REASONS)).meta({
    description: 'data_old: the data (asOf) are more than 2 days old at the server clock; store_unreachable: served from cache while the store was unreachable',
  }),
};

/** A prediction as read (GET /v1/predictions/{symbol}): plus whether it is stale, and why. */
export const ServedPredictionSchema = PredictionSchema.extend(StalenessShape).meta({ id: 'ServedPrediction' });
export type ServedPrediction = z.infer<typeof ServedPredictionSchema>;

/** `?horizon=` of the prediction reads: days, default 7. */
export const HorizonQuerySchema = HorizonSchema.default(7);

/** GET /v1/predictions/{symbol}: path and query. */
export const LatestPredictionParamsSchema = z.object({ symbol: SymbolSchema });
export const LatestPredictionQuerySchema = z.object({ horizon: HorizonQuerySchema });

/** GET /v1/predictions?symbols=&horizon=: query and answer. */
export const LatestPredictionsQuerySchema = z.object({ symbols: SymbolListSchema, horizon: HorizonQuerySchema });
export const LatestPredictionsSchema = z.object({ predictions: z.array(ServedPredictionSchema), missing: z.array(z.string()) });

/** What happened after a prediction's horizon: the close-to-close return from asOf to `endDay` (asOf + horizon,
 *  YYYY-MM-DD) in percent, and the class it fell in (null, as `correct`, when the model's thresholds are unknown).
 *  Null until the horizon has passed (or without the candles). */
export const OutcomeSchema = z
  .object({ endDay: z.string(), closeAtAsOf: z.number(), closeAtEnd: z.number(), returnPct: z.number(), class: z.enum(CLASS_NAMES).nullable(), correct: z.boolean().nullable() })
  .nullable()
  .meta({ id: 'RealisedOutcome' });
export type Outcome = z.infer<typeof OutcomeSchema>;

/** GET /v1/predictions/{symbol}/history: query and answer (oldest first). */
export const HistoryQuerySchema = z.object({ horizon: HorizonQuerySchema, from: DaySchema.optional(), to: DaySchema.optional() });
export const HistoryEntrySchema = PredictionSchema.extend({ outcome: OutcomeSchema, ...StalenessShape });
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export const HistorySchema = z.object({ predictions: z.array(HistoryEntrySchema) });

/** A publish batch (POST /v1/predictions, and what `coinsphere publish` writes): 1 to 1000 predictions, all or nothing. */
export const PublishBatchSchema = z
  .object({ predictions: z.array(PredictionSchema).min(1).max(1000) })
  .superRefine(({ predictions }, ctx) => {
    const seen = new Map<string, number>(); // the store's key: (symbol, horizonDays, asOf, modelVersion)
    predictions.forEach((p, i) => {
      const key = `${p.symbol} ${p.horizonDays}d ${p.asOf} ${p.modelVersion}`;
      const first = seen.get(key);
      if (first === undefined) return void seen.set(key, i);
      ctx.addIssue({ code: 'custom', path: ['predictions', i], message: `Duplicate of predictions.${first}: both are ${key} (symbol, horizonDays, asOf, modelVersion); send each key once.` });
    });
  })
  .meta({ id: 'PublishBatch' });
export type PublishBatch = z.infer<typeof PublishBatchSchema>;

/** Rows written and exactly the serving-cache keys that changed. */
export const PublishResultSchema = z
  .object({
    written: z.number().int(),
    changedKeys: z.array(z.string()),
    /** Present when the serving cache could not take the changed keys (Redis down): the batch is stored, but cached
     *  reads show it only once their entries expire. */
    cacheNotWritten: z.object({ backend: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'PublishResult' });
export type PublishResult = z.infer<typeof PublishResultSchema>;

/** The most candles of each list (daily, hourly, market) one POST /v1/predict carries. */
export const MAX_PREDICT_CANDLES = 2000;

/** POST /v1/predict: a window of daily candles (and optionally hourly and market candles) to predict from, each
 *  list consecutive (daily 1 day apart, hourly 1 hour apart) and every candle sane (see CandleSchema). */
export const PredictRequestSchema = z
  .object({
    symbol: SymbolSchema,
    horizonDays: z.number().int().min(1).max(365),
    candles: steppedCandleListSchema(MAX_PREDICT_CANDLES, '1d').refine((cs) => cs.length >= 2, 'Expected at least 2 daily candles.'),
    hourly: steppedCandleListSchema(MAX_PREDICT_CANDLES, '1h').optional().meta({ description: 'Hourly candles of the asset, 1 hour apart, for models whose features read them (change_1h); at least the last day\'s' }),
    market: steppedCandleListSchema(MAX_PREDICT_CANDLES, '1d').optional().meta({ description: 'Daily candles of BTC (the market factor), 1 day apart, for models that read it; default: the server\'s own' }),
    explain: z.boolean().optional().meta({ description: 'true: answer the attributions of the call too ("why this call", as publish stores them); they cost several predictions\' time, so they are off by default' }),
  })
  .meta({ id: 'PredictRequest' });

/** The longest a candle is as JSON.stringify writes it, within CandleSchema's bounds: a 15-digit openTimeMs (at
 *  most MAX_TIME_MS) and seven non-negative numbers of 23 characters (17 significant digits, the point and a
 *  3-digit exponent, e.g. 1.2345678901234567e+300; null is shorter). */
const MAX_CANDLE_JSON_BYTES = (() => {
  const zeros = { openTimeMs: 0, open: 0, high: 0, low: 0, close: 0, baseVolume: 0, quoteVolumeUsd: 0, marketCapUsd: 0 };
  return JSON.stringify(zeros).length + (String(MAX_TIME_MS).length - 1) + 7 * ('1.2345678901234567e+300'.length - 1);
})();

/** The largest body of a valid POST /v1/predict as JSON.stringify writes it (the longest symbol and horizon, three
 *  full lists of the longest candles): the API's body limit, so the schema and the limit cannot disagree. Whitespace
 *  or unknown fields beyond it are refused with 413. */
export const PREDICT_MAX_BODY_BYTES = (() => {
  const list = MAX_PREDICT_CANDLES * MAX_CANDLE_JSON_BYTES + (MAX_PREDICT_CANDLES - 1); // candles and their commas
  const envelope = JSON.stringify({ symbol: 'X'.repeat(15), horizonDays: 365, candles: [], hourly: [], market: [], explain: false }).length;
  return envelope + 3 * list;
})();
export type PredictRequest = z.infer<typeof PredictRequestSchema>;

/** POST /v1/predict's answer. */
export const PredictResultSchema = z
  .object({
    symbol: z.string(),
    horizonDays: z.number().int(),
    asOf: DaySchema.meta({ description: 'UTC day of the newest candle in the request: the date of the data the prediction was computed from' }),
    class: z.enum(CLASS_NAMES),
    probabilities: ProbabilitiesSchema,
    confidence: z.number(),
    signal: SignalSchema,
    band: BandSchema,
    monitoring: MonitoringSchema,
    modelVersion: z.string(),
    placeholders: z.array(z.string()),
    attributions: AttributionsSchema.optional().meta({ description: 'Why this call, when the request asked for it with explain: true' }),
    ...StalenessShape,
  })
  .meta({ id: 'PredictResult' });
export type PredictResult = z.infer<typeof PredictResultSchema>;
