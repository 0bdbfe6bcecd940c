// `coinsphere bench [--json]`: the command; what it measures is bench-runtimes.ts, imported when it runs so that
// tfjs (~1 s of CPU to import) loads in this command only, not in every CLI process.
import type { Command } from 'commander';

/** Registers `bench` on the CLI. */
export function register(program: Command): void {
  program
    .command('bench')
    .description('Measure training and prediction speed of tfjs, the fused engine and PyTorch (same random data).')
    .option('--json', 'print one JSON object instead of a table')
    .action(async (options: { json?: boolean }) => {
      const { formatBench, runBench } = await import('./bench-runtimes.ts');
      const result = await runBench();
      console.log(options.json ? JSON.stringify(result) : formatBench(result));
    });
}
