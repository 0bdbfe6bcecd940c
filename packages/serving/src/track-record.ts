// The live track record (issue #16), computed once here and nowhere else: the Node API (DrizzleStore), publish
// --edge (which pushes it to the Worker) and the dashboard all show what this returns. Per model version of one
// asset and horizon, over the last 30/90/365 days and since it went live: accuracy, macro-F1, Brier and a
// reliability table of the model and of each baseline recorded with it, on the same resolved predictions, with
// moving-block bootstrap intervals. Live only: walk-forward figures never enter it. Pure; must not import node:*.
import { argmax, blockBootstrap, CLASS_NAMES, computeMetrics, confusionMetrics, DAY_MS, type ClassName } from '@coinsphere/model/core';
import { TRACK_RECORD_BASELINES, TRACK_RECORD_WINDOWS, type TrackFigures, type TrackRecord, type TrackDay, type TrackRecordBaseline, type TrackWindow } from './contract/index.ts';

type Probabilities = Record<ClassName, number>;

/** One published prediction as the record reads it: its call, its realised class (null while pending) and the
 *  baselines' calls recorded with it (null when publish recorded none). */
export interface TrackRecordRow {
  asOf: string;
  modelVersion: string;
  probabilities: Probabilities;
  realisedClass: ClassName | null;
  baselines: Partial<Record<TrackRecordBaseline, Probabilities>> | null;
}

/** Days each window reaches back from the newest resolved prediction (that day included); null: since it went live. */
export const TRACK_WINDOW_DAYS: Record<(typeof TRACK_RECORD_WINDOWS)[number], number | null> = { '30d': 30, '90d': 90, '365d': 365, live: null };

/** Bootstrap resamples and seed: fixed, so the same rows always give the same intervals (and the same ETag). */
const BOOTSTRAP = { iterations: 500, seed: 16 };
const RELIABILITY_BINS = 5;

/**
 * The live records of `symbol` at `horizonDays`, one per model version (ordered by when it went live), from every
 * prediction that version published (`rows`, any order). A window counts the resolved predictions with baselines
 * recorded whose asOf lies within its days of the newest such one; a baseline's figures are null unless it was
 * recorded for every one of them.
 */
export function computeTrackRecords(symbol: string, horizonDays: number, rows: readonly TrackRecordRow[]): TrackRecord[] {
  const byModel = new Map<string, TrackRecordRow[]>();
  for (const r of [...rows].sort((a, b) => a.asOf.localeCompare(b.asOf))) (byModel.get(r.modelVersion) ?? byModel.set(r.modelVersion, []).get(r.modelVersion)!).push(r);
  return [...byModel.entries()].map(([modelVersion, own]) => {
    const resolved = own.filter((r) => r.realisedClass !== null);
    const counted = resolved.filter((r) => r.baselines !== null);
    return {
      kind: 'live' as const,
      symbol,
      horizonDays,
      modelVersion,
      liveSince: own[0]!.asOf,
      published: own.length,
      resolved: resolved.length,
      pending: own.length - resolved.length,
      withoutBaselines: resolved.length - counted.length,
      windows: TRACK_RECORD_WINDOWS.map((w) => trackWindow(w, counted, horizonDays)),
      resolvedDays: counted.map(trackDay),
    };
  });
}

/** Whether a row's call and each recorded baseline's came true (the top class as the figures take it). */
function trackDay(r: TrackRecordRow): TrackDay {
  const right = (p: Probabilities) => CLASS_NAMES[argmax(probsOf([p]), 0, CLASS_NAMES.length)] === r.realisedClass;
  const baselineHits: TrackDay['baselineHits'] = {};
  for (const b of TRACK_RECORD_BASELINES) {
    const call = r.baselines?.[b];
    if (call) baselineHits[b] = right(call);
  }
  return { asOf: r.asOf, hit: right(r.probabilities), baselineHits };
}

