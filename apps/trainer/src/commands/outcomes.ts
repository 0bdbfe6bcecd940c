// `coinsphere outcomes [--json]`: records the baselines of predictions published before baselines were, resolves every
// published prediction whose horizon has passed and whose closing candle is in (jobs/track-record-job.ts;
// idempotent: a second run records nothing and says so), then prints each
// asset and horizon's live record as the API serves it (computeTrackRecords through DrizzleStore): resolved
// predictions, the model's hit rate beside chance and the baselines on the same days. Live figures only; the
// walk-forward's backtest is `coinsphere evaluate`'s. Flags → job → output.
import { trackedSeries } from '@coinsphere/data';
import type { TrackRecord } from '@coinsphere/serving/contract';
import { DrizzleStore } from '@coinsphere/serving/node';
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { action, CliError } from '../cli/errors.ts';
import { backfillBaselines, renderOutcomesLine, resolveOutcomes, type OutcomesResult } from '../jobs/track-record-job.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** One line per live record: its since-live window, the model beside chance and each recorded baseline. */
export function renderTrackRecords(records: readonly TrackRecord[]): string[] {
  return records.map((r) => {
    const w = r.windows.find((x) => x.window === 'live')!;
    const head = `${r.symbol} ${r.horizonDays}d model ${r.modelVersion} (live since ${r.liveSince}): ${r.resolved} of ${r.published} resolved`;
    if (!w.model) return `${head}; nothing to score yet${r.withoutBaselines ? ` (${r.withoutBaselines} resolved before baselines were recorded, left out)` : ''}.`;
    const ci = (e: { estimate: number; lower: number; upper: number }) => `${pct(e.estimate)} [${pct(e.lower)}, ${pct(e.upper)}]`;
    const baselines = Object.entries(w.baselines).filter(([, f]) => f !== null).map(([name, f]) => `${name} ${pct(f!.accuracy.estimate)}`);
    return `${head}; LIVE: right ${ci(w.model.accuracy)} of ${w.resolved} (chance ${pct(w.chanceAccuracy)}; ${baselines.join(', ')}), Brier ${w.model.brier.estimate.toFixed(3)}.`;
  });
}

/** Resolves outcomes in the database of `opts` and reads back every live record; throws when nothing was published. */
export async function runOutcomes(opts: DbOption): Promise<{ outcomes: OutcomesResult; backfilledBaselines: number; records: TrackRecord[] }> {
  return withDatabase(opts, async (db) => {
    const series = await trackedSeries(db.orm);
    if (series.length === 0) throw new CliError('No published predictions to resolve; publish some with `coinsphere publish` (or `coinsphere start`) first.', 2);
    const backfilledBaselines = await backfillBaselines(db);
    const outcomes = await resolveOutcomes(db);
    const store = new DrizzleStore(db);
    const records = (await Promise.all(series.map((s) => store.trackRecord(s.symbol, s.horizonDays)))).flat();
    return { outcomes, backfilledBaselines, records };
  });
}

/** Registers `outcomes`. */
export function register(program: Command): void {
  addDbOption(program.command('outcomes').description('Record the realised class of every published prediction whose horizon has passed, and print the live track record'))
    .option('--json', 'print { outcomes, backfilledBaselines, records } as JSON (records: as GET /v1/track-record serves them)')
    .action(
      action(async (f: DbOption & { json?: boolean }) => {
        const { outcomes, backfilledBaselines, records } = await runOutcomes(f);
        const backfilled = backfilledBaselines ? [`Baselines recorded for ${backfilledBaselines} prediction${backfilledBaselines === 1 ? '' : 's'} published before they were (from candles up to each as-of day).`] : [];
        process.stdout.write(f.json ? `${JSON.stringify({ outcomes, backfilledBaselines, records }, null, 2)}\n` : `${[renderOutcomesLine(outcomes), ...backfilled, ...renderTrackRecords(records)].join('\n')}\n`);
      }),
    );
}
