// Bundle hygiene of the dashboard: builds it with the root vite.config.ts and walks the module graph the build
// records (.vite/module-graph.json: every module id, and every bare specifier with who asked for it). Fails on
// any `node:*` import, a Node built-in asked for by our own code, a database client or driver, Hono, the serving
// layer beyond its wire contract, or a tfjs-node package; checks the .wasm files come from the build, not a CDN,
// and that the build prints no warning. Then the fused-engine path carries no tfjs: neither the chunks the dashboard
// loads before it asks for a tfjs backend (the entry and its static imports; tfjs-model.ts is a dynamic import) nor
// the Worker bundle (`wrangler deploy --dry-run` with esbuild's metafile) holds a tfjs module or a tfjs signature.
import { execFile } from 'node:child_process';
import { isBuiltin } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from './support/shared-data.ts';
import { sharedDashboardBuild } from './support/web.ts';

interface ChunkInfo {
  fileName: string;
  facadeModuleId: string | null;
  isEntry: boolean;
  imports: string[];
  dynamicImports: string[];
  modules: string[];
}

interface ModuleGraph {
  modules: Array<{ id: string; importers: string[] }>;
  specifiers: Array<{ specifier: string; importers: string[] }>;
  chunks: ChunkInfo[];
}

/** A tfjs module id (any @tensorflow package, or a tfjs backend of ours). */
const TFJS_MODULE = /node_modules\/@tensorflow\/|apps\/web\/src\/tfjs-model\.ts$/;
/** Text only tfjs puts in a bundle, minified or not: its kernel configs, its WebGL flags, its package names. */
const TFJS_SIGNATURE = /\bkernelName\b|WEBGL_VERSION|registerKernel|@tensorflow\/tfjs/;

/** The chunks loaded before any dynamic import: the entry chunk of `entryId` and its static imports, transitively. */
export function staticClosure(chunks: readonly ChunkInfo[], entryId: RegExp): ChunkInfo[] {
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const entry = chunks.find((c) => c.isEntry && c.facadeModuleId !== null && entryId.test(c.facadeModuleId));
  if (!entry) throw new Error(`No entry chunk for ${entryId} among ${chunks.map((c) => c.fileName).join(', ')}.`);
  const seen = new Map<string, ChunkInfo>();
  const visit = (c: ChunkInfo): void => {
    if (seen.has(c.fileName)) return;
    seen.set(c.fileName, c);
    for (const name of c.imports) visit(byName.get(name)!);
  };
  visit(entry);
  return [...seen.values()];
}

/** Modules that must never be in a browser bundle: database clients, drivers, tfjs-node, the API's Node side, and
 *  of the serving layer anything but its wire contract (the store, the caches and Redis are for servers). */
const FORBIDDEN_MODULES =
  /node_modules\/(pg|pg-[a-z-]+|postgres|@electric-sql\/pglite|ioredis|hono|@hono\/[a-z-]+|@tensorflow\/tfjs-node[a-z-]*)\/|drizzle-orm\/(node-postgres|pglite|postgres-js)\/|packages\/data\/|packages\/serving\/src\/(?!contract\/)|apps\/(api|trainer)\//;

/**
 * Third-party files allowed to name a Node built-in, each because the reference sits behind a Node-only
 * branch that never runs in a browser (Vite swaps in an empty stub): tfjs-backend-wasm's Emscripten glue
 * (`if (ENVIRONMENT_IS_NODE) require('fs')`) and seedrandom (`try { require('crypto') } catch`).
 */
const BUILTIN_ALLOWED_IMPORTERS = /node_modules\/(@tensorflow\/tfjs-backend-wasm\/wasm-out|seedrandom)\//;

/** Every violation in `graph`, one line each naming the module and who pulled it in. */
export function findNodeOnlyModules(graph: Pick<ModuleGraph, 'modules' | 'specifiers'>): string[] {
  const problems: string[] = [];
  for (const { specifier, importers } of graph.specifiers) {
    if (specifier.startsWith('node:')) problems.push(`"${specifier}" imported by ${importers.join(', ')}`);
    else if (isBuiltin(specifier)) {
      const offenders = importers.filter((i) => !BUILTIN_ALLOWED_IMPORTERS.test(i));
      if (offenders.length) problems.push(`Node built-in "${specifier}" imported by ${offenders.join(', ')}`);
    }
  }
  for (const { id, importers } of graph.modules) {
    if (FORBIDDEN_MODULES.test(id)) problems.push(`${id} (Node-only) imported by ${importers.join(', ')}`);
  }
  return problems;
}

