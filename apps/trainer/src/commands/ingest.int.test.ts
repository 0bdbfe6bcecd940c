// `coinsphere ingest`, `status` and `db migrate` over small fixture files, on PGlite (the default folder under the
// cwd) and on PostgreSQL (--db postgres://…): one real process per command (its smoke test), the rest in-process.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../../../tests/support/postgres.ts';
import { runCli as spawnCli, runInProcess } from '../../../../tests/support/cli.ts';

/** The CLI as a real process in `cwd`, with DATABASE_URL empty (unset for the CLI) unless `env` sets it. */
const runCli = (args: string[], opts: { cwd: string; env?: Record<string, string> }) => spawnCli(args, { DATABASE_URL: '', ...opts.env }, opts.cwd);

/** The CLI in this process, with DATABASE_URL unset unless `env` sets it (as runCli does for a spawn). */
const inProcess = (args: string[], opts: { cwd: string; env?: Record<string, string> }) => runInProcess(args, { cwd: opts.cwd, env: { DATABASE_URL: undefined, ...opts.env } });
import type { StatusJson } from './status.ts';

const KAGGLE = `SNo,Name,Symbol,Date,High,Low,Open,Close,Volume,Marketcap
1,Testcoin,TST,2020-01-01 23:59:59,105,95,99,100,0.0,0.0
2,Testcoin,TST,2020-01-02 23:59:59,106,96,100,101,1000,1e8
3,Testcoin,TST,2020-01-04 23:59:59,108,98,102,103,1000,1e8
`;
const CDD_DAILY = `https://www.CryptoDataDownload.com
Unix,Date,Symbol,Open,High,Low,Close,Volume TST,Volume USDT,tradecount
1577923200000,2020-01-02,TSTUSDT,100,106,96,101,10,1010,5
1577836800000,2020-01-01,TSTUSDT,99,105,95,100,10,1000,5
1577836800000,2020-01-01,TSTUSDT,99,105,95,100,10,1000,5
`;

