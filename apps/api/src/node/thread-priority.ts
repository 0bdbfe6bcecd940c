// Lowers the priority of the calling thread only (Linux's nice values are per thread), so that CPU-bound work in a
// worker thread yields the cores to the request loop: the predict pool's threads run PREDICT_NICE (default 10) below the process
// and a cached read beside a flood of predictions waits for the scheduler less. Node only.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Where the thread runs and at what niceness, as the worker reports it. */
export interface ThreadPriority {
  /** The kernel's id of this thread (Linux), or null where the platform has none to address. */
  tid: number | null;
  /** The niceness the thread runs at now; null where it could not be read. */
  nice: number | null;
  /** Why the niceness asked for was not applied, when it was not. */
  refused?: string;
}

/** This thread's kernel id, from /proc/thread-self (a link to "<pid>/task/<tid>"); null off Linux. */
export function currentThreadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/**
 * Raises the calling thread's niceness by `nice` (as `nice -n`; at most to 19, and 0 leaves it as it is). Threads it starts afterwards inherit it.
 * Never throws: a platform without per-thread priorities, or a process not allowed to change them, keeps running
 * at its own priority and says why in `refused`.
 */
export function lowerThreadPriority(nice: number): ThreadPriority {
  const tid = currentThreadId();
  const read = () => {
    try {
      return tid === null ? null : getPriority(tid);
    } catch {
      return null;
    }
  };
  if (nice === 0) return { tid, nice: read() };
  if (tid === null) return { tid, nice: read(), refused: 'this platform has no per-thread priority (Linux only)' };
  try {
    setPriority(tid, Math.min(19, getPriority(tid) + nice));
    return { tid, nice: read() };
  } catch (err) {
    return { tid, nice: read(), refused: err instanceof Error ? err.message : String(err) };
  }
}
