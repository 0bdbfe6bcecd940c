// vitest globalSetup of the integration tier: a folder for what the run's test files share (the dashboard
// build, made once by whichever file asks first: sharedDashboardBuild in web.ts), removed when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's shared folder for the dashboard build (see sharedDashboardBuild). */
    dashboardRunDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'cs-test-run-'));
  project.provide('dashboardRunDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
