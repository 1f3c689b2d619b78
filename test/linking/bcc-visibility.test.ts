import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../src/api/context.ts';
import { updateWorkspaceSettings } from '../../src/settings/workspace-settings.ts';
import { signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { insertMail, insertMailbox } from '../support/rows.ts';
import type { MailSpec } from '../support/message.ts';

const sent = (from: string, subject: string): MailSpec => ({
  from,
  to: ['Buyer <buyer@client.example>'],
  bcc: ['Secret Partner <secret-partner@rival.example>'],
  replyTo: ['deals-desk@ourco-helpdesk.example'],
  subject,
  text: 'the offer',
  messageId: `<${subject.replace(/\W/g, '')}@mail.ourco.com>`,
  references: ['<earlier@mail.ourco.com>'],
  date: '2026-11-10T10:00:00Z',
});

// What a reader who may not see a mailbox in full learns of its Bcc, Reply-To and headers (docs/visibility.md).
describe('Bcc, Reply-To and headers by visibility level (PGlite)', () => {
  let t: TestApp & { services: AppServices };
  let admin: Client;
  let bob: { client: Client; id: string };
  let subjectMail: string;
  let metadataMail: string;
  let sharedMail: string;
  const db = () => t.db.db;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    admin = await setupAdmin(t.app);
    const adminId = (await db().selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
    bob = await signInMember(t, admin, 'bob@ourco.com', 'Bob');
    await updateWorkspaceSettings(db(), { workspaceDomains: ['ourco.com'] });
    const subjectOnly = await insertMailbox(db(), adminId, 'ada@ourco.com', { visibility: 'subject_only', contactCreation: 'sent' });
    const metadataOnly = await insertMailbox(db(), adminId, 'ada2@ourco.com', { visibility: 'metadata_only', contactCreation: 'sent' });
    const shared = await insertMailbox(db(), adminId, 'ada3@ourco.com', { visibility: 'share_all', contactCreation: 'sent' });
    subjectMail = (await insertMail(db(), t.services, subjectOnly, sent('ada@ourco.com', 'offer one'))).id;
    metadataMail = (await insertMail(db(), t.services, metadataOnly, sent('ada2@ourco.com', 'offer two'))).id;
    const folder = await db()
      .insertInto('mail_folders')
      .values({ mailbox_id: subjectOnly, remote_id: 'f1', path: 'Clients/Rival talks', name: 'Rival talks', delimiter: '/', role: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('message_folders')
      .values({ message_id: subjectMail, folder_id: folder.id, uid_validity: '1', remote_id: '1' })
      .execute();
    // Only now is a full-share mailbox's Bcc allowed to make a contact.
    sharedMail = (await insertMail(db(), t.services, shared, { ...sent('ada3@ourco.com', 'offer three'), date: '2026-11-11T10:00:00Z' }))
      .id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a Bcc in a mailbox not shared in full makes no contact and no company', async () => {
    const contacts = await bob.client.get('/api/v1/contacts?limit=100');
    expect(contacts.statusCode).toBe(200);
    const names = contacts.data.items.map((c: any) => c.name);
    expect(names).toContain('Buyer');
    // The share_all mailbox's Bcc became a contact, once: the two others did not.
    expect(names.filter((n: string) => n === 'Secret Partner')).toHaveLength(1);
    const row = await db()
      .selectFrom('contact_emails')
      .innerJoin('contacts', 'contacts.id', 'contact_emails.contact_id')
      .select(['contacts.created_at'])
      .where('address', '=', 'secret-partner@rival.example')
      .executeTakeFirstOrThrow();
    const shared = await db().selectFrom('messages').select('created_at').where('id', '=', sharedMail).executeTakeFirstOrThrow();
    expect(new Date(row.created_at).getTime()).toBeGreaterThanOrEqual(new Date(shared.created_at).getTime());
  });

  it('a subject-only reader sees neither Bcc nor Reply-To, in any field', async () => {
    const res = await bob.client.get(`/api/v1/messages/${subjectMail}`);
    expect(res.statusCode).toBe(200);
    const m = res.data;
    expect(m.access).toBe('subject');
    expect(m.bcc).toEqual([]);
    expect(m.replyTo).toEqual([]);
    expect(m.participants.sort()).toEqual(['ada@ourco.com', 'buyer@client.example']);
    expect(JSON.stringify(m)).not.toContain('secret-partner');
    expect(JSON.stringify(m)).not.toContain('helpdesk');
  });

  it('Message-ID, references and folder names are full content; the size is not metadata', async () => {
    const subject = (await bob.client.get(`/api/v1/messages/${subjectMail}`)).data;
    expect({
      messageId: subject.messageId,
      inReplyTo: subject.inReplyTo,
      references: subject.references,
      folders: subject.folders,
    }).toEqual({
      messageId: null,
      inReplyTo: null,
      references: [],
      folders: [],
    });
    expect(subject.size).toBeTypeOf('number');
    const metadata = (await bob.client.get(`/api/v1/messages/${metadataMail}`)).data;
    expect(metadata.access).toBe('metadata');
    expect(metadata.size).toBeNull();
    expect(metadata.participants.sort()).toEqual(['ada2@ourco.com', 'buyer@client.example']);
    const list = await bob.client.get(`/api/v1/messages?mailboxId=${metadata.mailboxId}`);
    expect(list.data.items[0].size).toBeNull();
    // The owner sees it all.
    const own = (await admin.get(`/api/v1/messages/${subjectMail}`)).data;
    expect(own.bcc.map((a: any) => a.address)).toEqual(['secret-partner@rival.example']);
    expect(own.replyTo.map((a: any) => a.address)).toEqual(['deals-desk@ourco-helpdesk.example']);
    expect(own.participants).toContain('secret-partner@rival.example');
    expect(own.messageId).toBe('<offerone@mail.ourco.com>');
    expect(own.folders.map((f: any) => f.name)).toEqual(['Rival talks']);
  });

  it('a full-share reader sees the Bcc', async () => {
    const m = (await bob.client.get(`/api/v1/messages/${sharedMail}`)).data;
    expect(m.access).toBe('full');
    expect(m.bcc.map((a: any) => a.address)).toEqual(['secret-partner@rival.example']);
    expect(m.replyTo.map((a: any) => a.address)).toEqual(['deals-desk@ourco-helpdesk.example']);
  });

  it("a Bcc'd contact's timeline shows the blind copies only to readers of the whole mailbox", async () => {
    const contact = (await admin.get('/api/v1/contacts?q=Secret')).data.items[0];
    const emails = async (c: Client, path: string) =>
      (await c.get(`${path}/timeline?limit=100`)).data.items.filter((i: any) => i.kind === 'email').map((i: any) => i.id);
    expect((await emails(admin, `/api/v1/contacts/${contact.id}`)).sort()).toEqual([subjectMail, metadataMail, sharedMail].sort());
    expect(await emails(bob.client, `/api/v1/contacts/${contact.id}`)).toEqual([sharedMail]);
    expect(await emails(bob.client, `/api/v1/companies/${contact.company.id}`)).toEqual([sharedMail]);
  });

  it('search finds a Bcc address only for readers of the whole mailbox', async () => {
    const hits = await bob.client.get('/api/v1/search?q=partner&types=emails');
    expect(hits.statusCode).toBe(200);
    expect(hits.data.items.map((h: any) => h.id)).toEqual([sharedMail]);
  });

  it('a Bcc recipient counts on no dashboard (the customer exists: it came from the full-share mailbox)', async () => {
    const rival = await db().selectFrom('company_domains').select('company_id').where('domain', '=', 'rival.example').executeTakeFirst();
    expect(rival).toBeDefined();
    for (const who of [admin, bob.client]) {
      const dash = await who.get('/api/v1/dashboard?scope=team');
      expect(dash.statusCode).toBe(200);
      expect(dash.data.mailByCompany.map((c: { id: string }) => c.id)).not.toContain(rival!.company_id);
      expect(dash.data.mailByCompany.length).toBeGreaterThan(0);
    }
  });
});
