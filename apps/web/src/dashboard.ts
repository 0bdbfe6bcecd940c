// The asset page's controller: pickers (from ?symbol= and ?horizon=, written back as the user picks: url-state.ts),
// data loading, the backend choice (forced by ?backend= or the settings' selector, else measured once and
// remembered) and the error states, each with a way out (Retry). Every load first empties and names all panels for
// the picked asset (asset-panels.ts) and drops answers for an asset no longer picked. Rendering lives in
// prediction-view, price-chart, model-card, evaluation-card and risk-card; this file decides what to show when. The model is fed the candles of
// the series it was trained on (metadata.dataSources, model-inputs.ts), as `coinsphere predict` reads them; the
// risk panel loads on its own beside it (risk-local.ts) and never fails the page.
import { type ModelInputs, readArtifactMetadata, type ReadArtifactFile, windowsFor } from '@coinsphere/model/core';

import {
  type ApiClient,
  type ApiPrediction,
  ApiResponseError,
  ApiShapeError,
  ApiUnreachableError,
  type Asset,
  type Evaluation,
  type HistoryEntry,
} from './api-client.ts';
import { measureBackends } from './auto-backend.ts';
import { AUTO_BACKEND_LABEL, BACKEND_LABELS, type BackendName, BACKENDS, loadAutoChoice, probeWebGpu, saveAutoChoice, type WebGpuProbe } from './backends.ts';
import { type BrowserModel, createBrowserModel } from './browser-model.ts';
import { failPanels, resetPanels, setBusy } from './asset-panels.ts';
import { callName, probabilityWords } from './call-words.ts';
import { byId, h, pct } from './dom.ts';
import { renderGlossary } from './glossary.ts';
import { renderEvaluation } from './evaluation-card.ts';
import { predictLatest, predictRecent } from './inference.ts';
import { qualityVerdict, renderGateDecisions, renderModelCard } from './model-card.ts';
import { clearNotices, diagnose, notify } from './notices.ts';
import { liveLegend, renderTrackRecord, servedRecord } from './track-record-card.ts';
import { monitoringPanel } from './monitoring-flags.ts';
import { fetchModelInputs } from './model-inputs.ts';
import { renderRisk, type RiskPanelState } from './risk-card.ts';
import { computeRiskHere } from './risk-local.ts';
import type { ChartMarker, PriceChart } from './price-chart.ts';
import { showApiPrediction, showBrowserPrediction, showDataAge } from './prediction-view.ts';
import { chooseView, hasModel, horizonOf, writeViewToUrl, type UrlWrite, type ViewChoice } from './url-state.ts';

/** How many past days the chart recomputes in the browser for its small markers. */
const RECENT_DAYS = 120;

/** Everything loaded for one symbol and horizon. */
interface View {
  symbol: string;
  horizonDays: number;
  /** The model's inputs: the asset's candles (also charted) and, for models that read it, the market's. */
  inputs: ModelInputs;
  api: ApiPrediction | null;
  history: HistoryEntry[];
}

