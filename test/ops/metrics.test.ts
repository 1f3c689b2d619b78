import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.ts';
import { type DovecotInstance, startDovecot } from '../harness/index.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { bindDovecotMailbox, HttpSession, startServerOn, waitForMessages } from '../support/ops-server.ts';
import { createPgliteFolder } from '../support/database.ts';
import { waitFor } from '../support/wait.ts';

const TOKEN = 'metrics-token-0123456789';

/** One sample's value from Prometheus text: the line `name{labels} value`, labels matched as given. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) return Number(line.split(' ').pop());
  }
  return null;
}

describe('/metrics', { timeout: 180_000 }, () => {
  let dovecot: DovecotInstance;
  let server: RunningServer;
  let admin: HttpSession;
  let dataDir: string;
  let mailboxId: string;
  const user = 'metrics@example.test';

  const scrape = async (token: string | null = TOKEN) =>
    fetch(`${server.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-metrics-'));
    await createPgliteFolder(path.join(dataDir, 'pglite'));
    [dovecot, server] = await Promise.all([
      startDovecot(),
      startServerOn({ dataDir, env: { TIDINGS_METRICS_TOKEN: TOKEN, TIDINGS_MASTER_KEY: 'test-master-key-0123456789abcdef' } }),
    ]);
    admin = await HttpSession.setup(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await dovecot?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a scrape without the token, or with a wrong one, as a problem with a stable code', async () => {
    for (const token of [null, 'wrong-token-0123456789']) {
      const res = await scrape(token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await res.json()).code).toBe('metrics_token_invalid');
    }
  });

  it('counts what a mailbox syncing against Dovecot imported, its lag, its lease and the parse queue', async () => {
    const before = sample(await text(), 'tidings_messages_imported_total') ?? 0;
    await dovecot.addUser(user, 'pw-metrics');
    for (let i = 0; i < 3; i++) await dovecot.append(user, 'INBOX', fixtureMessage(i, { tag: 'metrics' }));
    mailboxId = await bindDovecotMailbox(admin, dovecot, user, 'pw-metrics');
    await waitForMessages(admin, 3);
    await dovecot.append(user, 'INBOX', fixtureMessage(3, { tag: 'metrics' }));
    await waitForMessages(admin, 4);

    const body = await waitFor('the mailbox watching with nothing pending', async () => {
      const t = await text();
      return sample(t, 'tidings_sync_lag_seconds', { mailbox_id: mailboxId, state: 'watching' }) === 0 && t;
    });
    expect(sample(body, 'tidings_messages_imported_total')! - before).toBe(4);
    expect(sample(body, 'tidings_sync_mailboxes')).toBe(1);
    const holders = body.split('\n').filter((l) => l.startsWith('tidings_sync_lease_holders{'));
    expect(holders).toHaveLength(1);
    expect(holders[0]).toMatch(/ 1$/);
    expect(sample(body, 'tidings_parse_queue_depth', { stage: 'queued' })).toBe(0);
    expect(sample(body, 'tidings_parse_queue_depth', { stage: 'parsing' })).toBe(0);
    // Process defaults come along.
    expect(sample(body, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
  });

  it('labels HTTP latency by the route pattern, never the URL with its ids', async () => {
    expect((await admin.fetch(`/api/v1/mailboxes/${mailboxId}`)).status).toBe(200);
    expect((await admin.fetch('/api/v1/no-such-route/12345')).status).toBe(404);
    const body = await text();
    expect(
      sample(body, 'tidings_http_request_duration_seconds_count', { route: '/api/v1/mailboxes/:id', method: 'GET', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'tidings_http_request_duration_seconds_count', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    const latencyLines = body.split('\n').filter((l) => l.startsWith('tidings_http_request_duration_seconds'));
    expect(latencyLines.some((l) => l.includes(mailboxId) || l.includes('12345'))).toBe(false);
  });

  it('counts open event streams', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/v1/events`, { headers: { cookie: admin.cookie }, signal: controller.signal });
    expect(res.status).toBe(200);
    await waitFor('the stream counted', async () => sample(await text(), 'tidings_event_streams_open') === 1);
    controller.abort();
    await waitFor('the stream gone', async () => sample(await text(), 'tidings_event_streams_open') === 0);
  });

  it('counts sync failures by their code', async () => {
    await dovecot.setPassword(user, 'changed-elsewhere');
    // The kick ends the IDLE session (connection_lost); signing in again is refused (auth_failed).
    const body = await waitFor('the refused sign-in counted', async () => {
      const t = await text();
      return (sample(t, 'tidings_sync_failures_total', { code: 'auth_failed' }) ?? 0) >= 1 && t;
    });
    expect(sample(body, 'tidings_sync_failures_total', { code: 'connection_lost' })).toBeGreaterThanOrEqual(1);
    expect(body).not.toMatch(/changed-elsewhere|pw-metrics/);
  });

  it('answers 404 on a server without TIDINGS_METRICS_TOKEN', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-metrics-off-'));
    await createPgliteFolder(path.join(dir, 'pglite'));
    const off = await startServerOn({ dataDir: dir, env: { TIDINGS_SYNC: 'off', TIDINGS_MASTER_KEY: 'test-master-key-0123456789abcdef' } });
    try {
      const res = await fetch(`${off.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect((await res.json()).code).toBe('not_found');
    } finally {
      await off.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
