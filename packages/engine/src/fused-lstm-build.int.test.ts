// The committed .wasm builds of the fused engine against what the AssemblyScript sources compile to (a compile of
// both builds, ~25 s: integration tier).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_WASM_URL, WASM_URL } from './node.ts';

describe('the fused engine builds', () => {
  it('has committed builds that match what the sources compile to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fused-lstm-'));
    try {
      const root = fileURLToPath(new URL('..', import.meta.url));
      const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
      for (const [script, url] of [['build:single', WASM_URL], ['build:shared', SHARED_WASM_URL]] as const) {
        const out = join(dir, `${script.replace(':', '-')}.wasm`);
        const args = scripts[script]!.split(' ').slice(1).map((a, i, all) => (all[i - 1] === '-o' ? out : a));
        execFileSync(process.execPath, [join(root, '../../node_modules/assemblyscript/bin/asc.js'), ...args], { cwd: root });
        expect(Buffer.compare(readFileSync(out), readFileSync(url)), `${script} output differs: run npm run build -w @coinsphere/engine`).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
