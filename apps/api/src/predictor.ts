// The body of POST /v1/predict and the Predictor that answers it. Apart from the route so that AppDeps
// (routes/context.ts) can name the Predictor without importing the route, which imports its context (a cycle).
// Runtime-neutral: must not import node:*.
import { z } from '@hono/zod-openapi';
import type { ModelPrediction } from '@coinsphere/model/core';
import { CandleSchema, SymbolSchema } from './schemas.ts';

const increasing = (cs: Array<{ openTimeMs: number }>) => cs.every((k, i) => i === 0 || k.openTimeMs > cs[i - 1]!.openTimeMs);
const candleList = (max: number) => z.array(CandleSchema).max(max).refine(increasing, 'candles must be in strictly increasing openTimeMs order.');

export const PredictRequestSchema = z
  .object({
    symbol: SymbolSchema.openapi({ example: 'BTC' }),
    horizonDays: z.number().int().min(1).max(365),
    candles: candleList(2000).refine((cs) => cs.length >= 2, 'Expected at least 2 daily candles.'),
    hourly: candleList(2000).optional().openapi({ description: 'Hourly candles of the asset, for models whose features read them (change_1h); at least the last day\'s' }),
    market: candleList(2000).optional().openapi({ description: 'Daily candles of BTC (the market factor) for models that read it; default: the server\'s own' }),
  })
  .openapi('PredictRequest');
export type PredictRequest = z.infer<typeof PredictRequestSchema>;

/** Runs the served model on a validated request (the one inference path). Throws ApiError(404) when no model
 *  serves symbol/horizon and ApiError(400) when the window is too short for the model. */
export type Predictor = (request: PredictRequest) => Promise<ModelPrediction>;
