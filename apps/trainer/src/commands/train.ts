// `coinsphere train --symbol BTC [--horizon 7] [--engine fused|tfjs] [--backend …] [--epochs …] [--resume] [--json]`:
// trains one model with the specification's TRAINING_CONFIG unless flags override it, prints the resolved config
// once, shows progress, and ends with the test metrics beside the baselines. --json prints one summary object.
import { listModels } from '@coinsphere/data';
import { DEFAULT_MODEL_CONFIG, DEFAULT_TRAINING_CONFIG, SERVED_RECIPE, type TrainingConfig } from '@coinsphere/model';
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { readTrainerEnv } from '../cli/env.ts';
import { action, CliError } from '../cli/errors.ts';
import { parseBackend, type BackendName } from '../backends.ts';
import { parseEngine, type EngineName } from '../training/engines.ts';
import { cliReporter } from '../training/progress.ts';
import { formatConfusion, formatEvaluation } from '../training/report-format.ts';
import { runTraining, type TrainSummary } from '../training/run-training.ts';
import { runPromotionGate, type GateDecision } from '../training/promotion-gate.ts';
import { loadFusedModel, trainPooledJob, type PooledTrainedModel } from '../jobs/train-pooled-job.ts';

interface TrainFlags extends DbOption {
  symbol?: string;
  pooled?: boolean;
  horizon: string;
  horizons?: string;
  symbols?: string;
  promote?: boolean;
  source?: string;
  engine: string;
  backend: string;
  threads?: string;
  epochs?: string;
  batchSize?: string;
  lr?: string;
  patience?: string;
  weightDecay?: string;
  seed?: string;
  window?: string;
  out?: string;
  resume?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/** Parses a numeric flag or throws naming it and what is allowed. */
export function numberFlag(value: string | undefined, flag: string, kind: 'int' | 'float', min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (kind === 'int' && !Number.isInteger(n))) {
    throw new CliError(`Bad ${flag} "${value}". Should be ${kind === 'int' ? 'an integer' : 'a number'} >= ${min}.`, 2);
  }
  return n;
}

