// What the API logs of an error: one line, credentials out.
import { describe, expect, it } from 'vitest';
import { describeError } from './errors.ts';

describe('describeError', () => {
  it('gives one line with the cause, credentials in URLs and key=value pairs replaced, at most 300 characters', () => {
    const err = new Error('connect ECONNREFUSED postgres://coin:hunter2@db.internal:5432/coinsphere\n    at Socket.connect (net.js:1:1)', { cause: new Error('auth failed: password=hunter2; token=abc123') });
    const line = describeError(err);
    expect(line).toBe('Error: connect ECONNREFUSED postgres://***@db.internal:5432/coinsphere at Socket.connect (net.js:1:1) (cause: Error: auth failed: password=***; token=***)');
    expect(describeError(new TypeError('x'.repeat(1000)))).toHaveLength(300);
    expect(describeError('plain text')).toBe('plain text');
  });
});
