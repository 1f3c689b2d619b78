import { describe, expect, it } from 'vitest';
import { errorSections, statusForCode } from './error-statuses.ts';

describe('error status table', () => {
  it('maps each code in one section only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [section, codes] of Object.entries(errorSections)) {
      for (const code of Object.keys(codes)) {
        const other = seen.get(code);
        if (other) twice.push(`${code} in ${other} and ${section}`);
        seen.set(code, section);
      }
    }
    expect(twice).toEqual([]);
  });

  it('uses snake_case codes and real error statuses', () => {
    for (const codes of Object.values(errorSections)) {
      for (const [code, status] of Object.entries(codes)) {
        expect(code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(600);
      }
    }
  });

  it('answers 500 for a code nobody mapped', () => {
    expect(statusForCode('not_found')).toBe(404);
    expect(statusForCode('no_such_code_anywhere')).toBe(500);
  });
});
