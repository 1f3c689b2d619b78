import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/database.ts';
import { type OutboxEnv, startOutboxEnv } from '../support/outbox.ts';
import { waitFor } from '../support/wait.ts';

const fixtures = path.join(import.meta.dirname, '../../src/bounces/fixtures');
const RECIPIENT = 'gone@customer.test';

// A message sent through the outbox, then bounced: the harness SMTP server accepts every recipient and
// produces no delivery reports, so the remote MTA's report (Postfix's, from the fixture) naming the outbox
// row's Message-ID is appended to INBOX, as the user's provider would deliver it.
describe.each(databaseKinds)('a bounce of a message sent through the outbox (%s)', (kind) => {
  let o: OutboxEnv;

  beforeAll(async () => {
    o = await startOutboxEnv(kind);
  }, 60_000);
  afterAll(async () => o?.close());

  it('links to the outbox row and its stored sent message, and marks the contact address bouncing', async () => {
    const contact = await o.env.admin.post('/api/v1/contacts', { name: 'Gone Away', emails: [RECIPIENT] });
    expect(contact.statusCode).toBe(201);
    o.worker();
    const q = await o.queue({ to: [RECIPIENT], subject: 'Proposal' });
    const row = await o.waitForState(q.id, 'sent');
    expect(o.smtp.receivedWithMessageId(q.messageIdHeader)).toHaveLength(1);

    const report = fs
      .readFileSync(path.join(fixtures, 'postfix-failed.eml'), 'utf8')
      .replaceAll('<quote-200@tidings.test>', q.messageIdHeader)
      .replaceAll('nobody@customer.example', RECIPIENT)
      .replaceAll('Nobody@Customer.example', RECIPIENT);
    await o.env.dovecot.append(o.email, 'INBOX', report);
    o.env.supervisor().start();

    const line = await waitFor('the report read', async () => {
      await o.env.services.bounces.idle();
      return o.env.db.db.selectFrom('message_bounces').selectAll().where('recipient', '=', RECIPIENT).executeTakeFirst();
    });
    expect(line).toMatchObject({
      outbox_id: q.id,
      original_message_id: row.sent_message_id,
      original_message_id_header: q.messageIdHeader,
      action: 'failed',
      status: '5.1.1',
    });
    // The sent message itself is never read as a report, however it looks.
    expect(
      await o.env.db.db.selectFrom('message_bounces').selectAll().where('report_message_id', '=', row.sent_message_id!).execute(),
    ).toEqual([]);

    const sent = await o.env.admin.get(`/api/v1/messages/${row.sent_message_id}`);
    expect(sent.statusCode).toBe(200);
    expect(sent.data.bounces).toMatchObject([
      { recipient: RECIPIENT, action: 'failed', status: '5.1.1', reportMessageId: line.report_message_id },
    ]);
    const shown = await o.env.admin.get(`/api/v1/contacts/${contact.data.contact.id}`);
    expect(shown.data.contact.emails[0]).toMatchObject({ address: RECIPIENT, bounceReason: expect.stringContaining('550 5.1.1') });
    expect(shown.data.contact.emails[0].bouncingAt).not.toBeNull();
  });
});
