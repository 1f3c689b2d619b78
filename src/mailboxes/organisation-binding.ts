import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { type Actor, recordAuditBy } from '../audit/index.ts';
import { emailSchema } from '../auth/input-schemas.ts';
import { findUserByEmail, findUserById } from '../auth/users.ts';
import { DomainError } from '../kernel/index.ts';
import { ORG_MESSAGES, OrgGrantError, type OrganisationAccess, type OrgGrantHandle } from '../signin/index.ts';
import { findProviderById } from './catalogue/index.ts';
import { insertBoundMailbox, testWithToken, type MailboxDeps } from './commands.ts';
import type { ConnectionTestResult, ServerInput } from './connection-test.ts';
import { hostPolicyFor } from './host-policy.ts';
import type { LocalText } from './probe/types.ts';
import { ROW_MESSAGES } from './organisation-binding-messages.ts';
import { findBoundMailbox } from './repository.ts';
import { backfillSchema, serverSchema, visibilitySchema } from './schemas.ts';

/** A bulk binding is a form, not an import job: a few hundred salespeople at most. */
export const MAX_ORG_BINDING_ROWS = 500;
/** Connection tests at once: enough to bind a team quickly without looking like an attack to the provider. */
const CONCURRENCY = 4;

const rowSchema = z.strictObject({
  address: emailSchema,
  /** The Tidings user the mailbox is bound for (or `owner`, their sign-in email). */
  ownerUserId: z.uuid().optional(),
  owner: z.string().trim().max(320).optional(),
});

export const organisationBindingSchema = z.strictObject({
  provider: z.enum(['google', 'microsoft']),
  /** Picked on the screen; either this or `csv`, or both. */
  rows: z.array(rowSchema).max(MAX_ORG_BINDING_ROWS).default([]),
  /** Pasted or uploaded `address,owner` lines (a header line "address,owner" is skipped). */
  csv: z.string().max(200_000).optional(),
  /** The servers; default the catalogue's for the provider (Microsoft 365 or Gmail / Google Workspace). */
  imap: serverSchema.optional(),
  smtp: serverSchema.nullable().optional(),
  /** Private by default: an admin binding someone's mailbox does not decide who reads it. */
  visibility: visibilitySchema.default('private'),
  backfill: backfillSchema.optional(),
});
export type OrganisationBindingInput = z.infer<typeof organisationBindingSchema>;

export interface OrganisationBindingResult {
  /** 1-based line of the CSV, or null for a picked row. */
  line: number | null;
  address: string;
  ownerUserId: string | null;
  status: 'bound' | 'failed';
  mailboxId: string | null;
  code: string | null;
  /** Where it failed: owner, grant, token, or a connection-test stage (connect, tls, oauth, …). */
  stage: string | null;
  message: LocalText | null;
  fix: LocalText | null;
}

interface WantedRow {
  line: number | null;
  address: string;
  ownerUserId?: string;
  owner?: string;
}

const CATALOGUE_ID = { google: 'gmail', microsoft: 'microsoft365' } as const;

/** `address,owner` lines; a first line naming the columns is skipped. Bad lines become failed rows. */
export function parseBindingCsv(text: string): Array<WantedRow | { line: number; invalid: string }> {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      bom: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    throw new OrgGrantError('org_bind_rows_invalid', `The CSV cannot be read: ${(err as Error).message}`);
  }
  const out: Array<WantedRow | { line: number; invalid: string }> = [];
  records.forEach(({ record, info }, i) => {
    const [address = '', owner = ''] = record;
    if (i === 0 && /^(e-?mail|address|mailbox|地址|邮箱)$/i.test(address)) return;
    const parsed = emailSchema.safeParse(address);
    if (!parsed.success || !owner) out.push({ line: info.lines, invalid: address });
    else out.push({ line: info.lines, address: parsed.data.toLowerCase(), owner });
  });
  return out;
}

function failed(
  row: WantedRow,
  code: string,
  stage: string,
  texts?: { message: LocalText; fix: LocalText } | null,
  ownerUserId: string | null = null,
): OrganisationBindingResult {
  const t = texts ?? ROW_MESSAGES[code] ?? null;
  return {
    line: row.line,
    address: row.address,
    ownerUserId,
    status: 'failed',
    mailboxId: null,
    code,
    stage,
    message: t?.message ?? null,
    fix: t?.fix ?? null,
  };
}

/** A connection test's first failure as a row result. */
function testFailure(row: WantedRow, ownerUserId: string, test: ConnectionTestResult): OrganisationBindingResult {
  const failure = test.imap.failure ?? test.smtp?.failure;
  return failed(
    row,
    failure?.code ?? 'connection_test_failed',
    failure?.stage ?? 'connect',
    failure ? { message: failure.message, fix: failure.fix } : null,
    ownerUserId,
  );
}

async function pool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(runners);
  return results;
}

/**
 * An admin binds many people's mailboxes at once through the organisation grant: for each row, the owner
 * is checked, a token is minted for the address, the connection test signs in with it, and the mailbox
 * is saved for its owner with no password (auth_kind oauth2, a grant of kind 'organisation'). Each row
 * succeeds or fails on its own, with a code and a fix; nothing is saved for a failed row.
 */
