// probeOnlineSources against local servers that speak the ping endpoints, one that never answers, and a closed port.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeOnlineSources } from './reachability.ts';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('probeOnlineSources', () => {
  const answering = createServer((req, res) => {
    if (req.url === '/api/v3/ping') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    else res.writeHead(404).end();
  });
  const silent = createServer(() => {}); // accepts, never answers
  let okUrl = '';
  let silentUrl = '';
  let closedUrl = '';
  beforeAll(async () => {
    okUrl = await listen(answering);
    silentUrl = await listen(silent);
    const gone = createServer();
    closedUrl = await listen(gone);
    await new Promise((r) => gone.close(r));
  });
  afterAll(() => {
    answering.close();
    silent.closeAllConnections();
    silent.close();
  });

  it('says which source answers and why the other does not, within the timeout, without throwing', async () => {
    const t0 = Date.now();
    // 1.5 s: the local server answers in a millisecond, but a test run that loads both cores once made it miss 300 ms
    const reach = await probeOnlineSources({ binanceBaseUrl: `${okUrl}/`, coingeckoBaseUrl: silentUrl, timeoutMs: 1500 });
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(reach.binance).toEqual({ ok: true, url: okUrl });
    expect(reach.coingecko).toEqual({ ok: false, url: silentUrl, problem: 'no answer within 1500 ms' });
  });

  it('names a refused connection', async () => {
    const reach = await probeOnlineSources({ binanceBaseUrl: closedUrl, coingeckoBaseUrl: closedUrl, timeoutMs: 300 });
    expect(reach.binance).toMatchObject({ ok: false, problem: expect.stringMatching(/^fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+$/) });
  });
});
