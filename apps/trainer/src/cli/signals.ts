// The CLI's one way of hearing Ctrl-C (SIGINT) and SIGTERM. `serve` and `start` stop their server on it
// (whenStopped); `evaluate` says what it kept and exits 130 (onStop, removed once the job is done, so a
// command run in-process leaves no listener behind).
/** A stop signal the CLI listens for. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Calls `handler` on the first of `signals`; returns the function that removes it (called on the signal too). */
export function onStop(handler: (signal: StopSignal) => void, signals: readonly StopSignal[] = ['SIGINT', 'SIGTERM']): () => void {
  const listeners = signals.map((signal) => [signal, () => (remove(), handler(signal))] as const);
  const remove = () => listeners.forEach(([s, l]) => process.off(s, l));
  listeners.forEach(([s, l]) => process.on(s, l));
  return remove;
}

/** Resolves with the first of `signals` this process receives. */
export function whenStopped(signals: readonly StopSignal[] = ['SIGINT', 'SIGTERM']): Promise<StopSignal> {
  return new Promise((resolve) => void onStop(resolve, signals));
}

/**
 * Resolves with null on a stop signal, or with `lost`'s error once it resolves (the database came through another
 * process's share and that process stopped): a long-running command then stops and says why.
 */
export function whenStoppedOrLost(lost?: Promise<Error>): Promise<Error | null> {
  return Promise.race([whenStopped().then(() => null), ...(lost ? [lost] : [])]);
}
