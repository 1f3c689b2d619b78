import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeReport, STRUCTURE_RULES } from './axe.ts';
import { screenshot } from './browser.ts';
import type { MailEnv } from './mail-env.ts';
import { buildMessage } from './message.ts';

/**
 * What the accessibility tour (test/e2e/accessibility.*.e2e.test.ts, one file per UI language so the two
 * run side by side) shares: the seeded mail, the wait for a quiet page and the check of a screen.
 */

export const TOUR_PASSWORD = 'mailbox secret 42';
export const TOUR_ADMIN_PASSWORD = 'correct horse battery';
/** A member who turns two-factor on, to reach the login's code step. */
export const TOUR_MEMBER = { email: 'mo@example.test', name: 'Mo Member', password: 'member password 123' };
/** A member with nothing yet (no mailbox, no mail, no templates): the app's empty states. */
export const TOUR_NEWCOMER = { email: 'nina@example.test', name: 'Nina New', password: 'newcomer password 123' };

const bounceFixtures = path.join(import.meta.dirname, '../../src/bounces/fixtures');

/** Subjects of the seeded mail the tour opens. */
export const TOUR_SUBJECTS = {
  plan: 'Quarterly plan',
  quote: '关于合同的报价',
  bounced: 'Quote for 200 units',
  report: 'Undelivered Mail Returned to Sender',
};

/** The address the seeded delivery report says bounced (a contact shows it as bouncing). */
export function bouncedRecipient(tag: string): string {
  return `nobody-${tag}@customer.example`;
}

/** The tour's mailbox: a plan thread, and a Chinese message with an attachment. */
export async function tourMail(tag: string): Promise<Buffer[]> {
  const at = (h: number) => new Date(Date.now() - (6 - h) * 3600_000);
  return [
    await buildMessage({
      from: 'Zhang Wei <zhang.wei@xingchen.test>',
      subject: TOUR_SUBJECTS.plan,
      date: at(0),
      messageId: `<plan-1-${tag}@xingchen.test>`,
      text: 'First message of the plan thread.',
      html: '<p>First message of the plan thread.</p>',
    }),
    await buildMessage({
      from: 'Zhang Wei <zhang.wei@xingchen.test>',
      subject: TOUR_SUBJECTS.quote,
      date: at(1),
      messageId: `<quote-${tag}@xingchen.test>`,
      text: '您好，附件是本季度的报价单，请查收。',
      attachments: [{ filename: '报价单.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 quote') }],
    }),
  ];
}

/**
 * A message of the user's that bounced, and its delivery report (Postfix's, from the bounce parser's
 * fixtures). Appended once the recipient is a contact, so that contact is the one marked bouncing.
 */
export async function tourBounce(user: string, tag: string): Promise<Buffer[]> {
  const recipient = bouncedRecipient(tag);
  const originalId = `<bounced-${tag}@example.test>`;
  const report = fs
    .readFileSync(path.join(bounceFixtures, 'postfix-failed.eml'), 'utf8')
    .replaceAll('<quote-200@tidings.test>', originalId)
    .replaceAll('nobody@customer.example', recipient)
    .replaceAll('Nobody@Customer.example', recipient);
  const original = await buildMessage({
    from: `Me <${user}>`,
    to: recipient,
    subject: TOUR_SUBJECTS.bounced,
    date: new Date('2026-11-03T08:14:00Z'),
    messageId: originalId,
    text: 'Here is the quote.',
  });
  return [original, Buffer.from(report)];
}

/**
 * Waits until no CSS transition or animation has run for a few frames: a modal or menu fading in has
 * colours axe would misjudge, and Mantine starts its transitions a frame after mounting.
 */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    for (let quiet = 0, tries = 0; quiet < 3 && tries < 200; tries++) {
      const running = document.getAnimations();
      quiet = running.length ? 0 : quiet + 1;
      await Promise.all([frame(), ...running.map((a) => a.finished.catch(() => undefined))]);
    }
  });
}

/**
 * Checks the whole page as it is now against WCAG 2.0/2.1 A and AA and axe's structure rules, softly: a
 * failure names the screen and lists its violations, and the tour goes on to the next screen.
 */
export async function checkScreen(page: Page, locale: string, where: string): Promise<void> {
  await settled(page);
  await screenshot(page, `${locale}-a11y-${where.replace(/\W+/g, '-')}`);
  expect.soft(await axeReport(page, `${where} (${locale})`, [], { alsoRules: STRUCTURE_RULES })).toBe('');
}

/** Presses Escape and waits until no dialog is left. */
export async function closeDialog(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

/** POSTs as the signed-in admin and expects 201; returns the answer's body. */
export async function created(env: MailEnv, apiPath: string, body: unknown): Promise<any> {
  const res = await env.call('POST', apiPath, body);
  expect(res.status, `${apiPath}: ${JSON.stringify(res.data)}`).toBe(201);
  return res.data;
}

/** The id of the message with this subject, once it is synced. */
export function messageIdBySubject(env: MailEnv, subject: string): Promise<string> {
  return env.waitFor(`the message "${subject}"`, async () => {
    const items = (await env.call('GET', '/api/v1/messages?limit=100')).data.items as Array<{ id: string; subject: string | null }>;
    return items.find((m) => m.subject === subject)?.id ?? null;
  });
}