export async function bindOrganisationMailboxes(
  deps: MailboxDeps & { organisation: OrganisationAccess },
  actor: Actor,
  input: OrganisationBindingInput,
): Promise<OrganisationBindingResult[]> {
  const wanted: Array<WantedRow | { line: number; invalid: string }> = [
    ...input.rows.map((r) => ({ line: null, address: r.address.toLowerCase(), ownerUserId: r.ownerUserId, owner: r.owner })),
    ...(input.csv ? parseBindingCsv(input.csv) : []),
  ];
  if (wanted.length === 0) throw new OrgGrantError('org_bind_rows_invalid', 'Name at least one mailbox.');
  if (wanted.length > MAX_ORG_BINDING_ROWS)
    throw new OrgGrantError('org_bind_rows_invalid', `At most ${MAX_ORG_BINDING_ROWS} mailboxes at once (got ${wanted.length}).`);

  const org = await deps.organisation.grantFor(input.provider);
  const catalogue = findProviderById(CATALOGUE_ID[input.provider]);
  const imap: ServerInput = input.imap ?? (catalogue!.imap as ServerInput);
  const smtp: ServerInput | null = input.smtp === undefined ? ((catalogue?.smtp as ServerInput | undefined) ?? null) : input.smtp;
  // First, in order and one at a time (cheap lookups): owners, duplicates, mailboxes already bound.
  // Then the tokens and connection tests, a few at a time.
  const seen = new Set<string>();
  const checked: Array<OrganisationBindingResult | { row: WantedRow; ownerUserId: string }> = [];
  for (const row of wanted) {
    if ('invalid' in row) {
      checked.push(failed({ line: row.line, address: row.invalid }, 'invalid_row', 'row'));
      continue;
    }
    const owner = row.ownerUserId
      ? await findUserById(deps.db, row.ownerUserId)
      : row.owner
        ? await ownerByEmailOrId(deps, row.owner)
        : undefined;
    if (!owner?.active) checked.push(failed(row, 'unknown_mailbox_owner', 'owner'));
    else if (seen.has(`${owner.id}:${row.address}`)) checked.push(failed(row, 'duplicate_row', 'row', null, owner.id));
    else if (await findBoundMailbox(deps.db, owner.id, row.address)) checked.push(failed(row, 'mailbox_exists', 'owner', null, owner.id));
    else checked.push({ row, ownerUserId: owner.id });
    if (owner) seen.add(`${owner.id}:${row.address}`);
  }

  const results = await pool(checked, CONCURRENCY, async (item): Promise<OrganisationBindingResult> => {
    if (!('row' in item)) return item;
    const { row, ownerUserId } = item;
    try {
      return await bindOne(deps, actor, org, { ...input, imap, smtp }, row, ownerUserId);
    } catch (err) {
      if (err instanceof OrgGrantError) return failed(row, err.code, 'grant', ORG_MESSAGES[err.code], ownerUserId);
      if (err instanceof DomainError) return failed(row, err.code, 'bind', null, ownerUserId);
      throw err;
    }
  });

  const bound = results.filter((r) => r.status === 'bound').length;
  await recordAuditBy(deps.db, actor, {
    action: 'mailbox.bind_organisation',
    targetType: 'signin_org_grant',
    targetId: input.provider,
    detail: {
      provider: input.provider,
      bound,
      failed: results.length - bound,
      codes: [...new Set(results.map((r) => r.code).filter(Boolean))],
    },
  });
  return results;
}

async function ownerByEmailOrId(deps: MailboxDeps, owner: string) {
  if (/^[0-9a-f-]{36}$/i.test(owner)) return findUserById(deps.db, owner);
  return findUserByEmail(deps.db, owner.toLowerCase());
}

async function bindOne(
  deps: MailboxDeps & { organisation: OrganisationAccess },
  actor: Actor,
  org: OrgGrantHandle,
  input: OrganisationBindingInput & { imap: ServerInput; smtp: ServerInput | null },
  row: WantedRow,
  ownerUserId: string,
): Promise<OrganisationBindingResult> {
  // The token is minted first: an OrgGrantError (delegation missing, user unknown) is the row's answer;
  // the provider's other refusals become the test's "Get an access token" stage.
  const test = await testWithToken(() => deps.organisation.accessTokenFor(org, row.address), {
    email: row.address,
    providerId: CATALOGUE_ID[input.provider],
    imap: input.imap,
    smtp: input.smtp,
    username: row.address,
    allowPlaintext: false,
    trust: {},
    pinned: { imap: null, smtp: null },
    sendTestMessage: false,
    extraCaPems: deps.extraCaPems,
    hostPolicy: hostPolicyFor(actor.user, deps.mailHosts),
  });
  if (!test.ok) return testFailure(row, ownerUserId, test);

  const mailbox = await deps.db.transaction().execute(async (trx) => {
    const inserted = await insertBoundMailbox(trx, {
      ownerUserId,
      createdBy: actor.user.id,
      email: row.address,
      displayName: null,
      providerId: CATALOGUE_ID[input.provider],
      imap: input.imap,
      smtp: input.smtp,
      username: row.address,
      authKind: 'oauth2',
      secretId: null,
      allowPlaintext: false,
      settings: { visibility: input.visibility, backfill: input.backfill },
      test,
    });
    await deps.organisation.attach(trx, org, inserted);
    const provider = CATALOGUE_ID[input.provider];
    const detail = { email: row.address, owner: ownerUserId, provider, authKind: 'oauth2', grant: 'organisation', testOk: true };
    await recordAuditBy(trx, actor, { action: 'mailbox.bind', targetType: 'mailbox', targetId: inserted.id, detail });
    return inserted;
  });
  return {
    line: row.line,
    address: row.address,
    ownerUserId,
    status: 'bound',
    mailboxId: mailbox.id,
    code: null,
    stage: null,
    message: null,
    fix: null,
  };
}
