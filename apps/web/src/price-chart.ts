// The daily candlestick chart with volume underneath (lightweight-charts), with past predictions marked:
// arrows in the predicted direction (a dot for neutral), green when they came true, red when not, grey while
// the horizon has not passed. Browser-only.
import type { Candle, ClassName } from '@coinsphere/model';
import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  type IChartApi,
  type SeriesMarker,
  type UTCTimestamp,
} from 'lightweight-charts';

/** A past prediction to mark on the chart. */
export interface ChartMarker {
  asOf: string;
  class: ClassName;
  /** true / false once the horizon has passed, null before. */
  correct: boolean | null;
  /** 'api': stored by publish; 'browser': recomputed here. */
  origin: 'api' | 'browser';
}

const COLORS = { up: '#16a34a', down: '#dc2626', pending: '#94a3b8' } as const;

/** A chart in `container`; call `update` with each asset's candles and markers. */
export class PriceChart {
  private readonly chart: IChartApi;
  private readonly candles;
  private readonly volume;
  private readonly markers;

  constructor(container: HTMLElement) {
    this.chart = createChart(container, {
      autoSize: true,
      layout: { background: { color: 'transparent' }, textColor: '#334155' },
      grid: { vertLines: { color: '#eef2f7' }, horzLines: { color: '#eef2f7' } },
      timeScale: { borderColor: '#cbd5e1' },
      rightPriceScale: { borderColor: '#cbd5e1', scaleMargins: { top: 0.08, bottom: 0.25 } },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, { upColor: COLORS.up, downColor: COLORS.down, borderVisible: false, wickUpColor: COLORS.up, wickDownColor: COLORS.down });
    this.volume = this.chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, priceScaleId: 'volume', color: '#cbd5e1' });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.markers = createSeriesMarkers(this.candles, []);
  }

  /** Shows `candles` (oldest first; price-only candles draw as flat bars at the close) and `marks`. */
  update(candles: readonly Candle[], marks: readonly ChartMarker[], visibleDays = 240): void {
    const time = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;
    this.candles.setData(candles.map((c) => ({ time: time(c.openTimeMs), open: c.open ?? c.close, high: c.high ?? c.close, low: c.low ?? c.close, close: c.close })));
    this.volume.setData(
      candles.map((c, i) => ({
        time: time(c.openTimeMs),
        value: c.quoteVolumeUsd ?? (c.baseVolume ?? 0) * c.close,
        color: i > 0 && c.close < candles[i - 1]!.close ? '#fecaca' : '#bbf7d0',
      })),
    );
    const known = new Set(candles.map((c) => time(c.openTimeMs)));
    const byDay = new Map<number, SeriesMarker<UTCTimestamp>>();
    for (const m of marks) {
      const t = time(Date.parse(`${m.asOf}T00:00:00Z`));
      if (!known.has(t) || (byDay.has(t) && m.origin === 'browser')) continue; // a stored prediction wins its day
      const color = m.correct === null ? COLORS.pending : m.correct ? COLORS.up : COLORS.down;
      const shape = m.class === 'bullish' ? 'arrowUp' : m.class === 'bearish' ? 'arrowDown' : 'circle';
      byDay.set(t, { time: t, position: m.class === 'bearish' ? 'aboveBar' : 'belowBar', shape, color, size: m.origin === 'api' ? 1.4 : 0.6 });
    }
    this.markers.setMarkers([...byDay.values()].sort((a, b) => a.time - b.time));
    const last = candles.length - 1;
    if (last >= 0) this.chart.timeScale().setVisibleLogicalRange({ from: Math.max(0, last - visibleDays), to: last + 3 });
  }
}
