// `coinsphere train --symbol BTC [--horizon 7] [--engine fused|tfjs|webgpu] [--backend …] [--epochs …] [--resume] [--json]`:
// trains one model with the specification's TRAINING_CONFIG unless flags override it, prints the resolved config
// once, shows progress, and ends with the test metrics beside the baselines. --json prints one summary object.
// Flags → options (trainOptions) → job (jobs/train-asset-job.ts, jobs/train-pooled-job.ts) → output (render*).
import { DEFAULT_MODEL_CONFIG, DEFAULT_TRAINING_CONFIG, SERVED_RECIPE, type PooledRecipe, type TrainingConfig } from '@coinsphere/model/core';
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { readTrainerEnv, type TrainerEnv } from '../cli/env.ts';
import { action } from '../cli/errors.ts';
import { flag, horizonList, intIn, numberIn, oneOf, positiveInt, symbol, symbolList, UsageError } from '../cli/flags.ts';
import { BACKENDS, type BackendName } from '../backend-names.ts';
import { ENGINES, type EngineName } from '../training/engines.ts';
import { cliReporter } from '../training/progress.ts';
import { formatConfusion, formatEvaluation } from '../training/report-format.ts';
import type { TrainSummary } from '../training/run-training.ts';
import type { GateDecision } from '../training/promotion-gate.ts';
import { trainAssetJob, type AssetTrainJobOptions } from '../jobs/train-asset-job.ts';
import { trainPooledJob, type PooledTrainedModel, type PooledTrainJobOptions } from '../jobs/train-pooled-job.ts';

