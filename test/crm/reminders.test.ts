import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReminderSweeper, sweepReminders, type ReminderDueEvent } from '../../src/crm/reminders/index.ts';
import { createLogger } from '../../src/app/logger.ts';
import { listMigrations, migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { createPostgresDatabase, databaseKinds } from '../support/database.ts';
import { insertUser } from '../support/rows.ts';

// The test app runs with TIDINGS_SYNC=off, so no sweeper runs behind the tests' backs: every reminder
// fires from an explicit sweepReminders(db, now) with a chosen `now`, in 2031 (far from the real clock).
const at = (iso: string) => new Date(iso);
const T0 = '2031-03-01T09:00:00.000Z';

describe.each(databaseKinds)('Task reminders on %s', (kind) => {
  let t: TestApp;
  let admin: Client;
  let member: Client;
  let memberId: string;
  let company: { id: string; name: string };
  let contact: { id: string; name: string };

  const createTask = async (client: Client, fields: Record<string, unknown>) => {
    const res = await client.post('/api/v1/activities', { kind: 'task', ...fields });
    expect(res.statusCode).toBe(201);
    return res.data.activity as { id: string };
  };
  const sweep = (now: string) => sweepReminders(t.db.db, at(now), t.services.events);
  const bell = async (client: Client) => {
    const res = await client.get('/api/v1/reminders');
    expect(res.statusCode).toBe(200);
    return res.data as { items: Array<{ taskId: string } & Record<string, unknown>>; total: number };
  };
  const bellIds = async (client: Client) => (await bell(client)).items.map((r) => r.taskId);

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await setupAdmin(t.app);
    ({ client: member, id: memberId } = await signInMember(t, admin, 'lin@example.com', '林小雨'));
    company = (await member.post('/api/v1/companies', { name: '华为', domains: ['huawei.test'] })).data.company;
    contact = (await member.post('/api/v1/contacts', { name: '任正', companyId: company.id, emails: ['ren@huawei.test'] })).data.contact;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('fires a due reminder once, to its owner, not before its time', async () => {
    const task = await createTask(member, {
      subject: '回访报价',
      dueAt: '2031-03-01T10:00:00Z',
      reminderAt: T0,
      contactId: contact.id,
      companyId: company.id,
    });
    const published: ReminderDueEvent[] = [];
    const unsubscribe = t.services.events.on('reminder.due', (e) => void published.push(e));
    try {
      expect(await sweep('2031-03-01T08:59:59.000Z')).toEqual([]);
      expect(await bellIds(member)).toEqual([]);

      const fired = await sweep(T0);
      expect(fired).toEqual([
        {
          userId: memberId,
          reminder: {
            taskId: task.id,
            subject: '回访报价',
            dueAt: '2031-03-01T10:00:00.000Z',
            reminderAt: T0,
            remindedAt: T0,
            contact: { id: contact.id, name: '任正' },
            company: { id: company.id, name: '华为' },
            deal: null,
          },
        },
      ]);
      expect(published).toEqual(fired);
      expect(await sweep('2031-03-01T09:01:00.000Z')).toEqual([]);
      expect(await sweep('2031-06-01T00:00:00.000Z')).toEqual([]);
      expect(published).toHaveLength(1);
    } finally {
      unsubscribe();
    }
    expect(await bellIds(member)).toEqual([task.id]);
    await member.post(`/api/v1/reminders/${task.id}/dismiss`);
  });

  it('never fires for done tasks or tasks without a reminder; completing a fired task silences it', async () => {
    const done = await createTask(member, { subject: 'done already', reminderAt: T0, doneAt: '2031-02-01T00:00:00Z' });
    const noReminder = await createTask(member, { subject: 'no reminder', dueAt: T0 });
    const later = await createTask(member, { subject: 'finished after it fired', reminderAt: T0 });
    const fired = (await sweep('2031-03-02T00:00:00.000Z')).map((e) => e.reminder.taskId);
    expect(fired).toEqual([later.id]);
    expect(fired).not.toContain(done.id);
    expect(fired).not.toContain(noReminder.id);
    expect(await bellIds(member)).toEqual([later.id]);

    expect((await member.patch(`/api/v1/activities/${later.id}`, { doneAt: '2031-03-02T00:00:01Z' })).statusCode).toBe(200);
    expect(await bellIds(member)).toEqual([]);
    // Reopened, it is back in the bell (it fired and was never dismissed), but it does not fire twice.
    await member.patch(`/api/v1/activities/${later.id}`, { doneAt: null });
    expect(await bellIds(member)).toEqual([later.id]);
    expect(await sweep('2031-03-03T00:00:00.000Z')).toEqual([]);
    await member.patch(`/api/v1/activities/${later.id}`, { doneAt: '2031-03-03T00:00:00Z' });
  });

  it('re-arms a reminder moved to a new time; the same time saved again changes nothing', async () => {
    const task = await createTask(member, { subject: 'call back', reminderAt: '2031-04-01T09:00:00Z' });
    expect((await sweep('2031-04-01T09:00:00.000Z')).map((e) => e.reminder.taskId)).toEqual([task.id]);
    await member.post(`/api/v1/reminders/${task.id}/dismiss`);
    expect(await bellIds(member)).toEqual([]);

    // An edit form that sends the unchanged time (in another offset) neither re-arms nor un-dismisses.
    await member.patch(`/api/v1/activities/${task.id}`, { subject: 'call back soon', reminderAt: '2031-04-01T17:00:00+08:00' });
    expect(await sweep('2031-04-01T10:00:00.000Z')).toEqual([]);
    expect(await bellIds(member)).toEqual([]);

    await member.patch(`/api/v1/activities/${task.id}`, { reminderAt: '2031-04-02T09:00:00Z' });
    expect(await bellIds(member)).toEqual([]);
    expect(await sweep('2031-04-02T08:59:00.000Z')).toEqual([]);
    const again = await sweep('2031-04-02T09:00:00.000Z');
    expect(again.map((e) => [e.reminder.taskId, e.reminder.subject, e.reminder.remindedAt])).toEqual([
      [task.id, 'call back soon', '2031-04-02T09:00:00.000Z'],
    ]);
    expect(await bellIds(member)).toEqual([task.id]);

    // Removing the reminder takes it out of the bell; it never fires without one.
    await member.patch(`/api/v1/activities/${task.id}`, { reminderAt: null });
    expect(await bellIds(member)).toEqual([]);
    expect(await sweep('2031-05-01T00:00:00.000Z')).toEqual([]);
  });

  it('fires each reminder exactly once when two processes sweep at the same moment', async () => {
    // More than one batch (200), written straight to the table.
    const rows = Array.from({ length: 450 }, (_, i) => ({
      kind: 'task' as const,
      subject: `bulk ${i}`,
      owner_user_id: memberId,
      reminder_at: new Date(Date.parse('2031-07-01T00:00:00Z') + i * 1000),
    }));
    const ids = (await t.db.db.insertInto('activities').values(rows).returning('id').execute()).map((r) => r.id);
    // A second process: its own pool on the same PostgreSQL database. PGlite is one process's database.
    const other = kind === 'postgres' ? await openDatabase({ databaseUrl: t.db.url, dataDir: '/nonexistent' }) : null;
    try {
      const now = at('2031-07-02T00:00:00.000Z');
      const sweeps = await Promise.all([
        sweepReminders(t.db.db, now),
        sweepReminders(other?.db ?? t.db.db, now),
        sweepReminders(t.db.db, now),
        sweepReminders(other?.db ?? t.db.db, now),
      ]);
      const fired = sweeps.flat().map((e) => e.reminder.taskId);
      expect(fired.length).toBe(450);
      expect(new Set(fired)).toEqual(new Set(ids));
      expect(await sweepReminders(other?.db ?? t.db.db, now)).toEqual([]);
    } finally {
      await other?.close();
    }
    await t.db.db.updateTable('activities').set({ done_at: new Date() }).where('id', 'in', ids).execute();
  });

  it('runs as a service: fires a reminder on its own when it comes due, and stops cleanly', async () => {
    const task = await createTask(member, { subject: 'from the timer', reminderAt: new Date(Date.now() + 1500).toISOString() });
    const published: string[] = [];
    const unsubscribe = t.services.events.on('reminder.due', (e) => void published.push(e.reminder.taskId));
    // A long interval: the sweeper must wake for the reminder it found waiting, not for its next tick.
    const sweeper = startReminderSweeper({ db: t.db.db, events: t.services.events, log: createLogger('silent'), intervalMs: 60_000 });
    try {
      await expect.poll(() => published, { timeout: 20_000, interval: 100 }).toEqual([task.id]);
    } finally {
      await sweeper.stop();
      unsubscribe();
    }
    await member.patch(`/api/v1/activities/${task.id}`, { doneAt: new Date().toISOString() });
  });

  it("lists only the signed-in owner's reminders, newest first, with a total", async () => {
    const older = await createTask(member, { subject: 'older', reminderAt: '2031-08-01T09:00:00Z', companyId: company.id });
    const newer = await createTask(member, { subject: 'newer', reminderAt: '2031-08-02T09:00:00Z' });
    const admins = await createTask(admin, { subject: 'admin only', reminderAt: '2031-08-01T12:00:00Z' });
    // Given to the member by the admin: the member is its owner, so the member is reminded.
    const assigned = await createTask(admin, { subject: 'assigned', reminderAt: '2031-08-01T15:00:00Z', ownerId: memberId });
    const fired = await sweep('2031-08-03T00:00:00.000Z');
    expect(Object.fromEntries(fired.map((e) => [e.reminder.subject, e.userId === memberId ? 'member' : 'admin']))).toEqual({
      older: 'member',
      newer: 'member',
      'admin only': 'admin',
      assigned: 'member',
    });

    const mine = await bell(member);
    expect(mine.items.map((r) => r.taskId)).toEqual([newer.id, assigned.id, older.id]);
    expect(mine.total).toBe(3);
    expect(mine.items[2]).toMatchObject({ subject: 'older', company: { id: company.id, name: '华为' }, contact: null });
    expect(await bellIds(admin)).toEqual([admins.id]);

    const limited = await member.get('/api/v1/reminders?limit=1');
    expect({ ids: limited.data.items.map((r: any) => r.taskId), total: limited.data.total }).toEqual({ ids: [newer.id], total: 3 });
    expectProblem(await member.get('/api/v1/reminders?limit=0'), 400, 'validation_failed');
    expectProblem(await member.get('/api/v1/reminders?limit=abc'), 400, 'validation_failed');
    expectProblem(await member.get('/api/v1/reminders?since=1'), 400, 'validation_failed');
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/reminders' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');

    for (const task of [older, newer, assigned]) await member.patch(`/api/v1/activities/${task.id}`, { doneAt: '2031-08-03T00:00:00Z' });
    await admin.patch(`/api/v1/activities/${admins.id}`, { doneAt: '2031-08-03T00:00:00Z' });
  });

  it("dismisses only the owner's fired reminders, with problem+json for everything else", async () => {
    const task = await createTask(member, { subject: 'dismiss me', reminderAt: '2031-09-01T09:00:00Z' });
    const waiting = await createTask(member, { subject: 'not yet', reminderAt: '2031-12-01T09:00:00Z' });
    const note = (await member.post('/api/v1/activities', { kind: 'note', subject: 'a note' })).data.activity;
    await sweep('2031-09-01T09:00:00.000Z');

    expectProblem(await admin.post(`/api/v1/reminders/${task.id}/dismiss`), 404, 'reminder_not_found');
    expectProblem(await member.post(`/api/v1/reminders/${note.id}/dismiss`), 404, 'reminder_not_found');
    expectProblem(await member.post('/api/v1/reminders/00000000-0000-4000-8000-000000000000/dismiss'), 404, 'reminder_not_found');
    expectProblem(await member.post('/api/v1/reminders/not-an-id/dismiss'), 400, 'validation_failed');
    expectProblem(await member.post(`/api/v1/reminders/${waiting.id}/dismiss`), 409, 'reminder_not_due');
    expect(await bellIds(member)).toEqual([task.id]);

    expect((await member.post(`/api/v1/reminders/${task.id}/dismiss`)).statusCode).toBe(204);
    expect((await member.post(`/api/v1/reminders/${task.id}/dismiss`)).statusCode).toBe(204);
    expect(await bell(member)).toEqual({ items: [], total: 0 });
    // Dismissed is not done: the task stays open.
    const open = await member.get('/api/v1/activities?kind=task&open=true');
    expect(open.data.items.map((a: any) => a.id)).toContain(task.id);
  });

  it('streams reminder.due over the event stream to the task owner only', async () => {
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = async (client: Client) => {
      const controller = new AbortController();
      const res = await fetch(`${url}/api/v1/events`, {
        headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const until = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${needle}`);
          text += decoder.decode(value, { stream: true });
        }
        return text;
      };
      await until(': connected');
      return { until, close: () => controller.abort() };
    };
    const memberStream = await stream(member);
    const adminStream = await stream(admin);
    try {
      const admins = await createTask(admin, { subject: 'admin secret', reminderAt: '2031-10-01T09:00:00Z' });
      await sweep('2031-10-01T09:00:00.000Z');
      const mine = await createTask(member, { subject: '给客户回电话', reminderAt: '2031-10-01T09:30:00Z' });
      await sweep('2031-10-01T09:30:00.000Z');
      const adminsLater = await createTask(admin, { subject: 'admin later', reminderAt: '2031-10-01T10:00:00Z' });
      await sweep('2031-10-01T10:00:00.000Z');

      // Events reach each stream in the order they were published: had the admin's reminder been sent
      // to the member, it would be in the member's stream before the member's own.
      const memberText = await memberStream.until(mine.id);
      expect(memberText).toContain('event: reminder.due');
      expect(memberText).toContain('给客户回电话');
      expect(memberText).not.toContain(admins.id);
      expect(memberText).not.toContain('admin secret');
      const adminText = await adminStream.until(adminsLater.id);
      expect(adminText).toContain(admins.id);
      expect(adminText).not.toContain(mine.id);
    } finally {
      memberStream.close();
      adminStream.close();
    }
  });
});

describe.each(databaseKinds)('The reminders migration on %s', (kind) => {
  it('marks reminders already due as fired (listed, not popped up) and leaves future ones to the sweeper', async () => {
    const created = kind === 'postgres' ? await createPostgresDatabase() : null;
    const { db, close } = await openDatabase({ databaseUrl: created?.url ?? null, dataDir: '/nonexistent', pgliteDir: 'memory://' });
    try {
      // The database as it was before reminders were delivered.
      const before = (await listMigrations(db)).filter((m) => m.name < '2026-11-28-040');
      const old = new Migrator({
        db,
        provider: { getMigrations: async () => Object.fromEntries(before.map((m) => [m.name, m.migration])) },
      });
      expect((await old.migrateToLatest()).error).toBeUndefined();
      const owner = await insertUser(db, { email: 'old@example.com', name: 'Old', role: 'member' });
      const insert = (subject: string, reminder: string) =>
        sql<{ id: string }>`
        insert into activities (kind, subject, reminder_at, owner_user_id) values ('task', ${subject}, now() + ${reminder}::interval, ${owner}) returning id`.execute(
          db,
        );
      const past = (await insert('long overdue', '-30 days')).rows[0]!.id;
      const future = (await insert('next year', '365 days')).rows[0]!.id;

      await migrateToLatest(db);
      const rows = await db.selectFrom('activities').select(['id', 'reminder_at', 'reminded_at']).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(past)!.reminded_at?.getTime()).toBe(byId.get(past)!.reminder_at!.getTime());
      expect(byId.get(future)!.reminded_at).toBeNull();
      expect(await sweepReminders(db, new Date())).toEqual([]);
    } finally {
      await close();
      await created?.drop();
    }
  });
});
