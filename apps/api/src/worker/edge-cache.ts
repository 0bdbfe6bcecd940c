// Stale-while-revalidate for the latest-prediction route through the Workers Cache API: a hit younger than
// max-age is served as is, an older one is served while a refresh runs in waitUntil, a miss goes to the app.
// Publish deletes exactly the entries of the keys it changed. Web Standards only.
import { etagMatches } from '../routes/http.ts';

const LATEST = /^\/v1\/predictions\/([A-Za-z0-9]{1,15})$/;

/** The canonical cache URL of a latest-prediction request, or null for any other request. */
export function edgeCacheKey(url: URL): string | null {
  const m = LATEST.exec(url.pathname);
  if (!m) return null;
  const horizon = url.searchParams.get('horizon') ?? '7';
  if (!/^\d{1,3}$/.test(horizon) || [...url.searchParams.keys()].some((k) => k !== 'horizon')) return null;
  return `https://edge-cache.coinsphere.internal/v1/predictions/${m[1]!.toUpperCase()}?horizon=${Number(horizon)}`;
}

/** Cache URL for a serving-cache key `cs:v1:pred:<SYMBOL>:<h>`. */
export function edgeCacheKeyOfPredictionKey(key: string): string | null {
  const m = /^cs:v1:pred:([A-Z0-9]+):(\d+)$/.exec(key);
  return m ? `https://edge-cache.coinsphere.internal/v1/predictions/${m[1]}?horizon=${m[2]}` : null;
}

/** Serves `request` through `cache` with stale-while-revalidate; `origin` computes a fresh response. */
export async function serveWithSwr(
  cache: Cache,
  key: string,
  request: Request,
  origin: () => Promise<Response>,
  waitUntil: (p: Promise<unknown>) => void,
  maxAgeSeconds: number,
): Promise<Response> {
  const refresh = async (): Promise<Response> => {
    const res = await origin();
    if (res.status === 200 && !res.headers.get('cache-control')?.includes('max-age=5')) {
      const copy = new Response(res.clone().body, res);
      copy.headers.set('x-cached-at', String(Date.now()));
      copy.headers.set('cache-control', `public, max-age=${maxAgeSeconds * 10}`); // the Cache API's own expiry
      waitUntil(cache.put(key, copy));
    }
    return res;
  };
  const hit = await cache.match(key);
  if (!hit) return refresh();
  const ageMs = Date.now() - Number(hit.headers.get('x-cached-at') ?? 0);
  if (ageMs > maxAgeSeconds * 1000) waitUntil(refresh()); // stale: answer now, refresh behind
  const headers = new Headers(hit.headers);
  headers.set('cache-control', `public, max-age=${maxAgeSeconds}`);
  headers.set('x-edge-cache', ageMs > maxAgeSeconds * 1000 ? 'stale' : 'hit');
  headers.delete('x-cached-at');
  if (etagMatches(request.headers.get('if-none-match'), hit.headers.get('etag') ?? '')) return new Response(null, { status: 304, headers });
  return new Response(hit.body, { status: 200, headers });
}