describe('findNodeOnlyModules', () => {
  it('names node:* imports, built-ins from our code, database drivers and tfjs-node, and allows the guarded Emscripten glue', () => {
    const graph: Pick<ModuleGraph, 'modules' | 'specifiers'> = {
      modules: [
        { id: '/r/node_modules/pg/lib/index.js', importers: ['/r/packages/data/src/client.ts'] },
        { id: '/r/node_modules/@tensorflow/tfjs-node/dist/index.js', importers: ['/r/apps/web/src/main.ts'] },
        { id: '/r/node_modules/drizzle-orm/pglite/driver.js', importers: ['/r/apps/web/src/main.ts'] },
        { id: '/r/packages/serving/src/node/redis-cache.ts', importers: ['/r/apps/web/src/api-client.ts'] },
        { id: '/r/packages/serving/src/contract/predictions.ts', importers: ['/r/apps/web/src/api-client.ts'] },
        { id: '/r/apps/web/src/main.ts', importers: [] },
      ],
      specifiers: [
        { specifier: 'node:fs', importers: ['/r/packages/model/src/x.ts'] },
        { specifier: 'path', importers: ['/r/apps/web/src/main.ts', '/r/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js'] },
        { specifier: 'fs', importers: ['/r/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js'] },
        { specifier: 'zod', importers: ['/r/apps/web/src/api-client.ts'] },
      ],
    };
    const problems = findNodeOnlyModules(graph);
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/serving\/src\/node\/redis-cache\.ts \(Node-only\)/);
    expect(problems.join('\n')).not.toMatch(/contract/);
    expect(problems.join('\n')).toMatch(/"node:fs" imported by \/r\/packages\/model/);
    expect(problems.join('\n')).toMatch(/Node built-in "path" imported by \/r\/apps\/web\/src\/main\.ts$/m);
    expect(problems.join('\n')).not.toMatch(/"fs"/);
  });
});

