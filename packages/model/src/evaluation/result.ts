// The shape of a walk-forward evaluation result: what `coinsphere evaluate --json` prints, report.json holds,
// the `evaluations` table stores and the dashboard's model card draws. Types and one verdict rule only, so the
// trainer, the API and the browser agree on it. Pure; no tfjs, no node:*.
import type { ModelConfig } from '../lstm-model-config.ts';
import type { TrainingConfig } from '../training-config.ts';
import type { ConfidenceInterval } from './bootstrap.ts';
import type { ImportanceSummary } from './permutation-importance.ts';
import type { PredictionSummary } from './summary.ts';
import type { TargetCheck } from './targets.ts';
import type { VersusBestSummary } from './versus-best.ts';
import type { StrategyResult } from './trading.ts';

/** Everything an evaluation was run with (the CLI fills it from flags; the result keeps it). */
export interface EvaluationConfig {
  symbols: string[];
  horizons: number[];
  source?: string;
  foldDays: number;
  /** Rolling history in samples; undefined = expanding. */
  windowDays?: number;
  minTrainDays: number;
  maxFolds?: number;
  gapDays?: number;
  pooled: boolean;
  jobs: number;
  modelConfig: ModelConfig;
  training: TrainingConfig;
  trading: { minConfidence: number; feeBps: number; slippageBps: number; allowShort: boolean };
  bootstrapIterations: number;
  /** 'spec' or 'quick', recorded in the output. */
  preset: string;
}

/** What a walk-forward plan should cost, estimated before it runs (`coinsphere evaluate --plan`). */
export interface PlanEstimate {
  tasks: number;
  pooledTasks: number;
  /** Training and validation windows summed over every task (one epoch each). */
  trainWindows: number;
  valWindows: number;
  /** CPU ms per window on one engine thread, measured on the machine that runs the plan. */
  cost: { trainMs: number; validateMs: number };
  /** Epochs per fold model: the fewest early stopping allows (best epoch 0), and the typical count (best epoch 2,
   * as measured on the real files, so patience + 3); both capped by the epoch limit. */
  epochs: { min: number; typical: number };
  /** Processes running at full speed at once: min(jobs, cores, tasks). */
  parallel: number;
  cpuMs: { min: number; typical: number };
  wallMs: { min: number; typical: number };
}

/** One fold of one asset, compact: accuracy, log loss and ECE with intervals per predictor. */
export interface FoldRow {
  index: number;
  testStart: string;
  testEnd: string;
  n: number;
  nTrain: number;
  temperature: number;
  epochsRun: number;
  predictors: Record<string, { accuracy: ConfidenceInterval; logLoss: ConfidenceInterval; ece: ConfidenceInterval }>;
}

/** A strategy's statistics without its daily curve. */
export type StrategyStats = Omit<StrategyResult, 'equity'>;

/** Trading results of one asset over all its test blocks. */
export interface TradingSummary {
  days: number;
  start: string;
  end: string;
  strategies: Record<string, StrategyStats>;
  /** Equity curves (start 1), one value per test day, rounded to 4 decimals; 'buyAndHold' included. */
  equity: Record<string, number[]>;
  dayMs: number[];
}

/** One asset at one horizon. */
export interface AssetResult {
  symbol: string;
  horizonDays: number;
  folds: FoldRow[];
  overall: PredictionSummary;
  calibration: { temperatures: number[]; eceUncalibrated: ConfidenceInterval; eceCalibrated: ConfidenceInterval };
  trading: TradingSummary;
}

/** One horizon: each asset and all assets pooled. */
export interface HorizonResult {
  horizonDays: number;
  assets: Record<string, AssetResult>;
  pooledAssets: PredictionSummary;
  /** The model against the best baseline of each metric, over every asset's rows. */
  versusBest?: VersusBestSummary;
  /** Each feature's permutation importance on every fold's test rows, pooled over the assets (null when no fold
   *  measured it: results from before #18). */
  importance?: ImportanceSummary | null;
}

/** The object `coinsphere evaluate --json` prints and report.json holds. */
export interface EvaluationResult {
  generatedAt: string;
  preset: string;
  config: EvaluationConfig;
  data: Record<string, { source: string; first: string; last: string; days: number }>;
  horizons: HorizonResult[];
  targets: TargetCheck[];
  /** Assets left out of a horizon because their history fits no walk-forward fold, with the reason. */
  skipped?: Array<{ symbol: string; horizonDays: number; reason: string }>;
  timing?: {
    wallMs: number;
    /** This process and every child process, startup included. */
    cpuMs: number;
    tasks: number;
    /** Of `tasks`, those taken from the fold cache (finished by an earlier run); their times are that run's. */
    cachedTasks?: number;
    taskWallMs: number;
    jobs: number;
    cores: number;
    /** What the plan was expected to cost before it ran, to hold against the figures above. */
    estimate?: PlanEstimate;
    /** Of the folds' wall time, what the permutation importance took (summed over folds), ms. */
    importanceMs?: number;
    /** Each fold model: training rows, epochs run, wall and CPU time of its own process while it ran. */
    perTask: { id: string; nTrain: number; epochsRun: number; wallMs: number; cpuMs: number }[];
  };
  notes: string[];
}

/** One sentence on the model against a baseline, read from the interval of the accuracy difference. */
export function verdict(d: ConfidenceInterval): 'better' | 'worse' | 'no clear difference' {
  return d.lower > 0 ? 'better' : d.upper < 0 ? 'worse' : 'no clear difference';
}
