import { describe, expect, it } from 'vitest';
import { makeModelVersion } from './run-training.ts';

describe('makeModelVersion', () => {
  it('gives sortable stamps that never repeat, even within one millisecond (two trainings in one second collided)', () => {
    // Later than any stamp another file of this worker made (unit files share a module graph): then `a` is `at`.
    const at = new Date(Date.UTC(2999, 11, 1, 23, 21, 6, 5));
    const a = makeModelVersion(at);
    const b = makeModelVersion(at);
    expect(a).toBe('29991201T232106005Z');
    expect(b).toBe('29991201T232106006Z');
    expect(makeModelVersion(new Date(at.getTime() - 60_000))).toBe('29991201T232106007Z'); // never goes back, at once
  });
});
