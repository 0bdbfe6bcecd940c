import { describe, expect, it } from 'vitest';
import { makeModelVersion } from './run-training.ts';

describe('makeModelVersion', () => {
  it('gives sortable stamps that never repeat, even within one millisecond (two trainings in one second collided)', () => {
    const at = new Date(Date.UTC(2026, 11, 1, 23, 21, 6, 5));
    const a = makeModelVersion(at);
    const b = makeModelVersion(at);
    expect(a).toBe('20261201T232106005Z');
    expect(b).toBe('20261201T232106006Z');
    expect(makeModelVersion(new Date(at.getTime() - 60_000)) > b).toBe(true); // never goes back
  });
});