describe('coinsphere ingest / status / db migrate', () => {
  let dir: string;
  let data: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cs-cli-'));
    data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'coin_Testcoin.csv'), KAGGLE);
    writeFileSync(join(data, 'Binance_TSTUSDT_d.csv'), CDD_DAILY);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a folder into .coinsphere/db, reports duplicates and gaps, and status --json shows each series', async () => {
    const ingest = await runCli(['ingest', '--csv', data], { cwd: dir });
    expect(ingest.stderr).toBe('');
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toContain(`Database: pglite ${join(dir, '.coinsphere/db')}`);
    expect(ingest.stdout).toMatch(/Binance_TSTUSDT_d\.csv: TST 1d from binance .*1 identical duplicate rows collapsed/);
    expect(ingest.stdout).toMatch(/coin_Testcoin\.csv: TST 1d from coinmarketcap .*1 missing bars in 1 gaps \(2020-01-03; not filled\)/);

    const status = await runCli(['status', '--json'], { cwd: dir });
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as StatusJson;
    expect(json.database).toMatchObject({ kind: 'pglite', timescale: false, candlesTable: 'plain' });
    const age = { ageDays: expect.any(Number), stale: true }; // 2020 is long past
    expect(json.candles).toEqual([
      { symbol: 'TST', interval: '1d', source: 'binance', rows: 2, first: '2020-01-01', last: '2020-01-02', gaps: 0, ...age },
      { symbol: 'TST', interval: '1d', source: 'coinmarketcap', rows: 3, first: '2020-01-01', last: '2020-01-04', gaps: 1, ...age },
    ]);
    expect(json.candles[1]!.ageDays - json.candles[0]!.ageDays).toBe(-2);
    const table = await inProcess(['status'], { cwd: dir });
    expect(table.stdout).toMatch(/^TST\s+1d\s+binance\s+2\s+2020-01-01\s+2020-01-02\s+\d+ d, STALE\s+none$/m);
    expect(table.stdout).toContain('2 of 2 series are stale (newest bar more than 2 days old); predictions from them are marked stale. Fetch newer candles with `coinsphere ingest --from binance --symbols TST`.');
  });

  it('loads the bundled snapshot with --snapshot, series by series, and says how old its data are', async () => {
    const db = join(dir, 'snapshot-db');
    const run = await inProcess(['ingest', '--snapshot', '--db', db], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^BTC 1d from binance: 2017-08-17\.\.2026-03-30, 3142 candles \(3142 new, 0 changed, 0 unchanged\)$/m);
    expect(run.stdout).toMatch(/Loaded the snapshot \S+packages\/data\/snapshot \(exported \d{4}-\d{2}-\d{2}\): 16 series, 34,905 daily candles \(34,905 new\)\. Its newest bar is 2026-03-30 \(ADA, BNB, BTC and 5 more\), \d+ days old, so it is stale/);
    const twice = await inProcess(['ingest', '--snapshot', '--db', db, '--csv', data], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('--snapshot [folder] (one of them)');
  });

  it('refuses a file with a broken row with exit 2, one line naming file, line and reason, and changes nothing', async () => {
    const before = await inProcess(['status', '--json'], { cwd: dir });
    const broken = join(dir, 'coin_Broken.csv');
    writeFileSync(broken, `${KAGGLE}4,Testcoin,TST,2020-01-05 23:59:59,90,98,102,103,1000,1e8\n`);
    const run = await inProcess(['ingest', '--csv', broken], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`${broken} line 5: high 90 is below open 102`);
    expect(run.stderr).toContain('--skip-invalid');
    const after = await inProcess(['status', '--json'], { cwd: dir });
    expect(after.stdout).toBe(before.stdout);
  });

  it('prints its version and the git commit of its code with --version, from any folder', async () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: fileURLToPath(new URL('.', import.meta.url)) }).toString().trim();
    const run = await runCli(['--version'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^coinsphere \\d+\\.\\d+\\.\\d+ \\(commit ${head}(-dirty)?\\)\\n$`));
  });

  describe('on PostgreSQL', () => {
    let temp: { url: string; drop: () => Promise<void> };
    beforeAll(async () => {
      temp = await createTempDatabase('cs_cli');
    });
    afterAll(async () => temp?.drop());

    it('migrates, ingests twice with unchanged counts, and reports the redacted URL', async () => {
      const migrate = await runCli(['db', 'migrate', '--db', temp.url], { cwd: dir });
      expect(migrate.stdout).toMatch(/Migrated postgres database postgres:\/\/.*(\d+)\/\1 migrations applied; candles is a plain table/);
      const first = await inProcess(['ingest', '--csv', join(data, 'coin_Testcoin.csv'), '--db', temp.url], { cwd: dir });
      expect(first.stdout).toContain('3 candles (3 new, 0 changed, 0 unchanged)');
      const second = await inProcess(['ingest', '--csv', join(data, 'coin_Testcoin.csv')], { cwd: dir, env: { DATABASE_URL: temp.url } });
      expect(second.stdout).toContain('3 candles (0 new, 0 changed, 3 unchanged)');
      const status = JSON.parse((await inProcess(['status', '--json', '--db', temp.url], { cwd: dir })).stdout) as StatusJson;
      expect(status.database.kind).toBe('postgres');
      expect(status.candles).toEqual([{ symbol: 'TST', interval: '1d', source: 'coinmarketcap', rows: 3, first: '2020-01-01', last: '2020-01-04', gaps: 1, ageDays: expect.any(Number), stale: true }]);
    });

    it('says how to fix an unreachable server, with exit 1', async () => {
      const run = await inProcess(['status', '--db', 'postgres://nobody:secret@127.0.0.1:1/none'], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^coinsphere: Cannot connect to postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: .*pass --db <folder>/);
      expect(run.stderr).not.toContain('secret');
    });
  });
});
