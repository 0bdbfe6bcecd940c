// `coinsphere evaluate --risk [--db DIR] [--symbols A,B] [--bootstrap n] [--json] [--report <folder>]`: the risk
// module's walk-forward evaluation (evaluateRisk) over the daily candles in the database, the newest-reaching series of
// each asset as publish scores them: HAR against the naive variance forecasts, the drawdown probabilities against the
// climatological rate, the score's rank correlation beside trailing volatility's, and whether issue #15's targets
// hold. Flags of the LSTM's evaluation are refused with --risk. Nothing is stored; the report is written whole.
import { computeRiskPanel, DEFAULT_RISK_OPTIONS, evaluateRisk, toIsoDay, type RiskEvaluation, type RiskSeries } from '@coinsphere/model/core';
import type { Command, Option } from 'commander';
import { withDatabase, type DbOption } from '../cli/database.ts';
import { CliError } from '../cli/errors.ts';
import { UsageError } from '../cli/flags.ts';
import { formatRiskEvaluation } from '../evaluation/risk-format-text.ts';
import { writeRiskReport, type RiskEvaluationReport } from '../evaluation/risk-report.ts';
import { scoreVolatilityBins } from '../evaluation/risk-score-bins.ts';
import { checkRiskTargets } from '../evaluation/risk-targets.ts';
import type { Log } from '../evaluation/run-evaluation.ts';
import { readRiskSeries } from '../jobs/risk-series.ts';

/** The options of `evaluate` that --risk reads; every other one given on the command line is refused. */
export const RISK_OPTION_NAMES = ['risk', 'db', 'symbols', 'bootstrap', 'json', 'report'] as const;

/** The flags `evaluate --risk` takes, as the flag parsers typed them. */
export interface RiskEvaluateFlags extends DbOption {
  /** [] = every asset with daily candles. */
  symbols: string[];
  bootstrap: number;
  json?: boolean;
  report?: string;
}

/** The spelling the user typed for the option stored as `key` (`--no-cache` when its value is false). */
function typedFlag(command: Command, key: string): string {
  const value = command.getOptionValue(key) as unknown;
  const options = command.options.filter((o: Option) => o.attributeName() === key);
  const typed = options.find((o) => o.negate === (value === false)) ?? options[0];
  return typed?.long ?? `--${key}`;
}

/** Throws a UsageError naming every flag given on the command line that --risk does not read, and the fix. */
export function refuseNonRiskFlags(command: Command): void {
  const keys = [...new Set(command.options.map((o) => o.attributeName()))];
  const given = keys.filter((k) => !(RISK_OPTION_NAMES as readonly string[]).includes(k) && command.getOptionValueSource(k) === 'cli');
  if (given.length === 0) return;
  const flags = given.map((k) => typedFlag(command, k));
  throw new UsageError(
    `${flags.join(', ')} ${flags.length > 1 ? 'do' : 'does'} not apply to --risk, which evaluates the risk model on its fixed 7- and 30-day horizons and takes only ${RISK_OPTION_NAMES.filter((n) => n !== 'risk').map((n) => `--${n}`).join(', ')}: drop ${flags.length > 1 ? 'them' : 'it'}, or drop --risk to evaluate the LSTM.`,
  );
}

/** evaluateRisk on `series`, its failures (too little history for a part to have rows) as a CliError naming the fix. */
export function evaluateRiskSeries(series: readonly RiskSeries[], bootstrapIterations: number): RiskEvaluation {
  const minAssets = DEFAULT_RISK_OPTIONS.minAssetsForPercentile;
  if (series.length < minAssets) {
    throw new CliError(`The risk evaluation needs the daily candles of at least ${minAssets} assets (each is ranked among the others on liquidity); found ${series.length}${series.length ? ` (${series.map((s) => s.symbol).join(', ')})` : ''}. Ingest more assets (\`coinsphere ingest --csv <folder>\`) or name more in --symbols.`, 2);
  }
  try {
    return evaluateRisk(series, { bootstrapIterations });
  } catch (error) {
    const from = toIsoDay(DEFAULT_RISK_OPTIONS.selectUntilMs);
    throw new CliError(`Too little daily history to evaluate the risk model: ${(error as Error).message} The fits need ${DEFAULT_RISK_OPTIONS.minTrainRows} pooled past rows, the HAR variant is chosen on days before ${from} and figures are reported from ${from} on, each with 30 days of outcomes after it: ingest longer daily histories that reach past ${from} by a few months (\`coinsphere status\` lists them).`, 2, { cause: error });
  }
}

/** Runs `evaluate --risk`: reads the series, evaluates, writes the report (--report), prints tables or JSON. */
export async function evaluateRiskCommand(f: RiskEvaluateFlags, log: Log): Promise<void> {
  const { series, excluded } = await withDatabase(f, (db) => readRiskSeries(db, f.symbols.length > 0 ? f.symbols : undefined));
  if (excluded.length > 0) log(`Left out, as publish leaves them out: ${excluded.map((e) => `${e.symbol} (${e.reason}: ${e.detail})`).join('; ')}`);
  log(`Evaluating the risk model walk-forward on ${series.length} assets' daily candles (${f.bootstrap} bootstrap draws)...`);
  const evaluation = evaluateRiskSeries(series, f.bootstrap);
  const report: RiskEvaluationReport = { ...evaluation, targets: checkRiskTargets(evaluation) };
  if (f.report) {
    const bins = scoreVolatilityBins(computeRiskPanel(series), evaluation.evaluateFromMs); // the same default options as evaluateRisk's panel
    log(`Report: ${await writeRiskReport(f.report, report, bins)}`);
  }
  process.stdout.write(f.json ? `${JSON.stringify(report)}\n` : `${formatRiskEvaluation(evaluation, report.targets)}\n`);
}