/** The running dashboard. */
export class Dashboard {
  private assets: Asset[] = [];
  private view: View | null = null;
  private readonly models = new Map<string, Promise<BrowserModel>>();
  /** One artifact reader per symbol and horizon, so metadata.json is fetched once for the source and the model. */
  private readonly readers = new Map<string, ReadArtifactFile>();
  private webgpu: Promise<WebGpuProbe> = probeWebGpu();
  private firstPrediction = true;
  /** Counts risk panel loads, so an answer for an asset no longer picked is dropped. */
  private riskLoads = 0;
  /** Counts loads, so the answers of an asset no longer picked are dropped. */
  private loads = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly chart: PriceChart,
    /** null: automatic. */
    private forced: BackendName | null,
  ) {}

  /** Loads the asset list, fills the pickers and shows the URL's asset (else BTC, else the first with a model),
   *  saying what of the URL it could not honour. */
  async start(symbol: string | null, horizon: string | null): Promise<void> {
    byId('glossary-box').replaceChildren(renderGlossary());
    this.assets = await this.api.assets();
    const choice = chooseView(this.assets, symbol, horizon);
    if (!choice) {
      throw new UserFacingError('No trained model yet', 'The API lists no asset with a model. Train one: `npx coinsphere train --symbol BTC`, then `npx coinsphere publish`.');
    }
    const picker = byId<HTMLSelectElement>('symbol');
    picker.replaceChildren(
      ...this.assets.map((a) => {
        const option = new Option(hasModel(a) ? a.symbol : `${a.symbol} (no model yet)`, a.symbol, false, a === choice.asset);
        option.disabled = !hasModel(a);
        return option;
      }),
    );
    this.pick(choice);
    picker.onchange = () => void this.guard(() => (this.fillHorizons(this.asset(), null), this.load('push')));
    byId<HTMLSelectElement>('horizon').onchange = () => void this.guard(() => this.load('push'));
    const backendPicker = byId<HTMLSelectElement>('backend');
    // The offered backends and their names come from backends.ts; a reference backend is listed only when ?backend= forced it.
    const offered: BackendName[] = [...BACKENDS, ...(this.forced && !(BACKENDS as readonly string[]).includes(this.forced) ? [this.forced] : [])];
    backendPicker.replaceChildren(new Option(AUTO_BACKEND_LABEL, 'auto'), ...offered.map((b) => new Option(BACKEND_LABELS[b], b)));
    backendPicker.value = this.forced ?? 'auto';
    backendPicker.onchange = () => void this.guard(() => this.setBackend(backendPicker.value === 'auto' ? null : (backendPicker.value as BackendName)));
    await this.load('replace');
  }

  /** Shows what the page's URL names now (Back and Forward: popstate), as on load, saying what it cannot honour. */
  async followUrl(): Promise<void> {
    const params = new URLSearchParams(window.location.search);
    const choice = chooseView(this.assets, params.get('symbol'), params.get('horizon'));
    if (!choice) return;
    this.pick(choice);
    await this.load('replace');
  }

  /** Sets the pickers to `choice` and says, in place of the last such notes, what of the URL it could not honour. */
  private pick(choice: ViewChoice): void {
    clearNotices('url:');
    choice.notes.forEach((note, i) => notify('warning', 'Not shown as asked:', note, `url:${i}`));
    byId<HTMLSelectElement>('symbol').value = choice.asset.symbol;
    this.fillHorizons(choice.asset, choice.horizonDays);
  }

  private asset(): Asset {
    const symbol = byId<HTMLSelectElement>('symbol').value;
    return this.assets.find((a) => a.symbol === symbol)!;
  }

  private fillHorizons(asset: Asset, wanted: number | null): void {
    const h = horizonOf(asset, wanted);
    byId<HTMLSelectElement>('horizon').replaceChildren(...asset.horizons.map((d) => new Option(`${d} days`, String(d), false, d === h)));
  }

  /** Runs `task`, showing its failure as a notice with a Retry that runs it again, instead of losing it. */
  async guard(task: () => Promise<void> | void): Promise<void> {
    try {
      await task();
    } catch (error) {
      failPanels(this.view?.symbol ?? (byId<HTMLSelectElement>('symbol').value || 'The asset'));
      showError(error, () => void this.guard(task));
    }
  }

  private async setBackend(backend: BackendName | null): Promise<void> {
    this.forced = backend;
    const url = new URL(window.location.href);
    if (backend) url.searchParams.set('backend', backend);
    else url.searchParams.delete('backend');
    window.history.replaceState(null, '', url);
    await this.predict();
  }

  /** Fetches candles, the API's prediction and history for the picked asset and horizon, then predicts. */
  private async load(urlWrite: UrlWrite): Promise<void> {
    const asset = this.asset();
    const horizonDays = Number(byId<HTMLSelectElement>('horizon').value);
    const load = ++this.loads;
    const current = () => load === this.loads;
    document.body.dataset.state = 'loading';
    this.view = null;
    clearNotices('load:');
    resetPanels(asset.symbol, horizonDays);
    this.chart.clear(asset.symbol);
    writeViewToUrl(asset.symbol, horizonDays, urlWrite);
    const yearBefore = new Date(Date.parse(`${asset.lastDay}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
    // The full history: features such as EMAs depend on where the series starts, as in `coinsphere predict`.
    const candles = this.inputsOfModel(asset, horizonDays);
    candles.catch(() => this.readers.delete(`${asset.symbol}/${horizonDays}`)); // a failed metadata.json is fetched again on Retry
    void this.loadRisk(asset.symbol); // its own fetches; it never fails the page
    const track = this.api.trackRecord(asset.symbol, horizonDays).catch((error: unknown) => error as Error);
    const [api, history, evaluation, decisions] = await Promise.all([
      this.api.prediction(asset.symbol, horizonDays),
      this.api.history(asset.symbol, horizonDays, yearBefore, asset.lastDay!).catch(() => []),
      this.api.evaluation(asset.symbol, horizonDays).catch((error: unknown) => error as Error),
      this.api.decisions(asset.symbol, horizonDays).catch((error: unknown) => error as Error),
      candles.catch(() => undefined), // awaited below, where its failure is reported
    ]);
    if (!current()) return;
    this.showEvaluation(evaluation, asset.symbol, horizonDays);
    byId('model-gate').replaceChildren(renderGateDecisions(decisions, asset.symbol, horizonDays));
    void track.then((t) => {
      if (!current()) return;
      const record = t instanceof Error ? t : servedRecord(t, api?.modelVersion ?? null);
      byId('track-record').replaceChildren(renderTrackRecord(record, asset.symbol, horizonDays), monitoringPanel(api, asset.symbol, horizonDays, () => this.api.monitoring(asset.symbol, horizonDays)));
      byId('live-summary').textContent = record instanceof Error ? '' : liveLegend(record); // the panel's record, worded once
    });
    const inputs = await candles;
    if (!current()) return;
    this.view = { symbol: asset.symbol, horizonDays, inputs, api, history };
    showDataAge(asset.symbol, api, inputs.candles);
    this.chart.show(asset.symbol, inputs.candles, history.map((p) => ({ asOf: p.asOf, class: p.class, correct: p.outcome?.correct ?? null, origin: 'api' as const })));
    await this.predict();
  }

  /** The risk panel: the API's stored score, then the same score computed here from its model and the candles. */
  private async loadRisk(symbol: string): Promise<void> {
    const load = ++this.riskLoads;
    const show = (s: RiskPanelState) => load === this.riskLoads && byId('risk-panel').replaceChildren(renderRisk(s));
    show({ kind: 'loading', symbol });
    const answer = await this.api.risk(symbol).catch((error: unknown) => error as Error);
    if (answer instanceof Error) return void show({ kind: 'error', symbol, message: answer.message });
    if (!answer.available) return void show({ kind: 'none', symbol, message: answer.message });
    const { risk } = answer;
    if (!risk.inputs) return void show({ kind: 'served', symbol, risk, local: null, localError: null });
    const local = await computeRiskHere(this.api, symbol, risk.inputs).catch((error: unknown) => error as Error);
    if (local instanceof Error) show({ kind: 'served', symbol, risk, local: null, localError: local.message });
    else show({ kind: 'served', symbol, risk, local, localError: null });
  }

  /** What the model reads (fetchModelInputs), its sources taken first from its metadata.json. */
  private async inputsOfModel(asset: Asset, horizonDays: number): Promise<ModelInputs> {
    const metadata = await readArtifactMetadata(this.readerFor(asset.symbol, horizonDays)).catch((error: unknown) => {
      if (error instanceof ApiUnreachableError || error instanceof ApiResponseError) throw error;
      if (NOT_AS_REGISTERED.test((error as Error).message)) throw new UserFacingError('Model artifact not as registered:', (error as Error).message, { cause: error });
      throw new UserFacingError('Model and code out of step:', `${(error as Error).message} Retrain with this version (\`npx coinsphere train\`).`, { cause: error });
    });
    return fetchModelInputs(this.api, metadata, asset, (text) => diagnose('source', `Candle source: ${text}`), RECENT_DAYS);
  }

  /** The walk-forward part of the model card; a failed read is said there and does not stop the page. */
  private showEvaluation(evaluation: Evaluation | null | Error, symbol: string, horizonDays: number): void {
    const box = byId('model-evaluation');
    if (evaluation instanceof Error) box.replaceChildren(h('p', { class: 'muted', 'data-testid': 'evaluation-error' }, `Could not load the evaluation: ${evaluation.message}`));
    else box.replaceChildren(renderEvaluation(evaluation, symbol, horizonDays));
  }

  private readerFor(symbol: string, horizonDays: number): ReadArtifactFile {
    const key = `${symbol}/${horizonDays}`;
    let read = this.readers.get(key);
    if (!read) {
      read = this.api.artifactReader(symbol, horizonDays);
      this.readers.set(key, read);
    }
    return read;
  }

  private modelFor(backend: BackendName): Promise<BrowserModel> {
    const v = this.view!;
    const key = `${v.symbol}/${v.horizonDays}/${backend}`;
    let model = this.models.get(key);
    if (!model) {
      model = createBrowserModel(backend, this.readerFor(v.symbol, v.horizonDays));
      model.catch(() => (this.models.delete(key), this.readers.delete(`${v.symbol}/${v.horizonDays}`))); // a failed file is fetched again next time
      this.models.set(key, model);
    }
    return model;
  }

  /** Which backend to run now, with notices on WebGPU's absence and on fallbacks. */
  private async chooseBackend(): Promise<BackendName> {
    const gpu = await this.webgpu;
    if (!gpu.available) diagnose('webgpu', `WebGPU unavailable: ${gpu.reason}. The dashboard runs on WebAssembly instead.`);
    else if (gpu.software) diagnose('webgpu', `WebGPU is software-rendered here (${gpu.adapter}); it works but slowly.`);
    if (this.forced === 'webgpu' && !gpu.available) {
      notify('warning', 'Fell back:', '?backend=webgpu was asked for, but WebGPU cannot run here; using the fused WebAssembly engine.', 'fallback');
      return 'fused';
    }
    return this.forced ?? loadAutoChoice()?.backend ?? 'fused';
  }

  /** Runs the in-browser prediction for the loaded view and shows it beside the API's. */
  private async predict(): Promise<void> {
    const v = this.view;
    if (!v) return;
    document.body.dataset.state = 'loading';
    setBusy(true);
    const backend = await this.chooseBackend();
    const model = await this.modelFor(backend).catch((error: unknown) => {
      throw classifyModelError(error, backend);
    });
    if (this.view !== v) return;
    byId('model-card').replaceChildren(renderModelCard(model.metadata, v.symbol));
    const verdict = qualityVerdict(model.metadata);
    const quality = byId('quality-verdict');
    quality.dataset.value = verdict.kind;
    quality.replaceChildren(verdict.text, ' ', h('a', { href: '#model-card-title' }, 'Model card'));
    const mine = await predictLatest(model, v.inputs, v.symbol);
    if (this.view !== v) return;
    showBrowserPrediction(mine);
    showApiPrediction(v.api, mine);
    void import('./why-card.ts').then((w) => w.showWhyCard(model, () => this.modelFor('fused'), { symbol: v.symbol, inputs: v.inputs, prediction: mine, served: v.api }));
    this.chart.setCall(`${callName(mine)} (${probabilityWords(mine)})`);
    document.body.dataset.state = 'ready';
    setBusy(false);
    if (this.firstPrediction) {
      this.firstPrediction = false;
      performance.mark('coinsphere:first-prediction', { detail: { backend, inferenceMs: mine.inferenceMs } });
    }
    if (backend !== 'webgpu') void this.guard(() => this.markRecent(model, v));
    if (!this.forced && !loadAutoChoice()) void this.guard(() => this.measure(model, v, backend));
  }

  /** Recomputes the last RECENT_DAYS predictions whose horizon has passed and marks them on the chart. */
  private async markRecent(model: BrowserModel, v: View): Promise<void> {
    const recent = await predictRecent(model, v.inputs, v.symbol, RECENT_DAYS);
    if (this.view !== v) return;
    const marks: ChartMarker[] = [
      ...v.history.map((p) => ({ asOf: p.asOf, class: p.class, correct: p.outcome?.correct ?? null, origin: 'api' as const })),
      ...recent.map((r) => ({ asOf: r.asOf, class: r.class, correct: r.correct, origin: 'browser' as const })),
    ];
    this.chart.show(v.symbol, v.inputs.candles, marks);
    const hits = recent.filter((r) => r.correct).length;
    byId('recent-summary').textContent = recent.length ? `Backtest, recomputed here with today's model: ${hits} of ${recent.length} recent days came true (${pct(hits / recent.length)}).` : '';
  }

  /** First visit: measures every backend that starts here, remembers the fastest and switches to it. */
  private async measure(current: BrowserModel, v: View, used: BackendName): Promise<void> {
    const gpu = await this.webgpu;
    const x = windowsFor(current.metadata, v.symbol, v.inputs, [v.inputs.candles.length - 1]); // [1, windowBars, nFeatures]
    // WebGPU last (shader compilation makes its first call the slowest); skipped on a software adapter, where
    // one window takes tens of seconds (SwiftShader: see BENCHMARKS.md) and the measurement would burn the CPU.
    const candidates = [...BACKENDS.filter((b) => b !== 'webgpu'), ...(gpu.available && !gpu.software ? (['webgpu'] as const) : [])];
    const choice = await measureBackends({ candidates, modelFor: (b) => this.modelFor(b), x });
    saveAutoChoice(choice);
    const times = candidates.map((b) => `${b} ${choice.medianMs[b] == null ? 'failed' : `${choice.medianMs[b]!.toFixed(2)} ms`}`).join(', ') + (gpu.available && gpu.software ? ', webgpu not tried (software adapter)' : '');
    diagnose('auto', `Automatic backend: ${BACKEND_LABELS[choice.backend]}. Measured one window: ${times}. Remembered for next time; pick another above to force it.`);
    if (!this.forced && choice.backend !== used && this.view === v) await this.predict();
  }
}

