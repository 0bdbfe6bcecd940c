// Entry of the `coinsphere` CLI: wiring only. Each command lives in commands/<name>.ts and exports
// `register(program)`; failures print one line naming the problem and its fix, and exit non-zero.
import { Command } from 'commander';

import * as bench from './commands/bench.ts';
import * as db from './commands/db.ts';
import * as evaluate from './commands/evaluate.ts';
import * as ingest from './commands/ingest.ts';
import * as predict from './commands/predict.ts';
import * as publish from './commands/publish.ts';
import * as serve from './commands/serve.ts';
import * as snapshot from './commands/snapshot.ts';
import * as start from './commands/start.ts';
import * as status from './commands/status.ts';
import * as train from './commands/train.ts';
import { versionLine } from './cli/version.ts';

const program = new Command('coinsphere')
  .description('Coinsphere ML: LSTM direction forecasts for crypto assets, with honest baselines.')
  .showHelpAfterError()
  .option('-V, --version', 'print the version and the git commit of this code')
  .on('option:version', () => {
    process.stdout.write(`${versionLine()}\n`);
    process.exit(0);
  });

const commands: Array<{ register: (program: Command) => void }> = [start, db, ingest, status, train, evaluate, predict, publish, serve, snapshot, bench];
for (const command of commands) command.register(program);

await program.parseAsync(process.argv);
