import { describe, expect, it } from 'vitest';

import { formatBench, parseTorchOutput, type BenchResult } from './bench-runtimes.ts';

describe('bench', () => {
  it('parses the PyTorch reference script output', () => {
    const out = 'params 139587 threads 1\ntrain batch32 samples/s 62\ninfer b=1 median ms 8.53\ninfer b=256 ms 1560.2\n';
    expect(parseTorchOutput(out)).toEqual({ train: 62, predict1: 8.53, predict256: 1560.2 });
    expect(() => parseTorchOutput('Traceback: no module named torch')).toThrow(/lacks train batch32/);
  });

  it('prints ratios of the fused engine against each peer measured in the same run', () => {
    const r: BenchResult = {
      train: { 'tfjs-wasm': 20, fused: 400, torch: 50 },
      predict1Ms: { 'tfjs-wasm': 50, fused: 1, torch: 10 },
      predict256Ms: { 'tfjs-wasm': 1600, fused: 100, torch: 1500 },
      parity: { maxAbsDiff: 3e-8, maxAbsDiffWasm: 4e-8 },
      machine: { cpu: 'test cpu', cores: 2, node: 'v20' },
      notes: [],
    };
    const text = formatBench(r);
    expect(text).toContain('| fused vs torch | 8.0x | 10.0x | 15.0x |');
    expect(text).toContain('| fused vs tfjs-wasm | 20.0x | 50.0x | 16.0x |');
  });
});
