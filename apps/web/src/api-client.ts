// The dashboard's client of the Coinsphere API: typed reads of assets, candles, predictions, history, the latest
// walk-forward evaluation and the artifact files, validated with zod at the boundary. Two kinds of failure are kept apart so the page can say
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
  staleReasons: z.array(z.enum(['data_old', 'store_unreachable'])).optional(),
});
const outcomeSchema = z.object({ endDay: z.string(), returnPct: z.number(), class: direction.nullable(), correct: z.boolean().nullable() }).nullable();
const historySchema = z.object({ predictions: z.array(predictionSchema.extend({ outcome: outcomeSchema })) });
const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

// The evaluation as far as the model card reads it (the plots' inputs, the summary, the targets); the rest of
// what the API sends is dropped here.
const interval = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() });
const reliabilityBin = z.object({ lower: z.number(), upper: z.number(), count: z.number(), meanConfidence: z.number(), accuracy: z.number() });
const predictorSummary = z.object({
  metrics: z.object({ accuracy: z.number(), macroF1: z.number(), logLoss: z.number(), ece: z.number(), reliability: z.array(reliabilityBin), confusion: z.array(z.array(z.number())) }),
  intervals: z.object({ accuracy: interval }),
});
const evaluationSchema = z.object({
  id: z.number(),
  createdAt: z.string(),
  generatedAt: z.string(),
  preset: z.string(),
  config: z.object({ foldDays: z.number(), trading: z.object({ feeBps: z.number(), slippageBps: z.number() }) }),
  data: z.record(z.string(), z.object({ source: z.string(), first: z.string(), last: z.string(), days: z.number() }).nullable()),
  asset: z.object({
    symbol: z.string(),
    horizonDays: z.number(),
    folds: z.array(z.object({ testStart: z.string(), testEnd: z.string(), predictors: z.record(z.string(), z.object({ accuracy: interval })) })),
    overall: z.object({ n: z.number(), reference: z.string(), predictors: z.record(z.string(), predictorSummary), accuracyDifference: z.record(z.string(), interval) }),
    calibration: z.object({ eceUncalibrated: interval, eceCalibrated: interval }),
    trading: z.object({ dayMs: z.array(z.number()), equity: z.record(z.string(), z.array(z.number())) }),
  }),
  targets: z.array(z.object({ metric: z.string(), target: z.string(), measured: z.number(), lower: z.number(), upper: z.number(), pass: z.boolean() })),
});

const gateScore = z.object({ accuracy: z.number(), macroF1: z.number(), brier: z.number(), modelVersion: z.string() });
const gateDecisionsSchema = z.object({
  recorded: z.boolean(),
  decisions: z.array(
    z.object({
      decision: z.enum(['promoted', 'kept', 'forced']),
      decidedAt: z.string(),
      candidateVersion: z.string(),
      candidateScope: z.enum(['asset', 'pooled']),
      previousVersion: z.string().nullable(),
      evidence: z.object({ rows: z.number(), from: z.string(), to: z.string(), reason: z.string(), candidate: gateScore, incumbent: gateScore.nullable() }).partial(),
    }),
  ),
});

export type Asset = z.infer<typeof assetSchema>;
export type GateDecisions = z.infer<typeof gateDecisionsSchema>;
export type ApiPrediction = z.infer<typeof predictionSchema>;
export type HistoryEntry = z.infer<typeof historySchema>['predictions'][number];
export type Evaluation = z.infer<typeof evaluationSchema>;

/** A candle source name the API accepts in ?source= (the same rule as its SourceSchema). */
export const SOURCE_PATTERN = /^[a-z0-9_-]{1,40}$/;

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
  /** Daily candles, oldest first, between two UTC days inclusive ('YYYY-MM-DD'), from `source` (default: the longest history). */
  candles(symbol: string, fromDay: string, toDay: string, source?: string): Promise<Candle[]>;
  /** Hourly candles, oldest first, of the UTC days fromDay..toDay inclusive (at most the API's MAX_HOURLY_DAYS), from the longest hourly history. */
  hourlyCandles(symbol: string, fromDay: string, toDay: string): Promise<Candle[]>;
  /** The cached prediction, or null when the API has none for this symbol and horizon. */
  prediction(symbol: string, horizonDays: number): Promise<ApiPrediction | null>;
  history(symbol: string, horizonDays: number, fromDay: string, toDay: string): Promise<HistoryEntry[]>;
  /** The newest walk-forward evaluation of this asset and horizon, or null when there is none. */
  evaluation(symbol: string, horizonDays: number): Promise<Evaluation | null>;
  /** The promotion gate's decisions for this asset and horizon, newest first (recorded: false on the edge). */
  decisions(symbol: string, horizonDays: number): Promise<GateDecisions>;
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
    candles: async (symbol, fromDay, toDay, source) =>
      (await getJson(`/v1/candles/${enc(symbol)}?from=${fromDay}&to=${toDay}${source ? `&source=${enc(source)}` : ''}`, z.object({ candles: z.array(candleSchema) }))).candles,
    hourlyCandles: async (symbol, fromDay, toDay) => (await getJson(`/v1/candles/${enc(symbol)}?interval=1h&from=${fromDay}&to=${toDay}`, z.object({ candles: z.array(candleSchema) }))).candles,
    prediction: (symbol, horizonDays) => nullOn404(getJson(`/v1/predictions/${enc(symbol)}?horizon=${horizonDays}`, predictionSchema)),
    evaluation: async (symbol, horizonDays) =>
      (await nullOn404(getJson(`/v1/evaluations/${enc(symbol)}/${horizonDays}/latest`, z.object({ evaluation: evaluationSchema }))))?.evaluation ?? null,
    decisions: (symbol, horizonDays) => getJson(`/v1/models/${enc(symbol)}/${horizonDays}/decisions`, gateDecisionsSchema),
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
