// Training progress on stderr: one bar per epoch with loss and ETA, then a line of the epoch's metrics.
// Silent with --quiet or --json (the JSON summary goes to stdout alone).
import cliProgress from 'cli-progress';
import type { EpochLog } from '@coinsphere/model/core';
import type { TrainReporter } from './run-training.ts';

/** A reporter for the CLI. `mode` 'bar' draws bars on a TTY and prints epoch lines otherwise. */
export function cliReporter(mode: 'bar' | 'quiet' | 'json'): TrainReporter {
  const err = (s: string) => process.stderr.write(`${s}\n`);
  if (mode === 'quiet' || mode === 'json') {
    return { info: () => {}, warn: (m) => err(`warning: ${m}`) };
  }
  const tty = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  let epochs = 0;
  return {
    info: (m) => err(m),
    warn: (m) => err(`warning: ${m}`),
    epochStart: (epoch, total, nBatches) => {
      epochs = total;
      if (!tty) return;
      bar = new cliProgress.SingleBar(
        { format: `epoch ${epoch + 1}/${total} [{bar}] {value}/{total} batches | loss {loss} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(nBatches, 0, { loss: '-' });
    },
    batch: (b, _n, loss) => bar?.update(b + 1, { loss: loss.toFixed(4) }),
    epochEnd: (log: EpochLog) => {
      bar?.stop();
      bar = null;
      err(
        `epoch ${log.epoch + 1}/${epochs}  loss ${log.loss.toFixed(4)}  acc ${(log.acc * 100).toFixed(1)}%  ` +
          `val_loss ${log.valLoss.toFixed(4)}  val_acc ${(log.valAcc * 100).toFixed(1)}%  ${(log.elapsedMs / 1000).toFixed(1)}s` +
          `${log.improved ? '  * best, checkpointed' : ''}`,
      );
    },
  };
}
