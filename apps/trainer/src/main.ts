// Entry of the `coinsphere` CLI: wiring only. Each command lives in commands/<name>.ts and exports
// `register(program)`; failures print one line naming the problem and its fix, and exit non-zero.
import { Command } from 'commander';

import * as bench from './commands/bench.ts';
import * as db from './commands/db.ts';
import * as ingest from './commands/ingest.ts';
import * as publish from './commands/publish.ts';
import * as serve from './commands/serve.ts';
import * as status from './commands/status.ts';

const program = new Command('coinsphere')
  .description('Coinsphere ML: LSTM direction forecasts for crypto assets, with honest baselines.')
  .showHelpAfterError();

const commands: Array<{ register: (program: Command) => void }> = [db, ingest, status, bench, publish, serve];
for (const command of commands) command.register(program);

await program.parseAsync(process.argv);
