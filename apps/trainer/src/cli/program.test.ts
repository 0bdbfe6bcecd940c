// The real `coinsphere` program in this process (runCli with captured output): a bad command line exits 2 with
// one line naming the flag, the value and what is accepted, and where the help is; nothing runs before that.
import { describe, expect, it } from 'vitest';
import { runCli } from './program.ts';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** Exit 2 and exactly one line on stderr. */
async function refused(args: string[]): Promise<string> {
  const r = await run(args);
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  const lines = r.err.split('\n').filter(Boolean);
  expect(lines, r.err).toHaveLength(1);
  return lines[0]!;
}

describe('coinsphere command line', () => {
  it('refuses a bad value of any command\'s flag with one line, exit 2 and the help of that command', async () => {
    expect(await refused(['train', '--symbol', 'SYN', '--engine', 'gpu'])).toBe('coinsphere: Bad --engine "gpu": should be one of: fused, tfjs, webgpu. See `coinsphere train --help`.');
    expect(await refused(['train', '--symbol', 'SYN', '--epochs', '0'])).toBe('coinsphere: Bad --epochs "0": should be an integer >= 1. See `coinsphere train --help`.');
    expect(await refused(['evaluate', '--model', 'spec', '--symbols', 'SYNA', '--fold-days', '0'])).toBe('coinsphere: Bad --fold-days "0": should be an integer >= 1. See `coinsphere evaluate --help`.');
    expect(await refused(['evaluate', '--model', 'lstm'])).toBe('coinsphere: Bad --model "lstm": should be one of: served, spec. See `coinsphere evaluate --help`.');
    expect(await refused(['evaluate', '--symbols', 'BTC,E TH'])).toBe('coinsphere: Bad --symbols "BTC,E TH": should be a comma-separated list of symbols such as BTC,ETH,SOL, or top20, or all. See `coinsphere evaluate --help`.');
    expect(await refused(['ingest', '--from', 'kraken', '--symbols', 'BTC'])).toBe('coinsphere: Bad --from "kraken": should be one of: binance, coingecko. See `coinsphere ingest --help`.');
    expect(await refused(['ingest', '--csv', 'x', '--since', '2020-13-01'])).toMatch(/^coinsphere: Bad --since "2020-13-01": should be a UTC day as YYYY-MM-DD, e\.g\. 2017-01-01\. See `coinsphere ingest --help`\.$/);
    expect(await refused(['ingest', '--csv', 'x', '--columns', 'when=day'])).toMatch(/^coinsphere: Bad --columns entry "when=day".* See `coinsphere ingest --help`\.$/);
    expect(await refused(['predict', '--symbol', 'BTC', '--horizon', 'week'])).toBe('coinsphere: Bad --horizon "week": should be an integer >= 1. See `coinsphere predict --help`.');
    expect(await refused(['publish', '--horizons', '7,abc'])).toBe('coinsphere: Bad --horizons "7,abc": should be a comma-separated list such as 7,14,30, each an integer from 1 to 365. See `coinsphere publish --help`.');
    expect(await refused(['serve', '--port', '70000'])).toBe('coinsphere: Bad --port "70000": should be an integer from 0 to 65535. See `coinsphere serve --help`.');
    expect(await refused(['start', '--epochs', 'many'])).toBe('coinsphere: Bad --epochs "many": should be an integer >= 1. See `coinsphere start --help`.');
    expect(await refused(['snapshot', 'export', '--significant-digits', '2'])).toBe('coinsphere: Bad --significant-digits "2": should be an integer >= 6. See `coinsphere snapshot export --help`.');
  });

  it('refuses flags that do not go together, and commander\'s own usage errors, the same way', async () => {
    expect(await refused(['train', '--pooled', '--symbol', 'SYN'])).toBe('coinsphere: Pass --pooled (the served model over every asset) or --symbol <SYMBOL> (one asset), not both. See `coinsphere train --help`.');
    expect(await refused(['ingest', '--snapshot', '--csv', 'x'])).toContain('--snapshot [folder] (one of them). See `coinsphere ingest --help`.');
    expect(await refused(['ingest', '--from', 'binance'])).toBe('coinsphere: --from binance needs --symbols, e.g. --symbols BTC,ETH,SOL. See `coinsphere ingest --help`.');
    expect(await refused(['evaluate', '--model', 'spec'])).toBe('coinsphere: --model spec needs --symbols, e.g. BTC,ETH,SOL (one model per asset). See `coinsphere evaluate --help`.');
    expect(await refused(['predict'])).toBe('coinsphere: required option \'--symbol <symbol>\' not specified. See `coinsphere predict --help`.');
    expect(await refused(['train', '--epoch', '3'])).toMatch(/^coinsphere: unknown option '--epoch'.*See `coinsphere train --help`\.$/);
    expect(await refused(['evaluate', '--jobs'])).toBe('coinsphere: option \'--jobs <n>\' argument missing. See `coinsphere evaluate --help`.');
    expect(await refused(['trian'])).toMatch(/^coinsphere: unknown command 'trian'.* See `coinsphere --help`\.$/);
  });

  it('prints help on stdout with exit 0, and every command is listed with its description', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    for (const name of ['start', 'db', 'ingest', 'status', 'train', 'evaluate', 'predict', 'publish', 'models', 'outcomes', 'monitor', 'serve', 'worker', 'jobs', 'snapshot', 'bench']) {
      expect(r.out).toMatch(new RegExp(`\\n\\s+${name}\\b.*\\S`));
    }
    const train = await run(['train', '--help']);
    expect(train.code).toBe(0);
    expect(train.out).toContain('--engine <engine>');
    expect(train.out).toContain('(default: fused)');
  });
});
