// The Degen Risk Score on the wire (issue #15): a component's value or the named reason it has none, every
// component of the score, one stored assessment, and GET /v1/risk/{symbol}'s answer (the latest with a 30-day
// history). The reasons, tiers and wording are the risk module's own. Must not import node:*, hono or any runtime
// package.
import { RISK_REASONS, SIZE_TIERS, VARIANCE_SOURCES } from '@coinsphere/model/core';
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

/** Days of history GET /v1/risk/{symbol} answers with, counted back from the latest day. */
export const RISK_HISTORY_DAYS = 30;

/** GET /v1/risk/{symbol}: path and answer. */
export const RiskParamsSchema = z.object({ symbol: SymbolSchema });
export const RiskResponseSchema = RiskAssessmentSchema.extend({
  meaning: z.string().meta({ description: 'What the score is: a forecast of how violent the next weeks are likely to be, not a recommendation' }),
  history: z
    .array(z.object({ day: DaySchema, score: z.number().min(0).max(100).nullable(), reason: RiskReasonSchema.nullable() }))
    .meta({ description: `The scores of the last ${RISK_HISTORY_DAYS} days, oldest first (null with its reason where there was none)` }),
}).meta({ id: 'RiskResponse' });
export type RiskResponse = z.infer<typeof RiskResponseSchema>;
