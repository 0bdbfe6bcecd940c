// The daily candlestick chart with volume underneath (lightweight-charts), with past predictions marked: the
// call by shape (▲ bullish, ▼ bearish, ● neutral) and the outcome by text and colour (✓ came true, ✗ did not,
// … open), so nothing is told by colour alone. Prices carry the digits the coin needs ($0.09123, not $0.09); the
// volume scale draws no labels over the price's. It keeps a text alternative (latest close, its 30-day change,
// the call) and the hovered day's open, high, low, close and change in words. Range, log scale and which markers
// show are set by chart-controls.ts. Test hooks on the container: data-precision, data-range, data-scale,
// data-markers (how many are drawn) and data-marker-kinds (JSON "shape:text" of each). Browser-only.
import type { Candle, ClassName } from '@coinsphere/model';
import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  type IChartApi,
  type MouseEventParams,
  PriceScaleMode,
  type SeriesMarker,
  type UTCTimestamp,
} from 'lightweight-charts';

import { formatPrice, pricePrecision, signedPct } from './call-words.ts';

/** A past prediction to mark on the chart. */
export interface ChartMarker {
  asOf: string;
  class: ClassName;
  /** true / false once the horizon has passed, null before. */
  correct: boolean | null;
  /** 'api': stored by publish; 'browser': recomputed here. */
  origin: 'api' | 'browser';
}

/** Which markers show: the published ones, those and the recomputed ones, or none. */
export type MarkerMode = 'published' | 'all' | 'none';

/** Colours with at least 4.5:1 contrast on white (the outcome is in the marker's text as well). */
const COLORS = { up: '#15803d', down: '#b91c1c', pending: '#475569' } as const;
const DAY_MS = 86_400_000;
const time = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;
const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);

/** A chart in `container`; `hover` and `summary` receive its words. Call `show` with each asset's candles. */
export class PriceChart {
  private readonly chart: IChartApi;
  private readonly candles;
  private readonly volume;
  private readonly markers;
  private data: readonly Candle[] = [];
  private marks: readonly ChartMarker[] = [];
  private symbol = '';
  private call = '';
  /** Days shown (0: all). */
  private rangeDays = 180;
  private mode: MarkerMode = 'published';

