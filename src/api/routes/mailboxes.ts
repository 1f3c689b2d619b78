import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { findUserById } from '../../auth/users.ts';
import { assertMayBind, loadManageableMailbox } from '../../mailboxes/access.ts';
import { providers } from '../../mailboxes/catalogue/index.ts';
import {
  bindMailbox,
  defaultUsername,
  prepareOAuthBinding,
  presentTest,
  retestMailbox,
  testConnection,
  unbindMailbox,
  updateMailbox,
  type MailboxDeps,
} from '../../mailboxes/commands.ts';
import { createDefaultDeps, discover, type DiscoveryDeps } from '../../mailboxes/discovery/index.ts';
import { hostPolicyFor } from '../../mailboxes/host-policy.ts';
import { presentMailbox } from '../../mailboxes/presenter.ts';
import { assertConnectionFields } from '../../mailboxes/protocol-rules.ts';
import { listMailboxes } from '../../mailboxes/repository.ts';
import { connectionInputSchema, createMailboxSchema, updateMailboxSchema } from '../../mailboxes/schemas.ts';
import type { MailboxRow } from '../../mailboxes/tables.ts';
import { getWorkspaceSettings } from '../../settings/workspace-settings.ts';
import { mailboxSyncStatus } from '../../sync/supervisor.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { emailSchema, uuidParam } from '../schemas.ts';
import { connectionTestSchema, discoverySchema, mailboxSchema, mailboxWithSyncSchema, providerSchema } from './mailbox-response-schemas.ts';

declare module '../context.ts' {
  interface AppServices {
    /** Network access for discovery; tests point it at local DNS and HTTPS servers. */
    discoveryDeps?: DiscoveryDeps;
    /** Company CA certificates trusted for every mailbox (TIDINGS_EXTRA_CA_FILE). */
    extraCaPems?: string[];
    /** Where the EWS connection test asks Autodiscover; tests point it at the harness's EWS server. */
    ewsAutodiscoverUrls?: string[];
  }
}

function presentProvider(p: (typeof providers)[number]) {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    protocols: p.protocols ?? ['imap'],
    imap: p.imap ?? null,
    smtp: p.smtp ?? null,
    username: p.username,
    auth: p.auth,
    oauthApp: p.signIn.oauth ?? null,
    quirks: p.quirks,
    help: p.help,
    authHelp: p.authHelp ?? null,
    sources: p.sources,
  };
}

