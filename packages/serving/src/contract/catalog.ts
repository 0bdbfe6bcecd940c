// What the API lists and serves besides predictions: health, assets, daily candles, the model registry and its
// artifact files, the latest walk-forward evaluation, and the edge's admin writes. Must not import node:*, hono
// or any runtime package.
import { z } from 'zod';
import { ArtifactFileSchema, candleListSchema, CandleSchema, DaySchema, HorizonSchema, SourceSchema, SymbolSchema, VersionSchema } from './common.ts';

/** GET /v1/health: 200 while the server does its job ('degraded' when the cache runs on its fallback), 503 'degraded'
 *  when the store is unreachable or a model fails to load; each part says what is wrong. */
export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    store: z.object({ kind: z.string(), ok: z.boolean(), detail: z.string().optional() }),
    cache: z.object({ backend: z.string(), ok: z.boolean(), fallbackFrom: z.string().optional(), detail: z.string().optional() }),
    modelCount: z.number().int().nullable(),
    newestPredictionAt: z.string().nullable(),
    /** Where the server runs POST /v1/predict: the models it holds loaded, and those that failed to load and why. */
    models: z
      .object({ ok: z.boolean(), loaded: z.array(z.string()), failed: z.array(z.object({ model: z.string(), message: z.string() })) })
      .optional(),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof HealthSchema>;

/** A symbol with data: its daily candle range (null without candles) and the horizons some model serves it at. */
export const AssetSchema = z
  .object({ symbol: z.string(), firstDay: z.string().nullable(), lastDay: z.string().nullable(), horizons: z.array(z.number().int()) })
  .meta({ id: 'Asset' });
export type Asset = z.infer<typeof AssetSchema>;
export const AssetsSchema = z.object({ assets: z.array(AssetSchema) });

/** GET /v1/candles/{symbol}?from=&to=&source=: path, query and answer (oldest first). */
export const CandlesParamsSchema = z.object({ symbol: SymbolSchema });
/** The longest range of hourly candles one request may ask for (days); the dashboard asks for what its windows read. */
export const MAX_HOURLY_DAYS = 400;
export const CandlesQuerySchema = z.object({
  from: DaySchema.optional(),
  to: DaySchema.optional(),
  source: SourceSchema.optional(),
  interval: z.enum(['1d', '1h']).optional().meta({ description: `1d (default) or 1h: hourly candles of the days from..to, at most ${MAX_HOURLY_DAYS} days` }),
});
export const CandlesSchema = z.object({ symbol: z.string(), candles: z.array(CandleSchema) });

/** What a model covers: one asset, or many at once (a pooled model, symbol POOLED). */
export const ModelScopeSchema = z.enum(['asset', 'pooled']);

/** The digest that pins an artifact as a whole: sha256 (lowercase hex) of its metadata.json. */
export const ArtifactDigestSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (sha256)');

/** The response header of every artifact file: the digest registered with the model served (see ArtifactDigestSchema). */
export const ARTIFACT_DIGEST_HEADER = 'x-artifact-digest';

/** A registered model as GET /v1/models lists it. */
export const ModelSchema = z
  .object({
    symbol: z.string(),
    horizonDays: z.number().int(),
    version: z.string(),
    scope: ModelScopeSchema.meta({ description: 'pooled: one model over many assets (symbol POOLED)' }),
    metrics: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    files: z.string().meta({ description: 'Base URL of the latest artifact files of this symbol and horizon' }),
    digest: ArtifactDigestSchema.nullable().meta({ description: "sha256 of the artifact's metadata.json as registered (it records every other file's sha256); null for a registration from before digests, which no loader uses" }),
  })
  .meta({ id: 'Model' });
export type Model = z.infer<typeof ModelSchema>;
export const ModelsSchema = z.object({ models: z.array(ModelSchema) });

/** A symbol and horizon in a path (`/{symbol}/{horizon}/...`). */
export const SymbolHorizonParamsSchema = z.object({ symbol: SymbolSchema, horizon: HorizonSchema });

