// The backend names: parsing with the error that lists the allowed ones, the WebGPU probe's answers, and the
// remembered automatic choice (a Map-backed Storage stands in for the browser's localStorage).
import { describe, expect, it } from 'vitest';
import { BACKENDS, loadAutoChoice, parseBackend, probeWebGpu, REFERENCE_BACKENDS, saveAutoChoice } from './backends.ts';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() { return m.size; },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

describe('parseBackend', () => {
  it('accepts each fixed name', () => {
    for (const b of [...BACKENDS, ...REFERENCE_BACKENDS]) expect(parseBackend(b)).toBe(b);
  });
  it('refuses anything else, naming the value and the allowed names', () => {
    expect(() => parseBackend('WebGPU')).toThrow('Unsupported backend "WebGPU". Should be one of: webgpu, wasm, fused, webgpu-tfjs.');
    expect(() => parseBackend('')).toThrow('Unsupported backend "". Should be one of: webgpu, wasm, fused, webgpu-tfjs.');
  });
});

describe('probeWebGpu', () => {
  it('says why when there is no navigator.gpu or no adapter, and flags SwiftShader as software', async () => {
    expect(await probeWebGpu(undefined)).toEqual({ available: false, reason: expect.stringContaining('no navigator.gpu') });
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    expect(await probeWebGpu(noAdapter)).toMatchObject({ available: false, reason: expect.stringContaining('no WebGPU adapter') });
    const swiftshader = { requestAdapter: async () => ({ info: { vendor: 'google', architecture: 'swiftshader', description: '' } }) } as unknown as GPU;
    expect(await probeWebGpu(swiftshader)).toEqual({ available: true, adapter: 'google / swiftshader', software: true });
  });
});

describe('the remembered automatic choice', () => {
  it('round-trips through storage and ignores what it did not write', () => {
    const storage = memoryStorage();
    expect(loadAutoChoice(storage)).toBeNull();
    const choice = { backend: 'fused' as const, medianMs: { fused: 0.5, wasm: 40, webgpu: null }, measuredAt: '2025-01-01T00:00:00Z' };
    saveAutoChoice(choice, storage);
    expect(loadAutoChoice(storage)).toEqual(choice);
    storage.setItem(storage.key(0)!, JSON.stringify({ backend: 'cuda', medianMs: {} }));
    expect(loadAutoChoice(storage)).toBeNull();
    storage.setItem(storage.key(0)!, '{not json');
    expect(loadAutoChoice(storage)).toBeNull();
  });
});
