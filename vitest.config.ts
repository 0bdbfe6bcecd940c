// One test run for the whole tree: `npm test` runs both tiers. Tests sit beside their code; root `tests/` holds
// only what crosses packages or runtimes.
//   unit         `*.test.ts`: no PostgreSQL, Redis, Chromium, wrangler/workerd, no CLI processes, no ../shared
//                data (PGlite and in-process code only); `npm run test:unit`, well under a minute.
//   integration  `*.int.test.ts`: everything that needs one of those, builds (Vite, wrangler, AssemblyScript) and
//                tests that train for tens of seconds (tfjs's reference training); `npm run test:int`.
// A new test that needs a service, spawns the CLI, builds or trains for long is named `*.int.test.ts`.
import { defineConfig } from 'vitest/config';
import IntegrationFirstSequencer from './tests/support/sequencer.ts';

const roots = ['apps/*/src/**/', 'packages/*/src/**/', 'tests/**/'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most integration files wait on other processes (the CLI, fold workers, Chromium, workerd, PostgreSQL), so
    // three files at a time keep two cores busy; vitest's default here would be one (cores - 1).
    maxWorkers: 3,
    minWorkers: 1,
    sequence: { sequencer: IntegrationFirstSequencer },
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: roots.map((r) => `${r}*.test.ts`), exclude: ['**/*.int.test.ts', '**/node_modules/**'] } },
      { extends: true, test: { name: 'integration', include: roots.map((r) => `${r}*.int.test.ts`), exclude: ['**/node_modules/**'], globalSetup: ['tests/support/global-setup.ts'] } },
    ],
  },
});
