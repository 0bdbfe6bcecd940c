// The database schema (drizzle pg-core), shared by both drivers (node-postgres and PGlite). Tables only:
// no client, no queries, no runtime imports, so drizzle-kit and any reader can load it on its own.
import { sql } from 'drizzle-orm';
import type { RiskComponents, RiskModel, RiskReason } from '@coinsphere/model/core';
import {
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

/** One tradable asset and its ids at external sources (`BTC`, `bitcoin`, `BTCUSDT`). */
export const assets = pgTable('assets', {
  symbol: text('symbol').primaryKey(),
  name: text('name').notNull(),
  coingeckoId: text('coingecko_id'),
  binanceSymbol: text('binance_symbol'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * OHLCV bars. A series is (symbol, interval, source) and is never mixed across sources: volumes differ in scale
 * between Binance-only and all-exchange sources. `open/high/low` are null for price-only sources (CoinGecko).
 * `openTime` is the bar's open in UTC; `quoteVolumeUsd` is USD (USDT counted as USD); `marketCapUsd` null = unknown.
 */
export const candles = pgTable(
  'candles',
  {
    symbol: text('symbol').notNull(),
    interval: text('interval').notNull(), // '1d' | '1h'
    source: text('source').notNull(), // 'coinmarketcap' | 'binance' | 'coingecko' | a generic name
    openTime: timestamp('open_time', { withTimezone: true, mode: 'date' }).notNull(),
    open: doublePrecision('open'),
    high: doublePrecision('high'),
    low: doublePrecision('low'),
    close: doublePrecision('close').notNull(),
    baseVolume: doublePrecision('base_volume'),
    quoteVolumeUsd: doublePrecision('quote_volume_usd'),
    marketCapUsd: doublePrecision('market_cap_usd'),
    ingestedAt: timestamp('ingested_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'candles_pkey', columns: [t.symbol, t.interval, t.source, t.openTime] }),
    // "newest candle of a symbol across sources" and time-range scans without the source prefix.
    index('candles_symbol_interval_open_time_idx').on(t.symbol, t.interval, t.openTime),
  ],
);

/** Status of one training run. */
export const MODEL_RUN_STATUSES = ['running', 'finished', 'failed'] as const;
export type ModelRunStatus = (typeof MODEL_RUN_STATUSES)[number];

/** One training run: its config, data range, per-epoch metrics and where its artifact went. */
export const modelRuns = pgTable(
  'model_runs',
  {
    id: serial('id').primaryKey(),
    symbol: text('symbol').notNull(),
    horizonDays: integer('horizon_days').notNull(),
    engine: text('engine').notNull(),
    backend: text('backend').notNull(),
    status: text('status').$type<ModelRunStatus>().notNull().default('running'),
    config: jsonb('config').$type<Record<string, unknown>>().notNull(),
    dataSource: text('data_source').notNull(),
    dataFrom: timestamp('data_from', { withTimezone: true }),
    dataTo: timestamp('data_to', { withTimezone: true }),
    epochs: jsonb('epochs').$type<Array<Record<string, number>>>().notNull().default(sql`'[]'::jsonb`),
    metrics: jsonb('metrics').$type<Record<string, unknown>>(),
    artifactDir: text('artifact_dir'),
    gitCommit: text('git_commit'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('model_runs_symbol_horizon_idx').on(t.symbol, t.horizonDays)],
);

/** What a registered model covers: one asset, or every asset it is promoted for (symbol 'POOLED'). */
export const MODEL_SCOPES = ['asset', 'pooled'] as const;
export type ModelScope = (typeof MODEL_SCOPES)[number];

/** A registered model version (a candidate until promoted): where its artifact lives, its metrics and metadata. */
export const models = pgTable(
  'models',
  {
    id: serial('id').primaryKey(),
    symbol: text('symbol').notNull(),
    scope: text('scope').$type<ModelScope>().notNull().default('asset'),
    horizonDays: integer('horizon_days').notNull(),
    version: text('version').notNull(),
    /** The artifact folder relative to the artifacts root (`POOLED/7d/<version>`); rows from before that hold an
     *  absolute path, made relative when the CLI opens the database (relocateModels) if it lies under the root. */
    location: text('location').notNull(),
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull(),
    /** sha256 of the artifact's metadata.json as registered (artifactDigest), checked by every loader; null for
     *  rows from before digests until the CLI records it (only for an artifact still equal to `metadata`). */
    digest: text('digest'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('models_symbol_horizon_version_key').on(t.symbol, t.horizonDays, t.version)],
);

/** Class probabilities of one prediction. */
export interface ClassProbabilities {
  bearish: number;
  neutral: number;
  bullish: number;
}

/** One stored prediction for (symbol, horizon, as-of day, model version). */
export const predictions = pgTable(
  'predictions',
  {
    id: serial('id').primaryKey(),
    symbol: text('symbol').notNull(),
    horizonDays: integer('horizon_days').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(), // 'YYYY-MM-DD'
    probabilities: jsonb('probabilities').$type<ClassProbabilities>().notNull(),
    class: text('class').notNull(),
    confidence: doublePrecision('confidence').notNull(),
    modelVersion: text('model_version').notNull(),
    placeholders: jsonb('placeholders').$type<string[]>().notNull().default(sql`'[]'::jsonb`), // feature names
    /** 'none' = "no clear signal": the calibrated top probability was below the model's abstention threshold. */
    signal: text('signal').$type<'clear' | 'none'>().notNull().default('clear'),
    /** The neutral band on the as-of day (returns and prices); null for predictions published before it existed. */
    band: jsonb('band').$type<PredictionBand>(),
    /** Out-of-distribution flag, model age and expiry when computed; null for predictions published before them. */
    monitoring: jsonb('monitoring').$type<PredictionMonitoringRecord>(),
    /** "Why this call": the features' attributions (issue #18); null for predictions published before them. */
    attributions: jsonb('attributions').$type<PredictionAttributionsRecord>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('predictions_symbol_horizon_as_of_version_key').on(t.symbol, t.horizonDays, t.asOf, t.modelVersion)],
);

/** The neutral band of a prediction: bearish below lowerReturn (lowerPrice), bullish above upperReturn. */
export interface PredictionBand {
  lowerReturn: number;
  upperReturn: number;
  lowerPrice: number;
  upperPrice: number;
  closeAtAsOf: number;
}

/** A prediction's monitoring fields (the wire's PredictionMonitoring): the window's distance to the training
 *  windows (null when the model records no training distribution) and the model's age and expiry. */
export interface PredictionMonitoringRecord {
  outOfDistribution: { flag: boolean; distance: number; threshold: number } | null;
  modelAgeDays: number;
  expiryDays: number;
  expiresAt: string;
  expired: boolean;
}

/** A prediction's attributions (the wire's PredictionAttributions): integrated gradients of the called class's
 *  probability per feature, from the training-mean baseline, with the integral's completeness gap. */
export interface PredictionAttributionsRecord {
  method: 'integrated-gradients';
  class: 'bearish' | 'neutral' | 'bullish';
  baseline: 'training-mean';
  steps: number;
  probability: number;
  baselineProbability: number;
  completenessGap: number;
  features: Array<{ name: string; attribution: number; value: number }>;
}

/** What the promotion gate decided for one asset and horizon. */
export const PROMOTION_DECISIONS = ['promoted', 'kept', 'forced'] as const;
export type PromotionDecision = (typeof PROMOTION_DECISIONS)[number];

/**
 * The promotion gate's log: for each candidate model and asset, whether it became the served model of that asset
 * and horizon, and the numbers on the evaluation rows both were scored on. The served model of (symbol, horizon)
 * is the model of its newest 'promoted' or 'forced' row.
 */
export const promotions = pgTable(
  'promotions',
  {
    id: serial('id').primaryKey(),
    symbol: text('symbol').notNull(),
    horizonDays: integer('horizon_days').notNull(),
    modelId: integer('model_id').notNull().references(() => models.id),
    /** The model served before the decision (null when there was none). */
    previousModelId: integer('previous_model_id').references(() => models.id),
    decision: text('decision').$type<PromotionDecision>().notNull(),
    /** Candidate and incumbent on the same rows, and the rule applied. */
    evidence: jsonb('evidence').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('promotions_symbol_horizon_idx').on(t.symbol, t.horizonDays, t.createdAt)],
);

/**
 * One walk-forward evaluation (`coinsphere evaluate`): the symbols and horizons it covered, the options it ran
 * with and its whole result (the report.json object), so the API and the dashboard can show the latest one.
 */
export const evaluations = pgTable(
  'evaluations',
  {
    id: serial('id').primaryKey(),
    symbols: text('symbols').array().notNull(),
    horizons: integer('horizons').array().notNull(),
    config: jsonb('config').$type<Record<string, unknown>>().notNull(),
    report: jsonb('report').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('evaluations_created_at_idx').on(t.createdAt)],
);

/**
 * The Degen Risk Score of one asset on one UTC day (`coinsphere publish` writes it; issue #15): the score 0-100, or
 * no score and the named reason (`reason`, with `reasonMessage` in words) when any input is missing, never both;
 * each component with its value or reason (the risk module's RiskComponents), and the method that computed it.
 */
export const riskScores = pgTable(
  'risk_scores',
  {
    symbol: text('symbol').notNull(),
    day: date('day', { mode: 'string' }).notNull(), // 'YYYY-MM-DD', as predictions.as_of
    score: doublePrecision('score'),
    reason: text('reason').$type<RiskReason>(),
    reasonMessage: text('reason_message'),
    components: jsonb('components').$type<RiskComponents>().notNull(),
    methodVersion: text('method_version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'risk_scores_pkey', columns: [t.symbol, t.day] }),
    // a score or a reason, never both and never neither: no number is stored where an input was missing
    check('risk_scores_score_or_reason', sql`(${t.score} is null) = (${t.reason} is not null) and (${t.reason} is null) = (${t.reasonMessage} is null)`),
    check('risk_scores_score_range', sql`${t.score} between 0 and 100`),
  ],
);

/**
 * The risk model frozen on one UTC day (issue #15; `coinsphere publish` writes one per newest day of an asset): the
 * fits in force that day and the day's liquidity cross-section, and per asset the daily series the panel read (its
 * source and first day), so a client with that series' candles computes the day's score itself.
 */
export const riskModels = pgTable('risk_models', {
  day: date('day', { mode: 'string' }).primaryKey(),
  model: jsonb('model').$type<RiskModel>().notNull(),
  series: jsonb('series').$type<Record<string, { source: string; firstDay: string }>>().notNull(),
  methodVersion: text('method_version').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** What a baseline said for one prediction: class probabilities (one-hot for a rule). */
export type BaselineCalls = Partial<Record<'persistence' | 'majority' | 'momentum' | 'logistic', ClassProbabilities>>;

/**
 * What the commonsense baselines said for a published prediction's asset, horizon and day (issue #16), recorded by
 * publish beside it so the live record compares the model with them on the same days: `persistence` (the class of
 * the last horizon's return under the prediction's band), `majority` (the training split's class shares) and
 * `momentum` (EMA 20 against EMA 50) and `logistic` (the walk-forward's softmax regression fitted on the served model's
 * training rows), each present when it could be computed. Keyed as the prediction. jsonb: a new baseline needs no migration.
 */
export const predictionBaselines = pgTable(
  'prediction_baselines',
  {
    symbol: text('symbol').notNull(),
    horizonDays: integer('horizon_days').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    modelVersion: text('model_version').notNull(),
    baselines: jsonb('baselines').$type<BaselineCalls>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'prediction_baselines_pkey', columns: [t.symbol, t.horizonDays, t.asOf, t.modelVersion] })],
);

/**
 * The realised outcome of a published prediction (issue #16; `coinsphere outcomes` and publish write it once the
 * close at asOf + horizon is stored): the two closes, the return and the class it fell in under the band stored
 * with the prediction. Written once, never updated: resolving again changes nothing.
 */
export const predictionOutcomes = pgTable(
  'prediction_outcomes',
  {
    symbol: text('symbol').notNull(),
    horizonDays: integer('horizon_days').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    modelVersion: text('model_version').notNull(),
    endDay: date('end_day', { mode: 'string' }).notNull(),
    closeAtAsOf: doublePrecision('close_at_as_of').notNull(),
    closeAtEnd: doublePrecision('close_at_end').notNull(),
    realisedClass: text('realised_class').$type<'bearish' | 'neutral' | 'bullish'>().notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'prediction_outcomes_pkey', columns: [t.symbol, t.horizonDays, t.asOf, t.modelVersion] }),
    check('prediction_outcomes_class', sql`${t.realisedClass} in ('bearish', 'neutral', 'bullish')`),
  ],
);

/**
 * The monitoring summary of one asset under the model served for it at one horizon (issue #16; `coinsphere publish`
 * writes it, GET /v1/monitoring serves it): the wire MonitoringSummary of @coinsphere/serving as one jsonb, replaced
 * on each publish.
 */
export const monitoringSummaries = pgTable(
  'monitoring_summaries',
  {
    symbol: text('symbol').notNull(),
    horizonDays: integer('horizon_days').notNull(),
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'monitoring_summaries_pkey', columns: [t.symbol, t.horizonDays] })],
);

/**
 * The outcome of one walk-forward fold job (issue #17), written by whichever worker trained it and read by the
 * `evaluate` that queued it. `key` is a digest of everything that decides the outcome (fold-cache.ts taskKey), so a
 * retried or duplicated job cannot store a second outcome: a later finish only counts itself in `completions`.
 */
export const foldResults = pgTable('fold_results', {
  key: text('key').primaryKey(),
  taskId: text('task_id').notNull(),
  outcome: jsonb('outcome').$type<Record<string, unknown>>().notNull(),
  /** How many times a worker finished training this fold (1 unless a job ran twice to the end). */
  completions: integer('completions').notNull().default(1),
  /** hostname:pid of the worker whose outcome is stored. */
  worker: text('worker').notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
});