export function mailboxRoutes({ app, db, config, services }: RouteContext): void {
  const deps = (): MailboxDeps => ({
    db,
    vault: services.vault,
    extraCaPems: services.extraCaPems ?? [],
    mailHosts: config,
    signin: services.mailboxSignin,
    graphUrl: config.graphUrl,
    ewsAutodiscoverUrls: services.ewsAutodiscoverUrls,
  });
  const present = async (row: MailboxRow) => {
    const [credential, settings, owner] = await Promise.all([
      row.secret_id ? services.vault.meta(row.secret_id) : null,
      getWorkspaceSettings(db),
      findUserById(db, row.owner_user_id),
    ]);
    return presentMailbox(row, credential, {
      credentialMaxAgeDays: settings.credentialMaxAgeDays,
      ownerName: owner?.name,
      ownerEmail: owner?.email,
    });
  };
  // Bound, changed or removed: this process's sync starts, re-reads or stops the mailbox at once (a
  // pause or a new folder selection stops the round in progress); another process sharing the
  // database does at its next discovery. Not awaited: the answer does not wait for a batch to end.
  const changed = () => void services.sync?.refresh(); // discovery logs its own failures

  app.get(
    '/api/v1/providers',
    {
      schema: {
        tags: ['mailboxes'],
        description: 'The provider catalogue the binding wizard offers.',
        response: { 200: z.object({ items: z.array(providerSchema) }) },
      },
    },
    async (request) => {
      requireUser(request);
      return { items: providers.map(presentProvider) };
    },
  );

  app.post(
    '/api/v1/mailboxes/discover',
    {
      schema: {
        tags: ['mailboxes'],
        description: 'Suggests server settings for an address, each labelled with where it came from.',
        body: z.strictObject({ email: emailSchema }),
        response: { 200: discoverySchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const result = await discover(
        request.body.email,
        services.discoveryDeps ?? createDefaultDeps({ hostPolicy: hostPolicyFor(user, config) }),
      );
      return {
        ...result,
        provider: result.provider ? presentProvider(result.provider) : null,
        defaultUsername: defaultUsername(result.email, result.provider?.id ?? 'custom'),
      };
    },
  );

  app.post(
    '/api/v1/mailboxes/test',
    {
      schema: {
        tags: ['mailboxes'],
        description: 'Runs the staged connection test without saving anything.',
        body: connectionInputSchema,
        response: { 200: connectionTestSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const input = request.body;
      assertConnectionFields(input); // before the sign-in is looked at: a Graph-less "graph" is refused as such
      const oauth = input.authKind === 'oauth2' ? await prepareOAuthBinding(deps(), user, input) : null;
      // An invited owner binds their own mailbox whatever the member rules say: the admin asked them to.
      if (!oauth?.invitationId) await assertMayBind(db, user, oauth?.ownerUserId ?? user.id);
      services.sync?.prepare(); // a wizard's test is followed by its save
      const result = await testConnection(deps(), user, input, oauth);
      return presentTest(result);
    },
  );

  app.post(
    '/api/v1/mailboxes',
    {
      schema: {
        tags: ['mailboxes'],
        description: 'Tests the connection and binds the mailbox if the test passes (admins may force).',
        body: createMailboxSchema,
        response: { 201: z.object({ mailbox: mailboxSchema, test: connectionTestSchema }) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      assertConnectionFields(request.body);
      const oauth = request.body.authKind === 'oauth2' ? await prepareOAuthBinding(deps(), user, request.body) : null;
      const ownerUserId = oauth?.ownerUserId ?? request.body.ownerUserId ?? user.id;
      if (!oauth?.invitationId) await assertMayBind(db, user, ownerUserId);
      services.sync?.prepare();
      const { row, test } = await bindMailbox(deps(), user, request.body, request.ip);
      changed();
      return reply.code(201).send({ mailbox: await present(row), test: presentTest(test) });
    },
  );

  app.get(
    '/api/v1/mailboxes',
    { schema: { tags: ['mailboxes'], response: { 200: z.object({ items: z.array(mailboxSchema) }) } } },
    async (request) => {
      const user = requireUser(request);
      const rows = await listMailboxes(db, user.role === 'admin' ? {} : { ownerUserId: user.id });
      return { items: await Promise.all(rows.map((r) => present(r))) };
    },
  );

  app.get(
    '/api/v1/mailboxes/:id',
    { schema: { tags: ['mailboxes'], params: uuidParam, response: { 200: z.object({ mailbox: mailboxWithSyncSchema }) } } },
    async (request) => {
      const user = requireUser(request);
      const row = await loadManageableMailbox(db, user, request.params.id);
      return { mailbox: { ...(await present(row)), sync: await mailboxSyncStatus(services.sync, db, row.id) } };
    },
  );

  app.patch(
    '/api/v1/mailboxes/:id',
    {
      schema: {
        tags: ['mailboxes'],
        description: 'Changes settings; a new password or server settings are tested before they are saved.',
        params: uuidParam,
        body: updateMailboxSchema,
        response: { 200: z.object({ mailbox: mailboxSchema, test: connectionTestSchema.nullable() }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const row = await loadManageableMailbox(db, user, request.params.id);
      const { row: updated, test } = await updateMailbox(deps(), user, row, request.body, request.ip);
      changed();
      return { mailbox: await present(updated), test: test ? presentTest(test) : null };
    },
  );

  app.post(
    '/api/v1/mailboxes/:id/test',
    { schema: { tags: ['mailboxes'], params: uuidParam, response: { 200: connectionTestSchema } } },
    async (request) => {
      const user = requireUser(request);
      const row = await loadManageableMailbox(db, user, request.params.id);
      const test = await retestMailbox(deps(), user, row, request.ip);
      changed();
      return presentTest(test);
    },
  );

  noContentRoute(app, 'DELETE', '/api/v1/mailboxes/:id', 'Unbound.', { tags: ['mailboxes'], params: uuidParam }, async (request) => {
    const user = requireUser(request);
    const row = await loadManageableMailbox(db, user, request.params.id);
    await unbindMailbox(deps(), user, row, request.ip);
    changed();
  });
}
