// The artifact's metadata.json: everything needed to use a model, as a zod schema so that loading validates what
// it reads. One format for a model of one asset (the specification's) and for a pooled model over many assets,
// possibly an ensemble of several networks. Must not import tfjs or anything runtime-specific.
import { z } from 'zod';

import type { PreparedDataset } from './dataset.ts';
import { FEATURE_SET_NAMES, type FeatureSetName } from './feature-sets.ts';
import { CLASS_NAMES, type LabelRule } from './labels.ts';
import type { ModelConfig } from './lstm-model-config.ts';
import type { Normalizer } from './normalizer.ts';
import type { TrainingConfig } from './training-config.ts';
import { fitTrainingDistribution, trainingDistributionSchema } from './training-distribution.ts';

/** Bumped whenever a field changes meaning; loading refuses other versions. 2: pooled models and ensembles. */
export const ARTIFACT_SCHEMA_VERSION = 2;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positiveInt = z.number().int().positive();
const dateRange = z.object({ start: z.string(), end: z.string() });
const classRecord = <T extends z.ZodType>(t: T) => z.object({ bearish: t, neutral: t, bullish: t });

const classificationMetricsSchema = z.object({
  n: z.number().int().nonnegative(),
  accuracy: finite,
  macroF1: finite,
  perClass: classRecord(z.object({ precision: finite, recall: finite, f1: finite, support: z.number().int() })),
  confusion: z.array(z.array(z.number().int())),
  logLoss: finite,
  brier: finite,
  ece: finite,
  reliability: z.array(
    z.object({ lower: finite, upper: finite, count: z.number().int(), meanConfidence: finite, accuracy: finite }),
  ),
});

/** The model beside its baselines on the same rows (EvaluationReport). */
export const evaluationReportSchema = z.object({
  n: z.number().int().nonnegative(),
  model: classificationMetricsSchema,
  majority: classificationMetricsSchema,
  persistence: classificationMetricsSchema,
});

const classBalanceSchema = z.object({
  n: z.number().int().nonnegative(),
  counts: classRecord(z.number().int()),
  shares: classRecord(finite),
});

const modelConfigSchema = z.object({
  windowBars: positiveInt,
  nFeatures: positiveInt,
  lstmUnits: z.tuple([positiveInt, positiveInt, positiveInt]),
  denseUnits: positiveInt,
  nClasses: positiveInt,
  dropout: z.number().min(0).max(1),
});

const trainingConfigSchema = z.object({
  learningRate: finite,
  batchSize: positiveInt,
  epochs: positiveInt,
  patience: positiveInt,
  weightDecay: finite,
  seed: z.number().int(),
  beta1: finite,
  beta2: finite,
  epsilon: finite,
  samplesPerEpoch: z.number().int().nonnegative().default(0),
});

const bandSchema = z.object({ lower: finite, upper: finite });
const normalizerSchema = z.object({ mean: z.array(finite), std: z.array(finite) });

/** How classes are drawn: a fixed band per asset (the specification's) or one volatility-scaled rule. */
const labelsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('fixed'),
    /** The band of each trained asset, simple returns. */
    bySymbol: z.record(z.string(), bandSchema),
    /** For an asset the model never saw: the band fitted on all training returns pooled. */
    fallback: bandSchema,
  }),
  z.object({ kind: z.literal('volatility'), k: z.number().positive(), volSpanDays: positiveInt }),
]);

/** How inputs are z-scored: with each asset's own training statistics, or with one normaliser for all. */
const normalizationSchema = z.discriminatedUnion('kind', [
  /** An asset not in bySymbol is normalised with its own history up to the prediction day. */
  z.object({ kind: z.literal('asset'), bySymbol: z.record(z.string(), normalizerSchema) }),
  z.object({ kind: z.literal('global'), normalizer: normalizerSchema }),
]);

/** One network of the ensemble: its model.json and the weight files that model.json lists. */
const memberSchema = z.object({ model: z.string().min(1), weights: z.array(z.string().min(1)).min(1), seed: z.number().int() });

