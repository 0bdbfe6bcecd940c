// POST /v1/predict's body from its text: parsed and checked against the contract's schema with the same 400s the
// route's validator gives, so that the Node entry can do it in a prediction thread instead of on the request loop
// (a 93 KB body costs the loop ~3 ms of JSON.parse, zod and garbage collection). A body that is valid beyond doubt
// skips zod (acceptedRequest: the contract's rules as plain loops, 20x faster on 400 candles); anything else, every
// error included, goes to the schema, so the 400s are the schema's own. Runtime-neutral: must not import node:*.
import { CANDLE_STEP, HORIZON_MAX_DAYS, HORIZON_MIN_DAYS, MAX_PREDICT_CANDLES, MAX_TIME_MS, MIN_TIME_MS, ohlcProblem, PredictRequestSchema, SYMBOL_PATTERN, type PredictRequest } from '@coinsphere/serving/contract';
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
  const accepted = acceptedRequest(value);
  if (accepted) return accepted;
  const checked = PredictRequestSchema.safeParse(value);
  if (!checked.success) throw invalidRequest(checked.error.issues);
  return checked.data;
}

/** The head of a validated request. */
export function headOf(request: PredictRequest): PredictHead {
  return { symbol: request.symbol, horizonDays: request.horizonDays, lastOpenTimeMs: request.candles.at(-1)!.openTimeMs, hasMarket: request.market !== undefined };
}

type Candle = PredictRequest['candles'][number];

/** The fields of a candle, in CandleSchema's order. */
export const CANDLE_FIELDS = ['openTimeMs', 'open', 'high', 'low', 'close', 'baseVolume', 'quoteVolumeUsd', 'marketCapUsd'] as const;
/** The fields of a request, in PredictRequestSchema's order. */
export const REQUEST_FIELDS = ['symbol', 'horizonDays', 'candles', 'hourly', 'market', 'explain'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrice = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isAmountOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0);

/** True when `c` is a candle CandleSchema passes unchanged: exactly its eight fields, each within its bounds. */
function isPlainCandle(c: unknown): c is Candle {
  if (!isRecord(c)) return false;
  let keys = 0;
  for (const _ in c) keys++;
  if (keys !== CANDLE_FIELDS.length) return false; // an unknown field (which zod drops) or a missing one: the schema decides
  const t = c.openTimeMs;
  if (!(typeof t === 'number' && Number.isSafeInteger(t) && t >= MIN_TIME_MS && t <= MAX_TIME_MS)) return false;
  if (!isPrice(c.close) || !(c.open === null || isPrice(c.open)) || !(c.high === null || isPrice(c.high)) || !(c.low === null || isPrice(c.low))) return false;
  if (!isAmountOrNull(c.baseVolume) || !isAmountOrNull(c.quoteVolumeUsd) || !isAmountOrNull(c.marketCapUsd)) return false;
  return ohlcProblem(c as Candle) === null;
}

/** True when `list` is an array of at least `min` and at most MAX_PREDICT_CANDLES plain candles, each one `stepMs` after the one before. */
function isSteppedList(list: unknown, stepMs: number, min: number): list is Candle[] {
  if (!Array.isArray(list) || list.length < min || list.length > MAX_PREDICT_CANDLES) return false;
  for (let i = 0; i < list.length; i++) {
    const c: unknown = list[i];
    if (!isPlainCandle(c) || (i > 0 && c.openTimeMs - (list[i - 1] as Candle).openTimeMs !== stepMs)) return false;
  }
  return true;
}

/**
 * What PredictRequestSchema.parse(value) returns, for a `value` that the schema passes without dropping or changing
 * anything but the symbol's case; null for any other value (then the schema decides, with its own messages). Holds
 * the parsed candles themselves instead of copies (the same fields and values). predict-request.test.ts checks it
 * against the schema on valid and broken bodies; it must stay a subset of the schema: it never accepts more.
 */
export function acceptedRequest(value: unknown): PredictRequest | null {
  if (!isRecord(value)) return null;
  for (const key in value) if (!(REQUEST_FIELDS as readonly string[]).includes(key)) return null; // zod would drop it
  const { symbol, horizonDays, candles, hourly, market, explain } = value;
  if (typeof symbol !== 'string' || !SYMBOL_PATTERN.test(symbol)) return null;
  if (typeof horizonDays !== 'number' || !Number.isSafeInteger(horizonDays) || horizonDays < HORIZON_MIN_DAYS || horizonDays > HORIZON_MAX_DAYS) return null;
  if (!isSteppedList(candles, CANDLE_STEP['1d'].ms, 2)) return null;
  if ('hourly' in value && !isSteppedList(hourly, CANDLE_STEP['1h'].ms, 0)) return null;
  if ('market' in value && !isSteppedList(market, CANDLE_STEP['1d'].ms, 0)) return null;
  if ('explain' in value && typeof explain !== 'boolean') return null;
  const out: PredictRequest = { symbol: symbol.toUpperCase(), horizonDays, candles };
  if ('hourly' in value) out.hourly = hourly as Candle[];
  if ('market' in value) out.market = market as Candle[];
  if ('explain' in value) out.explain = explain as boolean;
  return out;
}
