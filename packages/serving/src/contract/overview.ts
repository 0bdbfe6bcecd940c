// GET /v1/overview?horizon=: every asset's row of the dashboard's overview in one answer (issue #18): what the page
// read as one request per asset and panel before (its last 8 daily candles, the latest risk assessment, the live
// record of the served model), beside the asset and its published call. Must not import node:*, hono or any
// runtime package.
import { z } from 'zod';
import { CandleSchema } from './common.ts';
import { AssetSchema } from './catalog.ts';
import { HorizonQuerySchema, ServedPredictionSchema } from './predictions.ts';
import { RiskAssessmentSchema } from './risk.ts';
import { TrackRecordSchema, type TrackRecord } from './track-record.ts';

/** Days of daily candles in a row, counted back from the asset's last day (that day included): 24 h and 7 d change. */
export const OVERVIEW_CANDLE_DAYS = 8;

/** GET /v1/overview: query. */
export const OverviewQuerySchema = z.object({ horizon: HorizonQuerySchema });

/** One asset's row. */
export const OverviewRowSchema = z
  .object({
    asset: AssetSchema,
    candles: z.array(CandleSchema).meta({ description: `Its daily candles of the last ${OVERVIEW_CANDLE_DAYS} days up to asset.lastDay, oldest first (as GET /v1/candles/{symbol} serves them)` }),
    prediction: ServedPredictionSchema.nullable().meta({ description: 'Its latest prediction at this horizon (as GET /v1/predictions/{symbol}), or null: no model or nothing published' }),
    risk: RiskAssessmentSchema.nullable().meta({ description: 'Its latest Degen Risk Score (GET /v1/risk/{symbol} without history and inputs), or null when none is stored' }),
    trackRecord: TrackRecordSchema.nullable().meta({ description: 'The live record of the model that published the prediction (else the newest), with resolvedDays left empty; null when nothing was published' }),
  })
  .meta({ id: 'OverviewRow' });
export type OverviewRowWire = z.infer<typeof OverviewRowSchema>;

/** GET /v1/overview: answer, the assets in /v1/assets order. */
export const OverviewResponseSchema = z.object({ horizonDays: z.number().int(), rows: z.array(OverviewRowSchema) }).meta({ id: 'OverviewResponse' });
export type OverviewResponse = z.infer<typeof OverviewResponseSchema>;

/** The record of `modelVersion` (the model behind the shown prediction), else the newest; null when there is none. */
export function servedRecordOf(records: readonly TrackRecord[], modelVersion: string | null): TrackRecord | null {
  return records.find((r) => r.modelVersion === modelVersion) ?? records.at(-1) ?? null;
}
