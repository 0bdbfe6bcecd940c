// The fixed list of in-browser backends (and tfjs's WebGPU as a reference), parsing a requested name (from
// `?backend=` or the selector) with an error that lists the allowed ones, the WebGPU probe and the remembered
// automatic choice. Browser-only.
/// <reference types="@webgpu/types" />

/** Backends the dashboard offers and chooses among: our WebGPU engine, tfjs on WebAssembly, our fused WebAssembly engine. */
export const BACKENDS = ['webgpu', 'wasm', 'fused'] as const;
/**
 * Reachable by `?backend=` only (never chosen automatically): tfjs's WebGPU backend, kept as the reference the
 * WebGPU engine is measured against (it takes seconds a window on a software adapter).
 */
export const REFERENCE_BACKENDS = ['webgpu-tfjs'] as const;
export type BackendName = (typeof BACKENDS)[number] | (typeof REFERENCE_BACKENDS)[number];
const ALL_BACKENDS: readonly BackendName[] = [...BACKENDS, ...REFERENCE_BACKENDS];

/** Human names shown in the selector and beside each prediction. */
export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU engine',
  wasm: 'WebAssembly (tfjs)',
  fused: 'Fused WebAssembly engine',
  'webgpu-tfjs': 'WebGPU (tfjs, reference)',
};

/** The selector's entry for letting the dashboard measure and pick (auto-backend.ts). */
export const AUTO_BACKEND_LABEL = 'Automatic (fastest here)';

/** Returns `value` as a backend name, or throws `Unsupported backend "x". Should be one of: webgpu, wasm, fused, webgpu-tfjs.` */
export function parseBackend(value: string): BackendName {
  const found = ALL_BACKENDS.find((b) => b === value);
  if (!found) throw new Error(`Unsupported backend "${value}". Should be one of: ${ALL_BACKENDS.join(', ')}.`);
  return found;
}

/** Whether WebGPU can run here, and which adapter (SwiftShader is Chrome's software fallback). */
export type WebGpuProbe = { available: true; adapter: string; software: boolean } | { available: false; reason: string };

/** Asks the browser for a WebGPU adapter; never throws. */
export async function probeWebGpu(gpu: GPU | undefined = globalThis.navigator?.gpu): Promise<WebGpuProbe> {
  if (!gpu) return { available: false, reason: 'this browser has no navigator.gpu (WebGPU is off or unsupported)' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, reason: 'the browser offered no WebGPU adapter (no usable GPU or driver)' };
    const info = adapter.info;
    const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') || 'unknown adapter';
    const software = /swiftshader/i.test(name) || (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
    return { available: true, adapter: name, software };
  } catch (error) {
    return { available: false, reason: `requestAdapter failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** What the automatic choice measured and picked; kept in localStorage so the measurement runs once. */
export interface AutoChoice {
  backend: BackendName;
  /** Median ms of one window per backend that worked; null where it failed. */
  medianMs: Partial<Record<BackendName, number | null>>;
  measuredAt: string;
}

const STORAGE_KEY = 'coinsphere.backend.auto.v2'; // v1 measured tfjs's WebGPU under the name webgpu

/** The remembered automatic choice, or null when none (or storage is unavailable or holds something else). */
export function loadAutoChoice(storage: Storage | undefined = globalThis.localStorage): AutoChoice | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<AutoChoice>;
    return typeof parsed.backend === 'string' && (BACKENDS as readonly string[]).includes(parsed.backend) && parsed.medianMs ? (parsed as AutoChoice) : null;
  } catch {
    return null;
  }
}

/** Remembers the automatic choice (silently does nothing where storage is blocked). */
export function saveAutoChoice(choice: AutoChoice, storage: Storage | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(choice));
  } catch {
    // private mode or storage disabled: the measurement simply runs again next time
  }
}