/** The flags of `train`, as the flag parsers typed them. */
export interface TrainFlags extends DbOption {
  symbol?: string;
  pooled?: boolean;
  horizon: number;
  horizons?: number[];
  symbols?: string[];
  promote?: boolean;
  source?: string;
  engine: EngineName;
  backend: BackendName;
  threads?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  patience?: number;
  weightDecay?: number;
  seed?: number;
  window?: number;
  out?: string;
  resume?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/** The training overrides given on the command line. */
export function trainingOverrides(f: TrainFlags): Partial<TrainingConfig> {
  const o: Partial<TrainingConfig> = { epochs: f.epochs, batchSize: f.batchSize, learningRate: f.lr, patience: f.patience, weightDecay: f.weightDecay, seed: f.seed };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The served recipe with --epochs (when given) as its epoch cap. */
export function recipeWithEpochs(epochs: number | undefined): PooledRecipe {
  return { ...SERVED_RECIPE, training: { ...SERVED_RECIPE.training, ...(epochs ? { epochs } : {}) } };
}

/** The job a `train` command line asks for; throws UsageError when it asks for both kinds or neither. */
export function trainOptions(f: TrainFlags, env: TrainerEnv): { kind: 'pooled'; options: PooledTrainJobOptions } | { kind: 'asset'; options: AssetTrainJobOptions } {
  if (f.pooled === Boolean(f.symbol)) throw new UsageError('Pass --pooled (the served model over every asset) or --symbol <SYMBOL> (one asset), not both.');
  const common = { artifactsRoot: f.out ?? env.artifactsRoot, force: Boolean(f.promote), threads: f.threads, mlflowUri: env.mlflowTrackingUri, mlflowExperiment: env.mlflowExperiment };
  if (f.pooled) return { kind: 'pooled', options: { ...common, horizons: f.horizons ?? [f.horizon], recipe: recipeWithEpochs(f.epochs), symbols: f.symbols } };
  return {
    kind: 'asset',
    options: {
      ...common, symbol: f.symbol!, horizonDays: f.horizon, source: f.source, engine: f.engine, backend: f.backend,
      modelConfig: { ...DEFAULT_MODEL_CONFIG, windowBars: f.window ?? DEFAULT_MODEL_CONFIG.windowBars }, training: trainingOverrides(f), resume: Boolean(f.resume),
    },
  };
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

function declareFlags(command: Command): Command {
  const d = DEFAULT_TRAINING_CONFIG;
  command
    .option('--pooled', 'train the served pooled recipe over every asset of the database (the product\'s model)');
  flag(command, '--symbol <symbol>', 'train the specification\'s model for this one asset, e.g. BTC', symbol);
  flag(command, '--horizon <days>', 'label horizon in days: 7, 14 or 30', positiveInt, 7);
  flag(command, '--horizons <list>', 'with --pooled: several horizons, e.g. 7,14,30 (overrides --horizon)', horizonList);
  flag(command, '--symbols <list>', 'with --pooled: only these assets of the universe', symbolList);
  command
    .option('--promote', 'serve the new model whatever the promotion gate finds (the decision says it was forced)')
    .option('--source <source>', 'candle source (default: the longest history for the symbol)');
  flag(command, '--engine <engine>', 'fused (WebAssembly, fast on CPU), tfjs (reference; any tfjs backend) or webgpu (WGSL kernels through Dawn; a GPU, or SwiftShader with VK_ICD_FILENAMES)', oneOf(ENGINES), 'fused');
  flag(command, '--backend <backend>', 'tfjs backend for --engine tfjs: auto, node-gpu, node, webgpu, wasm, cpu', oneOf(BACKENDS), 'auto');
  flag(command, '--threads <n>', 'fused engine threads (default: all cores)', positiveInt);
  flag(command, '--epochs <n>', `maximum epochs (default ${d.epochs})`, positiveInt);
  flag(command, '--batch-size <n>', `batch size (default ${d.batchSize})`, positiveInt);
  flag(command, '--lr <rate>', `Adam learning rate (default ${d.learningRate})`, numberIn(0));
  flag(command, '--patience <n>', `early-stopping patience on validation loss (default ${d.patience})`, positiveInt);
  flag(command, '--weight-decay <wd>', `L2 added to the gradient, PyTorch Adam style (default ${d.weightDecay})`, numberIn(0));
  flag(command, '--seed <n>', `seed for weights, shuffles and dropout (default ${d.seed})`, intIn(0));
  flag(command, '--window <days>', `days per input window (default ${DEFAULT_MODEL_CONFIG.windowBars})`, intIn(2));
  return command
    .option('--out <folder>', 'artifacts root (default: $COINSPHERE_ARTIFACTS or ./artifacts)')
    .option('--resume', 'continue the last interrupted run of this symbol and horizon from its checkpoint')
    .option('--quiet', 'print only the final summary')
    .option('--json', 'print one JSON summary object (with artifactDir and metrics) and nothing else on stdout');
}

async function train(f: TrainFlags): Promise<void> {
  const job = trainOptions(f, readTrainerEnv());
  if (job.kind === 'pooled') {
    const log = (line: string) => void (f.json ? process.stderr : process.stdout).write(`${line}\n`);
    const out = await withDatabase(f, (db) => trainPooledJob(db, job.options, log));
    process.stdout.write(f.json ? `${JSON.stringify(out.models)}\n` : out.models.map((m) => `${renderPooled(m)}\n`).join(''));
    return;
  }
  const reporter = cliReporter(f.json ? 'json' : f.quiet ? 'quiet' : 'bar');
  const { summary, decision } = await withDatabase(f, (db) => trainAssetJob(db, job.options, reporter));
  process.stdout.write(f.json ? `${JSON.stringify({ ...summary, promotion: decision })}\n` : `${renderSummary(summary)}\n${renderDecision(decision)}\n`);
}

/** Registers `train`. */
export function register(program: Command): void {
  const command = program
    .command('train')
    .description('Train a candidate (the served pooled recipe over every asset with --pooled, or one asset\'s specification model), export its artifact, and serve it where the promotion gate finds it not worse than the model it replaces');
  addDbOption(declareFlags(command)).action(action(train));
}