/** An error whose title and text are written for the person looking at the page. */
export class UserFacingError extends Error {
  constructor(
    readonly title: string,
    text: string,
    options?: ErrorOptions,
  ) {
    super(text, options);
  }
}

/** An artifact refused because it is not what was registered (its digest differs, or none was recorded). */
const NOT_AS_REGISTERED = /the registry records|without an artifact digest/;

function classifyModelError(error: unknown, backend: BackendName): UserFacingError {
  const message = error instanceof Error ? error.message : String(error);
  if (NOT_AS_REGISTERED.test(message)) return new UserFacingError('Model artifact not as registered:', message, { cause: error }); // the message ends with its fix
  if (/sha256|Feature schema|schemaVersion|metadata\.json|does not match/i.test(message)) {
    return new UserFacingError('Model and code out of step:', `${message} Retrain with this version (\`npx coinsphere train\`) or open the dashboard built with the code that trained the model.`, { cause: error });
  }
  return new UserFacingError(`The ${BACKEND_LABELS[backend]} backend could not load the model:`, `${message} Pick another backend in "Settings and diagnostics" at the bottom of the page.`, { cause: error });
}

/** Shows any failure as an error notice that says what to do, with a Retry button when `retry` is given. */
export function showError(error: unknown, retry?: () => void): void {
  document.body.dataset.state = 'error';
  setBusy(false);
  const action = retry ? { label: 'Retry', run: retry } : undefined;
  if (error instanceof UserFacingError) notify('error', error.title, error.message, 'load:error', action);
  else if (error instanceof ApiUnreachableError) notify('error', 'API unreachable:', error.message, 'load:error', action);
  else if (error instanceof ApiShapeError) {
    const words = `${error.baseUrl} does not answer as a Coinsphere API of this version (its ${error.path.split('?')[0]} came back in another shape). Check the address in ?api=, or open the dashboard without it to use this page's own server.`;
    notify('error', 'Not a Coinsphere API:', words, 'load:error', action);
  }
  else if (error instanceof Error && error.message.startsWith('Not enough history')) {
    notify('error', 'Not enough history:', `${error.message} Ingest a longer history (\`npx coinsphere ingest --csv <file>\`) or pick another asset.`, 'load:error', action);
  } else notify('error', 'Something failed:', error instanceof Error ? error.message : String(error), 'load:error', action);
}
