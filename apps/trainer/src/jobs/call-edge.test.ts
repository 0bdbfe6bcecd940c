// callEdge against a local HTTP server that drops connections the way a loaded workerd can (the socket closed with
// no answer): the edge push of publish must not fail on one dropped connection, and when every try fails it says
// which call, where, and why.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { callEdge, EDGE_TRIES } from './publish-job.ts';

/** A server that destroys the first `drops` requests' sockets and answers the others with their method, path and body. */
async function droppingServer(drops: number): Promise<{ url: string; seen: () => number; server: Server }> {
  let seen = 0;
  const server = createServer((req, res) => {
    seen++;
    if (seen <= drops) {
      req.socket.destroy();
      return;
    }
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, path: req.url, body, auth: req.headers.authorization }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen: () => seen, server };
}

describe('callEdge', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((done) => s.close(done));
  });

  it('tries a call again when the connection is dropped without an answer, with the same body', async () => {
    const edge = await droppingServer(EDGE_TRIES - 1);
    servers.push(edge.server);
    const answer = await callEdge(edge.url, 'tok', 'PUT', '/v1/admin/candles/BTC', JSON.stringify({ candles: [1, 2] }));
    expect(answer).toEqual({ method: 'PUT', path: '/v1/admin/candles/BTC', body: '{"candles":[1,2]}', auth: 'Bearer tok' });
    expect(edge.seen()).toBe(EDGE_TRIES);
  });

  it('after the last dropped try, names the call, the URL and the reason, and the way out', async () => {
    const edge = await droppingServer(EDGE_TRIES);
    servers.push(edge.server);
    await expect(callEdge(edge.url, 'tok', 'POST', '/v1/predictions', '{}')).rejects.toThrow(
      new RegExp(`^Edge publish: POST ${edge.url}/v1/predictions got no answer in ${EDGE_TRIES} tries \\(last: fetch failed: .+\\)\\. Check that the Worker at ${edge.url} is up and reachable, then run publish --edge again`),
    );
    expect(edge.seen()).toBe(EDGE_TRIES);
  });
});
