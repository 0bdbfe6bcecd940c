// The overview's table: every asset in one row (price with the coin's own digits, 24 h and 7 d change with their
// sign, the call or "no clear signal", confidence against chance, risk score, live hit rate, data as of), each
// row linking to the asset's page, sortable by any column (a button in each header; aria-sort on the sorted one;
// unknown values last). Each cell keeps its sort key in data-value. Browser-only.
import type { OverviewRow } from './overview-data.ts';
import { callName, formatPrice, signedPct, versusChance, wholePct } from './call-words.ts';
import { h } from './dom.ts';
import { term } from './glossary.ts';

/** A column: its header, its cell and the value it sorts by (null: unknown, sorted last). */
interface Column {
  key: string;
  header: string;
  cell: (r: OverviewRow, horizonDays: number) => Node | string;
  value: (r: OverviewRow) => number | string | null;
  className?: (r: OverviewRow) => string;
}

const change = (x: number | null) => (x === null ? '–' : signedPct(x));
const trend = (x: number | null) => (x === null ? '' : x >= 0 ? 'up' : 'down');

const COLUMNS: Column[] = [
  { key: 'symbol', header: 'Asset', cell: (r, d) => h('a', { href: `./?symbol=${encodeURIComponent(r.symbol)}&horizon=${d}` }, r.symbol), value: (r) => r.symbol },
  { key: 'price', header: 'Price', cell: (r) => (r.price === null ? '–' : formatPrice(r.price)), value: (r) => r.price },
  { key: 'change24h', header: '24 h', cell: (r) => change(r.change24h), value: (r) => r.change24h, className: (r) => trend(r.change24h) },
  { key: 'change7d', header: '7 d', cell: (r) => change(r.change7d), value: (r) => r.change7d, className: (r) => trend(r.change7d) },
  {
    key: 'call',
    header: 'Call',
    cell: (r) => (!r.modelled ? 'No model yet' : r.prediction ? `${callName(r.prediction)} (after ${r.prediction.asOf})` : 'Not published yet'),
    value: (r) => (r.prediction ? (r.prediction.signal === 'none' ? 'no clear signal' : r.prediction.class) : null),
    className: () => 'call',
  },
  { key: 'confidence', header: 'Confidence', cell: (r) => (r.prediction ? versusChance(r.prediction.confidence) : '–'), value: (r) => r.prediction?.confidence ?? null },
  { key: 'risk', header: 'Risk', cell: (r) => (typeof r.risk === 'number' ? `${r.risk.toFixed(0)} of 100` : r.risk), value: (r) => (typeof r.risk === 'number' ? r.risk : null) },
  {
    key: 'hitRate',
    header: 'Live hit rate',
    cell: (r) => (typeof r.hitRate === 'string' ? r.hitRate : `${wholePct(r.hitRate.accuracy)} (${r.hitRate.hits} of ${r.hitRate.resolved})`),
    value: (r) => (typeof r.hitRate === 'string' ? null : r.hitRate.accuracy),
  },
  { key: 'lastDay', header: 'Data as of', cell: (r) => r.lastDay ?? '–', value: (r) => r.lastDay },
];

/** How the table is sorted. */
export interface SortState {
  key: string;
  descending: boolean;
}

/** `rows` ordered by the column `sort.key`; unknown values last in either direction, then by symbol. */
export function sortRows(rows: readonly OverviewRow[], sort: SortState): OverviewRow[] {
  const column = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[0]!;
  return [...rows].sort((a, b) => {
    const x = column.value(a), y = column.value(b);
    if (x === null || y === null) return x === y ? a.symbol.localeCompare(b.symbol) : x === null ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (sort.descending ? -order : order) || a.symbol.localeCompare(b.symbol);
  });
}

/** The product's aim (the specification's ML-007): the 20 largest non-stable assets its data sources offer. */
export const TARGET_ASSETS = 20;

/** How many assets the table covers and, when that is not the aim's 20, why: the data hold no more (honest, not padded). */
export function coverageNote(rows: readonly OverviewRow[]): string {
  const modelled = rows.filter((r) => r.modelled).length;
  const counts = `${rows.length} ${rows.length === 1 ? 'asset' : 'assets'}, ${modelled} with a model at this horizon.`;
  if (rows.length >= TARGET_ASSETS) return counts;
  return `${counts} Coinsphere aims at the ${TARGET_ASSETS} largest non-stable coins; this database holds prices for these ${rows.length} only, so the others are not shown rather than shown empty. Add one with \`npx coinsphere ingest --symbols <SYMBOL>\`, then \`npx coinsphere start\`.`;
}

/** The table of `rows` sorted by `sort`; a header's button calls `onSort` with the new order. */
export function renderOverview(rows: readonly OverviewRow[], horizonDays: number, sort: SortState, onSort: (s: SortState) => void): HTMLElement {
  const head = COLUMNS.map((c) => {
    const sorted = c.key === sort.key;
    const button = h('button', { type: 'button' }, c.header, sorted ? (sort.descending ? ' ▼' : ' ▲') : '');
    button.onclick = () => onSort({ key: c.key, descending: sorted ? !sort.descending : false });
    return h('th', { scope: 'col', ...(sorted ? { 'aria-sort': sort.descending ? 'descending' : 'ascending' } : {}) }, button);
  });
  const body = sortRows(rows, sort).map((r) =>
    h(
      'tr',
      { 'data-symbol': r.symbol, 'data-modelled': String(r.modelled) },
      ...COLUMNS.map((c) => {
        const v = c.value(r);
        return h(c.key === 'symbol' ? 'th' : 'td', { 'data-column': c.key, 'data-value': v === null ? '' : String(v), class: c.className?.(r) ?? '', ...(c.key === 'symbol' ? { scope: 'row' } : {}) }, c.cell(r, horizonDays));
      }),
    ),
  );
  const table = h('table', { class: 'overview', 'data-testid': 'overview' }, h('caption', { class: 'muted' }, `Every asset with prices, with its published ${horizonDays}-day call; sort by any column.`), h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...body));
  return h(
    'div',
    {},
    h('div', { class: 'table-scroll' }, table),
    h('p', { class: 'muted', 'data-testid': 'overview-coverage' }, coverageNote(rows)),
    h('p', { class: 'muted' }, term('confidence'), ': the call\'s probability beside chance; ', term('risk', 'Risk'), ': the Degen Risk Score, 0 (calm) to 100 (wild); ', term('live', 'Live hit rate'), ': how many published calls came true.'),
  );
}
