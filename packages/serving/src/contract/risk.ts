// The Degen Risk Score on the wire (issue #15): a component's value or the named reason it has none, every
// component of the score, one stored assessment, and GET /v1/risk/{symbol}'s answer (the latest with a 30-day
// history). The reasons, tiers and wording are the risk module's own. Must not import node:*, hono or any runtime
// package.
import { RANGE_ESTIMATORS, RISK_REASONS, SIZE_TIERS, VARIANCE_SOURCES, type RiskModel } from '@coinsphere/model/core';
import { z } from 'zod';
import { DaySchema, SymbolSchema } from './common.ts';

/** Why a component, or the score, has no value (the risk module's RISK_REASONS). */
export const RiskReasonSchema = z.enum(RISK_REASONS).meta({ id: 'RiskReason' });

/** No value, and why: the reason, and the detail in words. */
export const RiskMissingSchema = z
  .object({ ok: z.literal(false), reason: RiskReasonSchema, detail: z.string() })
  .meta({ id: 'RiskMissing', description: 'No value: the reason and, in words, what was missing' });

/** A component's value, or why it has none (the risk module's RiskValue). */
export function riskValueSchema<T extends z.ZodType>(value: T, description: string) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), RiskMissingSchema]).meta({ description });
}

const fraction = z.number().min(0).max(1);
const nonNegative = z.number().nonnegative();

/** The size component: the tier, what it was judged on and the USD figure. */
export const RiskSizeSchema = z
  .object({ tier: z.enum(SIZE_TIERS), basis: z.enum(['market-cap', 'volume']), valueUsd: nonNegative.meta({ description: 'Market cap, or 30-day mean daily volume, USD' }) })
  .meta({ id: 'RiskSize' });

/** Every component of the score, each a value or its reason (the risk module's RiskComponents). */
export const RiskComponentsSchema = z
  .object({
    volatility7d: riskValueSchema(nonNegative, 'Forecast daily volatility over the next 7 days (log-return units; 0.03 is about 3% a day)'),
    volatility30d: riskValueSchema(nonNegative, 'Forecast daily volatility over the next 30 days'),
    drawdown10pct7d: riskValueSchema(fraction, 'Probability the price falls more than 10% below today\'s close within 7 days'),
    drawdown25pct7d: riskValueSchema(fraction, 'Probability of a fall of more than 25% within 7 days'),
    drawdown10pct30d: riskValueSchema(fraction, 'Probability of a fall of more than 10% within 30 days'),
    drawdown25pct30d: riskValueSchema(fraction, 'Probability of a fall of more than 25% within 30 days'),
    amihud: riskValueSchema(nonNegative, 'Amihud illiquidity: 30-day mean absolute log return per $1M traded'),
    amihudPercentile: riskValueSchema(fraction, 'Where amihud ranks among the assets that day (1 = least liquid)'),
    spread: riskValueSchema(nonNegative, 'Estimated bid-ask spread from daily high, low and close, a fraction of price'),
    spreadPercentile: riskValueSchema(fraction, 'Where the spread ranks among the assets that day (1 = widest)'),
    size: riskValueSchema(RiskSizeSchema, 'Size tier: by market cap when known, else by 30-day mean volume'),
    marketCapUsd: riskValueSchema(nonNegative, 'Market cap, USD'),
    ageDays: z.number().int().nonnegative().meta({ description: 'Calendar days since the first candle, today included' }),
    varianceSource: z.enum(VARIANCE_SOURCES).meta({ description: 'Where today\'s variance came from: the daily range, or close-to-close where the source has no high and low' }),
  })
  .meta({ id: 'RiskComponents' });
export type RiskComponentsWire = z.infer<typeof RiskComponentsSchema>;

/** One stored assessment: the score 0-100 (or why there is none) beside its components, on one UTC day. */
export const RiskAssessmentSchema = z
  .object({
    symbol: z.string().regex(/^[A-Z0-9]{1,15}$/),
    day: DaySchema.meta({ description: 'UTC day of the candle the assessment uses' }),
    score: riskValueSchema(z.number().min(0).max(100), '0 (calm) to 100 (wild), or why there is no score'),
    components: RiskComponentsSchema,
    methodVersion: z.string().min(1).max(100),
    createdAt: z.string().datetime().meta({ description: 'When it was computed (ISO 8601, UTC)' }),
  })
  .meta({ id: 'RiskAssessment' });
