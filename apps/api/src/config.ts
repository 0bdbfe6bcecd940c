// The API's settings and their defaults: read by env.ts (from the environment) and by app.ts. Apart from app.ts so
// that reading the environment does not load every route. Runtime-neutral: imports only the wire contract and the
// model package's expiry default.
import { DEFAULT_MODEL_EXPIRY_DAYS } from '@coinsphere/model/core';
import { PREDICT_MAX_BODY_BYTES } from '@coinsphere/serving/contract';

/** Settings of the app, validated by env.ts. */
export interface ApiConfig {
  /** Bearer token for writes; null disables writes (they answer 401, never open). */
  apiToken: string | null;
  /** Origins allowed by CORS; empty allows none. `*` allows any. */
  corsOrigins: string[];
  /** Cache entries younger than this are served without asking the store. */
  cacheFreshSeconds: number;
  /** `Cache-Control: max-age` of prediction reads. */
  maxAgeSeconds: number;
  /** Per-client token buckets, one each for reads, /v1/predict and writes (publish, admin); null turns them off. */
  rateLimit: { capacity: number; refillPerSecond: number } | null;
  /** The reverse proxies whose X-Forwarded-For names the client (TRUST_PROXY); null: the socket's peer is the client. */
  trustProxy: TrustProxy;
  /** Largest accepted request body in bytes (POST /v1/predict and /v1/predictions); default: the largest valid predict body. */
  maxBodyBytes: number;
  /** Days after training at which a model expires (MODEL_EXPIRY_DAYS): every served prediction's `monitoring` says
   *  its model's age and expiry under it as of the server's clock, not as of its publish. */
  modelExpiryDays: number;
}

/** Trusted reverse proxies: how many hops sit in front of the server, or their addresses; null: none. */
export type TrustProxy = { hops: number } | { addresses: string[] } | null;

/** Defaults of ApiConfig, each overridable from the environment. */
export const DEFAULT_API_CONFIG: ApiConfig = {
  apiToken: null,
  corsOrigins: [],
  cacheFreshSeconds: 30, // readers see a publish at once (write-through); this bounds staleness of other writers
  maxAgeSeconds: 60,
  rateLimit: { capacity: 120, refillPerSecond: 20 }, // a burst of 120, then 20 requests/s per client
  trustProxy: null, // a header any client can send is never believed unless an operator says which proxies write it
  // POST /v1/predict's largest valid body (3 × 2,000 candles, every number at its longest: ~1.7 MB), from the
  // schema's own limits; a publish batch of 1,000 predictions is well under it
  maxBodyBytes: PREDICT_MAX_BODY_BYTES,
  modelExpiryDays: DEFAULT_MODEL_EXPIRY_DAYS,
};
