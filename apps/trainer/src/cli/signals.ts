// The CLI's one way of hearing Ctrl-C (SIGINT) and SIGTERM: a promise that resolves with the first of them.
// `serve` and `start` stop their server on it; `evaluate` says what it kept and exits 130.
/** A stop signal the CLI listens for. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Resolves with the first of `signals` this process receives; the listeners go once it has. */
export function whenStopped(signals: readonly StopSignal[] = ['SIGINT', 'SIGTERM']): Promise<StopSignal> {
  return new Promise((resolve) => {
    const handlers = signals.map((signal) => {
      const handler = () => {
        for (const [s, h] of handlers) process.off(s, h);
        resolve(signal);
      };
      process.on(signal, handler);
      return [signal, handler] as const;
    });
  });
}
