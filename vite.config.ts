// The dashboard's Vite config: root apps/web, built into apps/web/dist (which `coinsphere serve` serves at /).
// The .wasm files of tfjs-backend-wasm and of the fused engine are imported with `?url`, so Vite copies them
// into the build from node_modules and the page never fetches code from a CDN. Each build also writes
// .vite/module-graph.json (every module id in the graph with its importers, and every chunk with its modules and
// its static and dynamic imports) for tests/web-bundle.int.test.ts.
import { resolve } from 'node:path';
import { defineConfig, type Plugin, type Rollup } from 'vite';

const root = resolve(import.meta.dirname, 'apps/web');

/**
 * Writes every module of the build graph with its importers, and every bare specifier asked for (`fs`,
 * `node:path`, `pg`, …) with who asked: Vite swaps Node built-ins for an empty stub, so the ids alone would hide them.
 */
function moduleGraph(): Plugin {
  const bare = new Map<string, Set<string>>();
  return {
    name: 'coinsphere-module-graph',
    apply: 'build',
    enforce: 'pre',
    buildStart() {
      bare.clear();
    },
    resolveId(source, importer) {
      if (importer && !/^[./\\\0]/.test(source) && !source.includes(':/')) {
        const name = source.split('?')[0]!;
        if (!bare.has(name)) bare.set(name, new Set());
        bare.get(name)!.add(importer);
      }
      return null; // only watching; Vite resolves as usual
    },
    generateBundle(_options, bundle) {
      const modules = [...this.getModuleIds()].sort().map((id) => ({ id, importers: [...(this.getModuleInfo(id)?.importers ?? [])] }));
      const specifiers = [...bare].sort(([a], [b]) => a.localeCompare(b)).map(([specifier, importers]) => ({ specifier, importers: [...importers].sort() }));
      const chunks = Object.values(bundle)
        .filter((o): o is Rollup.OutputChunk => o.type === 'chunk')
        .map((c) => ({ fileName: c.fileName, facadeModuleId: c.facadeModuleId, isEntry: c.isEntry, imports: c.imports, dynamicImports: c.dynamicImports, modules: Object.keys(c.modules).sort() }));
      this.emitFile({ type: 'asset', fileName: '.vite/module-graph.json', source: JSON.stringify({ modules, specifiers, chunks }, null, 1) });
    },
  };
}

/**
 * Drops the one warning known to be harmless, so `npm start` (whose prestart builds this) prints only what a user
 * can act on: zod 4 ships `@__PURE__` annotations in comment positions Rollup cannot use (INVALID_ANNOTATION in
 * zod/v4/core/regexes.js and util.js); Rollup removes the comment, which changes nothing in the bundle. Every
 * other warning, and this one from any other package, still goes to the default handler.
 */
function quietKnownWarnings(warning: Rollup.RollupLog, warn: (w: Rollup.RollupLog) => void): void {
  if (warning.code === 'INVALID_ANNOTATION' && /[\\/]node_modules[\\/]zod[\\/]/.test(warning.id ?? '')) return;
  warn(warning);
}

export default defineConfig({
  root,
  base: './',
  envDir: root,
  plugins: [moduleGraph()],
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    assetsInlineLimit: 0, // keep the .wasm files as files, fetched (and cached) on their own
    chunkSizeWarningLimit: 4096, // tfjs is large; the backends load as separate chunks
    // the asset page, the overview of every asset, and the page `npm run bench:web` times the backends on
    rollupOptions: { input: { index: resolve(root, 'index.html'), overview: resolve(root, 'overview.html'), bench: resolve(root, 'bench.html') }, onwarn: quietKnownWarnings },
  },
  server: { port: 5173, proxy: { '/v1': 'http://127.0.0.1:8787' } },
});
