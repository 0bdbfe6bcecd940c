// The dashboard's client of the Coinsphere API: typed reads of assets, candles, predictions, history, the latest
// walk-forward evaluation, the risk score and the artifact files, each answer parsed at the boundary with the API's own schema
// (@coinsphere/serving/contract: declared once, for the API, this client and the publisher). Two kinds of failure
// are kept apart so the page can say what to do: the API cannot be reached at all, or it answered with an error.
// The artifact's metadata.json is checked against the registered digest the API sends with it. Browser-safe (fetch
// and Web Crypto only).
import { ARTIFACT_FILES, verifyArtifactDigest, type Candle, type ReadArtifactFile } from '@coinsphere/model/core';
import {
  ARTIFACT_DIGEST_HEADER,
  AssetsSchema,
  CandlesSchema,
  ErrorSchema,
  EvaluationResponseSchema,
  GateDecisionsSchema,
  HistorySchema,
  MonitoringSummarySchema,
  LatestPredictionsSchema,
  OverviewResponseSchema,
  RiskResponseSchema,
  ServedPredictionSchema,
  TrackRecordResponseSchema,
  type Asset,
  type Evaluation,
  type GateDecisions,
  type HistoryEntry,
  type MonitoringSummary,
  type OverviewRowWire,
  type RiskResponse,
  type ServedPrediction,
  type TrackRecordResponse,
} from '@coinsphere/serving/contract';
import type { z } from 'zod';

export type { Asset, Evaluation, GateDecisions, HistoryEntry, RiskResponse, TrackRecordResponse };

/** GET /v1/risk/{symbol}'s answer, or why there is none (a 404: no score stored for the asset, or a server that
 *  holds no risk scores at all); `code` and `message` are the API's. Other failures throw as every read does. */
export type RiskAnswer = { available: true; risk: RiskResponse } | { available: false; code: string; message: string };
/** A prediction as the API serves it (with whether it is stale, and why). */
export type ApiPrediction = ServedPrediction;

/** A candle source name the API accepts in ?source= (the rule of its SourceSchema). */
export { SOURCE_PATTERN } from '@coinsphere/serving/contract';

/** The API could not be reached (network error, CORS, server down). */
export class ApiUnreachableError extends Error {
  override name = 'ApiUnreachableError';
}

