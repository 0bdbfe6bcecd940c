// Bundle hygiene of the dashboard: builds it with the root vite.config.ts and walks the module graph the build
// records (.vite/module-graph.json: every module id, and every bare specifier with who asked for it). Fails on
// any `node:*` import, a Node built-in asked for by our own code, a database client or driver, Hono, the serving
// layer beyond its wire contract, or a tfjs-node package; checks the .wasm files come from the build, not a CDN,
// and that the build prints no warning.
import { isBuiltin } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from './support/web.ts';

interface ModuleGraph {
  modules: Array<{ id: string; importers: string[] }>;
  specifiers: Array<{ specifier: string; importers: string[] }>;
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
export function findNodeOnlyModules(graph: ModuleGraph): string[] {
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
    const graph: ModuleGraph = {
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

describe('the dashboard build', () => {
  let outDir: string;
  let graph: ModuleGraph;
  let warnings: string[];
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'cs-web-bundle-'));
    ({ warnings } = await buildDashboard(outDir));
    graph = JSON.parse(readFileSync(join(outDir, '.vite/module-graph.json'), 'utf8')) as ModuleGraph;
  }, 180_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

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