/** One window of a model's counted rows (oldest first). */
function trackWindow(window: TrackWindow['window'], counted: readonly TrackRecordRow[], horizonDays: number): TrackWindow {
  const days = TRACK_WINDOW_DAYS[window];
  const newestMs = counted.length ? dayMs(counted.at(-1)!.asOf) : 0;
  const rows = days === null ? counted : counted.filter((r) => dayMs(r.asOf) > newestMs - days * DAY_MS);
  const empty = { persistence: null, majority: null, momentum: null, logistic: null };
  const base = { window, fromDay: rows[0]?.asOf ?? null, toDay: rows.at(-1)?.asOf ?? null, resolved: rows.length, chanceAccuracy: 1 / CLASS_NAMES.length };
  if (rows.length === 0) return { ...base, model: null, baselines: empty };
  const labels = Int32Array.from(rows, (r) => CLASS_NAMES.indexOf(r.realisedClass!));
  const predictors: Array<[string, Float64Array]> = [['model', probsOf(rows.map((r) => r.probabilities))]];
  for (const b of TRACK_RECORD_BASELINES) {
    const calls = rows.map((r) => r.baselines?.[b]);
    if (calls.every((c) => c !== undefined)) predictors.push([b, probsOf(calls as Probabilities[])]);
  }
  const figures = figuresWithIntervals(predictors, labels, Float64Array.from(rows, (r) => dayMs(r.asOf)), horizonDays);
  return { ...base, model: figures.get('model')!, baselines: { ...empty, ...Object.fromEntries(TRACK_RECORD_BASELINES.filter((b) => figures.has(b)).map((b) => [b, figures.get(b)!])) } };
}

/** Every predictor's figures; all are resampled with the same blocks of days, so their intervals are comparable. A
 *  resample counts confusions over per-row calls and Brier terms computed once (computeMetrics' definitions, which
 *  give the estimates' reliability tables), so a record of years of days stays a few milliseconds. */
function figuresWithIntervals(predictors: ReadonlyArray<[string, Float64Array]>, labels: Int32Array, days: Float64Array, horizonDays: number): Map<string, TrackFigures> {
  const k = CLASS_NAMES.length;
  const n = labels.length;
  const cells = predictors.map(([, probs]) => Int32Array.from({ length: n }, (_, i) => labels[i]! * k + argmax(probs, i * k, k))); // [n] confusion cell: true * 3 + top class
  const brierTerms = predictors.map(([, probs]) => Float64Array.from({ length: n }, (_, i) => CLASS_NAMES.reduce((s, _c, c) => s + (probs[i * k + c]! - (c === labels[i] ? 1 : 0)) ** 2, 0)));
  const counts = new Int32Array(k * k);
  const stats = (idx: Int32Array) =>
    predictors.flatMap((_, j) => {
      const cell = cells[j]!;
      const terms = brierTerms[j]!;
      counts.fill(0);
      let brier = 0;
      for (let i = 0; i < idx.length; i++) {
        const row = idx[i]!;
        counts[cell[row]!]!++;
        brier += terms[row]!;
      }
      const { correct, macroF1 } = confusionMetrics(CLASS_NAMES.map((_c, t) => Array.from(counts.subarray(t * k, t * k + k))));
      return [correct / idx.length, macroF1, brier / idx.length];
    });
  const ci = blockBootstrap(n, stats, { ...BOOTSTRAP, blockLength: horizonDays, days });
  return new Map(
    predictors.map(([name, probs], j) => {
      const [accuracy, macroF1, brier] = [ci[3 * j]!, ci[3 * j + 1]!, ci[3 * j + 2]!];
      return [name, { accuracy, macroF1, brier, reliability: computeMetrics(probs, labels, RELIABILITY_BINS).reliability }];
    }),
  );
}

const probsOf = (ps: readonly Probabilities[]) => Float64Array.from(ps.flatMap((p) => CLASS_NAMES.map((c) => p[c]))); // [n, 3]
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
