// The live track record on the wire (issue #16): GET /v1/track-record/{symbol}?horizon= and what publish --edge
// pushes to PUT /v1/admin/track-record/{symbol}. Live figures only: how published predictions fared once their
// horizon passed, beside the baselines recorded with them on the same days. Backtest (walk-forward) figures are
// the evaluation routes'; the two are never mixed. Must not import node:*, hono or any runtime package.
import { z } from 'zod';
import { DaySchema, HorizonSchema, SymbolSchema } from './common.ts';

/** The windows of the record: the last 30, 90 and 365 days up to the newest resolved prediction, and all of it. */
export const TRACK_RECORD_WINDOWS = ['30d', '90d', '365d', 'live'] as const;
export type TrackRecordWindowName = (typeof TRACK_RECORD_WINDOWS)[number];

/** The baselines publish records beside each prediction; logistic: the walk-forward's softmax regression, fitted on
 *  the served model's training rows (recorded since it was added; null in a window with older predictions). */
export const TRACK_RECORD_BASELINES = ['persistence', 'majority', 'momentum', 'logistic'] as const;
export type TrackRecordBaseline = (typeof TRACK_RECORD_BASELINES)[number];

/** A point estimate with its 95% moving-block bootstrap interval (blocks of the horizon's length in days). */
export const EstimateSchema = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() }).meta({ id: 'Estimate' });

/** One bin of the reliability table: predictions whose top probability fell in [lower, upper). */
export const ReliabilityBinSchema = z
  .object({ lower: z.number(), upper: z.number(), count: z.number().int(), meanConfidence: z.number(), accuracy: z.number() })
  .meta({ id: 'ReliabilityBin' });

/** One predictor's figures on a window's resolved predictions. */
export const TrackFiguresSchema = z
  .object({
    accuracy: EstimateSchema.meta({ description: 'Share of predictions whose class came true' }),
    macroF1: EstimateSchema,
    brier: EstimateSchema.meta({ description: 'Mean squared error of the three probabilities; 0 is perfect, 2 the worst' }),
    reliability: z.array(ReliabilityBinSchema),
  })
  .meta({ id: 'TrackFigures' });
export type TrackFigures = z.infer<typeof TrackFiguresSchema>;

/** The model and its baselines on the same resolved predictions of one window. */
export const TrackWindowSchema = z
  .object({
    window: z.enum(TRACK_RECORD_WINDOWS),
    fromDay: DaySchema.nullable().meta({ description: 'asOf of the oldest resolved prediction counted (null when none)' }),
    toDay: DaySchema.nullable(),
    resolved: z.number().int().meta({ description: 'Resolved predictions counted (those with baselines recorded)' }),
    chanceAccuracy: z.number().meta({ description: 'A blind guess among three classes: right a third of the time' }),
    model: TrackFiguresSchema.nullable(),
    baselines: z
      .object({
        persistence: TrackFiguresSchema.nullable(),
        majority: TrackFiguresSchema.nullable(),
        momentum: TrackFiguresSchema.nullable(),
        logistic: TrackFiguresSchema.nullable().default(null).meta({ description: "Softmax regression on the last day's features, fitted on the served model's training rows; absent in records pushed before it was recorded" }),
      })
      .meta({ description: 'Each baseline on the same predictions; null when it was not recorded for every one of them' }),
  })
  .meta({ id: 'TrackWindow' });
export type TrackWindow = z.infer<typeof TrackWindowSchema>;

/** One resolved prediction counted in the record: its as-of day, whether its class came true, and whether each
 *  baseline recorded with it did (absent: not recorded). What the dashboard's hit/miss chart draws. */
export const TrackDaySchema = z
  .object({
    asOf: DaySchema,
    hit: z.boolean(),
    baselineHits: z.object({ persistence: z.boolean().optional(), majority: z.boolean().optional(), momentum: z.boolean().optional(), logistic: z.boolean().optional() }),
  })
  .meta({ id: 'TrackDay' });
export type TrackDay = z.infer<typeof TrackDaySchema>;

/** The live record of one model version for one asset and horizon. */
export const TrackRecordSchema = z
  .object({
    kind: z.literal('live').meta({ description: 'Live: published predictions against what happened, never walk-forward (backtest) figures' }),
    symbol: z.string(),
    horizonDays: z.number().int(),
    modelVersion: z.string(),
    liveSince: DaySchema.meta({ description: 'asOf of its first published prediction' }),
    published: z.number().int(),
    resolved: z.number().int(),
    pending: z.number().int().meta({ description: 'Published predictions whose horizon has not passed (or whose closing candle is not in)' }),
    withoutBaselines: z.number().int().meta({ description: 'Resolved predictions published before baselines were recorded: left out of the figures' }),
    windows: z.array(TrackWindowSchema),
    resolvedDays: z.array(TrackDaySchema).default([]).meta({ description: "The counted resolved predictions, oldest first, each with whether it and the baselines were right (the 'live' window's rows)" }),
  })
  .meta({ id: 'TrackRecord' });
export type TrackRecord = z.infer<typeof TrackRecordSchema>;

/** GET /v1/track-record/{symbol}?horizon=: path, query and answer (one record per model version, oldest first). */
export const TrackRecordParamsSchema = z.object({ symbol: SymbolSchema });
export const TrackRecordQuerySchema = z.object({ horizon: HorizonSchema.default(7) });
export const TrackRecordResponseSchema = z
  .object({ symbol: z.string(), horizonDays: z.number().int(), kind: z.literal('live'), records: z.array(TrackRecordSchema) })
  .meta({ id: 'TrackRecordResponse' });
export type TrackRecordResponse = z.infer<typeof TrackRecordResponseSchema>;

/** PUT /v1/admin/track-record/{symbol} (the edge; publish --edge): every horizon's records of one asset. */
export const AdminTrackRecordBodySchema = z.object({ records: z.array(TrackRecordSchema).max(200) }).meta({ id: 'AdminTrackRecordBody' });
export type AdminTrackRecordBody = z.infer<typeof AdminTrackRecordBodySchema>;
export const AdminTrackRecordStoredSchema = z.object({ symbol: z.string(), records: z.number().int() });