// The run's one dashboard build (shared with the browser tests) and one Worker bundle, made in parallel.
let outDir: string;
let workerDir: string;
let graph: ModuleGraph;
let warnings: string[];
let workerInputs: string[];
beforeAll(async () => {
  workerDir = mkdtempSync(join(tmpdir(), 'cs-worker-bundle-'));
  const worker = promisify(execFile)('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', workerDir, '--metafile', join(workerDir, 'meta.json')], { cwd: REPO_ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
  ({ dir: outDir, warnings } = await sharedDashboardBuild(inject('dashboardRunDir')));
  await worker;
  graph = JSON.parse(readFileSync(join(outDir, '.vite/module-graph.json'), 'utf8')) as ModuleGraph;
  workerInputs = Object.keys((JSON.parse(readFileSync(join(workerDir, 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
}, 300_000);
afterAll(() => rmSync(workerDir, { recursive: true, force: true }));

describe('the dashboard build', () => {

  it('holds the dashboard, the model package, the engine and the wire contract, and no Node-only module', () => {
    const ids = graph.modules.map((m) => m.id);
    for (const part of ['apps/web/src/main.ts', 'packages/model/src/features.ts', 'packages/engine/src/fused-lstm.ts', 'packages/serving/src/contract/predictions.ts', 'node_modules/@tensorflow/tfjs-backend-webgpu/']) {
      expect(ids.some((id) => id.includes(part)), `${part} should be in the bundle`).toBe(true);
    }
    expect(findNodeOnlyModules(graph)).toEqual([]);
  });

  it('builds without a warning a user could not act on (zod\'s misplaced @__PURE__ comments are filtered by name)', () => {
    expect(warnings).toEqual([]);
  });

  it('ships the tfjs WASM binaries and the fused engine as files of the build, and names no CDN', () => {
    const assets = readdirSync(join(outDir, 'assets'));
    for (const name of ['tfjs-backend-wasm-', 'tfjs-backend-wasm-simd-', 'tfjs-backend-wasm-threaded-simd-', 'fused-lstm-']) {
      expect(assets.some((a) => a.startsWith(name) && a.endsWith('.wasm')), `${name}*.wasm in ${assets.join(', ')}`).toBe(true);
    }
    const js = assets.filter((a) => a.endsWith('.js')).map((a) => readFileSync(join(outDir, 'assets', a), 'utf8')).join('\n');
    expect(js).not.toMatch(/cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com/);
  });
});

describe('no tfjs on the fused-engine path', () => {

  it('staticClosure follows static imports only', () => {
    const c = (fileName: string, imports: string[], dynamicImports: string[] = [], facadeModuleId: string | null = null): ChunkInfo => ({ fileName, facadeModuleId, isEntry: facadeModuleId !== null, imports, dynamicImports, modules: [] });
    const chunks = [c('index.js', ['shared.js'], [], '/r/index.html'), c('shared.js', ['deep.js'], ['tf.js']), c('deep.js', []), c('tf.js', ['tf-core.js']), c('tf-core.js', [])];
    expect(staticClosure(chunks, /index\.html$/).map((x) => x.fileName)).toEqual(['index.js', 'shared.js', 'deep.js']);
    expect(() => staticClosure(chunks, /bench\.html$/)).toThrow(/No entry chunk/);
  });

  it('the dashboard loads the fused engine and the one inference path in chunks without a tfjs module or signature; tfjs comes only by dynamic import', () => {
    const fused = staticClosure(graph.chunks, /apps\/web\/index\.html$/);
    const modules = fused.flatMap((c) => c.modules);
    for (const part of ['apps/web/src/browser-model.ts', 'apps/web/src/inference.ts', 'apps/web/src/model-inputs.ts', 'packages/engine/src/fused-lstm.ts', 'packages/model/src/inference.ts']) {
      expect(modules.some((id) => id.endsWith(part)), `${part} should be on the fused path`).toBe(true);
    }
    expect(modules.filter((id) => TFJS_MODULE.test(id)).slice(0, 5), 'tfjs modules in the chunks the fused path loads (first 5)').toEqual([]);
    for (const c of fused) expect(readFileSync(join(outDir, c.fileName), 'utf8').match(TFJS_SIGNATURE)?.[0] ?? null, c.fileName).toBeNull();
    // index.html names only those chunks (a modulepreload of a tfjs chunk would fetch it up front).
    const named = [...readFileSync(join(outDir, 'index.html'), 'utf8').matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(0);
    for (const f of named) expect(fused.map((c) => c.fileName)).toContain(f);
    // The check can see tfjs: it is in the build, behind a dynamic import, and its text carries the signature.
    const tfjsChunk = graph.chunks.find((c) => c.modules.some((id) => id.endsWith('apps/web/src/tfjs-model.ts')))!;
    expect(tfjsChunk.modules.some((id) => /node_modules\/@tensorflow\/tfjs-core\//.test(id))).toBe(true);
    expect(fused.some((c) => c.dynamicImports.includes(tfjsChunk.fileName))).toBe(true);
    expect(readFileSync(join(outDir, tfjsChunk.fileName), 'utf8')).toMatch(TFJS_SIGNATURE);
  });

  it('the Worker bundle holds the fused engine and the one inference path, and no tfjs module or signature', () => {
    for (const part of ['apps/api/src/worker.ts', 'apps/api/src/fused-predictor.ts', 'packages/engine/src/fused-lstm.ts', 'packages/model/src/inference.ts']) {
      expect(workerInputs.some((id) => id.endsWith(part)), `${part} should be in the Worker bundle`).toBe(true);
    }
    expect(workerInputs.filter((id) => TFJS_MODULE.test(id)).slice(0, 5), 'tfjs modules in the Worker bundle (first 5)').toEqual([]);
    expect(readFileSync(join(workerDir, 'worker.js'), 'utf8').match(TFJS_SIGNATURE)?.[0] ?? null).toBeNull();
  });
});
