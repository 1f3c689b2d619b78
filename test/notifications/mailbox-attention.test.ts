import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxAttentionEvent } from '../../src/events/bus.ts';
import type { SyncSupervisor } from '../../src/sync/index.ts';
import type { Client, TestApp } from '../support/app.ts';
import { expectProblem, signInMember } from '../support/api.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { countMessages, type SyncEnv, startSyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'attention@example.test';
const PASS = 'attention-password-1';

describe('a mailbox that needs attention (PostgreSQL)', () => {
  let env: SyncEnv;
  let sync: SyncSupervisor;
  let mailboxId: string;
  let owner: Client;
  let bystander: Client;
  const attention: MailboxAttentionEvent[] = [];
  const progress: number[] = [];

  beforeAll(async () => {
    env = await startSyncEnv('postgres');
    const t = { app: env.app } as TestApp;
    const ownerUser = await signInMember(t, env.admin, 'owner@example.com', 'Olive Owner');
    owner = ownerUser.client;
    bystander = (await signInMember(t, env.admin, 'bystander@example.com', 'Bo Bystander')).client;
    mailboxId = await env.bindMailbox(USER, PASS, { ownerUserId: ownerUser.id });
    for (let i = 0; i < 3; i++) await env.dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'att' }));
    // The password changed on the server since the mailbox was bound.
    const { secret_id } = await env.db.db.selectFrom('mailboxes').select('secret_id').where('id', '=', mailboxId).executeTakeFirstOrThrow();
    await env.services.vault.replace(env.db.db, secret_id!, 'an-old-password');
    env.services.events.on('mailbox.attention', (e) => attention.push(e));
    env.services.events.on('mailbox.progress', () => progress.push(Date.now()));
    sync = env.supervisor({ discoverMs: 60_000, pollMs: 60_000, renewMs: 60_000, leaseTtlMs: 120_000 });
    sync.start();
    await waitFor('needs attention', async () => (await sync.status(mailboxId)).state === 'needs_attention', 20_000);
  }, 60_000);
  afterAll(async () => env?.close());

  it('raises mailbox.attention once, with the failure code, however often the login was refused', async () => {
    await waitFor('the attention event', async () => attention.length > 0, 5_000);
    // Waking the runner again (the 60 s wait, "Sync now" without a fix) must not announce it again.
    await new Promise((r) => setTimeout(r, 500));
    expect(attention).toEqual([{ mailboxId, ownerUserId: expect.any(String), code: 'auth_failed' }]);
    const errors = await env.db.db.selectFrom('mailbox_sync_errors').select('code').where('mailbox_id', '=', mailboxId).execute();
    expect(errors.map((e) => e.code)).toEqual(['auth_failed', 'auth_failed', 'auth_failed']);
  });

  it('notifies the owner and the admins, with the fix in both languages, and nobody else', async () => {
    for (const client of [owner, env.admin]) {
      const res = await client.get('/api/v1/notifications');
      expect(res.statusCode).toBe(200);
      expect(res.data.unread).toBe(1);
      expect(res.data.items).toHaveLength(1);
      const [n] = res.data.items;
      expect(n).toMatchObject({ kind: 'mailbox_attention', code: 'auth_failed', read: false, mailbox: { id: mailboxId, email: USER } });
      expect(n.message.en).toMatch(/refused the username or password/);
      expect(n.fix['zh-CN']).toMatch(/授权码/);
    }
    const none = await bystander.get('/api/v1/notifications');
    expect(none.data).toMatchObject({ items: [], unread: 0, nextCursor: null });
  });

  it('explains the failure in the mailbox, its sync status and its recent errors', async () => {
    const shown = (await owner.get(`/api/v1/mailboxes/${mailboxId}`)).data.mailbox;
    expect(shown.attention).toMatchObject({ code: 'auth_failed', message: { 'zh-CN': '服务器拒绝了用户名或密码。' } });
    const report = (await owner.get(`/api/v1/mailboxes/${mailboxId}/sync-status`)).data;
    expect(report.lastFailure).toMatchObject({ code: 'auth_failed', fix: { en: expect.stringMatching(/password/) } });
    expect(report.recentErrors).toHaveLength(3);
    expect(report.recentErrors[0]).toMatchObject({ code: 'auth_failed', message: { 'zh-CN': expect.stringMatching(/密码/) } });
    expect(report.folders).toEqual([]); // never signed in: no folder listed yet
    expect(progress.length).toBeGreaterThan(0);
  });

  it('marks one read (only its own), then all', async () => {
    const [n] = (await owner.get('/api/v1/notifications')).data.items;
    expectProblem(await bystander.post(`/api/v1/notifications/${n.id}/read`), 404, 'notification_not_found');
    expect((await owner.post(`/api/v1/notifications/${n.id}/read`)).statusCode).toBe(204);
    expect((await owner.get('/api/v1/notifications')).data).toMatchObject({ unread: 0, items: [{ read: true }] });
    expect((await owner.get('/api/v1/notifications?unread=true')).data.items).toEqual([]);
    expect((await env.admin.post('/api/v1/notifications/read-all')).data).toEqual({ marked: 1 });
    expect((await env.admin.get('/api/v1/notifications')).data.unread).toBe(0);
    expectProblem(await owner.get('/api/v1/notifications?cursor=not-a-cursor'), 400, 'invalid_cursor');
  });

  it('clears the attention once when the mailbox works again, and says so', async () => {
    const fixed = await owner.patch(`/api/v1/mailboxes/${mailboxId}`, { password: PASS });
    expect(fixed.statusCode).toBe(200);
    await waitFor('the mail imported', async () => (await countMessages(env, mailboxId)) === 3, 15_000);
    await waitFor('the all-clear', async () => attention.length === 2, 5_000);
    await sync.syncNow(mailboxId);
    await waitFor('watching', async () => (await sync.status(mailboxId)).state === 'watching', 10_000);
    expect(attention.map((e) => e.code)).toEqual(['auth_failed', null]);
    const latest = (await owner.get('/api/v1/notifications')).data;
    expect(latest).toMatchObject({
      unread: 1,
      items: [{ kind: 'mailbox_recovered', code: null, read: false }, { kind: 'mailbox_attention' }],
    });
    const report = (await owner.get(`/api/v1/mailboxes/${mailboxId}/sync-status`)).data;
    expect(report.lastFailure).toBeNull();
    expect(report.folders.find((f: { name: string }) => f.name === 'INBOX')).toMatchObject({ state: 'synced', synced: 3, total: 3 });
  });
});
