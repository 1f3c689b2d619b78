import { type Kysely, sql } from 'kysely';

/**
 * CRM records: companies (with their mail domains), contacts (with their addresses), the editable
 * pipeline, deals, activities (notes, tasks, calls) and purchases.
 *
 * Domains and addresses live in their own tables, one row each, so "one domain belongs to one company"
 * and "one address belongs to one contact" are plain unique keys (an array column cannot be unique
 * across rows) and the linker's look-ups are primary-key probes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = (c: any) => c.notNull().defaultTo(sql`now()`);
  const owner = (c: any) => c.notNull().references('users.id');

  await db.schema
    .createTable('companies')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('industry', 'text')
    .addColumn('owner_user_id', 'uuid', owner)
    .addColumn('notes', 'text')
    .addColumn('created_at', 'timestamptz', ts)
    .addColumn('updated_at', 'timestamptz', ts)
    .execute();
  await sql`create index companies_name_key_idx on companies (name, id)`.execute(db);
  await sql`create index companies_updated_key_idx on companies (updated_at, id)`.execute(db);
  await sql`create index companies_created_key_idx on companies (created_at, id)`.execute(db);
  await sql`create index companies_owner_idx on companies (owner_user_id)`.execute(db);
  await sql`create index companies_name_trgm_idx on companies using gin (name gin_trgm_ops)`.execute(db);
  await sql`create index companies_lower_name_idx on companies (lower(name))`.execute(db);

  await db.schema
    .createTable('company_domains')
    .addColumn('domain', 'text', (c) => c.primaryKey().check(sql`domain = lower(domain)`))
    .addColumn('company_id', 'uuid', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', ts)
    .execute();
  await sql`create index company_domains_company_idx on company_domains (company_id)`.execute(db);

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('company_id', 'uuid', (c) => c.references('companies.id').onDelete('set null'))
    .addColumn('title', 'text')
    .addColumn('phones', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('owner_user_id', 'uuid', owner)
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('notes', 'text')
    .addColumn('created_at', 'timestamptz', ts)
    .addColumn('updated_at', 'timestamptz', ts)
    .execute();
  await sql`create index contacts_name_key_idx on contacts (name, id)`.execute(db);
  await sql`create index contacts_updated_key_idx on contacts (updated_at, id)`.execute(db);
  await sql`create index contacts_created_key_idx on contacts (created_at, id)`.execute(db);
  await sql`create index contacts_company_idx on contacts (company_id)`.execute(db);
  await sql`create index contacts_owner_idx on contacts (owner_user_id)`.execute(db);
  await sql`create index contacts_tags_idx on contacts using gin (tags)`.execute(db);
  // Trigrams find substrings of any script, so q=张三 matches 张三丰 without a word splitter.
  await sql`create index contacts_name_trgm_idx on contacts using gin (name gin_trgm_ops)`.execute(db);

  await db.schema
    .createTable('contact_emails')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull().unique().check(sql`address = lower(address)`))
    .addColumn('is_primary', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', ts)
    .execute();
  await sql`create index contact_emails_contact_idx on contact_emails (contact_id)`.execute(db);
  await sql`create unique index contact_emails_one_primary_idx on contact_emails (contact_id) where is_primary`.execute(db);
  await sql`create index contact_emails_address_trgm_idx on contact_emails using gin (address gin_trgm_ops)`.execute(db);

  // Stage names are jsonb {"en": "...", "zh-CN": "..."}: the seeded defaults carry both languages in the
  // row itself, and a stage an admin adds in one language simply lacks the other (the UI falls back).
  await db.schema
    .createTable('pipeline_stages')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'jsonb', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('open', 'won', 'lost')`))
    .addColumn('created_at', 'timestamptz', ts)
    .addColumn('updated_at', 'timestamptz', ts)
    .execute();
  await sql`create index pipeline_stages_position_idx on pipeline_stages (position, id)`.execute(db);
  const seed: Array<[string, string, string]> = [
    ['Lead', '线索', 'open'],
    ['Qualified', '已确认需求', 'open'],
    ['Proposal', '方案报价', 'open'],
    ['Negotiation', '谈判', 'open'],
    ['Won', '赢单', 'won'],
    ['Lost', '输单', 'lost'],
  ];
  await db
    .insertInto('pipeline_stages')
    .values(seed.map(([en, zh, kind], i) => ({ name: JSON.stringify({ en, 'zh-CN': zh }), position: i + 1, kind })))
    .execute();

  await db.schema
    .createTable('deals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('company_id', 'uuid', (c) => c.references('companies.id').onDelete('set null'))
    .addColumn('amount', sql`numeric(14,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('currency', sql`char(3)`, (c) => c.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    .addColumn('stage_id', 'uuid', (c) => c.notNull().references('pipeline_stages.id').onDelete('restrict'))
    .addColumn('expected_close_date', 'date')
    .addColumn('owner_user_id', 'uuid', owner)
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'won', 'lost')`))
    .addColumn('lost_reason', 'text')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', ts)
    .addColumn('updated_at', 'timestamptz', ts)
    .addCheckConstraint('deals_lost_reason_check', sql`status <> 'lost' or lost_reason is not null`)
    .execute();
  await sql`create index deals_name_key_idx on deals (name, id)`.execute(db);
  await sql`create index deals_updated_key_idx on deals (updated_at, id)`.execute(db);
  await sql`create index deals_created_key_idx on deals (created_at, id)`.execute(db);
  await sql`create index deals_amount_key_idx on deals (amount, id)`.execute(db);
  await sql`create index deals_stage_idx on deals (stage_id)`.execute(db);
  await sql`create index deals_company_idx on deals (company_id)`.execute(db);
  await sql`create index deals_owner_idx on deals (owner_user_id)`.execute(db);
  await sql`create index deals_status_idx on deals (status)`.execute(db);

  await db.schema
    .createTable('deal_contacts')
    .addColumn('deal_id', 'uuid', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('deal_contacts_pk', ['deal_id', 'contact_id'])
    .execute();
  await sql`create index deal_contacts_contact_idx on deal_contacts (contact_id)`.execute(db);

  await db.schema
    .createTable('activities')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('note', 'task', 'call')`))
    .addColumn('subject', 'text')
    .addColumn('body', 'text')
    .addColumn('due_at', 'timestamptz')
    .addColumn('reminder_at', 'timestamptz')
    .addColumn('done_at', 'timestamptz')
    .addColumn('call_duration_seconds', 'integer', (c) => c.check(sql`call_duration_seconds >= 0`))
    .addColumn('call_direction', 'text', (c) => c.check(sql`call_direction in ('inbound', 'outbound')`))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('company_id', 'uuid', (c) => c.references('companies.id').onDelete('set null'))
    .addColumn('deal_id', 'uuid', (c) => c.references('deals.id').onDelete('set null'))
    .addColumn('owner_user_id', 'uuid', owner)
    .addColumn('occurred_at', 'timestamptz', ts)
    .addColumn('created_at', 'timestamptz', ts)
    .addColumn('updated_at', 'timestamptz', ts)
    .execute();
  await sql`create index activities_occurred_key_idx on activities (occurred_at, id)`.execute(db);
  await sql`create index activities_created_key_idx on activities (created_at, id)`.execute(db);
  await sql`create index activities_updated_key_idx on activities (updated_at, id)`.execute(db);
  await sql`create index activities_contact_idx on activities (contact_id)`.execute(db);
  await sql`create index activities_company_idx on activities (company_id)`.execute(db);
  await sql`create index activities_deal_idx on activities (deal_id)`.execute(db);
  await sql`create index activities_owner_idx on activities (owner_user_id)`.execute(db);
  // Open tasks with a reminder: what a reminder sweeper will scan.
  await sql`create index activities_reminder_idx on activities (reminder_at) where kind = 'task' and done_at is null and reminder_at is not null`.execute(
    db,
  );

  await db.schema
    .createTable('purchases')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('company_id', 'uuid', (c) => c.references('companies.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('purchased_on', 'date', (c) => c.notNull())
    .addColumn('items', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('amount', sql`numeric(14,2)`, (c) => c.notNull())
    .addColumn('currency', sql`char(3)`, (c) => c.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    .addColumn('owner_user_id', 'uuid', owner)
    .addColumn('notes', 'text')
    .addColumn('created_at', 'timestamptz', ts)
    .addColumn('updated_at', 'timestamptz', ts)
    .addCheckConstraint('purchases_party_check', sql`company_id is not null or contact_id is not null`)
    .execute();
  await sql`create index purchases_purchased_key_idx on purchases (purchased_on, id)`.execute(db);
  await sql`create index purchases_created_key_idx on purchases (created_at, id)`.execute(db);
  await sql`create index purchases_amount_key_idx on purchases (amount, id)`.execute(db);
  await sql`create index purchases_company_idx on purchases (company_id)`.execute(db);
  await sql`create index purchases_contact_idx on purchases (contact_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'purchases',
    'activities',
    'deal_contacts',
    'deals',
    'pipeline_stages',
    'contact_emails',
    'contacts',
    'company_domains',
    'companies',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