  constructor(
    private readonly container: HTMLElement,
    private readonly hover: HTMLElement,
    private readonly summary: HTMLElement,
  ) {
    this.chart = createChart(container, {
      autoSize: true,
      layout: { background: { color: 'transparent' }, textColor: '#334155' },
      grid: { vertLines: { color: '#eef2f7' }, horzLines: { color: '#eef2f7' } },
      timeScale: { borderColor: '#cbd5e1' },
      rightPriceScale: { borderColor: '#cbd5e1', scaleMargins: { top: 0.08, bottom: 0.25 } },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, { upColor: COLORS.up, downColor: COLORS.down, borderVisible: false, wickUpColor: COLORS.up, wickDownColor: COLORS.down });
    // An overlay scale with no label of its own: the volume never writes over the price axis.
    this.volume = this.chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, priceScaleId: 'volume', color: '#cbd5e1', lastValueVisible: false, priceLineVisible: false });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 }, visible: false });
    this.markers = createSeriesMarkers(this.candles, []);
    this.chart.subscribeCrosshairMove((p) => this.onHover(p));
    container.dataset.range = String(this.rangeDays);
    container.dataset.scale = 'linear';
  }

  /** Empties the chart while `symbol` loads, so no other asset's candles stay under its name. */
  clear(symbol: string): void {
    this.symbol = symbol;
    this.data = [];
    this.marks = [];
    this.call = '';
    this.candles.setData([]);
    this.volume.setData([]);
    this.drawMarkers();
    this.hover.textContent = '';
    this.summary.textContent = `Loading ${symbol}…`;
  }

  /** Shows `candles` of `symbol` (oldest first; price-only candles draw as flat bars at the close) and `marks`. */
  show(symbol: string, candles: readonly Candle[], marks: readonly ChartMarker[]): void {
    const sameData = symbol === this.symbol && candles === this.data;
    this.symbol = symbol;
    this.data = candles;
    this.marks = marks;
    if (!sameData) {
      const precision = pricePrecision(candles.at(-1)?.close ?? 1);
      this.container.dataset.precision = String(precision);
      this.candles.applyOptions({ priceFormat: { type: 'price', precision, minMove: 10 ** -precision } });
      this.candles.setData(candles.map((c) => ({ time: time(c.openTimeMs), open: c.open ?? c.close, high: c.high ?? c.close, low: c.low ?? c.close, close: c.close })));
      this.volume.setData(candles.map((c, i) => ({ time: time(c.openTimeMs), value: c.quoteVolumeUsd ?? (c.baseVolume ?? 0) * c.close, color: i > 0 && c.close < candles[i - 1]!.close ? '#fecaca' : '#bbf7d0' })));
      this.setRange(this.rangeDays);
    }
    this.drawMarkers();
    this.describe();
  }

  /** The call in words for the text alternative, e.g. "No clear signal (bearish 34%, neutral 33%, bullish 33%)". */
  setCall(words: string): void {
    this.call = words;
    this.describe();
  }

  /** Shows the last `days` days (0: the whole history). */
  setRange(days: number): void {
    this.rangeDays = days;
    this.container.dataset.range = String(days);
    const last = this.data.length - 1;
    if (last < 0) return;
    if (days === 0) this.chart.timeScale().fitContent();
    else this.chart.timeScale().setVisibleLogicalRange({ from: Math.max(0, last - days), to: last + 3 });
  }

  /** A logarithmic or linear price scale. */
  setLogScale(log: boolean): void {
    this.chart.priceScale('right').applyOptions({ mode: log ? PriceScaleMode.Logarithmic : PriceScaleMode.Normal });
    this.container.dataset.scale = log ? 'log' : 'linear';
  }

  /** Which markers show. */
  setMarkerMode(mode: MarkerMode): void {
    this.mode = mode;
    this.drawMarkers();
  }

  private drawMarkers(): void {
    const known = new Set(this.data.map((c) => time(c.openTimeMs)));
    const byDay = new Map<number, SeriesMarker<UTCTimestamp>>();
    const shown = this.mode === 'none' ? [] : this.marks.filter((m) => this.mode === 'all' || m.origin === 'api');
    for (const m of shown) {
      const t = time(Date.parse(`${m.asOf}T00:00:00Z`));
      if (!known.has(t) || (byDay.has(t) && m.origin === 'browser')) continue; // a stored prediction wins its day
      const color = m.correct === null ? COLORS.pending : m.correct ? COLORS.up : COLORS.down;
      const shape = m.class === 'bullish' ? 'arrowUp' : m.class === 'bearish' ? 'arrowDown' : 'circle';
      const text = m.correct === null ? '…' : m.correct ? '✓' : '✗';
      byDay.set(t, { time: t, position: m.class === 'bearish' ? 'aboveBar' : 'belowBar', shape, color, text, size: m.origin === 'api' ? 1.4 : 0.6 });
    }
    const markers = [...byDay.values()].sort((a, b) => a.time - b.time);
    this.markers.setMarkers(markers);
    this.container.dataset.markers = String(markers.length);
    this.container.dataset.markerKinds = JSON.stringify([...new Set(markers.map((m) => `${m.shape}:${m.text}`))]);
  }

  /** The text alternative: the latest close, its change over 30 days, and the call. */
  private describe(): void {
    const last = this.data.at(-1);
    if (!last) return;
    const ref = this.data.findLast((c) => c.openTimeMs <= last.openTimeMs - 30 * DAY_MS) ?? this.data[0]!;
    const text =
      `${this.symbol}: last close ${formatPrice(last.close)} on ${day(time(last.openTimeMs))}, ${signedPct(last.close / ref.close - 1)} over 30 days (from ${formatPrice(ref.close, last.close)}).` +
      (this.call ? ` The call: ${this.call}.` : '');
    this.summary.textContent = text;
  }

  private onHover(p: MouseEventParams): void {
    const bar = p.time === undefined ? undefined : (p.seriesData.get(this.candles) as { open: number; high: number; low: number; close: number } | undefined);
    if (!bar || p.time === undefined) return void (this.hover.textContent = '');
    const t = p.time as number;
    const i = this.data.findIndex((c) => time(c.openTimeMs) === t);
    const prev = i > 0 ? this.data[i - 1]!.close : bar.open;
    const f = (v: number) => formatPrice(v, bar.close);
    this.hover.textContent = `${day(t)}: open ${f(bar.open)} · high ${f(bar.high)} · low ${f(bar.low)} · close ${f(bar.close)} · ${signedPct(bar.close / prev - 1)} on the day`;
  }
}
