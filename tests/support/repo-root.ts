// The repository's root folder, for tests and benchmarks (no vitest import: benchmarks use it outside vitest).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
