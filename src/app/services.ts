import fs from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { AppServices } from '../api/context.ts';
import type { Database } from '../db/schema.ts';
import { loadMasterKey, Vault } from '../vault/index.ts';
import { startMailServices } from '../sync/mail-services.ts';

import type { IngestPool } from '../ingest/index.ts';
import { createEventBus, startPgEventRelay, StreamRegistry } from '../events/index.ts';
import { type Linker, startLinker } from '../linking/index.ts';
import { type BounceWatcher, startBounceWatcher } from '../bounces/index.ts';
import { startReminderSweeper } from '../crm/reminders/index.ts';
import { mailSenderFactory } from '../outbox/sender-factory.ts';
import { startOutboxWorker } from '../outbox/worker.ts';
import { syncHostChecker } from '../sync/mail-host-check.ts';
import { answerSyncRequests, sharedSyncControl } from '../sync/sync-control.ts';
import { hostPolicyFor } from '../mailboxes/host-policy.ts';
import { startWebhookFanout, startWebhookWorker, type WebhookDeps, type WebhookFanout } from '../webhooks/index.ts';
import {
  createAccessTokenSource,
  mailboxSignin,
  publicBaseUrl,
  redirectUriFor,
  type GrantTokenSource,
  type MailboxSignin,
  type SigninDeps,
} from '../signin/index.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

declare module '../api/context.ts' {
  interface AppServices {
    vault: Vault;
    linker: Linker;
    /** Reads new mail for delivery reports (src/bounces/). */
    bounces: BounceWatcher;
    /** Sign-in with Google / Microsoft (src/signin/). */
    signin: SigninDeps;
    accessTokens: GrantTokenSource;
    mailboxSignin: MailboxSignin;
    /** Webhooks (src/webhooks/): what their commands need, and the fan-out of bus events into deliveries. */
    webhooks: WebhookDeps & { fanout: WebhookFanout };
    /** This process's open event streams: the events route registers them, /metrics counts them. */
    eventStreams: StreamRegistry;
    /** The parse workers (null where sync is off); /metrics reads their queue. */
    ingestPool: IngestPool | null;
  }
}

/**
 * Starts the long-lived services (vault, sync supervisor, event bus...) in dependency order and stops them
 * in reverse. Each feature adds itself here. The role decides what runs: every role links, fans out
 * webhooks and watches bounces for the events it raises itself; sync and all also sync mail and run the
 * background workers (outbox sender, webhook deliveries, reminder sweeper, blob compaction).
 */
export async function startServices({
  config,
  db,
  log,
}: {
  config: Config;
  db: Kysely<Database>;
  log: Logger;
}): Promise<{ services: AppServices; stop(): Promise<void> }> {
  const stops: Array<() => Promise<void>> = [];
  const master = await loadMasterKey({ envKey: config.masterKey, dataDir: config.dataDir, create: true });
  const vault = await Vault.open(db, master!, config.dataDir);
  const extraCaPems = config.extraCaFile ? splitPem(await fs.readFile(config.extraCaFile, 'utf8')) : [];
  const signin: SigninDeps = {
    db,
    vault,
    log,
    signin: config.signin,
    redirectUri: redirectUriFor(config),
    baseUrl: publicBaseUrl(config),
    // "Sign in again" changed the mailbox row: its runner re-reads it at once (whichever supervisor runs now).
    mailboxChanged: () => void services.sync?.refresh().catch((err) => log.warn({ err }, 'sync refresh failed')),
  };
  const accessTokens = createAccessTokenSource(signin);
  const events = createEventBus();
  // On PostgreSQL other Tidings processes may share the database; the embedded one has this process alone.
  if (config.databaseUrl) {
    const relay = await startPgEventRelay({ bus: events, databaseUrl: config.databaseUrl, log });
    stops.push(relay.stop);
  }
  const mail = await startMailServices({
    events,
    tokens: accessTokens,
    dataDir: config.dataDir,
    blobTarget: config.blobTarget,
    syncEnabled: config.syncEnabled,
    leaseMs: config.syncLeaseMs,
    db,
    log,
    vault,
    extraCaPems,
    maxMessageBytes: config.maxMessageBytes,
    mailHosts: config,
  });
  stops.push(mail.stop);
  const localSync = mail.services.sync;
  if (localSync) {
    const offRequests = answerSyncRequests(events, localSync);
    stops.push(async () => offRequests());
  }
  const linker = startLinker({ db, events: mail.services.events, log });
  stops.push(linker.stop);
  const bounces = startBounceWatcher({ db, events: mail.services.events, blobs: mail.services.blobs, log });
  stops.push(bounces.stop);
  // Background work runs where mail sync runs (roles sync and all); the web role leaves both to another process.
  if (config.syncEnabled) stops.push(startReminderSweeper({ db, events: mail.services.events, log }).stop);
  // TEST HOOK (test/events/cross-process-wake.test.ts): a long poll, so only a wake-up can be quick.
  const workerPollMs = Number(process.env.TIDINGS_TEST_WORKER_POLL_MS ?? 0) || undefined;
  if (config.syncEnabled) {
    // The outbox sender: sends what compose queued, with the mailboxes' own SMTP servers. Compose in any
    // process raises outbox.updated (queued), which reaches this worker over the relay and wakes it.
    const outbox = startOutboxWorker({
      db,
      log,
      pollMs: workerPollMs,
      events: mail.services.events,
      blobs: mail.services.blobs,
      connectorFor: mail.services.connectorFor,
      senderFor: mailSenderFactory({ vault, tokens: accessTokens, extraCaPems, checkHost: syncHostChecker({ db, settings: config }) }),
    });
    outbox.start();
    stops.push(() => outbox.stop());
  }
  // Only admins manage webhooks: they reach what an admin's mail server may (private ranges; local when allowed).
  const webhookPolicy = hostPolicyFor({ role: 'admin' }, config);
  // Without a worker here, queued deliveries are announced to the processes that run one.
  let wakeWebhooks = () => events.emit('webhook.queued', { reason: 'deliveries_queued' });
  const fanout = startWebhookFanout({ db, events: mail.services.events, log, queued: () => wakeWebhooks() });
  stops.push(() => fanout.stop());
  if (config.syncEnabled) {
    const worker = startWebhookWorker({ db, log, vault, policy: webhookPolicy, events, pollMs: workerPollMs });
    worker.start();
    wakeWebhooks = worker.wake;
    stops.push(() => worker.stop());
  }
  const services: AppServices = {
    vault,
    extraCaPems,
    ...mail.services,
    // With other processes on the database (or none here), the API's requests reach whichever process syncs.
    sync: localSync || config.databaseUrl ? sharedSyncControl({ db, events, local: localSync }) : null,
    linker,
    bounces,
    signin,
    accessTokens,
    mailboxSignin: mailboxSignin(signin, accessTokens),
    webhooks: { db, vault, policy: webhookPolicy, wake: () => wakeWebhooks(), fanout },
    eventStreams: new StreamRegistry(),
  };
  return {
    services,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
