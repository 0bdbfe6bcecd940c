// `coinsphere publish [--symbols BTC,ETH] [--horizons 7,14,30] [--edge <url>] [--json]`: the publish job
// (jobs/publish-job.ts) over the database, with the serving cache of REDIS_URL and, with --edge, a deployed Worker
// (COINSPHERE_API_TOKEN); prints each prediction, what was stored, and one line on the risk scores. Flags → options
// → job → output.
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { readServingEnv } from '../cli/env.ts';
import { action } from '../cli/errors.ts';
import { flag, horizonList, httpUrl, symbolList } from '../cli/flags.ts';
import { publishJob, servedPredictions, type ComputePredictions, type PublishedPrediction, type PublishResult } from '../jobs/publish-job.ts';
import { renderRiskLine } from '../jobs/publish-risk.ts';
import { renderOutcomesLine } from '../jobs/track-record-job.ts';

interface PublishFlags extends DbOption {
  symbols?: string[];
  horizons?: number[];
  edge?: string;
  json?: boolean;
}

/** What publish prints for people: one line per prediction, then what was stored and pushed, then the risk scores. */
export function renderPublished(batch: PublishedPrediction[], result: PublishResult): string {
  const lines = batch.map((p) => `${p.symbol} ${p.horizonDays}d as of ${p.asOf}: ${p.class} (${(p.confidence * 100).toFixed(1)}%, model ${p.modelVersion})`);
  const e = result.edge;
  if (result.cacheNotWritten) lines.push(`Warning: ${result.cacheNotWritten.message}`);
  lines.push(`Stored ${result.written}; cache keys changed: ${result.changedKeys.length}${result.cacheNotWritten ? ` (not written: ${result.cacheNotWritten.backend} is down)` : ''}${e ? `; edge: ${e.models.length} models uploaded, candles of ${Object.keys(e.candles).join(', ')}${Object.keys(e.hourly).length ? ` (hourly too: ${Object.keys(e.hourly).join(', ')})` : ''}, keys changed: ${e.changedKeys.length}` : ''}`);
  if (result.risk) lines.push(renderRiskLine(result.risk));
  if (result.track) lines.push(`${renderOutcomesLine(result.track.outcomes)} Baselines recorded beside ${result.track.baselines} of ${batch.length} predictions.`);
  if (e?.trackRecord) lines.push(`Live track records pushed to the edge: ${e.trackRecord.join(', ') || 'none'}`);
  if (result.monitoring) lines.push(`Monitoring summaries stored: ${result.monitoring.summaries} (GET /v1/monitoring/:symbol).`);
  if (e?.monitoring) lines.push(`Monitoring summaries pushed to the edge: ${e.monitoring.join(', ') || 'none'}`);
  if (e?.risk) lines.push(`Risk scores pushed to the edge: ${e.risk.symbols.join(', ') || 'none'}${e.risk.withoutInputs.length ? `; without the model to recompute them (the page there shows the stored score): ${e.risk.withoutInputs.map((w) => `${w.symbol} (${w.why})`).join(', ')}` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** A prediction publish could not make, on stderr. */
export const warnLine = (line: string): void => void process.stderr.write(`${line}\n`);

/** Registers `publish`. `compute` defaults to servedPredictions(). */
export function register(program: Command, compute: ComputePredictions = servedPredictions(undefined, warnLine)): void {
  const command = program.command('publish').description('Compute the latest prediction of every trained model, store it and refresh the serving cache');
  flag(command, '--symbols <list>', 'only these symbols, e.g. BTC,ETH', symbolList);
  flag(command, '--horizons <list>', 'only these horizons in days, e.g. 7,14,30', horizonList);
  flag(command, '--edge <url>', 'also push the models, recent candles, batch and risk scores to a deployed Worker (needs COINSPHERE_API_TOKEN)', httpUrl);
  addDbOption(command.option('--json', 'print the result as JSON')).action(
    action(async (f: PublishFlags) => {
      const env = readServingEnv();
      const { batch, result } = await withDatabase(f, (db) => publishJob(db, {
        filter: { symbols: f.symbols, horizons: f.horizons }, redisUrl: env.redisUrl, edge: f.edge ? { url: f.edge, token: env.apiToken } : undefined,
      }, compute));
      process.stdout.write(f.json ? `${JSON.stringify({ ...result, predictions: batch }, null, 2)}\n` : renderPublished(batch, result));
    }),
  );
}