/** GET /v1/models/{symbol}/{horizon}/latest/{file}: path. */
export const ArtifactFileParamsSchema = SymbolHorizonParamsSchema.extend({ file: ArtifactFileSchema });

/** One model's numbers on the promotion gate's held-out rows. */
const GateScoreSchema = z.object({ accuracy: z.number(), macroF1: z.number(), brier: z.number(), modelVersion: z.string() }).passthrough();

/** One decision of the promotion gate for an asset and horizon. */
export const GateDecisionSchema = z
  .object({
    decision: z.enum(['promoted', 'kept', 'forced']).meta({ description: 'promoted: the candidate serves; kept: it did not beat the served model, which stays; forced: --promote' }),
    decidedAt: z.string(),
    candidateVersion: z.string(),
    candidateScope: ModelScopeSchema,
    previousVersion: z.string().nullable().meta({ description: 'The model served when the gate ran (null: none)' }),
    evidence: z
      .object({ rows: z.number().int(), from: z.string(), to: z.string(), reason: z.string(), candidate: GateScoreSchema, incumbent: GateScoreSchema.nullable() })
      .partial()
      .passthrough()
      .meta({ description: 'The held-out days both models were scored on, their scores there and the reason in words' }),
  })
  .meta({ id: 'GateDecision' });
export type GateDecision = z.infer<typeof GateDecisionSchema>;
/** GET /v1/models/{symbol}/{horizon}/decisions: newest first; recorded: false where the store does not keep them (the edge). */
export const GateDecisionsSchema = z.object({ recorded: z.boolean(), decisions: z.array(GateDecisionSchema) });
export type GateDecisions = z.infer<typeof GateDecisionsSchema>;

// The evaluation, as far as the dashboard's model card reads it (the plots' inputs, the summary, the targets);
// the API sends the stored result's slice whole, and the fields named here are the ones a reader can count on.
const IntervalSchema = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() });
const ReliabilityBinSchema = z.object({ lower: z.number(), upper: z.number(), count: z.number(), meanConfidence: z.number(), accuracy: z.number() });
const PredictorSummarySchema = z.object({
  metrics: z.object({ accuracy: z.number(), macroF1: z.number(), logLoss: z.number(), ece: z.number(), reliability: z.array(ReliabilityBinSchema), confusion: z.array(z.array(z.number())) }),
  intervals: z.object({ accuracy: IntervalSchema }),
});
/** One asset at one horizon of a walk-forward evaluation: folds, every predictor pooled over them, calibration, trading. */
export const EvaluationAssetSchema = z.object({
  symbol: z.string(),
  horizonDays: z.number(),
  folds: z.array(z.object({ testStart: z.string(), testEnd: z.string(), predictors: z.record(z.string(), z.object({ accuracy: IntervalSchema })) })),
  overall: z.object({ n: z.number(), reference: z.string(), predictors: z.record(z.string(), PredictorSummarySchema), accuracyDifference: z.record(z.string(), IntervalSchema) }),
  calibration: z.object({ eceUncalibrated: IntervalSchema, eceCalibrated: IntervalSchema }),
  trading: z.object({ dayMs: z.array(z.number()), equity: z.record(z.string(), z.array(z.number())) }),
});

/** The walk-forward's permutation importance at one horizon (packages/model evaluation/permutation-importance.ts). */
export const FeatureImportanceSchema = z
  .object({
    method: z.literal('permutation'),
    interval: z.string(),
    rows: z.number(),
    days: z.number(),
    folds: z.number(),
    repeats: z.number(),
    features: z.array(z.object({ name: z.string(), logLoss: IntervalSchema, accuracy: IntervalSchema })),
  })
  .meta({ id: 'FeatureImportance', description: "Each input's permutation importance on every fold's test rows (all assets): the mean rise in log loss and fall in accuracy when its window sequences are shuffled across windows, with 95% block-bootstrap intervals over calendar days; largest first" });

