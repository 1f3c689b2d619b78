import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compatibilityDocPath } from './generate-docs.ts';
import { providers } from './index.ts';
import { renderCompatibilityDoc } from './render-docs.ts';

describe('docs/compatibility.md', () => {
  it('is up to date with the catalogue (run `npm run docs:compat`)', () => {
    expect(readFileSync(compatibilityDocPath, 'utf8')).toBe(renderCompatibilityDoc(providers));
  });

  it('keeps a pipe in a help text inside its table cell', () => {
    const [first] = providers;
    const doc = renderCompatibilityDoc([{ ...first, help: { en: 'a | b\nc', 'zh-CN': '甲' } }]);
    const row = doc.split('\n').find((l) => l.includes('a \\| b c'));
    expect(row).toBeDefined();
    expect(row?.split(/(?<!\\)\|/).length).toBe(11); // 9 cells between 10 unescaped pipes
  });
});
