import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { organisationGuides, renderOrganisationGuideMarkdown } from './org-guide.ts';

const DOC = path.join(import.meta.dirname, '../../../docs/organisation-access.md');

describe('organisation access guides', () => {
  it('fill in the client id and say every step in both languages', () => {
    const [microsoft, google] = organisationGuides({ microsoft: 'app-123', google: '1098765' });
    expect(
      microsoft!.steps.some(
        (s) => s.en.includes('New-ServicePrincipal -AppId app-123') && s['zh-CN'].includes('New-ServicePrincipal -AppId app-123'),
      ),
    ).toBe(true);
    expect(google!.steps.some((s) => s.en.includes('Client ID: 1098765') && s['zh-CN'].includes('1098765'))).toBe(true);
    for (const g of [microsoft!, google!]) for (const t of [...g.steps, ...g.notes, g.title]) expect(t['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  });

  it('docs/organisation-access.md is what org-guide.ts renders', () => {
    const rendered = renderOrganisationGuideMarkdown();
    if (process.env.UPDATE_DOCS) fs.writeFileSync(DOC, rendered);
    expect(fs.readFileSync(DOC, 'utf8')).toBe(rendered);
  });
});
