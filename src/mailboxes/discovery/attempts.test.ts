import { describe, expect, it } from 'vitest';
import { Attempts, classifyError } from './attempts.ts';

describe('Attempts', () => {
  it('records a look-up that ignores its own timeout as timed out, on time', async () => {
    const attempts = new Attempts(100);
    const started = Date.now();
    try {
      const value = await attempts.run('guess', 'never:1', () => new Promise<never>(() => undefined));
      expect(value).toBeUndefined();
    } finally {
      attempts.close();
    }
    expect(Date.now() - started).toBeLessThan(1000);
    expect(attempts.tried).toEqual([{ source: 'guess', target: 'never:1', outcome: 'timeout', detail: 'no answer in time' }]);
  });

  it('records found, none and error outcomes', async () => {
    const attempts = new Attempts(1000);
    try {
      expect(await attempts.run('srv', 'a', async () => ({ found: 1, detail: 'x' }))).toBe(1);
      expect(await attempts.run('srv', 'b', async () => ({ none: 'nothing' }))).toBeUndefined();
      expect(
        await attempts.run('srv', 'c', async () => {
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
        }),
      ).toBeUndefined();
    } finally {
      attempts.close();
    }
    expect(attempts.tried.map((t) => [t.outcome, t.detail])).toEqual([
      ['found', 'x'],
      ['none', 'nothing'],
      ['error', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1'],
    ]);
  });

  it('finds the reason inside fetch-style wrapped errors', () => {
    const wrapped = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND x.test'), { code: 'ENOTFOUND' }),
    });
    expect(classifyError(wrapped).outcome).toBe('none');
    expect(classifyError(new DOMException('timed out', 'TimeoutError')).outcome).toBe('timeout');
    expect(classifyError(Object.assign(new Error('queryMx ETIMEOUT'), { code: 'ETIMEOUT' })).outcome).toBe('timeout');
  });
});
