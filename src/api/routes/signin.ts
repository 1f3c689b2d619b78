import { z } from 'zod';
import { requireAdmin, requireUser } from '../../auth/request-auth.ts';
import { assertMayBind } from '../../mailboxes/access.ts';
import {
  createInvitation,
  deleteApp,
  findInvitationFor,
  getFlow,
  handleCallback,
  presentApps,
  presentFlow,
  presentInvitation,
  PROVIDER_KINDS,
  saveApp,
  signinRegistrationGuides,
  startFlow,
} from '../../signin/index.ts';
import type { RouteContext } from '../context.ts';
import { emailSchema, problemResponses, timestampSchema, uuidParam } from '../schemas.ts';
import { providerDeleteRoute, providerGuideSchema, providerListRoute } from './signin-schemas.ts';

const providerSchema = z.enum(PROVIDER_KINDS);

const signinAppSchema = z.object({
  provider: providerSchema,
  configured: z.boolean(),
  clientId: z.string().nullable(),
  hasSecret: z.boolean().describe('The client secret itself is write-only.'),
  tenant: z.string().nullable().describe('Microsoft: common, organizations, consumers or a tenant id.'),
  source: z.enum(['settings', 'environment']).describe('environment: TIDINGS_* variables, which win over the settings.'),
  redirectUri: z.string().describe("Register exactly this in the provider's console."),
  guide: providerGuideSchema.describe('Step-by-step registration instructions, redirect URI filled in.'),
});

const flowSchema = z.object({
  id: z.uuid(),
  provider: providerSchema,
  purpose: z.enum(['bind', 'reauth']),
  method: z.enum(['code', 'device']),
  status: z.enum(['pending', 'signed_in', 'failed', 'used']),
  expectedEmail: z.string(),
  signedInEmail: z.string().nullable(),
  addressMatches: z.boolean().nullable(),
  mailboxId: z.uuid().nullable().describe('reauth: the mailbox; bind: set once used.'),
  invitationId: z.uuid().nullable(),
  device: z
    .object({ userCode: z.string(), verificationUri: z.string(), expiresAt: timestampSchema, intervalSeconds: z.number() })
    .nullable(),
  expiresAt: timestampSchema,
  error: z.object({ code: z.string() }).nullable(),
});

const invitationSchema = z.object({
  id: z.uuid(),
  ownerUserId: z.uuid(),
  email: z.string(),
  provider: providerSchema,
  url: z.string(),
  expiresAt: timestampSchema,
  usedAt: timestampSchema.nullable(),
  mailboxId: z.uuid().nullable(),
});

export function signinRoutes({ app, services }: RouteContext): void {
  const deps = () => services.signin;
  /** The apps with their registration guides (the redirect URI filled in). */
  const presentWithGuides = async () => {
    const guides = signinRegistrationGuides(deps().redirectUri);
    return (await presentApps(deps())).map((item) => ({ ...item, guide: guides.find((g) => g.provider === item.provider)! }));
  };

  providerListRoute(
    app,
    '/api/v1/signin-apps',
    'The sign-in apps (OAuth clients) for Google and Microsoft, with the redirect URI to register.',
    signinAppSchema,
    presentWithGuides,
  );

  app.put(
    '/api/v1/signin-apps/:provider',
    {
      schema: {
        tags: ['signin'],
        description:
          'Saves a sign-in app. The client secret is write-only (kept in the vault); omit it to keep the stored one, null removes it.',
        params: z.strictObject({ provider: providerSchema }),
        body: z.strictObject({
          clientId: z.string().trim().min(1).max(200),
          clientSecret: z.string().min(1).max(1000).nullable().optional(),
          tenant: z.string().trim().min(1).max(100).optional(),
        }),
        response: { 200: z.object({ item: signinAppSchema }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const admin = requireAdmin(request);
      await saveApp(deps(), admin, request.params.provider, request.body, request.ip);
      return { item: (await presentWithGuides()).find((i) => i.provider === request.params.provider)! };
    },
  );

  providerDeleteRoute(
    app,
    '/api/v1/signin-apps/:provider',
    providerSchema,
    'Removed (environment variables, if set, still apply).',
    (request, provider) => deleteApp(deps(), requireAdmin(request), provider, request.ip),
  );

  app.post(
    '/api/v1/signin/flows',
    {
      schema: {
        tags: ['signin'],
        description:
          'Starts a sign-in with the provider: an authorization URL to open (method code) or a code to show (method device, Microsoft). The flow is bound to the caller.',
        body: z.strictObject({
          provider: providerSchema,
          email: emailSchema.optional().describe('bind: the mailbox address (not needed with invitationId)'),
          purpose: z.enum(['bind', 'reauth']).default('bind'),
          mailboxId: z.uuid().optional().describe('reauth: the mailbox to sign in again for'),
          ownerUserId: z.uuid().optional().describe('bind by an admin for another user'),
          invitationId: z.uuid().optional().describe("bind following an admin's invitation (the caller is the invited owner)"),
          method: z.enum(['code', 'device']).default('code'),
          access: z
            .enum(['imap', 'graph'])
            .default('imap')
            .describe('what the mailbox is read with: IMAP/SMTP, or Microsoft Graph (Microsoft only; a reauth keeps the mailbox’s)'),
        }),
        response: {
          201: z.object({
            id: z.uuid(),
            authorizationUrl: z.string().optional(),
            device: z
              .object({ userCode: z.string(), verificationUri: z.string(), expiresAt: timestampSchema, intervalSeconds: z.number() })
              .optional(),
          }),
          ...problemResponses(400, 401, 403, 404, 409, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const input = request.body;
      if (input.purpose === 'bind' && !input.invitationId) await assertMayBind(services.signin.db, user, input.ownerUserId ?? user.id);
      return reply.code(201).send(await startFlow(deps(), user, input));
    },
  );

  app.get(
    '/api/v1/signin/flows/:id',
    {
      schema: {
        tags: ['signin'],
        description: "A sign-in's state; polling a device-code flow advances it.",
        params: uuidParam,
        response: { 200: flowSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => presentFlow(await getFlow(deps(), requireUser(request), request.params.id)),
  );

  app.post(
    '/api/v1/signin/invitations',
    {
      schema: {
        tags: ['signin'],
        description: 'An admin asks a user to bind their own mailbox: the link works for that user only, who signs in with the provider.',
        body: z.strictObject({ ownerUserId: z.uuid(), email: emailSchema, provider: providerSchema }),
        response: { 201: invitationSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request);
      const row = await createInvitation(deps(), admin, request.body, request.ip);
      return reply.code(201).send(presentInvitation(row, deps().baseUrl));
    },
  );

  app.get(
    '/api/v1/signin/invitations/:id',
    {
      schema: { tags: ['signin'], params: uuidParam, response: { 200: invitationSchema, ...problemResponses(401, 404) } },
    },
    async (request) => presentInvitation(await findInvitationFor(deps(), requireUser(request), request.params.id), deps().baseUrl),
  );

  // The provider sends the browser back here. Not an API answer: a redirect to the page that continues.
  app.get('/oauth/callback', { schema: { hide: true } }, async (request, reply) => {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const outcome = await handleCallback(deps(), request.auth?.user ?? null, query);
    const target = new URLSearchParams();
    if (outcome.flowId) target.set('signin', outcome.flowId);
    if (outcome.error) target.set('signinError', outcome.error);
    return reply.redirect(`/settings/mailboxes?${target.toString()}`, 302);
  });
}
