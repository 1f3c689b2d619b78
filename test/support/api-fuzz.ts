import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { sql } from 'kysely';
import { signInMember } from './api.ts';
import { Client, setupAdmin, type TestApp } from './app.ts';
import { insertMail, insertMailbox, insertUser } from './rows.ts';

/**
 * Property-based fuzzing of every operation in the OpenAPI document: bodies, query strings and path
 * parameters generated from their schemas (valid ones, and ones broken on purpose), sent as an admin, a
 * member and with no session. Each answer must be below 500, documented for its operation or a
 * problem+json with a `code`, and match its documented JSON schema; a refused request writes nothing.
 */

type Schema = Record<string, any>;
interface Operation {
  parameters?: Array<{ in: 'query' | 'path' | 'header'; name: string; required?: boolean; schema: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

/** Operations left out, and why. */
export const skippedOperations: Record<string, string> = {
  'GET /api/v1/events': 'an endless event stream',
  'POST /api/v1/auth/logout': 'would sign the fuzzing user out',
  'POST /api/v1/mailboxes/discover': 'looks up DNS and fetches autoconfig from whatever domain it is given',
  'POST /api/v1/mailboxes/test': 'connects to whatever mail host it is given',
  'POST /api/v1/mailboxes': 'connects to whatever mail host it is given',
  'PATCH /api/v1/mailboxes/{id}': 're-tests the connection against whatever host it is given',
  'POST /api/v1/mailboxes/{id}/test': 'connects to the mailbox server',
};

/**
 * 5xx answers that are the documented behaviour of the fuzzing app's configuration, not faults: sync is
 * off in test apps, so asking for a sync is `sync_disabled` (503).
 */
const expectedServerAnswers: Record<string, string> = {
  'POST /api/v1/mailboxes/{id}/sync': 'sync_disabled',
};

/** Tables a refused request may write: a failed sign-in is counted (that is the throttle); migrations are not ours. */
const writableByRefusals = new Set(['auth_throttle', 'kysely_migration', 'kysely_migration_lock']);

const tricky = [
  '',
  ' ',
  '\t\n',
  'a'.repeat(5000),
  '😀👩‍👩‍👧',
  '\uD800',
  '\uFFFF',
  'Zoë 李 مرحبا',
  "'; drop table contacts; --",
  '%',
  '_',
  '\\',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '=cmd|x',
  '1e309',
  '-1',
  '0',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '2024-02-30',
  '9999-12-31T23:59:59Z',
  '0001-01-01T00:00:00Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '@',
  'a@b',
  `${'x'.repeat(300)}@example.com`,
  'name,en',
  'a\u0000b',
];
const trickyNumbers = [-1, 0, -0, 0.5, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER];

const junkString = fc.oneof(
  fc.constantFrom(...tricky),
  fc.string({ maxLength: 30, unit: 'grapheme' }),
  fc.string({ maxLength: 10, unit: 'binary' }),
);
const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  junkString,
  fc.constantFrom(...trickyNumbers),
  fc.constantFrom(null, true, false, [], {}),
  fc.jsonValue({ maxDepth: 2 }),
);

/** The known ids a property or parameter of this name may hold. */
type IdsOf = (name: string) => string[];

/** Known ids, by the path segment that names their resource (`contacts` for `/contacts/{id}`). */
export type IdPool = Record<string, string[]>;

function uuidArb(pool: string[]): fc.Arbitrary<string> {
  return pool.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.uuid() }) : fc.uuid();
}

