// Shared by the dashboard's tests and benchmark: building the Vite app into a folder, launching Debian's
// Chromium headless through playwright-core (which downloads nothing), and running the CLI as a process.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { build, createLogger } from 'vite';
import { runCli as runProcess, runInProcess, spawnCli, type CliResult } from './cli.ts';
import { REPO_ROOT } from './repo-root.ts';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it), or CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** True when Chromium is installed here. */
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);

/** Headless flags: no sandbox (containers), nothing phoning home, WebGPU on (SwiftShader when there is no GPU). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
];

/** Launches headless Chromium with CHROMIUM_ARGS. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Builds the dashboard with the root vite.config.ts into `outDir` (a temp folder, so parallel builds never
 * collide). Returns the warnings the build would have printed (as `npm start`'s prestart shows them), unprinted.
 */
export async function buildDashboard(outDir: string): Promise<{ warnings: string[] }> {
  const warnings: string[] = [];
  const logger = createLogger('warn');
  logger.warn = (msg) => void warnings.push(msg);
  logger.warnOnce = (msg) => void warnings.push(msg);
  await build({ configFile: resolve(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn', customLogger: logger, build: { outDir, emptyOutDir: true } });
  return { warnings };
}

/**
 * The dashboard built once per test run, whichever test file asks first: `runDir` is the folder the run's
 * globalSetup (tests/support/global-setup.ts) made. The first caller takes `lock` and builds into `dist`; the
 * others wait for its `done` marker (one Vite build instead of one per file, and still overlapped with other work).
 */
export async function sharedDashboardBuild(runDir: string, timeoutMs = 300_000): Promise<{ dir: string; warnings: string[] }> {
  const dir = join(runDir, 'dist');
  const done = join(runDir, 'done.json');
  try {
    mkdirSync(join(runDir, 'lock'));
  } catch {
    for (const until = Date.now() + timeoutMs; !existsSync(done); ) {
      if (Date.now() > until) throw new Error(`The shared dashboard build in ${runDir} did not finish within ${timeoutMs / 1000} s.`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const result = JSON.parse(readFileSync(done, 'utf8')) as { warnings: string[] } | { error: string };
    if ('error' in result) throw new Error(`The shared dashboard build failed: ${result.error}`);
    return { dir, warnings: result.warnings };
  }
  try {
    const { warnings } = await buildDashboard(dir);
    writeFileSync(done, JSON.stringify({ warnings }));
    return { dir, warnings };
  } catch (error) {
    writeFileSync(done, JSON.stringify({ error: (error as Error).message }));
    throw error;
  }
}

/** CLI processes run without REDIS_URL, so each test's API keeps its cache to itself. */
const NO_REDIS = { REDIS_URL: undefined };

/** Runs `coinsphere <args>` to completion in a process, without REDIS_URL. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runProcess(args, { ...NO_REDIS, ...env });
}

/** Runs `coinsphere <args>` to completion in this process, without REDIS_URL: for setup steps whose process is not
 *  what a test is about (a spawn costs ~2 s of CPU for tsx and the imports; in process they load once per file). */
export function runCliHere(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runInProcess(args, { env: { ...NO_REDIS, ...env } });
}

/** A running `coinsphere serve`: its URL and a stop() that waits for the process to exit. */
export interface ServeProcess {
  url: string;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `coinsphere serve --port 0` over `db` serving the dashboard build in `webDir` (with `env` applied, e.g.
 *  COINSPHERE_ARTIFACTS: the artifacts root registered locations are relative to); resolves once it listens. Without
 *  `schedule`, with --no-schedule: no refresh job reaching for Binance mid-test. */
export function startServe(db: string, webDir: string, env: Record<string, string> = {}, opts: { schedule?: boolean } = {}): Promise<ServeProcess> {
  const child = spawnCli(['serve', '--db', db, '--port', '0', '--web', webDir, ...(opts.schedule ? [] : ['--no-schedule'])], { ...NO_REDIS, ...env });
  let output = '';
  return new Promise((resolveServe, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.on('data', (more: Buffer) => (output += more.toString()));
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        resolveServe({ url: m[1]!, output: () => output, stop: async () => (child.exitCode === null && child.kill('SIGTERM'), await exited) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`coinsphere serve exited with ${code} before listening:\n${output}`)));
  });
}

/** A Chromium test file's dashboard: its work folder, the `serve` process and the browser. */
export interface ServedDashboard { work: string; serve: ServeProcess; browser: Browser }

/** Starts `serve` over `db` with the built dashboard in `webDir`, then Chromium, into `state`. */
export async function serveToChromium(state: ServedDashboard, db: string, webDir: string, env: Record<string, string> = {}): Promise<void> {
  state.serve = await startServe(db, webDir, env);
  state.browser = await launchChromium();
}

/** Closes what serveToChromium opened and removes the work folder; for afterAll (safe after a failed start). */
export async function closeServed(state: Partial<ServedDashboard>): Promise<void> {
  await state.browser?.close();
  await state.serve?.stop();
  if (state.work) rmSync(state.work, { recursive: true, force: true });
}
