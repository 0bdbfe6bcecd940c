// Entry of the `coinsphere` CLI: wiring only. The program (cli/program.ts) registers every command and turns a
// failure into one line on stderr and an exit code; this file hands it the process's arguments.
import { runCli } from './cli/program.ts';

process.exitCode = await runCli(process.argv.slice(2));
