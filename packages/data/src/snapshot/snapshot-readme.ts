// The README.md written beside a snapshot by its export: where the candles come from (with the attribution the
// sources ask for), the range of every series, what was left out and why, and how to load or rebuild it.
// Written from the manifest, so the two never disagree. Pure: must not import node:*.
import type { SnapshotManifest } from './snapshot-format.ts';
import { SNAPSHOT_COLUMNS, SNAPSHOT_DATA_FILE } from './snapshot-format.ts';

/** What each source name stands for and whom to credit. A source not listed gets a line asking for its credit. */
export const SOURCE_NOTES: Readonly<Record<string, string>> = {
  binance:
    'Binance spot daily candles of the USDT pairs (prices in USDT, volumes on Binance only, no market cap). ' +
    'The bundled rows come from the CryptoDataDownload.com exports of Binance data (https://www.cryptodatadownload.com), ' +
    'as published in the GitHub repository mschindler779/CausCrypto (Unlicense); CryptoDataDownload and Binance ask ' +
    'for attribution. Rows fetched later with `coinsphere ingest --from binance` come from the public Binance API.',
  coinmarketcap:
    'CoinMarketCap daily OHLCV with market cap in USD (volumes summed over all exchanges), from the Kaggle dataset ' +
    '"Cryptocurrency Historical Prices" (sudalairajkumar/cryptocurrencypricehistory, last version, to 2021-07-06), ' +
    'as published in the GitHub repository karsonchancwk/cryptoprice-dashboard. The data are CoinMarketCap\'s; credit them.',
  coingecko: 'CoinGecko daily price, market cap and volume (https://www.coingecko.com); CoinGecko\'s terms require attribution.',
};

/** The README text for a snapshot described by `manifest`. */
export function snapshotReadme(manifest: SnapshotManifest): string {
  const sources = [...new Set(manifest.series.map((s) => s.source))].sort();
  const first = manifest.series.reduce((m, s) => (s.first < m ? s.first : m), manifest.series[0]!.first);
  const last = manifest.series.reduce((m, s) => (s.last > m ? s.last : m), manifest.series[0]!.last);
  const rows = manifest.series.reduce((n, s) => n + s.rows, 0);
  const lines = [
    '# Bundled snapshot of daily candles',
    '',
    `Daily candles of ${manifest.series.length} coins, ${first} to ${last} (${rows.toLocaleString('en-US')} rows), so that`,
    '`npm start` and `npm test` work on a machine with no network. `npm start` loads it when Binance does not answer;',
    '`npx coinsphere ingest --snapshot` loads it on demand. These data are old: every prediction made from them is',
    'marked `stale` (its data more than 2 days old), and the dashboard says so.',
    '',
    `Written by \`coinsphere snapshot export\` on ${manifest.exportedAt.slice(0, 10)}; do not edit it by hand (loading checks`,
    'the sha256 of the data file and every row, and refuses a damaged snapshot whole).',
    '',
    '## Sources and attribution',
    '',
    ...sources.map((s) => `- \`${s}\`: ${SOURCE_NOTES[s] ?? 'as ingested into the database it was exported from; add its source and attribution here.'}`),
    '',
    '## Contents',
    '',
    'One series per coin (the pooled universe of `selectUniverse` in `@coinsphere/model`: the series with the newest',
    'data, then the longest), never two sources mixed in one series.',
    '',
    '| symbol | source | first | last | rows |',
    '|---|---|---|---|---|',
    ...manifest.series.map((s) => `| ${s.symbol} | ${s.source} | ${s.first} | ${s.last} | ${s.rows} |`),
    '',
    manifest.excluded.length === 0 ? 'Nothing was left out.' : 'Left out, and why:',
    ...(manifest.excluded.length === 0 ? [] : ['', ...manifest.excluded.map((e) => `- ${e.symbol} (${e.source}): ${e.reason}, ${e.detail}`)]),
    '',
    '## Format',
    '',
    `- \`${SNAPSHOT_DATA_FILE}\`: gzip'd CSV, header \`${SNAPSHOT_COLUMNS.join(',')}\`, one row per daily candle,`,
    '  sorted by symbol, source and open time. `open_time_ms` is the UTC open of the day in epoch milliseconds; prices',
    '  and volumes as stored in the database (an empty field is missing, e.g. no market cap for Binance rows).',
    manifest.significantDigits === null
      ? '  Numbers keep their full precision (the shortest form that reads back as the same double).'
      : `  Numbers are rounded to ${manifest.significantDigits} significant digits to keep the file small.`,
    `- \`manifest.json\`: format version, export time, the data file's size and sha256, every series with its first and`,
    '  last day and row count, and what was left out.',
    '',
    'Rebuild it from the CSV files it was made from:',
    '',
    '```sh',
    'npx coinsphere ingest --db /tmp/snapshot-db --csv ../shared/data/cryptodatadownload-binance-daily ../shared/data/kaggle-cryptocurrency-historical-prices',
    'npx coinsphere snapshot export --db /tmp/snapshot-db --out packages/data/snapshot',
    '```',
    '',
  ];
  return lines.join('\n');
}