/** Values its schema accepts (as near as a generator can tell), for one JSON schema. */
export function validArb(schema: Schema, ids: IdsOf, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return fc.oneof(...alternatives.map((s: Schema) => validArb(s, ids, name, depth + 1)));
  if (Array.isArray(schema.type))
    return fc.oneof(...schema.type.map((type: string) => validArb({ ...schema, type }, ids, name, depth + 1)));
  switch (schema.type) {
    case 'string':
      return stringArb(schema, ids, name);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1e6, -(2 ** 31)), max: Math.min(schema.maximum ?? 1e6, 2 ** 31 - 1) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validArb(schema.items ?? {}, ids, name, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    case 'object': {
      const properties: Record<string, Schema> = schema.properties ?? {};
      const record = fc.record(Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, validArb(s, ids, key, depth + 1)])), {
        requiredKeys: (schema.required ?? []).filter((key: string) => key in properties),
      });
      const extra = schema.additionalProperties;
      if (extra && typeof extra === 'object' && Object.keys(properties).length === 0) {
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), validArb(extra, ids, name, depth + 1), { maxKeys: 3 });
      }
      return record;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringArb(schema: Schema, ids: IdsOf, name: string): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
  if (schema.format === 'uuid') return uuidArb(ids(name));
  if (schema.format === 'date-time')
    return fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'date')
    return fc
      .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (typeof schema.pattern === 'string') {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
    } catch {
      // A pattern the generator cannot read: plain strings below.
    }
  }
  if (/currency/i.test(name)) return fc.constantFrom('EUR', 'USD', 'JPY', 'eur', 'XXX', 'EURO', '');
  if (/email/i.test(name)) return fc.emailAddress().filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? 254));
  if (/domain/i.test(name)) return fc.domain().filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? 253));
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.constantFrom(...tricky).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity)) },
  );
}

/** A value that is valid but for one property, or anything at all. */
function brokenArb(schema: Schema, ids: IdsOf): fc.Arbitrary<unknown> {
  if (schema.type !== 'object' || !schema.properties) return junkValue;
  const oneBroken = fc
    .tuple(validArb(schema, ids), fc.constantFrom(...Object.keys(schema.properties), 'unexpected'), junkValue)
    .map(([value, key, junk]) => ({ ...(value as object), [key]: junk }));
  return fc.oneof({ weight: 4, arbitrary: oneBroken }, { weight: 1, arbitrary: junkValue });
}

/** Percent-encodes, sending a lone surrogate as the invalid UTF-8 a careless client would. */
function encode(text: string): string {
  let out = '';
  for (const ch of text) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      out += '%ED%A0%80';
    }
  }
  return out;
}

