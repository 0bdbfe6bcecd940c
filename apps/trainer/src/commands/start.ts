// `coinsphere start` (npm start): the main job on the embedded defaults. Migrate, ingest (from --csv or
// COINSPHERE_DATA; without either, from Binance and CoinGecko), train BTC, ETH and SOL at 7 days with the
// specification's config, evaluate beside the baselines, export, predict, publish, and serve the API and the
// dashboard on http://127.0.0.1:8787 until stopped.
import { ingestCsv, ingestFromBinance, ingestFromCoingecko, type Database } from '@coinsphere/data';
import { DEFAULT_MODEL_CONFIG } from '@coinsphere/model';
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { readTrainerEnv } from '../cli/env.ts';
import { action, CliError } from '../cli/errors.ts';
import { parseSymbols } from '../cli/format.ts';
import { cliReporter } from '../training/progress.ts';
import { runTraining, type TrainSummary } from '../training/run-training.ts';
import { latestPredictionsOfRegistry, publishBatch } from './publish.ts';
import { predictLatest, type PredictOutput } from './predict.ts';
import { startServe } from './serve.ts';
import { numberFlag } from './train.ts';

interface StartFlags extends DbOption {
  csv?: string[];
  symbols: string;
  horizon: string;
  epochs?: string;
  port?: string;
  serve: boolean;
  quiet?: boolean;
}

const say = (s: string) => process.stdout.write(`${s}\n`);

async function ingest(db: Database, csv: string[] | undefined, symbols: string[]): Promise<void> {
  if (csv && csv.length > 0) {
    say(`Ingesting ${csv.join(', ')} …`);
    const report = await ingestCsv(db, csv, {});
    const rows = report.files.reduce((s, f) => s + f.candles, 0);
    say(`Ingested ${report.files.length} files, ${rows} candles (re-ingesting changes nothing).`);
    return;
  }
  say(`No --csv and no COINSPHERE_DATA: fetching ${symbols.join(', ')} from Binance and CoinGecko …`);
  try {
    await ingestFromBinance(db, { symbols });
    await ingestFromCoingecko(db, { symbols }).catch((e: unknown) => say(`CoinGecko skipped: ${(e as Error).message}`));
  } catch (error) {
    throw new CliError(
      `Could not fetch candles online (${(error as Error).message}). Offline? Point the job at CSV files instead: ` +
        'npm start -- --csv ../shared/data/kaggle-cryptocurrency-historical-prices',
      1,
      { cause: error },
    );
  }
}

function row(s: TrainSummary, p: PredictOutput | null): string {
  const t = s.metrics.test;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
  const pred = p ? `${p.class.padEnd(8)} ${pct(p.confidence)} as of ${p.asOf}` : 'no prediction';
  return `${s.symbol.padEnd(6)} ${pct(t.model.accuracy)}  ${pct(t.majority.accuracy)}  ${pct(t.persistence.accuracy)}  ${t.model.macroF1.toFixed(3)}  ${String(t.n).padStart(5)}   ${pred}`;
}

/** Registers `start`. */
export function register(program: Command): void {
  addDbOption(
    program
      .command('start')
      .description('Run the main job: ingest, train BTC/ETH/SOL, evaluate beside baselines, predict, publish, serve')
      .option('--csv <paths...>', 'CSV files or folders to ingest (default: $COINSPHERE_DATA; else Binance and CoinGecko online)')
      .option('--symbols <list>', 'assets to train', 'BTC,ETH,SOL')
      .option('--horizon <days>', 'label horizon in days', '7')
      .option('--epochs <n>', 'cap the epochs (default: the specification\'s 100 with early stopping)')
      .option('--port <port>', 'port of the API and dashboard', '8787')
      .option('--no-serve', 'stop after publishing instead of serving')
      .option('--quiet', 'no per-epoch lines'),
  ).action(
    action(async (f: StartFlags) => {
      const env = readTrainerEnv();
      const symbols = parseSymbols(f.symbols) ?? ['BTC', 'ETH', 'SOL'];
      const horizonDays = numberFlag(f.horizon, '--horizon', 'int', 1)!;
      const epochs = numberFlag(f.epochs, '--epochs', 'int', 1);
      const csv = f.csv ?? (env.dataDir ? [env.dataDir] : undefined);
      const results: Array<{ summary: TrainSummary; prediction: PredictOutput | null }> = [];
      await withDatabase(f, async (db) => {
        say(`Database: ${db.kind} ${db.location}`);
        await ingest(db, csv, symbols);
        for (const symbol of symbols) {
          say(`\n== Training ${symbol} at ${horizonDays} days ==`);
          const summary = await runTraining(
            db,
            {
              symbol, horizonDays, engine: 'fused', backend: 'auto', modelConfig: DEFAULT_MODEL_CONFIG,
              training: epochs ? { epochs } : {}, artifactsRoot: env.artifactsRoot, resume: false,
              mlflowUri: env.mlflowTrackingUri, mlflowExperiment: env.mlflowExperiment,
            },
            cliReporter(f.quiet ? 'quiet' : 'bar'),
          );
          const prediction = await predictLatest(db, symbol, horizonDays).catch((e: unknown) => {
            say(`${symbol}: no prediction (${(e as Error).message})`);
            return null;
          });
          results.push({ summary, prediction });
        }
        const batch = await latestPredictionsOfRegistry()(db, { symbols, horizons: [horizonDays] });
        const { createNodeCache } = await import('@coinsphere/api');
        const cache = createNodeCache(undefined);
        try {
          const published = await publishBatch(db, batch, cache);
          say(`\nPublished ${published.written} predictions.`);
        } finally {
          await cache.close?.();
        }
      });
      say(`\nTest-split results at ${horizonDays} days (each row: model beside baselines on the same rows)`);
      say(`asset   model  majority persist.  macroF1  n(test)  latest prediction`);
      for (const r of results) say(row(r.summary, r.prediction));
      say('Accuracy near the baselines means the model adds little; read it as a probability, never a promise.');
      if (!f.serve) return;
      const server = await startServe({ db: f.db, port: f.port });
      say(`\nServing the API and the dashboard on ${server.url}/ (API: ${server.url}/v1/predictions/BTC). Ctrl-C stops.`);
      await new Promise<void>((done) => {
        const stop = () => void server.stop().then(done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    }),
  );
}
