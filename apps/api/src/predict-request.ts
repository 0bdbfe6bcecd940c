// POST /v1/predict's body from its text: parsed and checked against the contract's schema with the same 400s the
// route's validator gives, so that the Node entry can do it in a prediction thread instead of on the request loop
// (a 93 KB body costs the loop ~3 ms of JSON.parse, zod and garbage collection). Runtime-neutral: must not import node:*.
import { PredictRequestSchema, type PredictRequest } from '@coinsphere/serving/contract';
import { ApiError, invalidRequest } from './errors.ts';

/** What the request half needs of a request to find its model and market candles (a few bytes across a thread). */
export interface PredictHead {
  symbol: string;
  horizonDays: number;
  /** openTimeMs of the newest daily candle. */
  lastOpenTimeMs: number;
  /** The request brought its own market candles. */
  hasMarket: boolean;
}

/** The validated request of a JSON body. Throws ApiError 400 naming the first problem (as the route's validator). */
export function parsePredictRequest(text: string): PredictRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_request', 'Malformed JSON in request body');
  }
  const checked = PredictRequestSchema.safeParse(value);
  if (!checked.success) throw invalidRequest(checked.error.issues);
  return checked.data;
}

/** The head of a validated request. */
export function headOf(request: PredictRequest): PredictHead {
  return { symbol: request.symbol, horizonDays: request.horizonDays, lastOpenTimeMs: request.candles.at(-1)!.openTimeMs, hasMarket: request.market !== undefined };
}