function queryValue(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export interface FuzzCase {
  who: 'admin' | 'member' | 'anonymous';
  operation: string;
  method: string;
  url: string;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
}

/** The known ids for a parameter or property named like `companyId` or `ownerId`. */
function idsFor(name: string, pool: IdPool): string[] | undefined {
  const base = name.replace(/Ids?$/, '');
  if (base === 'owner' || base === 'actorUser' || base === 'user') return pool.owners;
  return pool[base.endsWith('y') ? `${base.slice(0, -1)}ies` : base.endsWith('x') ? `${base}es` : `${base}s`];
}

/**
 * One request to an operation: `broken` ones put junk where the schema says otherwise (a path segment,
 * a query value, a body property, the whole body); the others are valid throughout, to reach the code
 * behind the schema.
 */
function caseArb(method: string, path: string, op: Operation, pool: IdPool, broken: boolean): fc.Arbitrary<FuzzCase> {
  const all = Object.values(pool).flat();
  const idsOf: IdsOf = (name) => idsFor(name, pool) ?? all;
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const segments = path.split('/');
  const pathArb = fc.tuple(
    ...pathParams.map((p) => {
      const valid = uuidArb(pool[segments[segments.indexOf(`{${p.name}}`) - 1] ?? ''] ?? all).map(encode);
      if (!broken) return valid;
      return fc.oneof(
        { weight: 4, arbitrary: valid },
        { weight: 1, arbitrary: junkString.filter((s) => s.length > 0).map(encode) },
        // Sent as they are: escapes that do not decode, and characters a path should not hold.
        { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%ED%A0%80', '%FF', '%00', '..', '%2e%2e', 'a%2Fb', 'x?y', '#') },
      );
    }),
  );
  const queryArb = fc.tuple(
    ...queryParams.map((p) => {
      const valid = validArb(p.schema, idsOf, p.name);
      return fc.option(broken ? fc.oneof({ weight: 2, arbitrary: valid }, { weight: 1, arbitrary: junkString }) : valid, { freq: 2 });
    }),
  );
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  const csvCell = fc.oneof(junkString, fc.constantFrom('name', 'email', 'domain', 'company', 'a@example.com', 'fuzz.example'));
  const csv = fc
    .tuple(
      fc.subarray(['name', 'email', 'domain', 'company', 'phone', 'tags']),
      fc.array(fc.array(csvCell, { maxLength: 4 }), { maxLength: 5 }),
    )
    .map(([header, rows]) => ({ rawBody: [header, ...rows].map((r) => r.join(',')).join('\n'), contentType: 'text/csv' }));
  let bodyArb: fc.Arbitrary<Pick<FuzzCase, 'body' | 'rawBody' | 'contentType'>>;
  if (path.endsWith('/import'))
    bodyArb = broken
      ? fc.oneof(
          csv,
          junkValue.map((body) => ({ body })),
        )
      : csv;
  else if (bodySchema && !broken) bodyArb = validArb(bodySchema, idsOf).map((body) => ({ body }));
  else if (bodySchema)
    bodyArb = fc.oneof(
      { weight: 9, arbitrary: brokenArb(bodySchema, idsOf).map((body) => ({ body })) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('{"a":', '', 'null', '"\\u0000"', '[1,2', '{"name":"\\ud800"}').map((rawBody) => ({ rawBody })),
      },
    );
  else if (method === 'get' || !broken) bodyArb = fc.constant({});
  else bodyArb = fc.option(junkValue, { freq: 4 }).map((body) => (body === null ? {} : { body }));
  return fc
    .record({
      who: fc.constantFrom('admin' as const, 'member' as const, 'anonymous' as const),
      path: pathArb,
      query: queryArb,
      extra: broken ? fc.option(fc.tuple(junkString, junkString), { freq: 4 }) : fc.constant(null),
      body: bodyArb,
    })
    .map(({ who, path: values, query, extra, body }) => {
      let url = path;
      pathParams.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, values[i]!);
      });
      const pairs = queryParams.flatMap((p, i) => (query[i] === null ? [] : [[p.name, queryValue(query[i])]]));
      if (extra) pairs.push(extra);
      const search = pairs.map(([k, v]) => `${encode(k!)}=${encode(v!)}`).join('&');
      return {
        who,
        operation: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        url: search ? `${url}?${search}` : url,
        ...body,
      };
    });
}

export interface FuzzFailure {
  operation: string;
  problem: string;
  example: FuzzCase & { status: number; answer: string };
}

export interface FuzzReport {
  cases: number;
  operations: number;
  statuses: Record<string, number>;
  failures: FuzzFailure[];
  /** Distinct failures: one per operation and problem. */
  distinct: FuzzFailure[];
  skipped: Record<string, string>;
}

