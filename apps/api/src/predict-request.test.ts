// parsePredictRequest's fast path (acceptedRequest) against the contract's schema, the reference: whatever it
// accepts the schema accepts with the same result, and every body it leaves to the schema gets the schema's own
// 400. Bodies are valid requests and the same requests broken one field at a time (fast-check).
import { CandleSchema, MAX_TIME_MS, PredictRequestSchema } from '@coinsphere/serving/contract';
import { makeSyntheticCandles, makeSyntheticHourly } from '@coinsphere/model/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError, invalidRequest } from './errors.ts';
import { acceptedRequest, CANDLE_FIELDS, parsePredictRequest, REQUEST_FIELDS } from './predict-request.ts';

const daily = makeSyntheticCandles(40, 3);
const hourly = makeSyntheticHourly(daily.slice(-2), 4);
const valid = { symbol: 'btc', horizonDays: 7, candles: daily, hourly, market: makeSyntheticCandles(40, 5) };

/** What the route's validator answers for `value`: the schema's data, or its first issue as the API's 400. */
function bySchema(value: unknown): { data: unknown } | { error: string } {
  const checked = PredictRequestSchema.safeParse(value);
  return checked.success ? { data: checked.data } : { error: invalidRequest(checked.error.issues).message };
}

/** What parsePredictRequest answers for the JSON of `value`, in the same form. */
function byParse(value: unknown): { data: unknown } | { error: string } {
  try {
    return { data: parsePredictRequest(JSON.stringify(value)) };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    expect(err.status).toBe(400);
    return { error: err.message };
  }
}

/** One field of a request or of one of its candles set to something else, often invalid. */
const breakage = fc.record({
  list: fc.constantFrom('candles', 'hourly', 'market', 'request'),
  index: fc.nat({ max: 39 }),
  field: fc.constantFrom(...CANDLE_FIELDS, ...REQUEST_FIELDS, 'extra', '__proto__'),
  value: fc.oneof(
    fc.constantFrom(null, undefined, 0, -0, -1, 1.5, 1e300, Number.MAX_SAFE_INTEGER + 2, '7', 'BTC', 'b-t-c', [], {}, true),
    fc.double({ noNaN: true }),
    fc.integer({ min: -1, max: 400 }),
  ),
  drop: fc.boolean(),
});

/** `valid` with each of `breaks` applied in turn. */
function broken(breaks: readonly (typeof breakage extends fc.Arbitrary<infer T> ? T : never)[]): unknown {
  const body: Record<string, unknown> = structuredClone(valid);
  for (const b of breaks) {
    const list = body[b.list];
    const target = b.list === 'request' ? body : Array.isArray(list) && list.length > 0 ? (list[b.index % list.length] as Record<string, unknown>) : null;
    if (!target || typeof target !== 'object') continue;
    if (b.drop) delete target[b.field];
    else target[b.field] = b.value;
  }
  return body;
}

describe('parsePredictRequest', () => {
  it('knows every field of the schema: a field added to the contract must be added to the fast path', () => {
    expect(Object.keys(PredictRequestSchema.shape)).toEqual([...REQUEST_FIELDS]);
    expect(Object.keys(CandleSchema.shape)).toEqual([...CANDLE_FIELDS]);
  });

  it('accepts a valid body without the schema, with the schema\'s result (upper-cased symbol, optional lists kept or absent)', () => {
    for (const body of [valid, { ...valid, hourly: undefined, market: undefined }, { symbol: 'Eth2', horizonDays: 365, candles: daily.slice(0, 2) }, { ...valid, hourly: [], market: [] }, { ...valid, explain: true }, { ...valid, explain: false }]) {
      const json = JSON.parse(JSON.stringify(body)) as unknown;
      const fast = acceptedRequest(json);
      expect(fast).not.toBeNull();
      expect(fast).toStrictEqual(PredictRequestSchema.parse(json));
    }
  });

  it('never accepts what the schema refuses, and answers every body as the schema does (fast-check)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(breakage, { minLength: 1, maxLength: 3 }), (breaks) => {
        const body = broken(breaks);
        const json = JSON.parse(JSON.stringify(body)) as unknown; // what the thread parses: no undefined, no -0 kept by stringify
        const fast = acceptedRequest(json);
        const ref = bySchema(json);
        if (fast) {
          accepted++;
          expect(ref).toStrictEqual({ data: fast });
        }
        expect(byParse(body)).toStrictEqual(bySchema(json));
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(0); // some breakages keep the body valid (a positive price, a null volume)
  });

  it('leaves gaps, duplicates, disorder, bad OHLC, unknown fields and too few candles to the schema\'s messages', () => {
    const at = (i: number, patch: object) => ({ ...valid, candles: daily.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
    const cases = [
      at(5, { openTimeMs: daily[5]!.openTimeMs + 3_600_000 }),
      at(5, { openTimeMs: daily[4]!.openTimeMs }),
      at(5, { high: daily[5]!.close / 2 }),
      at(5, { low: daily[5]!.close * 2 }),
      at(5, { volume: 3 }),
      { ...valid, candles: daily.slice(0, 1) },
      { ...valid, candles: [daily[1], daily[0]] },
      { ...valid, hourly: [hourly[0], hourly[2]] },
      { ...valid, extra: true },
      { ...valid, candles: daily.map((c, i) => ({ ...c, openTimeMs: (i - 1) * 86_400_000 })) }, // starts before 1970
      { ...valid, candles: daily.map((c, i) => ({ ...c, openTimeMs: MAX_TIME_MS - (daily.length - 2 - i) * 86_400_000 })) }, // ends after 9999
      at(5, { baseVolume: -1 }),
      at(5, { open: 0 }),
      { ...valid, symbol: 'B TC' },
      { ...valid, horizonDays: 0 },
      [valid],
      null,
    ];
    for (const body of cases) {
      expect(acceptedRequest(JSON.parse(JSON.stringify(body)))).toBeNull();
      expect(byParse(body)).toStrictEqual(bySchema(JSON.parse(JSON.stringify(body))));
    }
    expect(byParse(at(5, { high: daily[5]!.close / 2 }))).toMatchObject({ error: expect.stringMatching(/^candles\.5: Inconsistent candle at openTimeMs/) });
  });
});
