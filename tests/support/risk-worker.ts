// A Worker for the parity test only: the risk module's assessRiskWithModel inside workerd, so the score is computed
// there rather than served. POST {model, symbol, candles, historyStartMs} → the assessment as JSON.
import { assessRiskWithModel, type Candle, type RiskModel } from '@coinsphere/model/core';

interface Body {
  model: RiskModel;
  symbol: string;
  candles: Candle[];
  historyStartMs?: number;
}

export default {
  async fetch(request: Request): Promise<Response> {
    const b = (await request.json()) as Body;
    try {
      return Response.json(assessRiskWithModel(b.model, b.symbol, b.candles, b.historyStartMs));
    } catch (err) {
      return Response.json({ error: (err as Error).message }, { status: 400 });
    }
  },
};
