// The monitoring summary on the wire (issue #16): GET /v1/monitoring/{symbol}?horizon= and what publish --edge pushes
// to PUT /v1/admin/monitoring/{symbol}. What `coinsphere monitor` computes for one asset under the model served for
// it: the model's age and expiry, the PSI drift of the asset's newest inputs per feature, and the newest published
// prediction's out-of-distribution flag, as publish computed and stored it (`computedAt`). Must not import node:*,
// hono or any runtime package.
import { z } from 'zod';
import { DaySchema, HorizonSchema, SymbolSchema } from './common.ts';
import { MonitoringSchema } from './predictions.ts';

const finite = z.number().refine(Number.isFinite, 'Expected a finite number.');

/** PSI of one feature of the recent inputs against the training distribution, with its level. */
export const FeatureDriftSchema = z
  .object({
    feature: z.string().max(100),
    psi: finite,
    level: z.enum(['stable', 'watch', 'drift']).meta({ description: "'drift': above 0.25 and above the 95th percentile of what stretches of the training rows scored" }),
    chance: z.object({ days: z.number().int(), median: finite, p95: finite }).optional().meta({ description: 'What stretches of the same length of the training rows scored' }),
  })
  .meta({ id: 'FeatureDrift' });

/** The monitoring summary of one asset under the model served for it at one horizon. */
export const MonitoringSummarySchema = z
  .object({
    symbol: z.string(),
    horizonDays: z.number().int(),
    modelVersion: z.string(),
    trainedAt: z.string().datetime().meta({ description: 'When the model was trained (its createdAt, ISO 8601)' }),
    modelAgeDays: z.number().int(),
    expiryDays: z.number().int().positive(),
    expiresAt: z.string().datetime(),
    expired: z.boolean().meta({ description: 'True once the model is past its expiry: retrain it' }),
    trainingDistribution: z.boolean().meta({ description: 'False for a model trained before the training distribution was recorded (no drift, no flag)' }),
    drift: z
      .object({
        recentDays: z.number().int().positive(),
        nRows: z.number().int().meta({ description: 'Newest days compared (recentDays, or fewer for a short history)' }),
        reference: z.enum(['asset', 'all']).meta({ description: "'asset': against its own training rows; 'all': against all of them (an asset the model never trained on)" }),
        features: z.array(FeatureDriftSchema).max(200),
      })
      .nullable()
      .meta({ description: 'null: not computed, driftNote says why' }),
    driftNote: z.string().nullable(),
    drifting: z.array(z.string()).meta({ description: "Features at level 'drift'" }),
    newestPrediction: z
      .object({ asOf: DaySchema, outOfDistribution: MonitoringSchema.shape.outOfDistribution })
      .nullable()
      .meta({ description: 'The newest published prediction of this model for the asset; null when none' }),
    computedAt: z.string().datetime().meta({ description: 'When publish computed this summary (ISO 8601, UTC)' }),
  })
  .meta({ id: 'MonitoringSummary' });
export type MonitoringSummary = z.infer<typeof MonitoringSummarySchema>;

/** GET /v1/monitoring/{symbol}?horizon=: path and query. The answer is one MonitoringSummary. */
export const MonitoringParamsSchema = z.object({ symbol: SymbolSchema });
export const MonitoringQuerySchema = z.object({ horizon: HorizonSchema.default(7) });

/** PUT /v1/admin/monitoring/{symbol} (the edge; publish --edge): every horizon's summary of one asset. */
export const AdminMonitoringBodySchema = z.object({ summaries: z.array(MonitoringSummarySchema).max(50) }).meta({ id: 'AdminMonitoringBody' });
export type AdminMonitoringBody = z.infer<typeof AdminMonitoringBodySchema>;
export const AdminMonitoringStoredSchema = z.object({ symbol: z.string(), summaries: z.number().int() });
