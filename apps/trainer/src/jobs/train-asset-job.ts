// The one-asset training job (`coinsphere train --symbol`): train the specification's model for one asset
// (runTraining), then put the candidate through the promotion gate on its own test split, which it never trained
// on. Prints nothing: progress goes to the reporter. The CLI composes it; see train-pooled-job.ts for --pooled.
import { listModels, type Database } from '@coinsphere/data';
import { runPromotionGate, type GateDecision } from '../training/promotion-gate.ts';
import { runTraining, type TrainOptions, type TrainReporter, type TrainSummary } from '../training/run-training.ts';
import { loadFusedModel } from './train-pooled-job.ts';

/** Options of trainAssetJob: a training run's, and whether to serve the candidate whatever the gate finds. */
export interface AssetTrainJobOptions extends TrainOptions {
  force: boolean;
}

/** Trains, registers and gates one asset's model; returns the run's summary and the gate's decision. */
export async function trainAssetJob(db: Database, opts: AssetTrainJobOptions, reporter: TrainReporter): Promise<{ summary: TrainSummary; decision: GateDecision }> {
  const summary = await runTraining(db, opts, reporter);
  const load = loadFusedModel(opts.artifactsRoot);
  const candidate = await load((await listModels(db.orm)).find((m) => m.id === summary.modelId)!);
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
  try {
    const [decision] = await runPromotionGate(db, candidate, {
      horizonDays: opts.horizonDays, gate: { startDayMs: day(summary.splitDates.test.start), endDayMs: day(summary.splitDates.test.end) },
      symbols: [summary.symbol], force: opts.force, load,
    }, (line) => reporter.info(line));
    return { summary, decision: decision! };
  } finally {
    candidate.dispose();
  }
}
