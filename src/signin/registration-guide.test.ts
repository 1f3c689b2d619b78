import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRegistrationGuides, signinRegistrationGuides } from './registration-guide.ts';

describe('sign-in app registration guides', () => {
  it('fill in the redirect URI and are bilingual', () => {
    const guides = signinRegistrationGuides('https://crm.example.com/oauth/callback');
    for (const g of guides) {
      const all = [...g.steps, ...g.notes];
      expect(all.some((s) => s.en.includes('https://crm.example.com/oauth/callback'))).toBe(true);
      for (const s of all) {
        expect(s['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
        expect(s.en).not.toContain('{redirectUri}');
      }
    }
  });

  it('name the Microsoft Graph permissions a Graph mailbox needs', () => {
    const microsoft = signinRegistrationGuides('https://crm.example.com/oauth/callback').find((g) => g.provider === 'microsoft')!;
    const text = microsoft.steps.map((s) => s.en).join('\n');
    for (const permission of ['Mail.ReadWrite', 'Mail.Send', 'User.Read', 'Application permissions']) expect(text).toContain(permission);
  });

  it('docs/signin-apps.md is the rendering of the same data', () => {
    const file = new URL('../../docs/signin-apps.md', import.meta.url);
    if (process.env.UPDATE_DOCS) fs.writeFileSync(file, renderRegistrationGuides());
    expect(fs.readFileSync(file, 'utf8')).toBe(renderRegistrationGuides());
  });
});
