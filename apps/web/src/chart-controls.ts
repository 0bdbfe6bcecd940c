// The chart's controls on the asset page: range buttons (1M to all, aria-pressed on the chosen one), the log-scale
// checkbox and the past-calls toggle (published, with the recomputed ones, or hidden). Wiring only; the chart does
// the drawing (price-chart.ts). Browser-only.
import { byId, h } from './dom.ts';
import type { MarkerMode, PriceChart } from './price-chart.ts';

const RANGES: Array<[label: string, name: string, days: number]> = [
  ['1M', '1 month', 30],
  ['3M', '3 months', 90],
  ['6M', '6 months', 180],
  ['1Y', '1 year', 365],
  ['All', 'All history', 0],
];

/** Wires #chart-ranges, #chart-log and #chart-markers to `chart`. */
export function wireChartControls(chart: PriceChart, initialDays = 180): void {
  const buttons = RANGES.map(([label, name, days]) => {
    const b = h('button', { type: 'button', 'aria-label': `${label} (${name})`, 'aria-pressed': String(days === initialDays), 'data-days': String(days) }, label);
    b.onclick = () => {
      for (const other of buttons) other.setAttribute('aria-pressed', String(other === b));
      chart.setRange(days);
    };
    return b;
  });
  byId('chart-ranges').replaceChildren(...buttons);
  const log = byId<HTMLInputElement>('chart-log');
  log.onchange = () => chart.setLogScale(log.checked);
  const markers = byId<HTMLSelectElement>('chart-markers');
  markers.onchange = () => chart.setMarkerMode(markers.value as MarkerMode);
}