async function seed(t: TestApp, admin: Client, member: Client, memberId: string): Promise<IdPool> {
  const adminId = (await admin.get('/api/v1/me')).data.user.id as string;
  const id = (res: { statusCode: number; body: string; data: any }, key: string): string => {
    if (res.statusCode >= 300) throw new Error(`fuzz seed failed: ${res.statusCode} ${res.body}`);
    return res.data[key].id;
  };
  const company = id(await admin.post('/api/v1/companies', { name: 'Fuzz Co', domains: ['fuzz.example'] }), 'company');
  const contact = id(
    await admin.post('/api/v1/contacts', { name: 'Fuzz Person', emails: ['person@fuzz.example'], companyId: company }),
    'contact',
  );
  const memberContact = id(await member.post('/api/v1/contacts', { name: 'Member Person', emails: ['m@fuzz.example'] }), 'contact');
  const contactEmails = (await admin.get(`/api/v1/contacts/${contact}`)).data.contact.emails.map((e: { id: string }) => e.id);
  const stage = id(await admin.post('/api/v1/pipeline/stages', { name: { en: 'Fuzzing' } }), 'stage');
  const stages = (await admin.get('/api/v1/pipeline/stages')).data.items.map((s: { id: string }) => s.id);
  const deal = id(
    await admin.post('/api/v1/deals', { name: 'Fuzz deal', currency: 'EUR', amount: '100', companyId: company, contactIds: [contact] }),
    'deal',
  );
  const task = id(
    await member.post('/api/v1/activities', { kind: 'task', subject: 'Call back', dueAt: '2020-01-01T00:00:00Z', contactId: contact }),
    'activity',
  );
  const note = id(await admin.post('/api/v1/activities', { kind: 'note', body: 'A note', companyId: company }), 'activity');
  const purchase = id(
    await admin.post('/api/v1/purchases', { purchasedOn: '2024-05-01', amount: '12.50', currency: 'EUR', companyId: company }),
    'purchase',
  );
  const blocked = id(await admin.post('/api/v1/blocklist', { kind: 'domain', value: 'spam.example' }), 'entry');
  const token = id(await member.post('/api/v1/tokens', { name: 'fuzz', password: 'member-password-1' }), 'token');
  const other = await insertUser(t.db.db, { email: 'other@fuzz.example', role: 'member' });
  const mailbox = await insertMailbox(t.db.db, memberId, 'member@fuzz.example', { visibility: 'share_all' });
  const mail = await insertMail(t.db.db, t.services, mailbox, {
    from: 'person@fuzz.example',
    to: 'member@fuzz.example',
    subject: 'Fuzz',
    text: 'hello',
    attachments: [{ filename: 'a.txt', content: Buffer.from('a') }],
  });
  const folders = (await t.db.db.selectFrom('mail_folders').select('id').execute()).map((r) => r.id);
  const attachments = (await t.db.db.selectFrom('attachments').select('id').execute()).map((r) => r.id);
  return {
    companies: [company],
    contacts: [contact, memberContact],
    emails: contactEmails,
    stages: [stage, ...stages],
    deals: [deal],
    activities: [task, note],
    reminders: [task],
    purchases: [purchase],
    blocklist: [blocked],
    tokens: [token],
    users: [other],
    owners: [adminId, memberId, other],
    mailboxes: [mailbox],
    messages: [mail.id],
    threads: [mail.threadId],
    folders,
    attachments,
  };
}

/** Row counts, and the last change where a table records one, of every watched table. */
async function fingerprint(t: TestApp, tables: WatchedTable[]): Promise<Record<string, string>> {
  const parts = tables.map(({ name, updatedAt }) =>
    updatedAt
      ? sql`(select count(*) || ' ' || coalesce(max(updated_at)::text, '') from ${sql.table(name)}) as ${sql.ref(name)}`
      : sql`(select count(*)::text from ${sql.table(name)}) as ${sql.ref(name)}`,
  );
  const result = await sql<Record<string, string>>`select ${sql.join(parts)}`.execute(t.db.db);
  return result.rows[0]!;
}

interface WatchedTable {
  name: string;
  updatedAt: boolean;
}

/** Every table of ours a refused request must leave alone, and whether it has an `updated_at` to watch too. */
async function watchedTables(t: TestApp): Promise<WatchedTable[]> {
  const { rows } = await sql<{ name: string; updated_at: boolean }>`
    select t.table_name as name,
      exists (select 1 from information_schema.columns c
              where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'updated_at') as updated_at
    from information_schema.tables t
    where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
    order by t.table_name`.execute(t.db.db);
  return rows.filter((r) => !writableByRefusals.has(r.name)).map((r) => ({ name: r.name, updatedAt: r.updated_at }));
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** Progress lines, for the long run. */
  progress?: (line: string) => void;
}

/**
 * Checks a JSON answer against a JSON schema from the OpenAPI document (3.1, so JSON Schema 2020-12);
 * returns what does not match, or null. Formats are not checked: zod already did when it serialized.
 */
