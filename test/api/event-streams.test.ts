import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STREAM_LIMITS } from '../../src/events/index.ts';
import { HttpSession } from '../support/http-session.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** Opens /api/v1/events over a real HTTP session (a long request only a real server shows) and waits for its first line. */
async function openStream(session: HttpSession): Promise<Stream> {
  const res = await session.fetch('/api/v1/events');
  if (res.status !== 200) return { status: res.status, body: await res.json(), ended: Promise.resolve(0) };
  const reader = res.body!.getReader();
  const first = await reader.read();
  expect(new TextDecoder().decode(first.value)).toContain(': connected');
  return {
    status: 200,
    body: null,
    cancel: () => reader.cancel(),
    // Resolves with the time it took once the server ends the stream.
    ended: (async () => {
      const start = Date.now();
      try {
        while (!(await reader.read()).done) {}
      } catch {
        // A reset connection ends it as well.
      }
      return Date.now() - start;
    })(),
  };
}

interface Stream {
  status: number;
  body: unknown;
  cancel?: () => Promise<void>;
  ended: Promise<number>;
}

/** Resolves with the stream's end, or rejects when it is still open after `ms`. */
function endsWithin(stream: Stream, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    stream.ended.finally(() => clearTimeout(timer)),
    new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the stream was still open after ${ms} ms`)), ms);
    }),
  ]);
}

describe('event streams', () => {
  let server: TestServer;
  let admin: HttpSession;
  let memberNo = 0;

  /** A new member, signed in. */
  async function newMember(): Promise<{ session: HttpSession; id: string }> {
    const email = `member${++memberNo}@example.com`;
    const res = await admin.fetch('/api/v1/users', {
      method: 'POST',
      body: { email, name: `Member ${memberNo}`, role: 'member', password: 'member-password-1' },
    });
    expect(res.status).toBe(201);
    const { user } = (await res.json()) as { user: { id: string } };
    return { session: await HttpSession.signIn(server.url, email, 'member-password-1'), id: user.id };
  }

  beforeAll(async () => {
    server = await startTestServer();
    admin = await HttpSession.setup(server.url);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('ends a stream when its session signs out, and leaves the user’s other sessions’ streams open', async () => {
    const { session } = await newMember();
    const other = await HttpSession.signIn(server.url, 'member1@example.com', 'member-password-1');
    const stream = await openStream(session);
    const otherStream = await openStream(other);
    expect((await session.fetch('/api/v1/auth/logout', { method: 'POST' })).status).toBe(204);
    expect(await endsWithin(stream, 3000)).toBeLessThan(3000);
    await expect(endsWithin(otherStream, 300)).rejects.toThrow(/still open/);
    await otherStream.cancel?.();
  });

  it('ends every stream of a user who is deactivated', async () => {
    const { session, id } = await newMember();
    const streams = [await openStream(session), await openStream(session)];
    expect((await admin.fetch(`/api/v1/users/${id}`, { method: 'PATCH', body: { active: false } })).status).toBe(200);
    for (const stream of streams) expect(await endsWithin(stream, 3000)).toBeLessThan(3000);
  });

  it('ends a stream once its session has expired, at the next recheck', async () => {
    const { session, id } = await newMember();
    const stream = await openStream(session);
    await server.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', id)
      .execute();
    expect(await endsWithin(stream, DEFAULT_STREAM_LIMITS.recheckMs + 5000)).toBeGreaterThan(0);
  }, 30_000);

  it(`refuses a user’s stream beyond ${DEFAULT_STREAM_LIMITS.maxPerUser} with 429 too_many_streams`, async () => {
    const { session } = await newMember();
    const open: Stream[] = [];
    for (let i = 0; i < DEFAULT_STREAM_LIMITS.maxPerUser; i++) open.push(await openStream(session));
    expect(open.every((s) => s.status === 200)).toBe(true);
    const refused = await openStream(session);
    expect({ status: refused.status, code: (refused.body as { code: string }).code }).toEqual({ status: 429, code: 'too_many_streams' });
    // Another user is not counted against this one.
    const { session: someoneElse } = await newMember();
    const theirs = await openStream(someoneElse);
    expect(theirs.status).toBe(200);
    // A stream closed by its tab frees its place.
    await open.pop()!.cancel!();
    let again: Stream | undefined;
    for (let i = 0; i < 50 && again?.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      again = await openStream(session);
    }
    expect(again?.status).toBe(200);
    for (const s of [...open, theirs, again!]) await s.cancel?.();
  });

  it('stops within seconds while streams are open', async () => {
    const streams = [await openStream(admin), await openStream(admin)];
    const start = Date.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      server.stop().finally(() => clearTimeout(timer)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the server was still stopping after 5 s')), 5000);
      }),
    ]);
    expect(Date.now() - start).toBeLessThan(5000);
    for (const stream of streams) await endsWithin(stream, 1000);
    server = undefined as unknown as TestServer; // stopped
  });
});