/** metadata.json. */
export const artifactMetadataSchema = z.object({
  schemaVersion: z.literal(ARTIFACT_SCHEMA_VERSION),
  /** Unique per artifact, e.g. '20250114T100000Z'; shown with every prediction. */
  modelVersion: z.string().min(1),
  /** 'asset': trained on one asset's history; 'pooled': one model over every asset in `symbols`. */
  scope: z.enum(['asset', 'pooled']),
  /** The trained asset, or 'POOLED'. */
  symbol: z.string().min(1),
  /** The assets whose candles trained it. */
  symbols: z.array(z.string().min(1)).min(1),
  /** ISO timestamp. */
  createdAt: z.string(),
  featureSet: z.enum(FEATURE_SET_NAMES),
  featureNames: z.array(z.string()),
  featureStatus: z.record(z.string(), z.enum(['real', 'placeholder', 'missing'])),
  featureCoverage: z.record(z.string(), finite),
  windowBars: positiveInt,
  horizonDays: positiveInt,
  labels: labelsSchema,
  normalization: normalizationSchema,
  classNames: z.tuple([z.literal('bearish'), z.literal('neutral'), z.literal('bullish')]),
  /** Where each trained asset's candles came from, e.g. { BTC: 'binance' }. */
  dataSources: z.record(z.string(), z.string()),
  dataRange: z.object({ first: z.string(), last: z.string(), nDays: z.number().int() }),
  splitDates: z.object({ train: dateRange, val: dateRange, test: dateRange.optional() }),
  gapDays: z.number().int().nonnegative(),
  classBalance: z.object({ train: classBalanceSchema, val: classBalanceSchema, test: classBalanceSchema.optional() }).optional(),
  /** Test (and optionally validation) metrics with baselines; null when the run kept no test part. */
  metrics: z.object({ test: evaluationReportSchema.optional(), val: evaluationReportSchema.optional() }).nullable(),
  config: z.object({ model: modelConfigSchema, training: trainingConfigSchema }),
  /** Softmax temperature applied to the ensemble's mean probabilities; 1 leaves them as trained. */
  temperature: z.number().positive().default(1),
  /** Calibrated top probability below which a prediction is "no clear signal"; 0 = always speaks. */
  abstainBelow: z.number().min(0).max(1).default(0),
  members: z.array(memberSchema).min(1),
  /** The normalised training inputs' distribution (drift and the out-of-distribution flag); absent in artifacts
   *  trained before it was recorded, which then report "no training distribution recorded". */
  trainingDistribution: trainingDistributionSchema.optional(),
  /** Free-form details of the run (backend, git commit, durations); not interpreted when loading. */
  run: z.record(z.string(), z.unknown()).optional(),
  /** sha256 (hex) of every other file of the artifact, by file name. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});

/** Parsed metadata (defaults filled in). */
export type ArtifactMetadata = z.infer<typeof artifactMetadataSchema>;
/** What an artifact writer takes: everything but the members and file hashes, which it fills in. */
export type ArtifactMetadataInput = Omit<z.input<typeof artifactMetadataSchema>, 'files' | 'members'>;
export type ArtifactLabels = ArtifactMetadata['labels'];
export type ArtifactNormalization = ArtifactMetadata['normalization'];

/** Validates unknown JSON as metadata; throws one error listing each bad field by its path. */
export function parseArtifactMetadata(json: unknown, where = 'metadata.json'): ArtifactMetadata {
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== ARTIFACT_SCHEMA_VERSION) {
    throw new Error(`${where} has schemaVersion ${JSON.stringify(version)}; this code reads version ${ARTIFACT_SCHEMA_VERSION}. Retrain the model with this version (coinsphere train).`);
  }
  const result = artifactMetadataSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${where} is invalid: ${issues}`);
  }
  return result.data;
}

/** The label rule of `symbol` under an artifact's labels (an unseen asset takes the fallback band). */
export function labelRuleFor(labels: ArtifactLabels, symbol: string): LabelRule {
  if (labels.kind === 'volatility') return labels;
  const band = labels.bySymbol[symbol] ?? labels.fallback;
  return { kind: 'fixed', lower: band.lower, upper: band.upper };
}

/** What metadataFromDataset needs besides the dataset. */
export interface MetadataDetails {
  symbol: string;
  modelVersion: string;
  dataSource: string;
  modelConfig: ModelConfig;
  trainingConfig: TrainingConfig;
  metrics: ArtifactMetadataInput['metrics'];
  temperature?: number;
  run?: Record<string, unknown>;
  /** Defaults to now. */
  createdAt?: string;
  featureSet?: FeatureSetName;
}

/** Metadata of a one-asset model (the specification's) from its prepared dataset and run details. */
export function metadataFromDataset(ds: PreparedDataset, d: MetadataDetails): ArtifactMetadataInput {
  const normalizer: Normalizer = ds.normalizer;
  return {
    schemaVersion: ARTIFACT_SCHEMA_VERSION,
    modelVersion: d.modelVersion,
    scope: 'asset',
    symbol: d.symbol,
    symbols: [d.symbol],
    createdAt: d.createdAt ?? new Date().toISOString(),
    featureSet: d.featureSet ?? 'spec',
    featureNames: [...ds.featureNames],
    featureStatus: ds.featureStatus,
    featureCoverage: ds.featureCoverage,
    windowBars: ds.windowBars,
    horizonDays: ds.horizonDays,
    labels: { kind: 'fixed', bySymbol: { [d.symbol]: ds.thresholds }, fallback: ds.thresholds },
    normalization: { kind: 'asset', bySymbol: { [d.symbol]: normalizer } },
    classNames: [...CLASS_NAMES],
    dataSources: { [d.symbol]: d.dataSource },
    dataRange: ds.dataRange,
    splitDates: ds.splitDates,
    gapDays: ds.gapDays,
    classBalance: ds.classBalance,
    metrics: d.metrics,
    config: { model: { ...d.modelConfig, lstmUnits: [...d.modelConfig.lstmUnits] }, training: d.trainingConfig },
    temperature: d.temperature ?? 1,
    trainingDistribution: fitTrainingDistribution(ds.train.x, ds.train.n, ds.windowBars, ds.featureNames),
    run: d.run,
  };
}

/** What metadataFromPooledFold needs besides the fold. */
export interface PooledMetadataDetails {
  modelVersion: string;
  featureSet: FeatureSetName;
  featureNames: readonly string[];
  /** Feature status over every trained asset's rows (a feature is 'real' when most assets have it). */
  featureStatus: Record<string, 'real' | 'placeholder' | 'missing'>;
  featureCoverage: Record<string, number>;
  windowBars: number;
  horizonDays: number;
  dataSources: Record<string, string>;
  dataRange: { first: string; last: string; nDays: number };
  splitDates: { train: { start: string; end: string }; val: { start: string; end: string }; test?: { start: string; end: string } };
  gapDays: number;
  modelConfig: ModelConfig;
  trainingConfig: TrainingConfig;
  temperature: number;
  abstainBelow: number;
  metrics: ArtifactMetadataInput['metrics'];
  run?: Record<string, unknown>;
  createdAt?: string;
}

/** Metadata of a pooled model from its fold's fitted rules and normalisers (PooledFold's fields). */
export function metadataFromPooledFold(
  fold: { symbols: string[]; rules: LabelRule[]; normalizers: Normalizer[]; pooledRule: LabelRule; trainedNormalizer: boolean[]; train: { x: Float32Array; n: number; asset: Int32Array } },
  normalization: 'asset' | 'global',
  d: PooledMetadataDetails,
): ArtifactMetadataInput {
  const trained = fold.symbols.filter((_, a) => fold.trainedNormalizer[a]);
  const labels: ArtifactLabels =
    fold.pooledRule.kind === 'volatility'
      ? fold.pooledRule
      : {
          kind: 'fixed',
          bySymbol: Object.fromEntries(fold.symbols.map((s, a) => [s, fold.rules[a] as { lower: number; upper: number }])),
          fallback: { lower: fold.pooledRule.lower, upper: fold.pooledRule.upper },
        };
  return {
    schemaVersion: ARTIFACT_SCHEMA_VERSION,
    modelVersion: d.modelVersion,
    scope: 'pooled',
    symbol: POOLED_SYMBOL,
    symbols: [...fold.symbols],
    createdAt: d.createdAt ?? new Date().toISOString(),
    featureSet: d.featureSet,
    featureNames: [...d.featureNames],
    featureStatus: d.featureStatus,
    featureCoverage: d.featureCoverage,
    windowBars: d.windowBars,
    horizonDays: d.horizonDays,
    labels,
    normalization: normalization === 'global'
      ? { kind: 'global', normalizer: fold.normalizers[0]! }
      : { kind: 'asset', bySymbol: Object.fromEntries(trained.map((s) => [s, fold.normalizers[fold.symbols.indexOf(s)]!])) },
    classNames: [...CLASS_NAMES],
    dataSources: d.dataSources,
    dataRange: d.dataRange,
    splitDates: d.splitDates,
    gapDays: d.gapDays,
    metrics: d.metrics,
    config: { model: { ...d.modelConfig, lstmUnits: [...d.modelConfig.lstmUnits] }, training: d.trainingConfig },
    temperature: d.temperature,
    abstainBelow: d.abstainBelow,
    trainingDistribution: fitTrainingDistribution(fold.train.x, fold.train.n, d.windowBars, d.featureNames, { symbols: fold.symbols, asset: fold.train.asset }),
    run: d.run,
  };
}

/** The registry symbol of a pooled model: it serves every asset it has been promoted for. */
export const POOLED_SYMBOL = 'POOLED';
