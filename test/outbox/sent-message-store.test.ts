// The stored sent message (src/store/sent-messages.ts) and how the synced Sent copy merges into it
// (src/store/batch.ts): same bytes by the raw hash, other bytes by adoption; one row, same id either way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { RemoteMessageRef } from '../../src/connectors/types.ts';
import { parseMessage } from '../../src/ingest/index.ts';
import { storeBatch } from '../../src/store/batch.ts';
import { storeSentMessage } from '../../src/store/sent-messages.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertMailbox, insertUser } from '../support/rows.ts';

async function source(messageId: string, opts: { attachment?: string } = {}): Promise<Buffer> {
  return new MailComposer({
    from: 'me@ourco.test',
    to: 'ann@customer.test',
    subject: 'Proposal',
    text: 'Hello Ann,\r\n',
    messageId,
    date: new Date('2026-12-07T08:00:00Z'),
    attachments: opts.attachment ? [{ filename: opts.attachment, content: Buffer.from('data') }] : [],
  })
    .compile()
    .build();
}

const ref = (remoteId: string): RemoteMessageRef => ({
  remoteId,
  stableId: null,
  threadId: null,
  flags: ['seen'],
  keywords: [],
  size: null,
  internalDate: new Date(),
  modseq: null,
});

describe('the stored sent message merges with the synced Sent copy (PGlite)', () => {
  let t: TestDatabase;
  let mailboxId: string;
  let userId: string;
  let folderId: string;

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    userId = await insertUser(t.db);
    mailboxId = await insertMailbox(t.db, userId, 'me@ourco.test');
    folderId = (
      await t.db
        .insertInto('mail_folders')
        .values({ mailbox_id: mailboxId, remote_id: 'Sent', path: 'Sent', name: 'Sent', delimiter: '/', role: 'sent' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });

  afterAll(async () => {
    await t?.drop();
  });

  async function outboxRow(messageIdHeader: string): Promise<string> {
    const row = await t.db
      .insertInto('outbox_messages')
      .values({
        mailbox_id: mailboxId,
        created_by: userId,
        state: 'sent',
        message_id_header: messageIdHeader,
        from: JSON.stringify({ name: null, address: 'me@ourco.test' }),
        to: '[]',
        cc: '[]',
        bcc: '[]',
        attachments: '[]',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const membershipsOf = async (messageId: string) =>
    (await t.db.selectFrom('message_folders').select('remote_id').where('message_id', '=', messageId).execute()).map((m) => m.remote_id);

  it('same bytes: the synced copy merges by its hash', async () => {
    const mid = '<same-bytes@ourco.test>';
    const outboxId = await outboxRow(mid);
    const raw = await source(mid);
    const { message } = await parseMessage(raw);
    const stored = await storeSentMessage(t.db, { mailboxId, outboxId, parsed: message, sentAt: new Date() });
    expect(stored.created).toBe(true);
    expect(await storeSentMessage(t.db, { mailboxId, outboxId, parsed: message, sentAt: new Date() })).toEqual({
      id: stored.id,
      created: false,
    });

    const result = await storeBatch(t.db, { mailboxId, folderId, generation: '1', incoming: [{ ref: ref('10'), parsed: message }] });
    expect(result.created).toEqual([]);
    expect(result.updated).toEqual([stored.id]);
    expect(await membershipsOf(stored.id)).toEqual(['10']);
    const row = await t.db.selectFrom('messages').select(['outbox_id']).where('id', '=', stored.id).executeTakeFirstOrThrow();
    expect(row.outbox_id).toBe(outboxId);
  });

  it('other bytes (the provider filed its own copy): the stored row adopts the synced source, keeping its id', async () => {
    const mid = '<other-bytes@ourco.test>';
    const outboxId = await outboxRow(mid);
    const ours = await source(mid, { attachment: 'ours.txt' });
    const stored = await storeSentMessage(t.db, { mailboxId, outboxId, parsed: (await parseMessage(ours)).message, sentAt: new Date() });
    // Gmail adds headers to the copy it files, and here the copy also names its attachment differently.
    const theirs = Buffer.concat([
      Buffer.from('Received: from mail.example by smtp.gmail.com; Mon, 7 Dec 2026 08:00:01 +0000\r\n'),
      await source(mid, { attachment: 'theirs.txt' }),
    ]);
    const synced = (await parseMessage(theirs)).message;
    expect(synced.sha256).not.toBe((await parseMessage(ours)).message.sha256);

    const result = await storeBatch(t.db, { mailboxId, folderId, generation: '1', incoming: [{ ref: ref('11'), parsed: synced }] });
    expect(result.created).toEqual([]);
    expect(result.updated).toEqual([stored.id]);
    const rows = await t.db
      .selectFrom('messages')
      .select(['id', 'raw_sha256', 'outbox_id'])
      .where('message_id_header', '=', synced.messageId)
      .execute();
    expect(rows).toEqual([{ id: stored.id, raw_sha256: synced.sha256, outbox_id: outboxId }]);
    expect(await membershipsOf(stored.id)).toEqual(['11']);
    const attachments = await t.db.selectFrom('attachments').select('filename').where('message_id', '=', stored.id).execute();
    expect(attachments.map((a) => a.filename)).toEqual(['theirs.txt']);
  });

  it('a message already in a folder is not adopted by another copy with its Message-ID', async () => {
    const mid = '<already-synced@ourco.test>';
    const outboxId = await outboxRow(mid);
    const raw = await source(mid);
    const { message } = await parseMessage(raw);
    const stored = await storeSentMessage(t.db, { mailboxId, outboxId, parsed: message, sentAt: new Date() });
    await storeBatch(t.db, { mailboxId, folderId, generation: '1', incoming: [{ ref: ref('12'), parsed: message }] });
    // A second, different message carrying the same Message-ID (a resend from another client).
    const other = (await parseMessage(Buffer.concat([Buffer.from('X-Other: 1\r\n'), raw]))).message;
    const result = await storeBatch(t.db, { mailboxId, folderId, generation: '1', incoming: [{ ref: ref('13'), parsed: other }] });
    expect(result.created).toHaveLength(1);
    expect(result.created[0]).not.toBe(stored.id);
  });
});
