import { z } from 'zod';
import type { Actor } from '../../audit/index.ts';
import { MAX_ORG_BINDING_ROWS, bindOrganisationMailboxes, organisationBindingSchema } from '../../mailboxes/organisation-binding.ts';
import {
  deleteOrgGrant,
  type OrgProvider,
  organisationAccess,
  organisationGuides,
  presentOrgGrants,
  saveGoogleOrgGrant,
  saveMicrosoftOrgGrant,
} from '../../signin/index.ts';
import type { RouteContext } from '../context.ts';
import { adminActorOf } from '../request-actor.ts';
import { problemResponses, timestampSchema } from '../schemas.ts';
import { localTextSchema, providerDeleteRoute, providerGuideSchema, providerListRoute } from './signin-schemas.ts';

const providerSchema = z.enum(['microsoft', 'google']);
const domainsSchema = z.array(z.string().trim().min(1).max(253)).min(1).max(50);

const orgGrantSchema = z.object({
  provider: providerSchema,
  configured: z.boolean(),
  tenant: z.string().nullable().describe('Microsoft: the tenant id or verified domain the app-only token is for.'),
  domains: z.array(z.string()).describe('The mail domains it may be used for.'),
  clientId: z.string().nullable().describe("Microsoft: the sign-in app's application id; Google: the service account's client id."),
  appHasSecret: z.boolean().nullable().describe('Microsoft: client credentials need the sign-in app to have a secret.'),
  serviceAccountEmail: z.string().nullable(),
  hasKey: z.boolean().nullable().describe('Google: the private key itself is write-only.'),
  mailboxes: z.number().int().describe('Mailboxes bound through it.'),
  updatedAt: timestampSchema.nullable(),
  guide: providerGuideSchema.describe('What the admin does at the provider.'),
});

const bindingResultSchema = z.object({
  line: z.number().int().nullable().describe('The CSV line, or null for a picked row.'),
  address: z.string(),
  ownerUserId: z.uuid().nullable(),
  status: z.enum(['bound', 'failed']),
  mailboxId: z.uuid().nullable(),
  code: z.string().nullable(),
  stage: z.string().nullable(),
  message: localTextSchema.nullable(),
  fix: localTextSchema.nullable(),
});

export function signinOrganisationRoutes({ app, db, config, services }: RouteContext): void {
  const deps = () => services.signin;
  const present = async () => {
    const items = await presentOrgGrants(deps());
    const guides = organisationGuides({
      microsoft: items.find((i) => i.provider === 'microsoft')!.clientId,
      google: items.find((i) => i.provider === 'google')!.clientId,
    });
    return items.map((item) => ({ ...item, guide: guides.find((g) => g.provider === item.provider)! }));
  };

  providerListRoute(
    app,
    '/api/v1/signin/organisation',
    'Organisation-wide access: Microsoft 365 application permissions and Google Workspace domain-wide delegation.',
    orgGrantSchema,
    present,
  );

  /** The two providers' access is saved the same way: an admin's body in, the provider's row out. */
  const saveRoute = <Body extends z.ZodType>(
    provider: OrgProvider,
    description: string,
    body: Body,
    save: (actor: Actor, input: z.infer<Body>) => Promise<void>,
  ) =>
    app.put(
      `/api/v1/signin/organisation/${provider}`,
      {
        schema: {
          tags: ['signin'],
          description,
          body,
          response: { 200: z.object({ item: orgGrantSchema }), ...problemResponses(400, 401, 403, 422) },
        },
      },
      async (request) => {
        await save(adminActorOf(request), request.body as z.infer<Body>);
        return { item: (await present()).find((i) => i.provider === provider)! };
      },
    );

  saveRoute(
    'microsoft',
    'Microsoft 365 application permissions: client credentials of the Microsoft sign-in app (which needs a secret) for one tenant.',
    z.strictObject({ tenant: z.string().trim().min(1).max(100), domains: domainsSchema }),
    (actor, input) => saveMicrosoftOrgGrant(deps(), actor, input),
  );
  saveRoute(
    'google',
    "Google Workspace domain-wide delegation: the service account's JSON key (write-only: its private key goes to the vault; omit it to keep the stored one).",
    z.strictObject({ serviceAccountKey: z.string().min(2).max(20_000).optional(), domains: domainsSchema }),
    (actor, input) => saveGoogleOrgGrant(deps(), actor, input),
  );

  providerDeleteRoute(
    app,
    '/api/v1/signin/organisation/:provider',
    providerSchema,
    'Removed; mailboxes bound through it stop syncing until bound again.',
    async (request, provider) => {
      await deleteOrgGrant(deps(), adminActorOf(request), provider);
      services.sync?.refresh();
    },
  );

  app.post(
    '/api/v1/signin/organisation/bindings',
    {
      schema: {
        tags: ['signin'],
        description: `Binds many people's mailboxes through the organisation access (no password, no sign-in by the owner): picked rows and/or CSV lines "address,owner", at most ${MAX_ORG_BINDING_ROWS}. Each row is connection-tested and saved on its own; the answer gives each row's outcome.`,
        body: organisationBindingSchema,
        response: { 200: z.object({ items: z.array(bindingResultSchema) }), ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request) => {
      const items = await bindOrganisationMailboxes(
        {
          db,
          vault: services.vault,
          extraCaPems: services.extraCaPems ?? [],
          mailHosts: config,
          signin: services.mailboxSignin,
          organisation: organisationAccess(services.signin),
        },
        adminActorOf(request),
        request.body,
      );
      if (items.some((i) => i.status === 'bound')) void services.sync?.refresh();
      return { items };
    },
  );
}