export function schemaChecker(): (schema: Schema, value: unknown) => string | null {
  const ajv = new Ajv2020({ strict: false, allErrors: false, formats: { uuid: true, 'date-time': true, date: true, binary: true } });
  const validators = new Map<object, ValidateFunction>();
  return (schema, value) => {
    let validate = validators.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      validators.set(schema, validate);
    }
    return validate(value) ? null : ajv.errorsText(validate.errors);
  };
}

/** Fuzzes every operation of the app's OpenAPI document `runs` times per operation. */
export async function fuzzApi(t: TestApp, { runs, seed: fuzzSeed, progress }: FuzzOptions): Promise<FuzzReport> {
  const admin = await setupAdmin(t.app);
  const { client: member, id: memberId } = await signInMember(t, admin, 'member@fuzz.example', 'Member');
  const clients = { admin, member, anonymous: new Client(t.app) };
  const pool = await seed(t, admin, member, memberId);
  const doc = (await admin.get('/api/v1/openapi.json')).data as { paths: Record<string, Record<string, Operation>> };

  const tables = await watchedTables(t);
  const schemaErrors = schemaChecker();

  const report: FuzzReport = { cases: 0, operations: 0, statuses: {}, failures: [], distinct: [], skipped: skippedOperations };
  const seen = new Set<string>();
  let before = await fingerprint(t, tables);
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  for (const [index, { path, method, op }] of operations.entries()) {
    const name = `${method.toUpperCase()} ${path}`;
    if (name in skippedOperations) continue;
    report.operations++;
    const cases = fc.sample(fc.oneof(caseArb(method, path, op, pool, false), caseArb(method, path, op, pool, true)), {
      numRuns: runs,
      seed: fuzzSeed + index,
    });
    for (const c of cases) {
      const headers: Record<string, string> = c.contentType ? { 'content-type': c.contentType } : {};
      const res =
        c.rawBody !== undefined
          ? await clients[c.who].request(c.method as 'POST', c.url, c.rawBody, headers)
          : await clients[c.who].request(c.method as 'POST', c.url, c.body, headers);
      report.cases++;
      report.statuses[res.statusCode] = (report.statuses[res.statusCode] ?? 0) + 1;
      const problems: string[] = [];
      const type = String(res.headers['content-type'] ?? '');
      const isProblem = type.startsWith('application/problem+json') && typeof res.data?.code === 'string';
      const documented = op.responses[String(res.statusCode)] ?? op.responses.default;
      if (res.statusCode >= 500 && !(expectedServerAnswers[name] === res.data?.code)) problems.push(`answered ${res.statusCode}`);
      if (!documented && !isProblem) problems.push(`answered an undocumented ${res.statusCode} that is not a problem+json with a code`);
      const schema = documented?.content?.['application/json']?.schema;
      if (schema && (type.startsWith('application/json') || type.startsWith('application/problem+json'))) {
        const errors = schemaErrors(schema, res.data);
        if (errors) problems.push(`${res.statusCode} does not match its schema: ${errors}`);
      }
      const after = await fingerprint(t, tables);
      if (res.statusCode >= 400) {
        const written = tables.filter(({ name }) => after[name] !== before[name]).map(({ name }) => name);
        if (written.length) problems.push(`refused with ${res.statusCode} but wrote ${written.join(', ')}`);
      }
      before = after;
      for (const problem of problems) {
        const failure = { operation: name, problem, example: { ...c, status: res.statusCode, answer: res.body.slice(0, 500) } };
        report.failures.push(failure);
        const key = `${name} ${problem.replace(/:.*/, '')}`;
        if (!seen.has(key)) {
          seen.add(key);
          report.distinct.push(failure);
          progress?.(
            `${name}: ${problem}\n  ${c.who} ${c.method} ${c.url} ${JSON.stringify(c.body ?? c.rawBody ?? null).slice(0, 300)}\n  -> ${res.body.slice(0, 300)}`,
          );
        }
      }
    }
    progress?.(`${name}: ${cases.length} cases`);
  }
  return report;
}
