import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';

type App = Awaited<ReturnType<typeof createTestApp>>;

describe.each(databaseKinds)('CRM CSV import and export on %s', (kind) => {
  let t: App;
  let admin: Client;
  let member: Client;

  const upload = async (
    client: Client,
    body: string | Buffer,
    dryRun: boolean,
    type = 'text/csv',
    what: 'contacts' | 'companies' = 'contacts',
  ) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/${what}/import?dryRun=${dryRun}`,
      payload: body,
      headers: {
        'content-type': type,
        cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'x-csrf-token': client.cookies.get('tidings_csrf') ?? '',
      },
    });
    return Object.assign(res, { data: JSON.parse(res.body) });
  };
  const uploadCompanies = (client: Client, body: string | Buffer, dryRun: boolean, type = 'text/csv') =>
    upload(client, body, dryRun, type, 'companies');
  const countCompanies = async () =>
    Number(
      (
        await t.db.db
          .selectFrom('companies')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const count = async () =>
    Number(
      (
        await t.db.db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await setupAdmin(t.app);
    ({ client: member } = await signInMember(t, admin, 'mei@example.com', '李梅'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('previews a dry run without writing, then imports all rows in one go', async () => {
    await admin.post('/api/v1/companies', { name: 'ACME Corp' });
    const csv =
      '姓名,邮箱,电话,公司,职位,标签,备注\n张三丰,ZSF@wudang.cn,+86 138 0000 0001,武当派,掌门,"vip;武术",ignored\n"Lee, Bruce",bruce@acme.com,,acme corp,"Actor ""The Dragon""",vip\n\n';
    const before = await count();
    const dry = await upload(member, csv, true);
    expect(dry.statusCode).toBe(200);
    expect(dry.data).toMatchObject({
      created: 2,
      updated: 0,
      companiesCreated: 1,
      errors: [],
      imported: false,
      ignoredColumns: ['备注'],
      encoding: 'utf-8',
    });
    expect(dry.data.preview).toEqual([
      {
        row: 2,
        action: 'create',
        name: '张三丰',
        emails: ['zsf@wudang.cn'],
        phones: ['+86 138 0000 0001'],
        company: '武当派',
        title: '掌门',
        tags: ['vip', '武术'],
      },
      {
        row: 3,
        action: 'create',
        name: 'Lee, Bruce',
        emails: ['bruce@acme.com'],
        phones: [],
        company: 'acme corp',
        title: 'Actor "The Dragon"',
        tags: ['vip'],
      },
    ]);
    expect(await count()).toBe(before);

    const events: string[] = [];
    const stop = t.services.events.subscribe((e) => events.push(e.type));
    const real = await upload(member, csv, false);
    stop();
    expect(real.statusCode).toBe(200);
    expect(real.data).toMatchObject({ created: 2, updated: 0, imported: true });
    expect(await count()).toBe(before + 2);
    expect(events.filter((e) => e === 'contact.created')).toHaveLength(2);
    const lee = (await member.get('/api/v1/contacts?q=bruce')).data.items[0];
    expect(lee.company.name).toBe('ACME Corp'); // matched case-insensitively, not duplicated

    // The same file again updates the contacts it names by address.
    const again = await upload(member, csv.replace('掌门', '真人'), false);
    expect(again.data).toMatchObject({ created: 0, updated: 2 });
    expect((await member.get(`/api/v1/contacts?q=${encodeURIComponent('张三')}`)).data.items[0].title).toBe('真人');
  });

  it('reports every bad row and imports NOTHING when any row is bad', async () => {
    const before = await count();
    const csv = [
      'name,email,company',
      'Good One,good1@example.com,',
      ',noname@example.com,',
      'Bad Mail,not-an-email,',
      'Dup A,dup@example.com,',
      'Dup B,DUP@example.com,',
      'Taken,zsf@wudang.cn,', // belongs to a contact the member owns: fine (update)
    ].join('\r\n');
    const dry = await upload(member, csv, true);
    expect(dry.statusCode).toBe(200);
    expect(dry.data.errors.map((e: any) => [e.row, e.column, e.code])).toEqual([
      [3, 'name', 'required'],
      [4, 'email', 'invalid_email'],
      [6, 'email', 'duplicate_in_file'],
    ]);
    const real = await upload(member, csv, false);
    expectProblem(real, 422, 'import_rejected');
    expect(real.data.errors.map((e: any) => e.row)).toEqual([3, 4, 6]);
    expect(real.data.errors[0].path).toBe('row 3.name');
    expect(await count()).toBe(before);
    expect((await member.get('/api/v1/contacts?q=good1')).data.items).toEqual([]);

    // A member cannot update someone else's contact through an import either.
    await admin.post('/api/v1/contacts', { name: 'Admin Owned', emails: ['owned@example.com'] });
    const foreign = await upload(member, 'name,email\nHijack,owned@example.com\nFine,fine@example.com\n', false);
    expectProblem(foreign, 422, 'import_rejected');
    expect(foreign.data.errors).toEqual([expect.objectContaining({ row: 2, code: 'not_owner' })]);
    expect(await count()).toBe(before + 1);
  });

  it('imports a GBK-encoded file from Chinese Excel', async () => {
    const csv = '姓名,邮箱,公司,标签\r\n欧阳锋,ouyang@baituo.cn,白驼山庄,"西毒、宗师"\r\n';
    const gbk = iconv.encode(csv, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const res = await upload(member, gbk, false, 'text/csv; charset=gbk');
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({ created: 1, encoding: 'gb18030', imported: true });
    const found = (await member.get(`/api/v1/contacts?q=${encodeURIComponent('欧阳')}`)).data.items[0];
    expect(found).toMatchObject({ name: '欧阳锋', tags: ['西毒', '宗师'], company: expect.objectContaining({ name: '白驼山庄' }) });
  });

  it('exports contacts and companies with a BOM, quoting, intact Chinese and guarded formulas, and re-imports the export', async () => {
    await member.post('/api/v1/contacts', {
      name: '=HYPERLINK("http://evil.example","点我")',
      emails: ['formula@example.com'],
      phones: ['+1 555 0100'],
      title: '@SUM(A1)',
      tags: ['-1', 'a,b'],
    });
    await member.post('/api/v1/companies', { name: '+cmd|calc', domains: ['calc.example'], notes: '第一行\n第二行' });
    const res = await member.get('/api/v1/contacts/export.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('contacts.csv');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(res.rawPayload.toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['张三丰', '欧阳锋', 'Lee, Bruce']));
    const evil = rows.find((r) => r.email === 'formula@example.com')!;
    expect(evil).toMatchObject({
      name: `'=HYPERLINK("http://evil.example","点我")`,
      phone: "'+1 555 0100",
      title: "'@SUM(A1)",
      tags: "'-1; a,b",
    });
    expect(Object.keys(evil)).toEqual(['name', 'email', 'phone', 'company', 'title', 'tags', 'owner', 'created_at']);

    const companies = await member.get('/api/v1/companies/export.csv');
    const crows = parse(companies.rawPayload.toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(crows.find((r) => r.domains === 'calc.example')).toMatchObject({ name: "'+cmd|calc", notes: '第一行\n第二行' });
    expect(crows.map((r) => r.name)).toEqual(expect.arrayContaining(['武当派', '白驼山庄']));

    // Round trip: the export imports back as updates of the same contacts, formulas unguarded again.
    const back = await upload(admin, res.rawPayload, true);
    expect(back.data.errors).toEqual([]);
    expect(back.data.created).toBe(rows.filter((r) => !r.email).length);
    const evilPreview = back.data.preview.find((p: any) => p.emails.includes('formula@example.com'));
    expect(evilPreview).toMatchObject({
      action: 'update',
      name: '=HYPERLINK("http://evil.example","点我")',
      title: '@SUM(A1)',
      phones: ['+1 555 0100'],
    });
  });

  it('refuses files it cannot read with stable codes', async () => {
    expectProblem(await upload(member, 'email,phone\na@example.com,1\n', true), 422, 'csv_missing_column');
    expectProblem(await upload(member, 'name,email\n"unclosed,a@example.com\n', true), 422, 'csv_malformed');
    expectProblem(await upload(member, '', true), 422, 'csv_empty');
    expectProblem(await upload(member, 'name\nx\n', true, 'application/xml'), 415, 'unsupported_media_type');
    expectProblem(await upload(member, Buffer.alloc(6 * 1024 * 1024, 'a'), true), 413, 'body_too_large');
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/contacts/export.csv' });
    expect(anon.statusCode).toBe(401);
  });

  it('previews a companies import, then creates new companies and fills in existing ones by name', async () => {
    const emei = (await member.post('/api/v1/companies', { name: 'Emei Sect', domains: ['emei.example'] })).data.company;
    const csv =
      '公司名称,域名,行业,负责人,备注,电话\n华山派,"Huashan.example; @www.huashan.example.",武术,MEI@example.com,"第一行\n第二行",123\n' +
      'EMEI SECT,emei.example，emei-shan.example,佛门,,,\n';
    const before = await countCompanies();
    const dry = await uploadCompanies(member, csv, true);
    expect(dry.statusCode).toBe(200);
    expect(dry.data).toMatchObject({ created: 1, updated: 1, errors: [], imported: false, ignoredColumns: ['电话'], encoding: 'utf-8' });
    expect(dry.data.preview).toEqual([
      {
        row: 2,
        action: 'create',
        name: '华山派',
        domains: ['huashan.example', 'www.huashan.example'],
        industry: '武术',
        owner: 'mei@example.com',
        notes: '第一行\n第二行',
      },
      {
        row: 3,
        action: 'update',
        name: 'EMEI SECT',
        domains: ['emei.example', 'emei-shan.example'],
        industry: '佛门',
        owner: null,
        notes: null,
      },
    ]);
    expect(await countCompanies()).toBe(before);

    const events: Array<{ type: string; data: unknown }> = [];
    const stop = t.services.events.subscribe((e) => events.push(e as never));
    const real = await uploadCompanies(member, csv, false);
    stop();
    expect(real.statusCode).toBe(200);
    expect(real.data).toMatchObject({ created: 1, updated: 1, imported: true });
    expect(await countCompanies()).toBe(before + 1);
    expect(
      events
        .filter((e) => e.type === 'company.domain_added')
        .map((e) => (e.data as { domain: string }).domain)
        .sort(),
    ).toEqual(['emei-shan.example', 'huashan.example', 'www.huashan.example']);
    const updated = (await member.get(`/api/v1/companies/${emei.id}`)).data.company;
    expect(updated).toMatchObject({ name: 'Emei Sect', industry: '佛门', domains: ['emei-shan.example', 'emei.example'] });
    const huashan = (await member.get(`/api/v1/companies?q=${encodeURIComponent('华山')}`)).data.items[0];
    expect(huashan).toMatchObject({
      name: '华山派',
      industry: '武术',
      notes: '第一行\n第二行',
      domains: ['huashan.example', 'www.huashan.example'],
    });
    const audit = await t.db.db.selectFrom('audit_log').selectAll().where('action', '=', 'company.import').execute();
    expect(audit).toHaveLength(1); // the dry run left no trace
  });

  it('reports every bad company row with the companies API codes and imports NOTHING', async () => {
    await admin.post('/api/v1/companies', { name: 'Admin Co', domains: ['admin-co.example'] });
    const api = await member.post('/api/v1/companies', { name: 'Mail Co', domains: ['qq.com'] });
    expectProblem(api, 422, 'public_mail_domain');
    const before = await countCompanies();
    const csv = [
      'name,domains,owner',
      'Fresh One,fresh.example,',
      ',nameless.example,',
      'Mail Co,qq.com,',
      'Bad Domain,not_a_domain,',
      'Fresh One,,',
      'Squatter,admin-co.example,',
      'Ghost Owner,,nobody@example.com',
      'Gift,,admin@example.com',
      'admin co,extra.example,',
      'Dup Domain,fresh.example,',
    ].join('\r\n');
    const dry = await uploadCompanies(member, csv, true);
    expect(dry.statusCode).toBe(200);
    expect(dry.data.errors.map((e: any) => [e.row, e.column, e.code])).toEqual([
      [3, 'name', 'required'],
      [4, 'domains', 'public_mail_domain'],
      [5, 'domains', 'invalid_domain'],
      [6, 'name', 'duplicate_in_file'],
      [7, 'domains', 'domain_in_use'],
      [8, 'owner', 'unknown_owner'],
      [9, 'owner', 'owner_not_allowed'],
      [10, 'name', 'not_owner'],
      [11, 'domains', 'duplicate_in_file'],
    ]);
    expect(dry.data.preview[0]).toMatchObject({ row: 2, action: 'create' });
    const real = await uploadCompanies(member, csv, false);
    expectProblem(real, 422, 'import_rejected');
    expect(real.data.errors[0].path).toBe('row 3.name');
    expect(await countCompanies()).toBe(before);
    expect((await member.get('/api/v1/companies?q=fresh')).data.items).toEqual([]);

    // An admin may name another active user as the owner.
    const ok = await uploadCompanies(admin, 'name,owner\nGift,mei@example.com\n', false);
    expect(ok.data).toMatchObject({ created: 1, imported: true });
    const owner = await t.db.db
      .selectFrom('companies')
      .innerJoin('users', 'users.id', 'companies.owner_user_id')
      .select('users.email')
      .where('companies.name', '=', 'Gift')
      .executeTakeFirstOrThrow();
    expect(owner.email).toBe('mei@example.com');
  });

  it('imports a GBK-encoded companies file', async () => {
    const gbk = iconv.encode('公司,域名,行业,备注\r\n桃花岛,taohua.example,医药,东邪\r\n', 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const res = await uploadCompanies(member, gbk, false, 'text/csv; charset=gbk');
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({ created: 1, encoding: 'gb18030', imported: true });
    const found = (await member.get(`/api/v1/companies?q=${encodeURIComponent('桃花')}`)).data.items[0];
    expect(found).toMatchObject({ name: '桃花岛', domains: ['taohua.example'], industry: '医药', notes: '东邪' });
  });

  it('imports the companies export back as updates that change nothing', async () => {
    await admin.post('/api/v1/companies', { name: '=cmd|calc', domains: ['formula.example'], industry: '-', notes: 'a, "b"\nc' });
    const first = await admin.get('/api/v1/companies/export.csv');
    const rows = parse(first.rawPayload.toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
    const back = await uploadCompanies(admin, first.rawPayload, false);
    expect(back.statusCode).toBe(200);
    expect(back.data).toMatchObject({ errors: [], created: 0, updated: rows.length, imported: true, ignoredColumns: ['created_at'] });
    expect(back.data.preview.find((p: any) => p.domains.includes('formula.example'))).toMatchObject({
      name: '=cmd|calc',
      industry: '-',
      notes: 'a, "b"\nc',
    });
    const second = await admin.get('/api/v1/companies/export.csv');
    expect(second.rawPayload.toString('utf8')).toBe(first.rawPayload.toString('utf8'));
  });

  it('refuses a companies file without a name column', async () => {
    expectProblem(await uploadCompanies(member, 'domains,industry\nx.example,y\n', true), 422, 'csv_missing_column');
    expectProblem(await uploadCompanies(member, 'name\nx\n', true, 'application/xml'), 415, 'unsupported_media_type');
  });
});
