// The layering check, run by `npm run lint:deps` and by .ci/run. It holds the rules of ../shared/STYLE.md
// ("arrows point from apps to packages, never back") with a tool, so nobody has to remember them:
// apps may import packages; packages never import apps; no app imports another app; no import cycles (type-only
// imports count: a type every route imports from the file that imports every route is a cycle too); no `node:`
// built-ins in the runtime-neutral packages; every workspace declares the workspaces it imports.
const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

/** Every workspace folder (apps/*, packages/*) with its package name and the workspace names its package.json declares. */
function readWorkspaces() {
  const folders = ['apps', 'packages'].flatMap((top) =>
    readdirSync(join(__dirname, top), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(__dirname, top, d.name, 'package.json')))
      .map((d) => `${top}/${d.name}`),
  );
  const manifests = folders.map((folder) => ({ folder, pkg: JSON.parse(readFileSync(join(__dirname, folder, 'package.json'), 'utf8')) }));
  const names = new Map(manifests.map(({ folder, pkg }) => [pkg.name, folder]));
  return manifests.map(({ folder, pkg }) => {
    const declared = new Set(['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => Object.keys(pkg[field] ?? {})));
    return { folder, name: pkg.name, undeclared: [...names].filter(([name, other]) => other !== folder && !declared.has(name)) };
  });
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * depcruise's own no-non-package-json cannot see workspaces (npm links them, so they resolve to local files), so
 * there is one rule for each workspace and each packages/* workspace its package.json does not declare, built
 * from the package.json files themselves. Imports of another app are no-cross-app's business.
 */
const undeclaredWorkspaceRules = readWorkspaces().flatMap(({ folder, name, undeclared }) =>
  undeclared
    .filter(([, other]) => other.startsWith('packages/'))
    .map(([target, other]) => ({
      name: 'no-undeclared-workspace',
      severity: 'error',
      comment: `${name} imports ${target} but does not declare it: add "${target}": "*" to the dependencies in ${folder}/package.json and run npm install.`,
      from: { path: `^${escape(folder)}/` },
      to: { path: `^${escape(other)}/` },
    })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...undeclaredWorkspaceRules,
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: split the shared part (often a type) into a module of its own that both sides import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'packages-not-to-apps',
      severity: 'error',
      comment: 'Packages are the floor the apps stand on: a package never imports an app. Move the code it needs into a package.',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-cross-app',
      severity: 'error',
      comment:
        "An app never imports another app's internals: move what both need into a package. The one door is an app's " +
        "public entry (its package's index.ts): the CLI's `serve` runs the API app's Node server (startNodeServer), " +
        'and its tests talk to that server over HTTP as users do.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: ['^apps/$1/', '^apps/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'no-node-in-neutral-packages',
      severity: 'error',
      comment:
        'packages/model and packages/engine run anywhere (Node, Workers, the browser): no node: built-ins outside tests. ' +
        'Take bytes, a URL or an IO handler from the caller instead.',
      // src/node.ts is the engine's Node entry (its "./node" export): a few lines of wiring, as STYLE.md allows
      from: { path: '^packages/(model|engine)/src/', pathNot: ['\\.test\\.ts$', '^packages/engine/src/node\\.ts$'] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'tfjs-only-where-chosen',
      severity: 'error',
      comment:
        'tfjs costs about 1 s of CPU to import, in every CLI process, fold worker and API server that loads it. Outside the ' +
        'tfjs training engine, the backend picker and the tfjs benchmark, import @coinsphere/model/core (the tfjs-free ' +
        'part), and reach those three modules with a dynamic import() where a run chooses tfjs.',
      from: { path: '^(apps/(trainer|api)|packages/(data|serving|engine))/src/', pathNot: ['\\.test\\.ts$', '^apps/trainer/src/(training/tfjs-engine|backends|commands/bench-runtimes)\\.ts$'] },
      to: {
        path: ['^packages/model/src/index\\.ts$', '(^|/)node_modules/@tensorflow/', '^apps/trainer/src/(training/tfjs-engine|backends|commands/bench-runtimes)\\.ts$'],
        dependencyTypesNot: ['dynamic-import', 'type-only'],
      },
    },
    {
      name: 'observability-node-only',
      severity: 'error',
      comment:
        'prom-client and pino (GET /metrics and the request log) run on Node only: apps/api/src/node/ and node.ts import ' +
        'them. app.ts, the routes and the Worker take a RequestObserver (deps.observe) and logError instead.',
      from: { path: '^(apps|packages)/', pathNot: ['^apps/api/src/node/', '^apps/api/src/node\\.ts$'] },
      to: { path: '(^|/)node_modules/(prom-client|pino)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to no file: a typo, a missing package, or a path outside an exports map.',
      from: {},
      // Vite's `?url` suffix (an asset's URL) is not a module the resolver knows; Vite checks those at build time
      to: { couldNotResolve: true, pathNot: '\\?url$' },
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment:
        "A package imported but not declared in the importing workspace's package.json (it only resolves because npm " +
        'hoisted it). Add it to that package.json (workspaces as "*").',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|build|out|\\.vite|\\.wrangler)/|^packages/engine/wasm/|^packages/data/migrations/' },
    tsConfig: { fileName: 'tsconfig.json' },
    // type-only imports are dependencies too: `import type` erased at build time still ties two modules together
    tsPreCompilationDeps: true,
    // a workspace may use the root's devDependencies (vitest, playwright-core, autocannon, drizzle-kit): npm
    // installs them at the root for every workspace
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