/** The API answered with an error status; `code` is its error code (e.g. not_found). */
export class ApiResponseError extends Error {
  override name = 'ApiResponseError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The API answered, but not in the shape this version expects (another server, or another version); `baseUrl` and
 *  `path` say where, for the page to word it. */
export class ApiShapeError extends ApiResponseError {
  override name = 'ApiShapeError';
  constructor(
    message: string,
    status: number,
    readonly baseUrl: string,
    readonly path: string,
  ) {
    super(message, status, 'bad_shape');
  }
}

const BROWSER_FIX = 'Retrain and publish the model (`npx coinsphere train`, then `npx coinsphere publish`, with --edge for a Worker).';

/** Typed reads of one API deployment. */
export interface ApiClient {
  readonly baseUrl: string;
  assets(): Promise<Asset[]>;
  /** Daily candles, oldest first, between two UTC days inclusive ('YYYY-MM-DD'), from `source` (default: the longest history). */
  candles(symbol: string, fromDay: string, toDay: string, source?: string): Promise<Candle[]>;
  /** Hourly candles, oldest first, of the UTC days fromDay..toDay inclusive (at most the API's MAX_HOURLY_DAYS), from the longest hourly history. */
  hourlyCandles(symbol: string, fromDay: string, toDay: string): Promise<Candle[]>;
  /** The cached prediction, or null when the API has none for this symbol and horizon. */
  prediction(symbol: string, horizonDays: number): Promise<ApiPrediction | null>;
  /** The cached predictions of up to 50 symbols in one request (GET /v1/predictions?symbols=); those without one are left out. */
  latestPredictions(symbols: readonly string[], horizonDays: number): Promise<ApiPrediction[]>;
  history(symbol: string, horizonDays: number, fromDay: string, toDay: string): Promise<HistoryEntry[]>;
  /** The newest walk-forward evaluation of this asset and horizon, or null when there is none. */
  evaluation(symbol: string, horizonDays: number): Promise<Evaluation | null>;
  /** The promotion gate's decisions for this asset and horizon, newest first (recorded: false on the edge). */
  decisions(symbol: string, horizonDays: number): Promise<GateDecisions>;
  /** The latest stored risk score with its components, history and inputs, or (on a 404) why there is none. */
  risk(symbol: string): Promise<RiskAnswer>;
  /** The live track record of this asset and horizon (one per model version), or null when nothing was published. */
  trackRecord(symbol: string, horizonDays: number): Promise<TrackRecordResponse | null>;
  /** Every asset's overview row at this horizon in one request (GET /v1/overview): candles of its last 8 days, call, risk, live record. */
  overview(horizonDays: number): Promise<OverviewRowWire[]>;
  /** The monitoring summary of this asset and horizon (model age, expiry, drift per feature), or null before any publish stored one. */
  monitoring(symbol: string, horizonDays: number): Promise<MonitoringSummary | null>;
  /** Reads files of the latest artifact (each fetched once) for loadArtifact; metadata.json is refused unless it
   *  matches the digest the API registered with the model (its ARTIFACT_DIGEST_HEADER). */
  artifactReader(symbol: string, horizonDays: number): ReadArtifactFile;
}

/** A client of the API at `baseUrl` (no trailing slash). */
export function createApiClient(baseUrl: string, fetchFn: typeof fetch = globalThis.fetch.bind(globalThis)): ApiClient {
  async function get(path: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetchFn(`${baseUrl}${path}`);
    } catch (cause) {
      throw new ApiUnreachableError(`Cannot reach the API at ${baseUrl}. Start it with \`npx coinsphere serve\`, or point the dashboard at another one with ?api=<url>.`, { cause });
    }
    if (res.ok) return res;
    const text = await res.text();
    const parsed = ErrorSchema.safeParse(safeJson(text));
    const detail = parsed.success ? parsed.data.error : { code: `http_${res.status}`, message: `${path} answered HTTP ${res.status}.` };
    throw new ApiResponseError(detail.message, res.status, detail.code);
  }
  async function getJson<T extends z.ZodType>(path: string, schema: T): Promise<z.infer<T>> {
    const res = await get(path);
    const result = schema.safeParse(safeJson(await res.text()));
    if (!result.success) throw new ApiShapeError(`${path} answered in an unexpected shape: ${result.error.issues[0]?.message ?? 'invalid'}. Is ${baseUrl} a Coinsphere API of this version?`, res.status, baseUrl, path);
    return result.data;
  }
  const enc = encodeURIComponent;
  return {
    baseUrl,
    assets: async () => (await getJson('/v1/assets', AssetsSchema)).assets,
    candles: async (symbol, fromDay, toDay, source) =>
      (await getJson(`/v1/candles/${enc(symbol)}?from=${fromDay}&to=${toDay}${source ? `&source=${enc(source)}` : ''}`, CandlesSchema)).candles,
    hourlyCandles: async (symbol, fromDay, toDay) => (await getJson(`/v1/candles/${enc(symbol)}?interval=1h&from=${fromDay}&to=${toDay}`, CandlesSchema)).candles,
    prediction: (symbol, horizonDays) => nullOn404(getJson(`/v1/predictions/${enc(symbol)}?horizon=${horizonDays}`, ServedPredictionSchema)),
    latestPredictions: async (symbols, horizonDays) => (symbols.length === 0 ? [] : (await getJson(`/v1/predictions?symbols=${symbols.map(enc).join(',')}&horizon=${horizonDays}`, LatestPredictionsSchema)).predictions),
    overview: async (horizonDays) => (await getJson(`/v1/overview?horizon=${horizonDays}`, OverviewResponseSchema)).rows,
    evaluation: async (symbol, horizonDays) =>
      (await getJson(`/v1/evaluations/${enc(symbol)}/${horizonDays}/latest?missing=empty`, EvaluationResponseSchema)).evaluation,
    decisions: (symbol, horizonDays) => getJson(`/v1/models/${enc(symbol)}/${horizonDays}/decisions`, GateDecisionsSchema),
    risk: (symbol) => getJson(`/v1/risk/${enc(symbol)}`, RiskResponseSchema).then((risk): RiskAnswer => ({ available: true, risk }), riskMissing),
    trackRecord: (symbol, horizonDays) => nullOn404(getJson(`/v1/track-record/${enc(symbol)}?horizon=${horizonDays}`, TrackRecordResponseSchema)),
    monitoring: (symbol, horizonDays) => nullOn404(getJson(`/v1/monitoring/${enc(symbol)}?horizon=${horizonDays}`, MonitoringSummarySchema)),
    history: async (symbol, horizonDays, fromDay, toDay) =>
      (await getJson(`/v1/predictions/${enc(symbol)}/history?horizon=${horizonDays}&from=${fromDay}&to=${toDay}`, HistorySchema)).predictions,
    artifactReader(symbol, horizonDays) {
      const cache = new Map<string, Promise<Uint8Array>>();
      return (name) => {
        let bytes = cache.get(name);
        if (!bytes) {
          bytes = get(`/v1/models/${enc(symbol)}/${horizonDays}/latest/${enc(name)}`).then(async (r) => {
            const data = new Uint8Array(await r.arrayBuffer());
            // metadata.json pins every other file by its sha256; it is pinned by the digest registered with the model.
            if (name === ARTIFACT_FILES.metadata) await verifyArtifactDigest(data, { digest: r.headers.get(ARTIFACT_DIGEST_HEADER) || null, model: `${symbol} ${horizonDays}d`, fix: BROWSER_FIX });
            return data;
          });
          cache.set(name, bytes);
        }
        return bytes;
      };
    },
  };
}

/** A 404 of GET /v1/risk as the answer that there is no score; any other failure rethrown. */
function riskMissing(error: unknown): RiskAnswer {
  if (error instanceof ApiResponseError && error.status === 404) return { available: false, code: error.code, message: error.message };
  throw error;
}

async function nullOn404<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof ApiResponseError && error.status === 404) return null;
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
