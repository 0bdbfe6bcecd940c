// Public surface of @coinsphere/data: the schema, openDatabase (PostgreSQL or PGlite), candle queries and
// ingest sources. Node only; apps import this, packages/model and packages/engine never do.
export * from './schema.ts';
export * from './database.ts';
export * from './errors.ts';
export { openDatabase, DEFAULT_PGLITE_FOLDER } from './open-database.ts';
export { migrationState, MIGRATIONS_FOLDER } from './migrate.ts';
export { lockPathFor } from './pglite-lock.ts';
export * from './candles.ts';
export * from './queries/predictions.ts';
export * from './queries/models.ts';
export * from './artifact-location.ts';
export { upgradeModelRows, type ModelUpgradeReport } from './upgrade-models.ts';
export * from './queries/model-runs.ts';
export * from './queries/evaluations.ts';
export * from './queries/risk-scores.ts';
export * from './queries/outcomes.ts';
export * from './queries/monitoring-summaries.ts';
export * from './queries/candle-ranges.ts';
export { upsertAssetsIn, coingeckoIdOf, type AssetInfo } from './assets.ts';
export { ingestCsv, listCsvFiles, normalizeSourceName, parseCsvFile, scanCsvFile, SOURCE_NAME_PATTERN, type CsvIngestOptions, type CsvIngestReport, type FileReport, type ScannedFile } from './ingest/ingest-csv.ts';
export { ingestFromBinance, ingestFromCoingecko, type ApiIngestOptions, type SymbolReport } from './ingest/ingest-api.ts';
export { parseColumnsOption, parseTimestamp, GENERIC_COLUMN_KEYS, type CsvLayout, type GenericColumnKey } from './ingest/csv-layouts.ts';
export { validateSeries, findGaps, type RowProblem, type SeriesGap } from './ingest/validate.ts';
export {
  SNAPSHOT_COLUMNS,
  SNAPSHOT_DATA_FILE,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_MANIFEST_FILE,
  SNAPSHOT_README_FILE,
  type SnapshotManifest,
} from './snapshot/snapshot-format.ts';
export { exportSnapshot, SNAPSHOT_MAX_BYTES, type SnapshotExportOptions, type SnapshotExportReport } from './snapshot/export-snapshot.ts';
export { BUNDLED_SNAPSHOT_DIR, ingestSnapshot, readSnapshot, type CheckedSnapshot, type SnapshotIngestReport } from './snapshot/ingest-snapshot.ts';
export { getJson, networkProblem, retryAfterMs, type HttpOptions } from './ingest/http-json.ts';
export { BINANCE_BASE_URL } from './ingest/binance.ts';
export { probeOnlineSources, type Reach, type ReachOptions } from './ingest/reachability.ts';
export { COINGECKO_BASE_URL } from './ingest/coingecko.ts';
export { describeTopAssets, fetchTopAssets, STATIC_TOP_ASSETS, staticTopAssets, TOP_ASSET_COUNT, topHeldAssets, type TopAssetLeftOut, type TopAssetReason, type TopAssets, type TopAssetsOptions } from './ingest/top-assets.ts';
export { readUniverse } from './universe.ts';
export { readModelInputs } from './model-inputs.ts';
export * from './queries/fold-results.ts';
