// The artifact's metadata.json: everything needed to use a model, as a zod schema so that loading validates
// what it reads. Must not import tfjs or anything runtime-specific.
import { z } from 'zod';

import type { PreparedDataset } from './dataset.ts';
import { CLASS_NAMES } from './labels.ts';
import type { ModelConfig } from './lstm-model-config.ts';
import type { TrainingConfig } from './training-config.ts';

/** Bumped whenever a field changes meaning; loadArtifact refuses other versions. */
export const ARTIFACT_SCHEMA_VERSION = 1;

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

/** metadata.json. */
export const artifactMetadataSchema = z.object({
  schemaVersion: z.literal(ARTIFACT_SCHEMA_VERSION),
  /** Unique per artifact, e.g. '2025-01-14T10-00-00Z' or a content hash; shown with every prediction. */
  modelVersion: z.string().min(1),
  symbol: z.string().min(1),
  /** ISO timestamp. */
  createdAt: z.string(),
  featureNames: z.array(z.string()),
  featureStatus: z.record(z.string(), z.enum(['real', 'placeholder', 'missing'])),
  featureCoverage: z.record(z.string(), finite),
  windowBars: positiveInt,
  horizonDays: positiveInt,
  labelThresholds: z.object({ lower: finite, upper: finite }),
  normalizer: z.object({ mean: z.array(finite), std: z.array(finite) }),
  classNames: z.tuple([z.literal('bearish'), z.literal('neutral'), z.literal('bullish')]),
  /** Where the candles came from, e.g. 'kaggle-cryptocurrency-historical-prices' or 'binance'. */
  dataSource: z.string(),
  dataRange: z.object({ first: z.string(), last: z.string(), nDays: z.number().int() }),
  splitDates: z.object({ train: dateRange, val: dateRange, test: dateRange }),
  gapDays: z.number().int().nonnegative(),
  classBalance: z.object({ train: classBalanceSchema, val: classBalanceSchema, test: classBalanceSchema }),
  /** Test (and optionally validation) metrics with baselines; null in a checkpoint saved before evaluation. */
  metrics: z.object({ test: evaluationReportSchema, val: evaluationReportSchema.optional() }).nullable(),
  seed: z.number().int(),
  config: z.object({ model: modelConfigSchema, training: trainingConfigSchema }),
  /** Softmax temperature applied at prediction; 1 leaves the probabilities as trained. */
  temperature: z.number().positive().default(1),
  /** Free-form details of the run (backend, git commit, durations); not interpreted when loading. */
  run: z.record(z.string(), z.unknown()).optional(),
  /** sha256 (hex) of model.json and of every weight file, by file name. Filled in by saveArtifact. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});

/** Parsed metadata (temperature filled in). */
export type ArtifactMetadata = z.infer<typeof artifactMetadataSchema>;
/** What saveArtifact takes: everything but the file hashes; temperature optional (default 1). */
export type ArtifactMetadataInput = Omit<z.input<typeof artifactMetadataSchema>, 'files'>;

/** Validates unknown JSON as metadata; throws one error listing each bad field by its path. */
export function parseArtifactMetadata(json: unknown, where = 'metadata.json'): ArtifactMetadata {
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== ARTIFACT_SCHEMA_VERSION) {
    throw new Error(`${where} has schemaVersion ${JSON.stringify(version)}; this code reads version ${ARTIFACT_SCHEMA_VERSION}.`);
  }
  const result = artifactMetadataSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${where} is invalid: ${issues}`);
  }
  return result.data;
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
}

/** Metadata for saveArtifact from the prepared dataset (features, thresholds, normaliser, splits) and run details. */
export function metadataFromDataset(ds: PreparedDataset, d: MetadataDetails): ArtifactMetadataInput {
  return {
    schemaVersion: ARTIFACT_SCHEMA_VERSION,
    modelVersion: d.modelVersion,
    symbol: d.symbol,
    createdAt: d.createdAt ?? new Date().toISOString(),
    featureNames: [...ds.featureNames],
    featureStatus: ds.featureStatus,
    featureCoverage: ds.featureCoverage,
    windowBars: ds.windowBars,
    horizonDays: ds.horizonDays,
    labelThresholds: ds.thresholds,
    normalizer: ds.normalizer,
    classNames: [...CLASS_NAMES],
    dataSource: d.dataSource,
    dataRange: ds.dataRange,
    splitDates: ds.splitDates,
    gapDays: ds.gapDays,
    classBalance: ds.classBalance,
    metrics: d.metrics,
    seed: d.trainingConfig.seed,
    config: { model: { ...d.modelConfig, lstmUnits: [...d.modelConfig.lstmUnits] }, training: d.trainingConfig },
    temperature: d.temperature ?? 1,
    run: d.run,
  };
}
