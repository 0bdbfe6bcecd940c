// The dashboard's client of the Coinsphere API: typed reads of assets, candles, predictions, history and the
// artifact files, validated with zod at the boundary. Two kinds of failure are kept apart so the page can say
// what to do: the API cannot be reached at all, or it answered with an error. Browser-safe (fetch only).
import type { Candle, ReadArtifactFile } from '@coinsphere/model';
import { z } from 'zod';

const probabilities = z.object({ bearish: z.number(), neutral: z.number(), bullish: z.number() });
const direction = z.enum(['bearish', 'neutral', 'bullish']);

const assetSchema = z.object({ symbol: z.string(), firstDay: z.string().nullable(), lastDay: z.string().nullable(), horizons: z.array(z.number().int()) });
const candleSchema = z.object({
  openTimeMs: z.number(),
  open: z.number().nullable(),
  high: z.number().nullable(),
  low: z.number().nullable(),
  close: z.number(),
  baseVolume: z.number().nullable(),
  quoteVolumeUsd: z.number().nullable(),
  marketCapUsd: z.number().nullable(),
});
const predictionSchema = z.object({
  symbol: z.string(),
  horizonDays: z.number().int(),
  asOf: z.string(),
  class: direction,
  probabilities,
  confidence: z.number(),
  modelVersion: z.string(),
  placeholders: z.array(z.string()),
  createdAt: z.string(),
  stale: z.boolean().optional(),
});
const outcomeSchema = z.object({ endDay: z.string(), returnPct: z.number(), class: direction.nullable(), correct: z.boolean().nullable() }).nullable();
const historySchema = z.object({ predictions: z.array(predictionSchema.extend({ outcome: outcomeSchema })) });
const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type Asset = z.infer<typeof assetSchema>;
export type ApiPrediction = z.infer<typeof predictionSchema>;
export type HistoryEntry = z.infer<typeof historySchema>['predictions'][number];

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

/** Typed reads of one API deployment. */
export interface ApiClient {
  readonly baseUrl: string;
  assets(): Promise<Asset[]>;
  /** Daily candles, oldest first, between two UTC days inclusive ('YYYY-MM-DD'). */
  candles(symbol: string, fromDay: string, toDay: string): Promise<Candle[]>;
  /** The cached prediction, or null when the API has none for this symbol and horizon. */
  prediction(symbol: string, horizonDays: number): Promise<ApiPrediction | null>;
  history(symbol: string, horizonDays: number, fromDay: string, toDay: string): Promise<HistoryEntry[]>;
  /** Reads files of the latest artifact (each fetched once) for loadArtifact. */
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
    const parsed = errorBody.safeParse(safeJson(text));
    const detail = parsed.success ? parsed.data.error : { code: `http_${res.status}`, message: `${path} answered HTTP ${res.status}.` };
    throw new ApiResponseError(detail.message, res.status, detail.code);
  }
  async function getJson<T extends z.ZodType>(path: string, schema: T): Promise<z.infer<T>> {
    const res = await get(path);
    const result = schema.safeParse(safeJson(await res.text()));
    if (!result.success) throw new ApiResponseError(`${path} answered in an unexpected shape: ${result.error.issues[0]?.message ?? 'invalid'}. Is ${baseUrl} a Coinsphere API of this version?`, res.status, 'bad_shape');
    return result.data;
  }
  const enc = encodeURIComponent;
  return {
    baseUrl,
    assets: async () => (await getJson('/v1/assets', z.object({ assets: z.array(assetSchema) }))).assets,
    candles: async (symbol, fromDay, toDay) =>
      (await getJson(`/v1/candles/${enc(symbol)}?from=${fromDay}&to=${toDay}`, z.object({ candles: z.array(candleSchema) }))).candles,
    prediction: async (symbol, horizonDays) => {
      try {
        return await getJson(`/v1/predictions/${enc(symbol)}?horizon=${horizonDays}`, predictionSchema);
      } catch (error) {
        if (error instanceof ApiResponseError && error.status === 404) return null;
        throw error;
      }
    },
    history: async (symbol, horizonDays, fromDay, toDay) =>
      (await getJson(`/v1/predictions/${enc(symbol)}/history?horizon=${horizonDays}&from=${fromDay}&to=${toDay}`, historySchema)).predictions,
    artifactReader(symbol, horizonDays) {
      const cache = new Map<string, Promise<Uint8Array>>();
      return (name) => {
        let bytes = cache.get(name);
        if (!bytes) {
          bytes = get(`/v1/models/${enc(symbol)}/${horizonDays}/latest/${enc(name)}`).then(async (r) => new Uint8Array(await r.arrayBuffer()));
          cache.set(name, bytes);
        }
        return bytes;
      };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
