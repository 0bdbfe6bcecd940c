// The client's risk read: a 404 is a state the page shows (no score stored, or a server without risk scores), not
// an exception; other errors throw as every read does; a body is parsed with the contract's schema.
import { RISK_SCORE_MEANING } from '@coinsphere/model/core';
import type { RiskResponse } from '@coinsphere/serving/contract';
import { describe, expect, it } from 'vitest';
import { ApiResponseError, createApiClient } from './api-client.ts';

const missing = { ok: false as const, reason: 'too-few-assets' as const, detail: 'fewer than 3 assets have a value that day' };
const body: RiskResponse = {
  symbol: 'BTC', day: '2021-07-06', score: missing, methodVersion: 'degen-risk-v1', createdAt: '2021-07-07T00:00:00.000Z',
  components: {
    volatility7d: { ok: true, value: 0.03 }, volatility30d: { ok: true, value: 0.03 },
    drawdown10pct7d: missing, drawdown25pct7d: missing, drawdown10pct30d: missing, drawdown25pct30d: missing,
    amihud: { ok: true, value: 1e-4 }, amihudPercentile: missing, spread: { ok: true, value: 0.002 }, spreadPercentile: missing,
    size: { ok: true, value: { tier: 'large', basis: 'market-cap', valueUsd: 6e11 } }, marketCapUsd: { ok: true, value: 6e11 },
    ageDays: 2991, varianceSource: 'range',
  },
  meaning: RISK_SCORE_MEANING,
  history: [{ day: '2021-07-06', score: null, reason: 'too-few-assets' }],
  inputs: null,
};

/** A client whose fetch answers `status` with `json` for every path, recording the paths. */
function clientAnswering(status: number, json: unknown) {
  const paths: string[] = [];
  const fetchFn = (async (url: string) => (paths.push(url), new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } }))) as typeof fetch;
  return { paths, api: createApiClient('http://api.test', fetchFn) };
}

describe('ApiClient.risk', () => {
  it('parses GET /v1/risk/{symbol} with the contract', async () => {
    const { api, paths } = clientAnswering(200, body);
    expect(await api.risk('BTC')).toEqual({ available: true, risk: body });
    expect(paths).toEqual(['http://api.test/v1/risk/BTC']);
  });

  it('answers a 404 as "no risk score" with the API\'s code and message', async () => {
    const { api } = clientAnswering(404, { error: { code: 'risk_not_published', message: 'This server holds no risk scores.' } });
    expect(await api.risk('BTC')).toEqual({ available: false, code: 'risk_not_published', message: 'This server holds no risk scores.' });
  });

  it('throws on other errors and on a body of another shape', async () => {
    await expect(clientAnswering(503, { error: { code: 'store_unavailable', message: 'retry' } }).api.risk('BTC')).rejects.toThrow(ApiResponseError);
    await expect(clientAnswering(200, { ...body, inputs: undefined }).api.risk('BTC')).rejects.toMatchObject({ code: 'bad_shape' });
  });
});