/** GET /v1/evaluations/{symbol}/{horizon}/latest: the newest evaluation covering the asset, cut to it. */
export const EvaluationSchema = z
  .object({
    id: z.number().int(),
    createdAt: z.string(),
    generatedAt: z.string(),
    preset: z.string(),
    symbols: z.array(z.string()),
    horizons: z.array(z.number().int()),
    config: z.object({ foldDays: z.number(), trading: z.object({ feeBps: z.number(), slippageBps: z.number() }) }).meta({ description: 'The options the evaluation ran with' }),
    data: z.record(z.string(), z.object({ source: z.string(), first: z.string(), last: z.string(), days: z.number() }).nullable()).meta({ description: 'Where the candles of this asset came from: source, first, last, days' }),
    asset: EvaluationAssetSchema.meta({ description: 'This asset at this horizon: folds, overall (every predictor with 95% intervals), calibration, trading' }),
    importance: FeatureImportanceSchema.nullable().optional().meta({ description: 'null (or absent) for evaluations run before it was measured' }),
    targets: z.array(z.object({ metric: z.string(), target: z.string(), measured: z.number(), lower: z.number(), upper: z.number(), pass: z.boolean() })).meta({ description: "This asset's rows of the specification's targets table" }),
    notes: z.array(z.string()),
  })
  .meta({ id: 'Evaluation' });
export type Evaluation = z.infer<typeof EvaluationSchema>;
/** `?missing=empty`: where there is no evaluation, answer 200 with `evaluation: null` (a normal state for a page
 *  that shows one when it exists) instead of the default 404. */
export const EvaluationQuerySchema = z.object({
  missing: z.enum(['404', 'empty']).default('404').meta({ description: '404 (default): no evaluation is a 404; empty: a 200 with evaluation null' }),
});
export const EvaluationResponseSchema = z.object({ evaluation: EvaluationSchema.nullable().meta({ description: 'null only with ?missing=empty, where there is none' }) });

/** PUT /v1/admin/artifacts/{symbol}/{horizon}/{version}/{file}: path and answer. */
export const AdminArtifactParamsSchema = SymbolHorizonParamsSchema.extend({ version: VersionSchema, file: ArtifactFileSchema });
export const AdminArtifactStoredSchema = z.object({ stored: z.string(), bytes: z.number().int() });

/** POST /v1/admin/models: one registry entry, as `coinsphere publish --edge` sends it after the model's files. */
export const ModelEntrySchema = z
  .object({
    symbol: SymbolSchema,
    horizonDays: z.number().int().min(1).max(365),
    version: VersionSchema,
    metrics: z.record(z.string(), z.unknown()),
    metadata: z.record(z.string(), z.unknown()),
    digest: ArtifactDigestSchema.meta({ description: "sha256 of the artifact's metadata.json as registered; the edge checks the stored files against it" }),
    createdAt: z.string().datetime({ offset: true }),
    scope: ModelScopeSchema.default('asset'),
    /** The registry id at the publisher (kept so the edge names the same model). */
    id: z.number().int().nonnegative().default(0),
    servedFor: z.array(SymbolSchema).max(1000).optional().meta({ description: 'Symbols the promotion gate serves this model for' }),
  })
  .meta({ id: 'ModelEntry' });
export type ModelEntry = z.input<typeof ModelEntrySchema>;
export const AdminRegisteredSchema = z.object({ registered: z.string() });

/** PUT /v1/admin/candles/{symbol}: path, body (replaces the symbol's daily candles) and answer. */
export const AdminCandlesParamsSchema = z.object({ symbol: SymbolSchema });
export const AdminCandlesQuerySchema = z.object({ interval: z.enum(['1d', '1h']).optional().meta({ description: '1d (default): the daily candles the edge charts; 1h: the hourly candles of models that read change_1h' }) });
export const AdminCandlesBodySchema = z.object({ candles: candleListSchema(20_000) });
export const AdminCandlesStoredSchema = z.object({ symbol: z.string(), candles: z.number().int() });
