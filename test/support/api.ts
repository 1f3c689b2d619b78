import { expect } from 'vitest';
import { Client, type TestApp } from './app.ts';

/** Creates a member through the admin API and returns a signed-in client with the member's id. */
export async function signInMember(t: TestApp, admin: Client, email: string, name: string): Promise<{ client: Client; id: string }> {
  const password = 'member-password-1';
  const created = await admin.post('/api/v1/users', { email, name, role: 'member', password });
  expect(created.statusCode).toBe(201);
  const client = new Client(t.app);
  expect((await client.post('/api/v1/auth/login', { email, password })).statusCode).toBe(200);
  return { client, id: created.data.user.id };
}

export function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; data: any },
  status: number,
  code: string,
): void {
  expect({ status: res.statusCode, code: res.data?.code }).toEqual({ status, code });
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
}

/** Walks every page of a list and returns all items. */
export async function allPages(client: Client, url: string): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await client.get(`${url}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.statusCode).toBe(200);
    items.push(...res.data.items);
    cursor = res.data.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { items, pages };
}