export type RiskAssessment = z.infer<typeof RiskAssessmentSchema>;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** A fitted HAR of one horizon (the risk module's HarFit). */
const RiskHarFitSchema = z.object({ horizonDays: z.number().int().positive(), logs: z.boolean(), beta: z.array(finite).length(4), residualVariance: nonNegative, nRows: z.number().int().nonnegative() });
/** The Student-t of standardized returns of one horizon (StudentTFit). */
const RiskTailSchema = z.object({ df: z.number().positive(), scale: z.number().positive(), meanLogLik: finite, n: z.number().int().nonnegative() });
/** A Platt map of one drawdown key (PlattFit). */
const RiskPlattSchema = z.object({ a: finite, b: finite, n: z.number().int().nonnegative(), nEvents: z.number().int().nonnegative() });
const perHorizon = <T extends z.ZodType>(s: T) => z.object({ 7: s.nullable(), 30: s.nullable() });

/** The risk model frozen on one day (the risk module's RiskModel): with an asset's candles, its score that day. */
export const RiskModelSchema = z
  .object({
    methodVersion: z.string().min(1).max(100),
    dayMs: z.number().int().meta({ description: 'The UTC day the model answers for, epoch ms' }),
    options: z.object({
      estimator: z.enum(RANGE_ESTIMATORS), refitDays: z.number().int().positive(), lookbackDays: z.number().int().positive(), maxGapShare: fraction,
      minTrainRows: z.number().int().nonnegative(), harLogs: z.union([z.literal('auto'), z.boolean()]), selectUntilMs: z.number().int(), ewmaLambda: fraction,
      simulationPaths: z.number().int().positive().max(1_000_000), seed: z.number().int(), minAssetsForPercentile: z.number().int().positive(), minCalibrationEach: z.number().int().nonnegative(),
    }),
    har: perHorizon(RiskHarFitSchema),
    tail: perHorizon(RiskTailSchema),
    platt: z.object({ '0.1@7': RiskPlattSchema.nullable(), '0.25@7': RiskPlattSchema.nullable(), '0.1@30': RiskPlattSchema.nullable(), '0.25@30': RiskPlattSchema.nullable() }),
    crossSection: z.array(z.object({ symbol: z.string().min(1).max(40), amihud: nonNegative.nullable(), spread: nonNegative.nullable() })).max(10_000),
  })
  .meta({ id: 'RiskModel', description: 'The fits in force on the day and that day\'s liquidity across assets: with the asset\'s daily candles, the score (assessRiskWithModel in @coinsphere/model)' }) satisfies z.ZodType<RiskModel>;

/** The candles a score was computed from: which series, and the day it begins (the age counts from it). */
export const RiskCandlesSchema = z
  .object({ source: z.string().min(1).max(100), firstDay: DaySchema })
  .meta({ id: 'RiskCandles', description: 'The daily series the score was computed from (GET /v1/candles/{symbol}?source=) and its first day' });

/** What a client needs to compute the latest score itself: the model of that day and the series. */
export const RiskInputsSchema = z.object({ model: RiskModelSchema, candles: RiskCandlesSchema }).meta({ id: 'RiskInputs' });
export type RiskInputs = z.infer<typeof RiskInputsSchema>;

/** Days of history GET /v1/risk/{symbol} answers with, counted back from the latest day. */
export const RISK_HISTORY_DAYS = 30;

/** GET /v1/risk/{symbol}: path and answer. */
export const RiskParamsSchema = z.object({ symbol: SymbolSchema });
export const RiskResponseSchema = RiskAssessmentSchema.extend({
  meaning: z.string().meta({ description: 'What the score is: a forecast of how violent the next weeks are likely to be, not a recommendation' }),
  history: z
    .array(z.object({ day: DaySchema, score: z.number().min(0).max(100).nullable(), reason: RiskReasonSchema.nullable() }))
    .meta({ description: `The scores of the last ${RISK_HISTORY_DAYS} days, oldest first (null with its reason where there was none)` }),
  inputs: RiskInputsSchema.nullable().meta({ description: 'The model and series of the latest day, to compute the score from the candles (null when publish stored none)' }),
}).meta({ id: 'RiskResponse' });
export type RiskResponse = z.infer<typeof RiskResponseSchema>;


/** PUT /v1/admin/risk/{symbol} (the edge; publish --edge): an asset's stored assessments and its latest inputs. */
export const AdminRiskParamsSchema = z.object({ symbol: SymbolSchema });
export const AdminRiskBodySchema = z
  .object({
    history: z.array(RiskAssessmentSchema).max(400).meta({ description: 'The asset\'s newest stored assessments, oldest first' }),
    inputs: RiskInputsSchema.nullable().meta({ description: 'The model and series of the newest day; null when the edge does not hold that series\' candles' }),
  })
  .meta({ id: 'AdminRiskBody' });
export type AdminRiskBody = z.infer<typeof AdminRiskBodySchema>;
export const AdminRiskStoredSchema = z.object({ symbol: z.string(), days: z.number().int(), inputs: z.boolean() });