/** The training overrides given on the command line. */
export function trainingOverrides(f: TrainFlags): Partial<TrainingConfig> {
  const o: Partial<TrainingConfig> = {
    epochs: numberFlag(f.epochs, '--epochs', 'int', 1),
    batchSize: numberFlag(f.batchSize, '--batch-size', 'int', 1),
    learningRate: numberFlag(f.lr, '--lr', 'float', 0),
    patience: numberFlag(f.patience, '--patience', 'int', 1),
    weightDecay: numberFlag(f.weightDecay, '--weight-decay', 'float', 0),
    seed: numberFlag(f.seed, '--seed', 'int', 0),
  };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Prints a finished run for people. */
export function renderSummary(s: TrainSummary): string {
  return [
    `${s.symbol} ${s.horizonDays}d model ${s.modelVersion}: ${s.epochsRun} epochs (best ${s.bestEpoch + 1}${s.stoppedEarly ? ', stopped early' : ''}) in ${(s.durationMs / 1000).toFixed(1)}s on ${s.backend}.`,
    formatEvaluation(s.metrics.test, `Test ${s.splitDates.test.start}..${s.splitDates.test.end}`),
    formatConfusion(s.metrics.test),
    `Artifact: ${s.artifactDir}`,
  ].join('\n');
}

/** One line on the gate's decision for people. */
export function renderDecision(d: GateDecision): string {
  const verb = d.decision === 'kept' ? 'NOT served' : d.decision === 'forced' ? 'served (forced)' : 'served';
  return `${d.symbol} ${verb}: ${d.reason}.`;
}

/** A trained pooled horizon for people: what it trained on and where the gate serves it. */
function renderPooled(m: PooledTrainedModel): string {
  const served = m.decisions.filter((d) => d.decision !== 'kept').map((d) => d.symbol);
  const kept = m.decisions.filter((d) => d.decision === 'kept').map((d) => d.symbol);
  return [
    `Pooled ${m.horizonDays}d model ${m.modelVersion}: ${m.samples.train} training windows, epochs ${m.epochs.join('/')}, ${(m.durationMs / 1000).toFixed(0)} s. Artifact: ${m.artifactDir}`,
    `  served for ${served.length ? served.join(', ') : 'no asset'}${kept.length ? `; not served for ${kept.join(', ')} (the model served there is not worse)` : ''}.`,
  ].join('\n');
}

/** Registers `train`. */
export function register(program: Command): void {
  const d = DEFAULT_TRAINING_CONFIG;
  addDbOption(
    program
      .command('train')
      .description('Train a candidate (the served pooled recipe over every asset with --pooled, or one asset\'s specification model), export its artifact, and serve it where the promotion gate finds it not worse than the model it replaces')
      .option('--pooled', 'train the served pooled recipe over every asset of the database (the product\'s model)')
      .option('--symbol <symbol>', 'train the specification\'s model for this one asset, e.g. BTC')
      .option('--horizon <days>', 'label horizon in days: 7, 14 or 30', '7')
      .option('--horizons <list>', 'with --pooled: several horizons, e.g. 7,14,30 (overrides --horizon)')
      .option('--symbols <list>', 'with --pooled: only these assets of the universe')
      .option('--promote', 'serve the new model whatever the promotion gate finds (the decision says it was forced)')
      .option('--source <source>', 'candle source (default: the longest history for the symbol)')
      .option('--engine <engine>', 'fused (WebAssembly, fast on CPU) or tfjs (reference; any tfjs backend)', 'fused')
      .option('--backend <backend>', 'tfjs backend for --engine tfjs: auto, node-gpu, node, webgpu, wasm, cpu', 'auto')
      .option('--threads <n>', 'fused engine threads (default: all cores)')
      .option('--epochs <n>', `maximum epochs (default ${d.epochs})`)
      .option('--batch-size <n>', `batch size (default ${d.batchSize})`)
      .option('--lr <rate>', `Adam learning rate (default ${d.learningRate})`)
      .option('--patience <n>', `early-stopping patience on validation loss (default ${d.patience})`)
      .option('--weight-decay <wd>', `L2 added to the gradient, PyTorch Adam style (default ${d.weightDecay})`)
      .option('--seed <n>', `seed for weights, shuffles and dropout (default ${d.seed})`)
      .option('--window <days>', `days per input window (default ${DEFAULT_MODEL_CONFIG.windowBars})`)
      .option('--out <folder>', 'artifacts root (default: $COINSPHERE_ARTIFACTS or ./artifacts)')
      .option('--resume', 'continue the last interrupted run of this symbol and horizon from its checkpoint')
      .option('--quiet', 'print only the final summary')
      .option('--json', 'print one JSON summary object (with artifactDir and metrics) and nothing else on stdout'),
  ).action(
    action(async (f: TrainFlags) => {
      const env = readTrainerEnv();
      const horizonDays = numberFlag(f.horizon, '--horizon', 'int', 1)!;
      if (f.pooled === Boolean(f.symbol)) throw new CliError('Pass --pooled (the served model over every asset) or --symbol <SYMBOL> (one asset), not both.', 2);
      if (f.pooled) {
        const horizons = f.horizons ? f.horizons.split(',').map((h) => numberFlag(h.trim(), '--horizons', 'int', 1)!) : [horizonDays];
        const log = (line: string) => void (f.json ? process.stderr : process.stdout).write(`${line}\n`);
        const epochs = numberFlag(f.epochs, '--epochs', 'int', 1);
        const recipe = { ...SERVED_RECIPE, training: { ...SERVED_RECIPE.training, ...(epochs ? { epochs } : {}) } };
        const out = await withDatabase(f, (db) => trainPooledJob(db, {
          horizons, recipe, artifactsRoot: f.out ?? env.artifactsRoot, force: Boolean(f.promote), symbols: f.symbols?.split(',').map((s) => s.trim().toUpperCase()),
          threads: numberFlag(f.threads, '--threads', 'int', 1), mlflowUri: env.mlflowTrackingUri, mlflowExperiment: env.mlflowExperiment,
        }, log));
        if (f.json) process.stdout.write(`${JSON.stringify(out.models)}\n`);
        else for (const m of out.models) process.stdout.write(`${renderPooled(m)}\n`);
        return;
      }
      const engine: EngineName = parseEngine(f.engine);
      const backend: BackendName = parseBackend(f.backend);
      const windowBars = numberFlag(f.window, '--window', 'int', 2) ?? DEFAULT_MODEL_CONFIG.windowBars;
      const reporter = cliReporter(f.json ? 'json' : f.quiet ? 'quiet' : 'bar');
      const symbol = f.symbol!.toUpperCase();
      const { summary, decisions } = await withDatabase(f, async (db) => {
        const summary = await runTraining(
          db,
          {
            symbol, horizonDays, source: f.source, engine, backend,
            threads: numberFlag(f.threads, '--threads', 'int', 1),
            modelConfig: { ...DEFAULT_MODEL_CONFIG, windowBars },
            training: trainingOverrides(f),
            artifactsRoot: f.out ?? env.artifactsRoot, resume: Boolean(f.resume),
            mlflowUri: env.mlflowTrackingUri, mlflowExperiment: env.mlflowExperiment,
          },
          reporter,
        );
        // The gate scores candidate and served model on the candidate's test split, which it never trained on.
        const candidate = await loadFusedModel((await listModels(db.orm)).find((m) => m.id === summary.modelId)!);
        const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
        try {
          const decisions = await runPromotionGate(db, candidate, {
            horizonDays, gate: { startDayMs: day(summary.splitDates.test.start), endDayMs: day(summary.splitDates.test.end) }, symbols: [symbol], force: Boolean(f.promote), load: loadFusedModel,
          }, (line) => reporter.info(line));
          return { summary, decisions };
        } finally {
          candidate.dispose();
        }
      });
      process.stdout.write(f.json ? `${JSON.stringify({ ...summary, promotion: decisions[0] })}\n` : `${renderSummary(summary)}\n${renderDecision(decisions[0]!)}\n`);
    }),
  );
}
