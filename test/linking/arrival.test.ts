import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateWorkspaceSettings } from '../../src/settings/workspace-settings.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

/** A small RFC 5322 message; `extra` adds headers such as List-Id or Precedence. */
function mail(i: number, from: string, to: string[], subject: string, extra: string[] = [], cc: string[] = []): Buffer {
  return Buffer.from(
    [
      `From: ${from}`,
      `To: ${to.join(', ')}`,
      ...(cc.length ? [`Cc: ${cc.join(', ')}`] : []),
      `Subject: ${subject}`,
      `Date: ${new Date(Date.UTC(2026, 10, 1) + i * 60_000).toUTCString()}`,
      `Message-ID: <arrival-${i}@ourco.test>`,
      ...extra,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `body ${i}`,
      '',
    ].join('\r\n'),
  );
}

// Real Dovecot, real sync engine, real event bus: what arrives is linked, and contacts are made per mailbox rule.
describe('linking and contact creation on arrival (Dovecot, PostgreSQL)', () => {
  let env: SyncEnv;
  let ann: string;
  let ben: string;
  let customer: string;

  beforeAll(async () => {
    env = await startSyncEnv('postgres');
    const db = env.db.db;
    await updateWorkspaceSettings(db, { workspaceDomains: ['ourco.test'] });
    ann = await env.bindMailbox('ann@ourco.test', 'ann-password-1');
    ben = await env.bindMailbox('ben@ourco.test', 'ben-password-1');
    await db.updateTable('mailboxes').set({ contact_creation: 'sent' }).where('id', '=', ann).execute();
    await db.updateTable('mailboxes').set({ contact_creation: 'all' }).where('id', '=', ben).execute();
    const c = await env.admin.post('/api/v1/contacts', { name: 'Customer One', emails: ['customer1@example.org'] });
    expect(c.statusCode).toBe(201);
    customer = c.data.contact.id;

    await env.dovecot.createFolder('ann@ourco.test', 'Sent', '\\Sent');
    await env.dovecot.append(
      'ann@ourco.test',
      'INBOX',
      mail(1, 'Customer One <Customer1@Example.org>', ['ann@ourco.test'], 'known contact'),
    );
    await env.dovecot.append('ann@ourco.test', 'INBOX', mail(2, 'Wang <wang@client.test>', ['ann@ourco.test'], 'inbound only'));
    await env.dovecot.append(
      'ann@ourco.test',
      'Sent',
      mail(3, 'ann@ourco.test', ['Li Lei <li.lei@acme.test>', 'x@qq.com', 'noreply@acme.test'], 'offer', [], ['colleague@ourco.test']),
    );
    await env.dovecot.append('ben@ourco.test', 'INBOX', mail(4, 'Zhao <zhao@globex.test>', ['ben@ourco.test'], 'hello from globex'));
    await env.dovecot.append(
      'ben@ourco.test',
      'INBOX',
      mail(5, 'Promo <promo@shop.test>', ['ben@ourco.test'], 'sale', ['Precedence: bulk']),
    );
    await env.dovecot.append(
      'ben@ourco.test',
      'INBOX',
      mail(6, 'News <editor@news.test>', ['ben@ourco.test'], 'weekly', ['List-Id: <weekly.news.test>']),
    );
    await env.dovecot.append('ben@ourco.test', 'INBOX', mail(7, 'MAILER-DAEMON@relay.test', ['ben@ourco.test'], 'Undelivered'));
    env.supervisor().start();
    await waitFor('import', async () => (await countMessages(env, ann)) === 3 && (await countMessages(env, ben)) === 4, 30_000);
    await waitFor(
      'linker',
      async () => {
        await env.services.linker.idle();
        return (
          (await db.selectFrom('contact_emails').select('address').where('address', '=', 'zhao@globex.test').executeTakeFirst()) ?? null
        );
      },
      10_000,
    );
    await env.services.linker.idle();
  });
  afterAll(async () => env?.close());

  it('links arriving mail to an existing contact; the timeline shows it', async () => {
    const tl = await env.admin.get(`/api/v1/contacts/${customer}/timeline`);
    expect(tl.statusCode).toBe(200);
    expect(tl.data.items.map((i: any) => i.email?.subject)).toEqual(['known contact']);
  });

  it("'sent' makes contacts of the people the owner wrote to, except colleagues, free mail and machines", async () => {
    const addresses = (await env.db.db.selectFrom('contact_emails').select('address').execute()).map((r) => r.address).sort();
    expect(addresses).toEqual(['customer1@example.org', 'li.lei@acme.test', 'zhao@globex.test']);
    const li = await env.db.db
      .selectFrom('contacts')
      .innerJoin('contact_emails', 'contact_emails.contact_id', 'contacts.id')
      .innerJoin('companies', 'companies.id', 'contacts.company_id')
      .select(['contacts.id', 'contacts.name', 'companies.name as company'])
      .where('contact_emails.address', '=', 'li.lei@acme.test')
      .executeTakeFirstOrThrow();
    expect(li).toMatchObject({ name: 'Li Lei', company: 'Acme' });
    // The new contact's timeline holds the message it was made from (retroactive linking).
    const tl = await env.admin.get(`/api/v1/contacts/${li.id}/timeline`);
    expect(tl.data.items.map((i: any) => i.email?.subject)).toEqual(['offer']);
  });

  it("'all' makes contacts of senders too, but never from bulk, list or daemon mail", async () => {
    const companies = await env.db.db
      .selectFrom('companies')
      .innerJoin('company_domains', 'company_domains.company_id', 'companies.id')
      .select(['name', 'domain'])
      .orderBy('name')
      .execute();
    expect(companies).toEqual([
      { name: 'Acme', domain: 'acme.test' },
      { name: 'Globex', domain: 'globex.test' },
    ]);
    const globex = await env.db.db
      .selectFrom('company_domains')
      .select('company_id')
      .where('domain', '=', 'globex.test')
      .executeTakeFirstOrThrow();
    const tl = await env.admin.get(`/api/v1/companies/${globex.company_id}/timeline`);
    expect(tl.data.items.map((i: any) => i.email?.subject)).toEqual(['hello from globex']);
  });

  it('links a burst of arrivals together: one contact per new person, named by the first message, every message on its timeline', async () => {
    const burst = Array.from({ length: 40 }, (_, k) => 100 + k);
    for (const i of burst) {
      const from = i === 100 ? 'Pat <pat@initech.test>' : 'Patricia Smith <pat@initech.test>';
      await env.dovecot.append(
        'ben@ourco.test',
        'INBOX',
        mail(i, from, ['ben@ourco.test'], `burst ${i}`, [], ['Customer One <customer1@example.org>']),
      );
    }
    const db = env.db.db;
    await waitFor('burst stored', async () => (await countMessages(env, ben)) === 4 + burst.length, 30_000);
    const pat = await waitFor(
      'pat linked to every burst message',
      async () => {
        await env.services.linker.idle();
        const row = await db.selectFrom('contact_emails').select('contact_id').where('address', '=', 'pat@initech.test').executeTakeFirst();
        if (!row) return null;
        const links = await db
          .selectFrom('message_links')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('contact_id', '=', row.contact_id)
          .executeTakeFirstOrThrow();
        return Number(links.n) === burst.length ? row.contact_id : null;
      },
      20_000,
    );
    const contacts = await db
      .selectFrom('contacts')
      .innerJoin('contact_emails', 'contact_emails.contact_id', 'contacts.id')
      .select(['contacts.name'])
      .where('contact_emails.address', '=', 'pat@initech.test')
      .execute();
    expect(contacts).toEqual([{ name: 'Pat' }]);
    const initech = await db.selectFrom('company_domains').select('company_id').where('domain', '=', 'initech.test').execute();
    expect(initech).toHaveLength(1);
    const tl = await env.admin.get(`/api/v1/contacts/${pat}/timeline?limit=100`);
    expect(tl.data.items.map((i: any) => i.email?.subject).sort()).toEqual(burst.map((i) => `burst ${i}`).sort());
    const customerLinks = await db
      .selectFrom('message_links')
      .innerJoin('messages', 'messages.id', 'message_links.message_id')
      .select('messages.subject')
      .where('message_links.contact_id', '=', customer)
      .where('messages.subject', 'like', 'burst %')
      .execute();
    expect(customerLinks).toHaveLength(burst.length);
  });
});
