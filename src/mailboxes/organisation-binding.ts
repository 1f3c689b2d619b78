import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { emailSchema } from '../auth/input-schemas.ts';
import type { User } from '../auth/tables.ts';
import { findUserByEmail, findUserById } from '../auth/users.ts';
import { DomainError } from '../kernel/index.ts';
import { ORG_MESSAGES, OrgGrantError, type OrganisationAccess, type OrgGrantHandle } from '../signin/index.ts';
import { findProviderById } from './catalogue/index.ts';
import { insertBoundMailbox, testWithToken, type MailboxDeps } from './commands.ts';
import type { ConnectionTestResult, ServerInput } from './connection-test.ts';
import { hostPolicyFor } from './host-policy.ts';
import type { LocalText } from './probe/types.ts';
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

/** Row codes of the binding itself (owner, duplicates); the rest come from the org grant and the connection test. */
const ROW_MESSAGES: Record<string, { message: LocalText; fix: LocalText }> = {
  unknown_mailbox_owner: {
    message: { en: 'The owner is not an active Tidings user.', 'zh-CN': '所有者不是有效的 Tidings 用户。' },
    fix: {
      en: 'Use the email (or id) of an active user; invite the salesperson to Tidings first if needed.',
      'zh-CN': '请填写有效用户的邮箱(或 ID);如有需要,请先邀请该销售人员加入 Tidings。',
    },
  },
  mailbox_exists: {
    message: { en: 'This mailbox is already bound for that owner.', 'zh-CN': '该邮箱已为此所有者绑定。' },
    fix: { en: 'Nothing to do; remove the row.', 'zh-CN': '无需操作,可删除此行。' },
  },
  duplicate_row: {
    message: { en: 'The same address appears twice in the list.', 'zh-CN': '列表中该地址出现了两次。' },
    fix: { en: 'Keep one row per mailbox.', 'zh-CN': '每个邮箱只保留一行。' },
  },
  invalid_row: {
    message: { en: 'This row is not an address and an owner.', 'zh-CN': '此行不是“地址,所有者”的格式。' },
    fix: {
      en: 'Write the row as address,owner, for example li@example.com,li@example.com.',
      'zh-CN': '请按“地址,所有者”填写,例如 li@example.com,li@example.com。',
    },
  },
};

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
  actor: User,
  input: OrganisationBindingInput,
  ip: string,
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
      return await bindOne(deps, actor, org, { ...input, imap, smtp }, row, ownerUserId, ip);
    } catch (err) {
      if (err instanceof OrgGrantError) return failed(row, err.code, 'grant', ORG_MESSAGES[err.code], ownerUserId);
      if (err instanceof DomainError) return failed(row, err.code, 'bind', null, ownerUserId);
      throw err;
    }
  });

  const bound = results.filter((r) => r.status === 'bound').length;
  await recordAudit(deps.db, {
    actorUserId: actor.id,
    action: 'mailbox.bind_organisation',
    targetType: 'signin_org_grant',
    targetId: input.provider,
    ip,
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
  actor: User,
  org: OrgGrantHandle,
  input: OrganisationBindingInput & { imap: ServerInput; smtp: ServerInput | null },
  row: WantedRow,
  ownerUserId: string,
  ip: string,
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
    hostPolicy: hostPolicyFor(actor, deps.mailHosts),
  });
  if (!test.ok) return testFailure(row, ownerUserId, test);

  const mailbox = await deps.db.transaction().execute(async (trx) => {
    const inserted = await insertBoundMailbox(trx, {
      ownerUserId,
      createdBy: actor.id,
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
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'mailbox.bind',
      targetType: 'mailbox',
      targetId: inserted.id,
      ip,
      detail: {
        email: row.address,
        owner: ownerUserId,
        provider: CATALOGUE_ID[input.provider],
        authKind: 'oauth2',
        grant: 'organisation',
        testOk: true,
      },
    });
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
